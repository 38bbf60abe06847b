/** The Install step's views: the agent host's key to confirm, the plan, the hops, the undo plan. */
import { useId, useState } from 'react';
import type { ChannelOutput } from '../../../shared/ipc';
import type { HopReportView, InstallPlanView } from '../../../shared/remote-contract';
import { CopyButton } from '../../components/CopyButton';
import { HOP_MARK, HOP_STATE_WORDS, HOP_TITLES, modeText } from './install-state';

type Presented = ChannelOutput<'remote:host-key'>;

/**
 * First contact with the agent host: its key's fingerprint, compared (optionally) with one the
 * host's owner gave, confirmed, then pinned in the draft. A key that is not the pinned one offers
 * only to drop the old pin: it is never accepted silently.
 */
export function AgentHostKey({
  label,
  presented,
  pinned,
  onPin,
  onUnpin,
}: {
  label: string;
  presented: Presented;
  pinned: boolean;
  onPin(): void;
  onUnpin(): void;
}): React.JSX.Element {
  const id = useId();
  const [confirmed, setConfirmed] = useState(false);
  const [given, setGiven] = useState('');
  const g = given.trim();
  const compared = g ? (g === presented.fingerprint || `SHA256:${g}` === presented.fingerprint ? 'match' : 'differ') : undefined;
  if (presented.pinned === 'mismatch' && !pinned) {
    return (
      <div className="host-key host-key-bad" role="alert" data-testid="agent-host-key">
        <p>
          <strong>{label}: the host key is not the pinned one.</strong> It now shows {presented.type}{' '}
          <code className="fingerprint">{presented.fingerprint}</code>. Nothing was sent to it. Ask the host&apos;s owner whether it was reinstalled before you
          trust it.
        </p>
        <button type="button" className="secondary" onClick={onUnpin}>
          Remove the old pin for {label}
        </button>
      </div>
    );
  }
  return (
    <div className="host-key" data-testid="agent-host-key">
      <p>
        <strong>{label}</strong> · {presented.type} <code className="fingerprint">{presented.fingerprint}</code>{' '}
        <CopyButton text={presented.fingerprint} label={`Copy the fingerprint of ${label}`} />
      </p>
      {pinned ? (
        <p className="ok" role="status">
          <span aria-hidden="true">✓ </span>Pinned: the app checks this key before sending anything to {label}.{' '}
          <button type="button" className="link" onClick={onUnpin}>
            Unpin
          </button>
        </p>
      ) : (
        <>
          <p className="help">
            First contact: compare this fingerprint with the host&apos;s own (on the host: <code>ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub</code>) before
            you pin it.
          </p>
          <div className="field">
            <label htmlFor={`${id}-given`}>Fingerprint from the host&apos;s owner (optional)</label>
            <input
              id={`${id}-given`}
              type="text"
              spellCheck={false}
              value={given}
              onChange={(e) => setGiven(e.target.value)}
              placeholder="SHA256:…"
              aria-describedby={`${id}-cmp`}
            />
            <p id={`${id}-cmp`} className={compared === 'differ' ? 'error' : compared === 'match' ? 'ok' : 'help'} aria-live="polite">
              {compared === 'match'
                ? 'It matches.'
                : compared === 'differ'
                  ? 'It does NOT match: do not pin this key.'
                  : 'Paste it to compare character by character.'}
            </p>
          </div>
          <label className="check">
            <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} /> I compared this fingerprint with the host&apos;s and
            it is the same
          </label>
          <button type="button" disabled={!confirmed || compared === 'differ'} onClick={onPin}>
            Pin host key of {label}
          </button>
        </>
      )}
    </div>
  );
}

const REPLACES: Record<InstallPlanView['files'][number]['replaces'], string> = {
  nothing: 'nothing (new)',
  'same bytes': 'the same file (left as it is)',
  'a different file': 'a different file (backed up first)',
};

