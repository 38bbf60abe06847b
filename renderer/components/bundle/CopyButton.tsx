import { useState } from 'react';

/** Copies `text` to the clipboard and says so (for paths, commands and checksums). */
export function CopyButton({ text, label }: { text: string; label: string }): React.JSX.Element {
  const [done, setDone] = useState<'copied' | 'failed' | null>(null);
  const copy = (): void => {
    void navigator.clipboard.writeText(text).then(
      () => setDone('copied'),
      () => setDone('failed'),
    );
  };
  return (
    <>
      <button type="button" className="secondary small" onClick={copy} aria-label={label}>
        Copy
      </button>
      <span className="copy-note" role="status">
        {done === 'copied' ? 'Copied.' : done === 'failed' ? 'Could not copy: select the text and copy it yourself.' : ''}
      </span>
    </>
  );
}
