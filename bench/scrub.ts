// The draft's credential scrubber (issue 14 item 5): it must stay linear, because the renderer
// saves the draft as the user types and a large paste once froze main for 13 s (a quadratic
// regex). Ten times the text should take about ten times as long (a quadratic scrubber: ~100×).
// Same process, ratios only, never asserts.
//   npx tsx bench/scrub.ts
import { scrubString } from '../shared/history';
import { timeSync } from './timing';

const shapes: [string, (n: number) => string][] = [
  ["letters then one @ (the review's 150 KB stall)", (n) => 'a'.repeat(n) + '@'],
  ['"a://" repeated', (n) => 'a://'.repeat(n / 4) + '@'],
  ['"a:" repeated (bare user:password)', (n) => 'a:'.repeat(n / 2) + '@'],
  ['proxy URLs with credentials, one per line', (n) => 'http://u:p@proxy:3128\n'.repeat(n / 22)],
];
for (const [name, make] of shapes) {
  const small = make(15_000);
  const large = make(150_000);
  const a = timeSync(5, () => scrubString(small));
  const b = timeSync(5, () => scrubString(large));
  console.log(`${name}: 150 KB takes ${(b / a).toFixed(1)}× the time of 15 KB (linear ≈ 10×), ${b.toFixed(1)} ms`);
}