/** The plan: folders, each file with its target, mode, owner and what it replaces, each command. */
export function PlanView({ plan, user }: { plan: InstallPlanView; user: string }): React.JSX.Element {
  const sudo = plan.commands.some((c) => c.command.startsWith('sudo -n '));
  return (
    <section className="cfg-panel install-plan" aria-labelledby="install-plan-h" data-testid="install-plan">
      <h2 id="install-plan-h">Plan: {plan.title}</h2>
      <p className="help">
        Nothing has changed on the host yet.{' '}
        {plan.sudo
          ? `${user} cannot place these files itself, so each file is uploaded into a private staging folder of ${user} (mode 0700), then moved into place with sudo -n: a backup of what it replaces, a temp file beside the target with its owner and mode, then a rename. A failure part-way moves everything back.`
          : 'Each file is uploaded beside its target and renamed into place only when all arrived.'}{' '}
        Secrets get mode 0600.
      </p>
      {plan.dirs.some((d) => !d.exists) && (
        <p>
          Folders created:{' '}
          {plan.dirs
            .filter((d) => !d.exists)
            .map((d) => `${d.path} (${modeText(d.mode)})`)
            .join(', ')}
        </p>
      )}
      <table className="table">
        <caption className="sr-only">Files the install puts on the host</caption>
        <thead>
          <tr>
            <th scope="col">Target on the host</th>
            <th scope="col">Mode</th>
            <th scope="col">Owner</th>
            <th scope="col">Replaces</th>
          </tr>
        </thead>
        <tbody>
          {plan.files.map((f) => (
            <tr key={f.target}>
              <th scope="row">
                <code>{f.target}</code>
                {f.secret && <span className="cfg-badge">secret</span>}
              </th>
              <td>
                <code>{modeText(f.mode)}</code>
              </td>
              <td>{f.owner}</td>
              <td>{REPLACES[f.replaces]}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Commands it runs</h3>
      <p className="help" data-testid="install-sudo">
        {plan.asRoot
          ? `You log in as root: no command needs sudo.`
          : sudo || plan.sudo
            ? `Steps that need root run with sudo -n${plan.sudo ? ' (placing the files, and each command shown with sudo -n)' : ''}: if sudo asks for a password they fail at once (the app never types one). The plan already checked that sudo works without one.`
            : `Every command runs as ${user}, without sudo.`}
      </p>
      <ol className="command-list">
        {plan.commands.map((c, i) => (
          <li key={`${i}-${c.command}`}>
            <p>
              {c.title}
              {c.phase === 'stop' ? <span className="muted"> (only when it replaces a running install)</span> : null}
            </p>
            <div className="probe-command">
              <pre>{c.command}</pre>
              <CopyButton text={c.command} label={`Copy: ${c.title}`} />
            </div>
          </li>
        ))}
      </ol>
      {plan.notes.length > 0 && (
        <ul className="help">
          {plan.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The hops, in order, each with its mark and what proved or failed it; the failure line at its hop. */
export function HopList({ hops, testId }: { hops: HopReportView[]; testId?: string }): React.JSX.Element {
  return (
    <ol className="hop-list" data-testid={testId} aria-label="Hops to online">
      {hops.map((h, i) => (
        <li key={`${h.hop}-${i}`} className={`hop hop-${h.state}`} data-hop={h.hop} data-state={h.state}>
          <span className="hop-mark" aria-hidden="true">
            {HOP_MARK[h.state]}
          </span>{' '}
          <strong>{HOP_TITLES[h.hop]}</strong> <span className="sr-only">({HOP_STATE_WORDS[h.state]})</span>
          <span className="hop-detail"> {h.detail}</span>
          {h.line && h.state === 'failed' ? (
            <pre className="hop-line" aria-label={`Log line at ${HOP_TITLES[h.hop]}`}>
              {h.line}
            </pre>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

/** "SSH ✓ → Files ✓ → …" in one line, for the summary. */
export function hopsLine(hops: HopReportView[]): string {
  return hops.map((h) => `${HOP_TITLES[h.hop]} ${HOP_MARK[h.state]}`).join(' → ');
}

type UndoPlan = ChannelOutput<'remote:undo-plan'>;

/** What undo will do: the stop commands, each file restored, moved aside or left alone. */
export function UndoPlanView({ plan }: { plan: UndoPlan }): React.JSX.Element {
  return (
    <div data-testid="undo-plan">
      {plan.stop.length > 0 && (
        <>
          <p>First it stops the agent:</p>
          <ul>
            {plan.stop.map((c) => (
              <li key={c}>
                <code>{c}</code>
              </li>
            ))}
          </ul>
        </>
      )}
      <ul>
        {plan.steps.map((s) => (
          <li key={s.path}>
            <code>{s.path}</code>: {s.action}
            {s.to ? (
              <>
                {' '}
                (moved to <code>{s.to}</code>)
              </>
            ) : null}
          </li>
        ))}
      </ul>
      <p className="help">Nothing is deleted. Created files go into {plan.asideDir} on the host; a file edited since the install is left as it is.</p>
    </div>
  );
}
