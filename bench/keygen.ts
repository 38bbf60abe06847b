// Key generation: ours (main/services/keys.ts, in this process) against OpenSSH's ssh-keygen (a
// process per key, as a user runs it) for Ed25519 and RSA 2048/4096, plus the passphrase cost
// (bcrypt-pbkdf, 16 rounds, in JavaScript for us and in C for ssh-keygen). Runs alternate between
// the two so both see the same machine load; medians are printed with ratio = ours / ssh-keygen.
//   npm run bench -- keygen            KEYGEN_RUNS=3 npm run bench -- keygen   (quick look)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateKeyPair, type GenerateRequest } from '../main/services/keys';
import { median } from './timing';

interface Case {
  name: string;
  ours: GenerateRequest;
  sshKeygen: string[];
  runs: number;
}

const scale = Number(process.env.KEYGEN_RUNS ?? 0);
const PASS = 'bench passphrase';
const CASES: Case[] = [
  { name: 'Ed25519', ours: { type: 'ed25519' }, sshKeygen: ['-t', 'ed25519', '-N', ''], runs: 41 },
  { name: 'Ed25519 + passphrase', ours: { type: 'ed25519', passphrase: PASS }, sshKeygen: ['-t', 'ed25519', '-N', PASS], runs: 15 },
  { name: 'RSA 2048 (OpenSSH)', ours: { type: 'rsa', bits: 2048 }, sshKeygen: ['-t', 'rsa', '-b', '2048', '-N', ''], runs: 21 },
  {
    name: 'RSA 2048 (PKCS#1 PEM)',
    ours: { type: 'rsa', bits: 2048, format: 'pkcs1' },
    sshKeygen: ['-t', 'rsa', '-b', '2048', '-m', 'PEM', '-N', ''],
    runs: 21,
  },
  { name: 'RSA 4096 (OpenSSH)', ours: { type: 'rsa', bits: 4096 }, sshKeygen: ['-t', 'rsa', '-b', '4096', '-N', ''], runs: 9 },
];

async function timeOurs(req: GenerateRequest): Promise<number> {
  const start = process.hrtime.bigint();
  const r = await generateKeyPair(req);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (!r.ok) throw new Error(r.error.message);
  return ms;
}

function timeSshKeygen(args: string[], file: string): number {
  const start = process.hrtime.bigint();
  execFileSync('ssh-keygen', ['-q', ...args, '-C', 'bench', '-f', file], { stdio: 'ignore' });
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function timeSpawn(): number {
  const start = process.hrtime.bigint();
  execFileSync('/bin/true');
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ao-bench-keygen-'));
  const rows: string[][] = [];
  try {
    await timeOurs({ type: 'ed25519' }); // warm up module loading and JIT
    const spawn: number[] = [];
    for (let i = 0; i < 21; i++) spawn.push(timeSpawn());
    for (const c of CASES) {
      const runs = scale > 0 ? scale : c.runs;
      const ours: number[] = [];
      const theirs: number[] = [];
      for (let i = 0; i < runs; i++) {
        ours.push(await timeOurs(c.ours));
        theirs.push(timeSshKeygen(c.sshKeygen, path.join(dir, `${c.name.replace(/\W+/g, '-')}-${i}`)));
      }
      const [o, t] = [median(ours), median(theirs)];
      rows.push([c.name, String(runs), o.toFixed(1), t.toFixed(1), (o / t).toFixed(2)]);
    }
    rows.push(['(process start alone: /bin/true)', '21', '', median(spawn).toFixed(1), '']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const head = ['case', 'runs', 'ours ms (median)', 'ssh-keygen ms (median)', 'ratio ours/ssh-keygen'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]): string => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  console.log(line(head));
  for (const r of rows) console.log(line(r));
  console.log('\nRSA times vary run to run (random prime search): compare medians, not single runs. ssh-keygen times include starting its process.');
}

await main();
