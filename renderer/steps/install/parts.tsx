/** The Install step's views: the agent host's key to confirm, the plan, the hops, the undo plan. */
import type { ChannelOutput } from '../../../shared/ipc';
import type { HopReportView, InstallPlanView } from '../../../shared/remote-contract';
import { CommandList } from '../../components/CommandList';
import { ErrorNote } from '../../components/ErrorNote';
import { JobProgress } from '../../components/JobProgress';
import type { Job } from '../../components/useJob';
import { HostKeyConfirm, type HostKeyWords } from '../../components/HostKeyConfirm';
import { HOP_MARK, HOP_STATE_WORDS, HOP_TITLES, modeText } from './install-state';

type Presented = ChannelOutput<'remote:host-key'>;

const AGENT_HOST_WORDS: Omit<HostKeyWords, 'pinned'> = {
  mismatch: "Nothing was sent to it. Ask the host's owner whether it was reinstalled before you trust it.",
  firstContact: (
    <>
      First contact: compare this fingerprint with the host&apos;s own (on the host: <code>ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub</code>) before you
      pin it.
    </>
  ),
  given: "Fingerprint from the host's owner (optional)",
  compared: "the host's and it is the same",
};

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
  return (
    <HostKeyConfirm
      label={label}
      keyType={presented.type}
      fingerprint={presented.fingerprint}
      pinned={pinned}
      mismatch={presented.pinned === 'mismatch' && !pinned}
      words={{ ...AGENT_HOST_WORDS, pinned: `Pinned: the app checks this key before sending anything to ${label}.` }}
      copy
      testId="agent-host-key"
      onPin={onPin}
      onUnpin={onUnpin}
    />
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
      <CommandList
        commands={plan.commands.map((c) => ({
          title: c.title,
          command: c.command,
          note: c.phase === 'stop' ? 'only when it replaces a running install' : c.phase === 'prepare' ? 'before any file is placed' : undefined,
        }))}
      />
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

/**
 * The undo's progress on the page: reading the plan, the plan with Undo now, the undo itself, and
 * each job's error. The Install step's Undo and the History page's alike; `onUndo` starts it.
 */
export function UndoJobsView({ undoPlan, undo, onUndo }: { undoPlan: Job<'remote:undo-plan'>; undo: Job<'remote:undo'>; onUndo(): void }): React.JSX.Element {
  return (
    <>
      <JobProgress
        label="Reading the undo plan"
        running={undoPlan.running}
        message={undoPlan.message}
        fraction={undoPlan.fraction}
        onCancel={undoPlan.cancel}
      />
      <ErrorNote error={undoPlan.error} />
      {undoPlan.value && !undo.value && (
        <div className="cfg-panel">
          <h3>Undo plan</h3>
          <UndoPlanView plan={undoPlan.value} />
          <button type="button" onClick={onUndo} disabled={undo.running}>
            Undo now
          </button>
        </div>
      )}
      <JobProgress label="Undo" running={undo.running} message={undo.message} fraction={undo.fraction} />
      <ErrorNote error={undo.error} />
    </>
  );
}
