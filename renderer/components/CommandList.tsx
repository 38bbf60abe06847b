import { CopyButton } from './bundle/CopyButton';

export interface ListedCommand {
  title: string;
  command: string;
  os?: string | undefined;
}

/** Commands to run in order: each with its title (and OS), the command as text, and its copy button. */
export function CommandList({ commands }: { commands: readonly ListedCommand[] }): React.JSX.Element {
  return (
    <ol className="command-list">
      {commands.map((c, i) => (
        <li key={`${i}-${c.command}`}>
          <p>
            {c.title}
            {c.os ? <span className="muted"> ({c.os})</span> : null}
          </p>
          <div className="probe-command">
            <pre>{c.command}</pre>
            <CopyButton text={c.command} label={`Copy: ${c.title}`} />
          </div>
        </li>
      ))}
    </ol>
  );
}
