import { CopyButton } from './CopyButton';

export interface ListedCommand {
  title: string;
  command: string;
  os?: string | undefined;
}

/**
 * Commands to run in order: each with its title, the command as text, and its copy button. The OS
 * is named only when the list mixes several (one OS throughout needs no label on every line).
 */
export function CommandList({ commands }: { commands: readonly ListedCommand[] }): React.JSX.Element {
  const mixed = new Set(commands.flatMap((c) => (c.os ? [c.os] : []))).size > 1;
  return (
    <ol className="command-list">
      {commands.map((c, i) => (
        <li key={`${i}-${c.command}`}>
          <p>
            {c.title}
            {mixed && c.os ? <span className="muted"> ({c.os})</span> : null}
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
