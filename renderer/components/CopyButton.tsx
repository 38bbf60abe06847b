import { useEffect, useState } from 'react';

/** Writes public text (a path, a command, a checksum, a public key) to the clipboard; false when the clipboard refused. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * The one copy button: copies `text` and says so beside it for a few seconds (or what to do when
 * the clipboard refused). `label` is the button's name; it is also its text with `showLabel`,
 * else the button says "Copy". Secrets never go through it: see steps/credentials/clipboard.ts.
 */
export function CopyButton({
  text,
  label,
  showLabel = false,
  small = true,
}: {
  text: string;
  label: string;
  showLabel?: boolean;
  small?: boolean;
}): React.JSX.Element {
  const [done, setDone] = useState<'copied' | 'failed' | null>(null);
  useEffect(() => {
    if (!done) return undefined;
    const timer = setTimeout(() => setDone(null), 4000);
    return () => clearTimeout(timer);
  }, [done]);
  return (
    <>
      <button
        type="button"
        className={small ? 'secondary small' : 'secondary'}
        onClick={() => void copyText(text).then((ok) => setDone(ok ? 'copied' : 'failed'))}
        aria-label={showLabel ? undefined : label}
      >
        {showLabel ? label : 'Copy'}
      </button>
      <span className="copy-note" role="status">
        {done === 'copied' ? 'Copied.' : done === 'failed' ? 'Could not copy: select the text and copy it yourself.' : ''}
      </span>
    </>
  );
}
