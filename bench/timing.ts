// Timing helpers every benchmark shares (not a benchmark itself: bench/run.ts skips it).

/** Mean milliseconds of `runs` calls of `work`, after one warm-up call. */
export function timeSync(runs: number, work: () => void): number {
  work();
  const start = performance.now();
  for (let i = 0; i < runs; i++) work();
  return (performance.now() - start) / runs;
}

/** Mean milliseconds of `runs` awaited calls of `work(i)`, after one warm-up call `work(-1)`. */
export async function timeAsync(runs: number, work: (i: number) => Promise<void>): Promise<number> {
  await work(-1);
  const start = performance.now();
  for (let i = 0; i < runs; i++) await work(i);
  return (performance.now() - start) / runs;
}

/** The median of a list of numbers. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
