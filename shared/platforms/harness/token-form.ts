/**
 * Rotation notes for a token whose form changes (issue 11 item 4): Harness tokens come in the
 * base64 form Harness shows and the decoded 32-hex form (also the legacy ACCOUNT_SECRET). When a
 * place held one form and gets the other, the report says so for that place, with what the
 * delegate will see, so nobody is surprised by a different-looking value in the running delegate.
 */
import { ok } from '../../result';
import type { Change, Updater } from '../types';
import { decodeBase64Utf8 } from '../../edit/values';
import { DECODED_TOKEN, harnessBase64Inner } from './common';

type Form = 'base64' | 'decoded' | 'other';

function formOf(seen: string): Form {
  if (DECODED_TOKEN.test(seen)) return 'decoded';
  return harnessBase64Inner(seen) !== undefined ? 'base64' : 'other';
}

const FORM_WORDS: Record<Form, string> = {
  base64: 'the base64 form Harness shows',
  decoded: 'the decoded form (32 hexadecimal characters)',
  other: 'a value in neither Harness form',
};

/** The value a source span holds: quotes taken off, a `NAME=` prefix (compose lists, scripts) too. */
function valueOf(span: string): string {
  let v = span.trim();
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) {
    try {
      v = JSON.parse(v) as string;
    } catch {
      v = v.slice(1, -1);
    }
  } else if (v.length >= 2 && v.startsWith("'") && v.endsWith("'")) v = v.slice(1, -1);
  return v.replace(/^(?:export\s+)?[A-Z_][A-Z0-9_]*=/, '').replace(/^(?:delegateToken|accountSecret):\s*/, '');
}

/** What the delegate gets from a place: a Secret's `data` is base64-decoded by Kubernetes first. */
function seen(value: string, inSecretData: boolean): string | undefined {
  return inSecretData ? decodeBase64Utf8(value) : value;
}

/** The note for one change whose token form differs before and after, or undefined. */
export function tokenFormNote(oldText: string, newText: string, c: Change): string | undefined {
  if (!c.oldRange || !c.newRange) return undefined;
  const data = / data \(/.test(c.what);
  const before = seen(valueOf(oldText.slice(...c.oldRange)), data);
  const after = seen(valueOf(newText.slice(...c.newRange)), data);
  if (after === undefined) return undefined;
  const place = `${c.what} (line ${c.line})`;
  if (before === undefined || !/^[\x20-\x7e]*$/.test(before)) {
    return `${place}: Kubernetes decoded the old value into unreadable bytes (a decoded token written into data without base64), so the delegate could not have used it; now it gets ${FORM_WORDS[formOf(after)]}.`;
  }
  const [was, now] = [formOf(before), formOf(after)];
  if (was === now || was === 'other') return undefined;
  return `${place}: the delegate saw ${FORM_WORDS[was]} of its token; from now on it sees ${FORM_WORDS[now]}. Harness accepts either form of a token it issued.`;
}

/** `updater` with a note for every place whose token changes form. */
export function withTokenFormNotes(updater: Updater): Updater {
  return {
    ...updater,
    rotate(text, token) {
      const r = updater.rotate(text, token);
      if (!r.ok) return r;
      const notes = r.value.changes.map((c) => tokenFormNote(text, r.value.text, c)).filter((n): n is string => n !== undefined);
      return notes.length ? ok({ ...r.value, notes: [...(r.value.notes ?? []), ...notes] }) : r;
    },
  };
}
