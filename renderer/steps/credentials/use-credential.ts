/** What the Credentials step knows about the chosen vault entry, and whether secrets can persist. */
import { useEffect, useRef, useState } from 'react';
import type { SecretStoreStatus } from '../../../shared/credentials-contract';
import type { ChannelOutput } from '../../../shared/ipc';
import type { AppError } from '../../../shared/result';
import { api } from '../../api';

export type Described = ChannelOutput<'secrets:describe'>;

/** An error as the step shows it: the message and what to do next. */
export type ShownError = Pick<AppError, 'code' | 'message' | 'hint'>;

/**
 * The public facts of `id` when the vault has it and `accept` takes it (null while loading or
 * without an id). Otherwise `onLost` runs: with true when the vault no longer has it (kept in
 * memory only, and the app restarted), false when it is not this step's kind of credential.
 * `locked` is true while it is saved under a passphrase not entered yet (browser mode); it is
 * asked again each time `storeState` changes (after an unlock).
 */
export function useDescribed(
  id: string | undefined,
  accept: (d: Described) => boolean,
  onLost: (gone: boolean) => void,
  storeState?: string,
): { described: Described | null; locked: boolean } {
  const [state, setState] = useState<{ id?: string; described: Described | null; locked?: boolean }>({ described: null });
  const latest = useRef({ accept, onLost });
  useEffect(() => {
    latest.current = { accept, onLost };
  });
  useEffect(() => {
    if (!id) return;
    let live = true;
    void api.invoke('secrets:describe', { id }).then((r) => {
      if (!live) return;
      if (r.ok && latest.current.accept(r.value)) setState({ id, described: r.value });
      else if (!r.ok && r.error.code === 'SECRET_LOCKED') setState({ id, described: null, locked: true });
      else latest.current.onLost(!r.ok);
    });
    return () => {
      live = false;
    };
  }, [id, storeState]);
  const mine = state.id === id && Boolean(id);
  return { described: mine ? state.described : null, locked: mine && Boolean(state.locked) };
}

export interface SecretStoreHandle {
  /** Where secrets can be saved and whether that store is open (null while unknown). */
  status: SecretStoreStatus | null;
  /** Takes the status a store call answered with. */
  set(status: SecretStoreStatus): void;
}

/** This front end's secret store: the OS keychain (desktop), a passphrase lock (browser mode) or none. */
export function useSecretStore(): SecretStoreHandle {
  const [status, setStatus] = useState<SecretStoreStatus | null>(null);
  useEffect(() => {
    void api.invoke('secrets:store-status', {}).then((r) => setStatus(r.ok ? r.value : { kind: 'none', state: 'unset' }));
  }, []);
  return { status, set: setStatus };
}
