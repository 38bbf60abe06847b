/** What the Credentials step knows about the chosen vault entry, and whether secrets can persist. */
import { useEffect, useRef, useState } from 'react';
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
 */
export function useDescribed(id: string | undefined, accept: (d: Described) => boolean, onLost: (gone: boolean) => void): Described | null {
  const [state, setState] = useState<{ id?: string; described: Described | null }>({ described: null });
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
      else latest.current.onLost(!r.ok);
    });
    return () => {
      live = false;
    };
  }, [id]);
  return state.id === id && id ? state.described : null;
}

/** True when this front end can keep secrets in the OS keychain (the desktop app); null while unknown. */
export function useSecretStorage(): boolean | null {
  const [can, setCan] = useState<boolean | null>(null);
  useEffect(() => {
    void api.invoke('app:info', {}).then((r) => setCan(r.ok ? r.value.secretStorage : false));
  }, []);
  return can;
}
