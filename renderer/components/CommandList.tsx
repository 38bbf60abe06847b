import { CopyButton } from './CopyButton';

export interface ListedCommand {
  title: string;
  command: string;
  os?: string | undefined;
  /** Said after the title in parentheses, e.g. when the command runs only in some cases. */
  note?: string | undefined;
}

/**
 * Commands to run in order: each with its title, the command as text, and its copy button. The OS
 * is named only when the list mixes several (one OS throughout needs no label on every line); a
 * command's own note is said in its place.
 */
export function CommandList({ commands }: { commands: readonly ListedCommand[] }): React.JSX.Element {
  const mixed = new Set(commands.flatMap((c) => (c.os ? [c.os] : []))).size > 1;
  return (
    <ol className="command-list">
      {commands.map((c, i) => {
        const aside = c.note ?? (mixed ? c.os : undefined);
        return (
          <li key={`${i}-${c.command}`}>
            <p>
              {c.title}
              {aside ? <span className="muted"> ({aside})</span> : null}
            </p>
            <div className="probe-command">
              <pre>{c.command}</pre>
              <CopyButton text={c.command} label={`Copy: ${c.title}`} />
            </div>
          </li>
        );
      })}
    </ol>
  );
}
