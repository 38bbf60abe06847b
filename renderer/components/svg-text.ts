/** Text cut at its end to fit a box of `max` characters (the full words are given elsewhere). */
export function fit(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * Text cut in its middle to fit `max` characters, keeping its start and its end, so host names
 * that differ only at either end (`build-1…example.com:22`, `…:443`) stay told apart.
 */
export function fitMiddle(text: string, max: number): string {
  if (text.length <= max) return text;
  const tail = Math.floor((max - 1) / 2);
  return `${text.slice(0, max - 1 - tail)}…${text.slice(text.length - tail)}`;
}
