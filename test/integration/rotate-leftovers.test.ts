/**
 * Issue 11 item 6: folder rotation left the old token behind and still said to revoke it. A
 * folder with a Docker script, a Helm install, a manifest and a Terraform file of Harness's
 * delegate module, all holding one token (plus a note holding its base64 form): after planning,
 * every text file is searched for the old value; the ones still holding it are named with their
 * lines and what to change by hand, the CLI (a real process) exits 1 and writes nothing unless
 * --ignore-leftovers, and the revoke checklist says not yet.
 *
 * No HCL library on npm edits attribute values in place with their source ranges from a pure,
 * synchronous function (hcl2json gives JSON without positions; the tree-sitter grammar is a
 * native addon), so Terraform files are named with what to change by hand, not edited.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { base64Utf8 } from '../../shared/edit/values';
import { harness, harnessAnswers } from '../../shared/platforms/harness';
import { runCliProcess } from '../support/cli';

const OLD = base64Utf8('0123456789abcdef0123456789abcdef'); // as Harness shows a delegate token
const NEW = base64Utf8('fedcba9876543210fedcba9876543210');
const root = mkdtempSync(path.join(tmpdir(), 'ao-rotate-left-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

const TF = `module "delegate" {
  source  = "harness/harness-delegate/kubernetes"
  version = "0.2.3"

  account_id       = "px7xd_BFRCi-pfWPYXVjvw"
  delegate_token   = "${OLD}"
  delegate_name    = "terraform-delegate"
  namespace        = "harness-delegate-ng"
  manager_endpoint = "https://app.harness.io/gratis"
}
`;

function folder(): string {
  const dir = mkdtempSync(path.join(root, `f${n++}-`));
  const answers = harnessAnswers.parse({ accountId: 'px7xd_BFRCi-pfWPYXVjvw', delegateName: 'build-delegate', imageTag: '26.02.88404' });
  for (const variant of ['docker', 'helm', 'kubernetes']) {
    const g = harness.generate!(answers, { kind: 'token', token: OLD }, variant);
    if (!g.ok) throw new Error(g.error.message);
    mkdirSync(path.join(dir, variant));
    for (const f of g.value.files) writeFileSync(path.join(dir, variant, f.path), f.text, { mode: f.secret ? 0o600 : 0o644 });
  }
  mkdirSync(path.join(dir, 'terraform'));
  writeFileSync(path.join(dir, 'terraform', 'main.tf'), TF);
  writeFileSync(path.join(dir, 'handover-notes.txt'), `k8s secret data was ${base64Utf8(OLD)}\n`);
  return dir;
}

const env = { NEW_TOKEN: NEW };

describe('rotate names every file that would keep the old token', () => {
  it('exits 1 and writes nothing, naming main.tf (line 6, delegate_token) and the note holding the base64 form', async () => {
    const dir = folder();
    const before = readFileSync(path.join(dir, 'docker', 'run-delegate.sh'), 'utf8');
    const r = await runCliProcess(['rotate', 'harness', '--token-env', 'NEW_TOKEN', dir], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/2 file\(s\) would still hold the old token/);
    expect(r.stdout).toMatch(/terraform\/main\.tf\n\s+Terraform \(line 6: delegate_token\)/);
    expect(r.stdout).toMatch(/handover-notes\.txt\n\s+line 1 holds the old token/);
    expect(r.stdout + r.stderr).not.toContain(OLD);
    expect(r.stdout + r.stderr).not.toContain(NEW);
    expect(readFileSync(path.join(dir, 'docker', 'run-delegate.sh'), 'utf8')).toBe(before);
  });

  it('with --ignore-leftovers writes the files it knows, leaves main.tf as it is, and says not to revoke yet', async () => {
    const dir = folder();
    const r = await runCliProcess(['rotate', 'harness', '--token-env', 'NEW_TOKEN', '--ignore-leftovers', '--json', dir], { env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { leftovers: { path: string; lines: number[] }[]; revoke: string[]; written: { path: string }[] };
    expect(out.leftovers.map((l) => [path.relative(dir, l.path), l.lines])).toEqual([
      ['handover-notes.txt', [1]],
      ['terraform/main.tf', [6]],
    ]);
    expect(out.revoke[0]).toMatch(/^Not yet: 2 file\(s\) still hold the old token .*revoking it now would break them/);
    expect(readFileSync(path.join(dir, 'terraform', 'main.tf'), 'utf8')).toBe(TF);
    // Every file rotation knows now holds the new token only.
    for (const w of out.written) {
      const text = readFileSync(w.path, 'utf8');
      expect(text.includes(OLD) || text.includes(base64Utf8(OLD)), w.path).toBe(false);
    }
    expect(out.written.length).toBeGreaterThanOrEqual(3);
  });

  it('says nothing when no file keeps the old token', async () => {
    const dir = folder();
    rmSync(path.join(dir, 'terraform'), { recursive: true });
    rmSync(path.join(dir, 'handover-notes.txt'));
    const r = await runCliProcess(['rotate', 'harness', '--token-env', 'NEW_TOKEN', dir], { env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/Still holding the OLD token/);
  });
});
