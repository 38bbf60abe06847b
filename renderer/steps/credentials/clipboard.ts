/**
 * Copying a secret: written with navigator.clipboard, and wiped again after `ms` if the clipboard
 * still holds it (the user may have copied something else meanwhile; that is left alone). The
 * timer lives outside any component, so leaving the step does not cancel the wipe.
 */

const pending = new Map<string, ReturnType<typeof setTimeout>>();

async function wipeIfStill(secret: string): Promise<boolean> {
  let current: string | undefined;
  try {
    current = await navigator.clipboard.readText();
  } catch {
    // Reading is refused (no permission): wiping blind is safer than leaving a token behind.
    current = secret;
  }
  if (current !== secret) return false;
  await navigator.clipboard.writeText('').catch(() => undefined);
  return true;
}

/**
 * Copies `secret` and schedules the wipe. Resolves false when the clipboard refused the write.
 * `onCleared` runs after the wipe (true when it wiped, false when the clipboard had changed).
 */
export async function copySecret(secret: string, ms: number, onCleared?: (wiped: boolean) => void): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(secret);
  } catch {
    return false;
  }
  const key = 'secret';
  clearTimeout(pending.get(key));
  pending.set(
    key,
    setTimeout(() => {
      pending.delete(key);
      void wipeIfStill(secret).then((wiped) => onCleared?.(wiped));
    }, ms),
  );
  return true;
}
