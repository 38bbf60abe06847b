// ArmorCode generation at the schema's limit (100 services) against 1 service, and writing the
// files through the file service (temp file, fsync, rename, backup) against plain writeFileSync of
// the same bytes, in the same run. Prints ratios, never asserts times.
//   npx tsx bench/armorcode-generate.ts
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { planConfigs, writeConfigs } from '../main/services/configs';
import { sshCredential } from '../main/services/credential';
import { armorcode } from '../shared/platforms/armorcode';
import { generateArmorcode } from '../shared/platforms/armorcode/generate';
import type { Generated } from '../shared/platforms/types';
import { timeAsync, timeSync } from './timing';

const dir = mkdtempSync(path.join(tmpdir(), 'ao-bench-ac-'));
execFileSync('openssl', ['genrsa', '-out', path.join(dir, 'k'), '2048'], { stdio: 'ignore' });
const spec = armorcode.credential as Extract<typeof armorcode.credential, { kind: 'ssh-keypair' }>;
const made = sshCredential(
  readFileSync(path.join(dir, 'k'), 'utf8'),
  spec,
  'tunnel.example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIElVf8zZ/+Ef3QRWUmIhNOEc997k2/S8/tY7jwkbmoVf\n',
);
if (!made.ok) throw new Error(made.error.message);
const credential = made.value;

const answers = (n: number) =>
  armorcode.answers.parse({
    server: 'tunnel.example.com',
    user: 'acme',
    services: Array.from({ length: n }, (_, i) => ({ name: `svc-${i}`, url: `https://svc-${i}.internal.acme.com:${8000 + i}`, remotePort: 5000 + i })),
  });

const one = answers(1);
const hundred = answers(100);
const gen = (a: typeof one): Generated => {
  const r = generateArmorcode(a, credential, 'docker');
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};
const t1 = timeSync(200, () => gen(one));
const t100 = timeSync(50, () => gen(hundred));
console.log(`generate, 1 service:    ${t1.toFixed(3)} ms`);
console.log(`generate, 100 services: ${t100.toFixed(3)} ms  (${(t100 / t1).toFixed(1)}x one service; 100x would be linear)`);

const files = gen(hundred);
const naive = await timeAsync(20, async (i) => {
  const out = path.join(dir, `naive-${i}`);
  execFileSync('mkdir', ['-p', out]);
  for (const f of files.files) writeFileSync(path.join(out, f.path), f.text, { mode: f.mode });
});
const ours = await timeAsync(20, async (i) => {
  const out = path.join(dir, `ours-${i}`);
  const plan = await planConfigs(out, files);
  const r = await writeConfigs(out, files, plan.planHash, Object.fromEntries(plan.files.map((f) => [f.path, f.currentSha256])));
  if (!r.ok) throw new Error(r.error.message);
});
const again = await timeAsync(20, async () => {
  const out = path.join(dir, 'ours-0');
  const plan = await planConfigs(out, files);
  const r = await writeConfigs(out, files, plan.planHash, Object.fromEntries(plan.files.map((f) => [f.path, f.currentSha256])));
  if (!r.ok) throw new Error(r.error.message);
});
console.log(`write 8 files, writeFileSync:              ${naive.toFixed(2)} ms`);
console.log(`preview + atomic write (fsync, rename):     ${ours.toFixed(2)} ms  (${(ours / naive).toFixed(1)}x writeFileSync)`);
console.log(`preview + write again, nothing changed:     ${again.toFixed(2)} ms  (${(again / naive).toFixed(1)}x writeFileSync)`);
rmSync(dir, { recursive: true, force: true });
