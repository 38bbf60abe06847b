// Token rotation: the comment-preserving YAML edit (source-range replacement, proved by parsing
// again) against the yaml package's own parse-and-print (which loses nothing here only by luck),
// how it grows with the number of token places, and a folder search planning the edits against
// only reading the same files. Same process, ratios only, never asserts.
//   npx tsx bench/rotate.ts
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { planRotation } from '../main/services/rotate';
import { harness, harnessAnswers } from '../shared/platforms/harness';
import { timeAsync, timeSync } from './timing';

const OLD = 'b2xkLWRlbGVnYXRlLXRva2VuLTAxMjM0NTY3ODk=';
const NEW = 'bmV3LWRlbGVnYXRlLXRva2VuLWFiY2RlZmdoaWo=';

const answers = harnessAnswers.parse({ accountId: 'acc_1', delegateName: 'd1', imageTag: '26.02.88404' });
const gen = (variant: string): string => {
  const g = harness.generate!(answers, { kind: 'token', token: OLD }, variant);
  if (!g.ok) throw new Error(g.error.message);
  return g.value.files[0]!.text;
};
const manifest = gen('kubernetes');
const k8s = harness.updaters.find((u) => u.id === 'harness-kubernetes')!;
const rotate = (text: string) => () => {
  if (!k8s.rotate(text, NEW).ok) throw new Error('rotate failed');
};
const edit = timeSync(200, rotate(manifest));
const reprint = timeSync(200, () => {
  for (const d of parseAllDocuments(manifest)) d.toString();
});
console.log(
  `Kubernetes manifest (${manifest.split('\n').length} lines, 2 token places): in-place edit ${edit.toFixed(2)} ms = ${(edit / reprint).toFixed(1)}× a bare parse-and-print of the same file`,
);

// Ten times the token places (20 Secrets): the proof re-parses once per place.
const many = Array.from({ length: 10 }, () => manifest).join('---\n');
const editMany = timeSync(20, rotate(many));
console.log(
  `20 token places in ${many.split('\n').length} lines vs 2 in ${manifest.split('\n').length}: ${(editMany / edit).toFixed(1)}× the time for 10× the text and 10× the places`,
);

// A folder of 200 installs (4 token files each) plus 800 unrelated files.
const root = mkdtempSync(path.join(tmpdir(), 'bench-rotate-'));
try {
  const files = ['kubernetes', 'helm', 'docker', 'ecs'].map((v) => [v, gen(v)] as const);
  for (let i = 0; i < 200; i++) {
    const dir = path.join(root, `install-${i}`, 'conf');
    mkdirSync(dir, { recursive: true });
    for (const [v, text] of files) writeFileSync(path.join(dir, `${v}.${v === 'ecs' ? 'json' : v === 'docker' ? 'sh' : 'yaml'}`), text);
    for (let j = 0; j < 4; j++) writeFileSync(path.join(dir, `notes-${j}.txt`), `install ${i} note ${j}\n`.repeat(20));
  }
  const readAll = async (): Promise<void> => {
    const walk = async (d: string): Promise<void> => {
      for (const e of await readdir(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) await walk(p);
        else await readFile(p, 'utf8');
      }
    };
    await walk(root);
  };
  const plan = await timeAsync(3, async () => {
    const r = await planRotation({ platform: 'harness', paths: [root], token: NEW }, 'bench_plan_0001');
    if (!r.ok || r.value.plan.files.length !== 800) throw new Error('plan failed');
  });
  const baseline = await timeAsync(3, readAll);
  console.log(
    `folder search, 1,600 files (800 holding the token): plan ${plan.toFixed(0)} ms = ${(plan / baseline).toFixed(1)}× only reading them (${baseline.toFixed(0)} ms)`,
  );
} finally {
  rmSync(root, { recursive: true, force: true });
}
