/**
 * Remembers which secrets the app handed out for copying, by SHA-256 only, so main can clear the
 * clipboard on quit when it still holds one of them. The page's 30 s wipe is a timer in the page:
 * closing the window or quitting the app within those 30 s would leave the token on the clipboard.
 */
import { createHash } from 'node:crypto';

/** The clipboard as main sees it (Electron's `clipboard`; a fake in tests). */
export interface TextClipboard {
  readText(): string;
  writeText(text: string): void;
}

export interface ClipboardGuard {
  /** A secret was handed to the page (Reveal or Copy): it may be on the clipboard from now on. */
  remember(secret: string): void;
  /** Clears the clipboard when it holds a remembered secret; true when it did. Never throws. */
  wipeIfOurs(clipboard: TextClipboard): boolean;
}

const digest = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** At most `limit` secrets are remembered (the oldest is dropped first); only their digests are kept. */
export function createClipboardGuard(limit = 64): ClipboardGuard {
  const seen: string[] = [];
  return {
    remember(secret) {
      if (!secret) return;
      const d = digest(secret);
      const at = seen.indexOf(d);
      if (at >= 0) seen.splice(at, 1);
      seen.push(d);
      if (seen.length > limit) seen.shift();
    },
    wipeIfOurs(clipboard) {
      try {
        const now = clipboard.readText();
        // A copy may carry the page's trailing newline or spaces; compare the secret itself.
        if (!now || !(seen.includes(digest(now)) || seen.includes(digest(now.trim())))) return false;
        clipboard.writeText('');
        return true;
      } catch {
        return false;
      }
    },
  };
}
