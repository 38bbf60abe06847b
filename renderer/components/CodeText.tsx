import { CopyButton } from './CopyButton';

/**
 * Message text in which `backticked` parts are commands or file names: shown as code, and a
 * command (it has a space) gets a copy button, so a hint such as "run `ssh-keyscan …`" can be used
 * as it stands. Text without a matched pair of backticks is shown unchanged.
 */
export function CodeText({ text }: { text: string }): React.JSX.Element {
  const parts = text.split(/`([^`\n]+)`/);
  return (
    <>
      {parts.map((part, i) =>
        i % 2 === 0 ? (
          part
        ) : (
          <span key={i} className="code-text">
            <code>{part}</code>
            {part.includes(' ') && <CopyButton text={part} label={`Copy: ${part}`} />}
          </span>
        ),
      )}
    </>
  );
}
