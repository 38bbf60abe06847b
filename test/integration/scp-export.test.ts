/**
 * Bamboo elastic's Export (issue 12 item 5): the analysis is packed through the real bundle:export
 * handler (the real policy simulator runs again), unpacked with the real importer, and each patch
 * is applied with the real `patch` to the user's policy file exactly as given — whatever its
 * layout — giving the whole fixed policy the bundle carries.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dispatch, JobRegistry, type CallContext } from '../../main/ipc/dispatch';
import { createHandlers } from '../../main/ipc/handlers';
import { importBundle } from '../../main/services/bundle';
import { NO_CIPHER } from '../../main/services/deps';
import { MemoryStore } from '../../main/services/store';
import { SecretVault } from '../../main/services/vault';
import { contract, type ChannelOutput } from '../../shared/ipc';
import { policyFileName } from '../../shared/platforms/bamboo-elastic/policy';
import type { Result } from '../../shared/result';
import { BAMBOO_ROLE, SEED_POLICY } from '../support/scp-policies';

const root = mkdtempSync(path.join(tmpdir(), 'ao-scp-export-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function app() {
  const handlers = createHandlers(
    { mode: 'browser', version: 'test', store: new MemoryStore(), cipher: NO_CIPHER, dataDir: root, vault: new SecretVault() },
    new JobRegistry(),
  );
  const ctx: CallContext = { senderId: 's', jobs: new JobRegistry(), emit: () => undefined };
  return async <C extends keyof typeof contract>(channel: C, input: unknown): Promise<Result<ChannelOutput<C>>> =>
    (await dispatch(contract, handlers, channel, input, ctx)) as Result<ChannelOutput<C>>;
}

/** The seed policy the ways users paste it: AWS console (4 spaces), 2 spaces, tabs with CRLF, one line, no final newline. */
const LAYOUTS: Record<string, string> = {
  'four-spaces': `${JSON.stringify(SEED_POLICY, null, 4)}\n`,
  'two-spaces': `${JSON.stringify(SEED_POLICY, null, 2)}\n`,
  'tabs-crlf': `${JSON.stringify(SEED_POLICY, null, '\t').replace(/\n/g, '\r\n')}\r\n`,
  'one-line': JSON.stringify(SEED_POLICY),
  'no-final-newline': JSON.stringify(SEED_POLICY, null, 4),
};

async function exportFor(name: string, policyText: string): Promise<string> {
  const call = app();
  const draft = {
    platform: 'bamboo-elastic',
    variant: 'scp',
    step: 'export',
    answers: { principalArn: BAMBOO_ROLE, httpTokens: 'optional', hopLimit: '1', region: 'us-east-1', policies: [policyText] },
  };
  const out = path.join(root, `${name}.zip`);
  const r = await call('bundle:export', { jobId: `e-${name}`, source: { kind: 'draft', draft }, out, includePrivateKey: false });
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  const dir = path.join(root, name);
  const unpacked = await importBundle(await readFile(out), dir);
  if (!unpacked.ok) throw new Error(unpacked.error.message);
  return dir;
}

describe('Bamboo elastic: Export packs the analysis', () => {
  it.each(Object.entries(LAYOUTS))('%s: the patch applies with patch(1) to the policy as given and gives the whole fixed policy', async (layout, given) => {
    const dir = await exportFor(layout, given);
    const f = 'Policy-1.json';
    // The report, the policy as given (byte for byte), the whole new policy and the patch.
    expect(readFileSync(path.join(dir, 'policies', f), 'utf8')).toBe(given);
    expect(readFileSync(path.join(dir, 'scp-report.txt'), 'utf8')).toContain('Verdict: launching elastic agents is denied.');
    const report = JSON.parse(readFileSync(path.join(dir, 'scp-report.json'), 'utf8')) as { verdict: string; fixes: { exemption?: { works: boolean } } };
    expect(report).toMatchObject({ verdict: 'denied', fixes: { exemption: { works: true } } });

    // The user's own copy, exactly as pasted, patched by patch(1).
    const mine = path.join(root, `${layout}-mine.json`);
    writeFileSync(mine, given);
    const patched = spawnSync('patch', ['--no-backup-if-mismatch', mine, path.join(dir, 'patches', `${f}.diff`)], { encoding: 'utf8' });
    expect(patched.stderr).toBe('');
    expect(patched.status).toBe(0);
    const fixed = readFileSync(path.join(dir, 'fixed', f), 'utf8');
    expect(readFileSync(mine, 'utf8')).toBe(fixed);
    const doc = JSON.parse(fixed) as { Statement: { Condition?: Record<string, Record<string, string[]>> }[] };
    expect(doc.Statement[0]!.Condition!.StringNotLike!['aws:PrincipalARN']).toEqual([BAMBOO_ROLE]);
    expect(doc.Statement[2]!.Condition).toBeUndefined();

    // The layout is kept, so the diff shows the added condition and little else.
    const diff = readFileSync(path.join(dir, 'patches', `${f}.diff`), 'utf8');
    if (layout !== 'one-line' && layout !== 'no-final-newline') expect(diff.split('\n').filter((l) => /^-[^-]/.test(l)).length).toBeLessThanOrEqual(2);

    // The README's dry run works inside the unpacked bundle as written.
    const copy = path.join(root, `${layout}-dry.json`);
    copyFileSync(path.join(dir, 'policies', f), copy);
    expect(spawnSync('patch', ['--dry-run', copy, path.join(dir, 'patches', `${f}.diff`)], { encoding: 'utf8' }).status).toBe(0);
    const readme = readFileSync(path.join(dir, 'README.md'), 'utf8');
    expect(readme).toContain(`patch --dry-run policies/${f} patches/${f}.diff`);
    expect(readme).toContain(`--content file://fixed/${f}`);
    expect(readme).not.toContain('.json.json');
  });

  it('describe-policy output: the patch is for its Content, the policy as AWS keeps it', async () => {
    const content = JSON.stringify(SEED_POLICY, null, 4);
    const described = JSON.stringify({ Policy: { PolicySummary: { Name: 'imds-guardrail.json' }, Content: content } }, null, 4);
    const dir = await exportFor('described', described);
    expect(readFileSync(path.join(dir, 'policies', 'imds-guardrail.json'), 'utf8')).toBe(content);
    const mine = path.join(root, 'described-content.json');
    writeFileSync(mine, content);
    expect(spawnSync('patch', ['--no-backup-if-mismatch', mine, path.join(dir, 'patches', 'imds-guardrail.json.diff')]).status).toBe(0);
    expect(readFileSync(mine, 'utf8')).toBe(readFileSync(path.join(dir, 'fixed', 'imds-guardrail.json'), 'utf8'));
  });

  it('refuses with BAD_INPUT, writing nothing, when no policy was pasted', async () => {
    const call = app();
    const draft = { platform: 'bamboo-elastic', variant: 'scp', step: 'export', answers: { principalArn: BAMBOO_ROLE, policies: [''] } };
    const r = await call('bundle:export', { jobId: 'e-empty', source: { kind: 'draft', draft }, out: path.join(root, 'empty.zip'), includePrivateKey: false });
    expect(r).toMatchObject({ ok: false, error: { code: 'BAD_INPUT', message: expect.stringContaining('No service control policy was pasted') } });
  });

  it('names a policy file once .json, never .json.json', () => {
    expect(policyFileName('name.json')).toBe('name.json');
    expect(policyFileName('Policy 1')).toBe('Policy-1.json');
    expect(policyFileName('../../etc/passwd')).toBe('etc-passwd.json');
  });
});
