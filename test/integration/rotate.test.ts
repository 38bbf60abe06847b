/**
 * Token rotation end to end on real files: folder search, masked previews, all-or-nothing writes
 * with backups through the file service, the rotate channels through the real dispatch, and the
 * `rotate` CLI as a child process.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { dispatch, JobRegistry, type CallContext } from '../../main/ipc/dispatch';
import { rotateHandlers } from '../../main/ipc/handlers/rotate';
import { runCli } from '../../main/cli/index';
import { NO_CIPHER, type Deps } from '../../main/services/deps';
import { applyRotation, planRotation } from '../../main/services/rotate';
import { MemoryStore } from '../../main/services/store';
import { SecretVault } from '../../main/services/vault';
import { harness, harnessAnswers } from '../../shared/platforms/harness';
import { rotateChannels, type RotationPlan, type RotationReport } from '../../shared/rotation';
import type { JobEvent } from '../../shared/ipc';
import type { Result } from '../../shared/result';
import { runCliProcessSync } from '../support/cli';

const root = mkdtempSync(path.join(tmpdir(), 'rotate-it-'));
const immutable: string[] = [];
afterAll(() => {
  for (const d of immutable) spawnSync('chattr', ['-i', d]);
  rmSync(root, { recursive: true, force: true });
});

const OLD = 'b2xkLWRlbGVnYXRlLXRva2VuLTAxMjM0NTY3ODk=';
const NEW = 'bmV3LWRlbGVnYXRlLXRva2VuLWFiY2RlZmdoaWo=';
const sha = (s: string | Buffer): string => createHash('sha256').update(s).digest('hex');

/** A Harness install folder as the generators write it (old token), plus files that are not it. */
function install(name: string): string {
  const dir = path.join(root, name);
  mkdirSync(path.join(dir, 'shell'), { recursive: true });
  const a = harnessAnswers.parse({ accountId: 'acc_1', delegateName: 'd1', imageTag: '26.02.88404' });
  for (const variant of ['kubernetes', 'docker']) {
    const g = harness.generate!(a, { kind: 'token', token: OLD }, variant);
    if (!g.ok) throw new Error(g.error.message);
    for (const f of g.value.files) writeFileSync(path.join(dir, f.path), f.text, { mode: f.mode });
  }
  const shell = harness.generate!(a, { kind: 'token', token: OLD }, 'shell');
  if (!shell.ok) throw new Error('shell');
  for (const f of shell.value.files) writeFileSync(path.join(dir, 'shell', f.path), f.text.replace(/\n/g, '\r\n'), { mode: f.mode });
  writeFileSync(path.join(dir, 'notes.txt'), `remember DELEGATE_TOKEN rotation\n`);
  mkdirSync(path.join(dir, '.git'));
  writeFileSync(path.join(dir, '.git', 'config.yml'), 'delegateToken: x\nmanagerUrl: y\n');
  writeFileSync(path.join(dir, 'harness-delegate.yaml.bak-20250101T000000Z'), 'kind: Secret\ndata:\n  DELEGATE_TOKEN: x\n');
  symlinkSync(path.join(dir, 'harness-delegate.yaml'), path.join(dir, 'link.yaml'));
  return dir;
}

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const n of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, n.name);
      if (n.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = n.isSymbolicLink() ? `link` : sha(readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

async function plan(paths: string[], token = NEW) {
  const r = await planRotation({ platform: 'harness', paths, token }, 'plan_test_0001');
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** Makes a folder impossible to create files in, for root too (immutable) or by mode otherwise. */
function lock(dir: string): void {
  if (process.getuid?.() === 0) {
    execFileSync('chattr', ['+i', dir]);
    immutable.push(dir);
  } else chmodSync(dir, 0o555);
}
function unlock(dir: string): void {
  if (process.getuid?.() === 0) execFileSync('chattr', ['-i', dir]);
  else chmodSync(dir, 0o755);
}

describe('rotate service', () => {
  it('finds every file of the install in a folder, previews without any token, and writes them all with backups', async () => {
    const dir = install('full');
    const internal = await plan([dir]);
    const p = internal.plan;
    expect(p.files.map((f) => [path.relative(dir, f.path), f.status, f.updater?.id])).toEqual([
      ['delegate.env', 'change', 'harness-env-file'],
      ['harness-delegate.yaml', 'change', 'harness-kubernetes'],
      ['shell/config-delegate.yml', 'change', 'harness-shell-config'],
      ['shell/config-watcher.yml', 'change', 'harness-shell-config'],
    ]);
    expect(p.ready).toBe(true);
    expect(p.ignored).toBe(4); // notes.txt, run-delegate.sh (its token is in delegate.env), start.sh and stop.sh hold no token; .git, backups and links are not read
    const json = JSON.stringify(p);
    expect(json).not.toContain(NEW);
    expect(json).not.toContain(OLD);
    expect(p.files[1]!.diff).toContain('-  DELEGATE_TOKEN: «old token»');
    expect(p.files[1]!.diff).toContain('+  DELEGATE_TOKEN: «new token»');
    expect(p.token).toMatchObject({ kindName: 'Harness delegate token', masked: 'bmV3••••••••aWo=' });
    expect(p.commands.map((c) => c.command)).toEqual(
      expect.arrayContaining([
        `kubectl apply -f ${path.join(dir, 'harness-delegate.yaml')}`,
        'docker rm -f d1',
        `docker exec d1 printenv DELEGATE_TOKEN | tr -d '\\n' | sha256sum`,
      ]),
    );
    expect(p.commands.find((c) => c.command.startsWith('docker exec'))?.title).toContain(sha(NEW).slice(0, 16));
    expect(p.revoke.join(' ')).toMatch(/Revoke the old token/);

    const before = { yaml: readFileSync(path.join(dir, 'harness-delegate.yaml'), 'utf8'), mode: statSync(path.join(dir, 'delegate.env')).mode & 0o777 };
    const report = await applyRotation(internal);
    if (!report.ok) throw new Error(report.error.message);
    expect(report.value.files.map((f) => [path.relative(dir, f.path), f.status])).toEqual(p.files.map((f) => [path.relative(dir, f.path), 'updated']));
    for (const f of report.value.files) expect(readFileSync(f.backupPath!, 'utf8')).toContain(OLD);
    expect(report.value.tokenSha256).toBe(sha(NEW));
    const yaml = parseAllDocuments(readFileSync(path.join(dir, 'harness-delegate.yaml'), 'utf8')).map((d) => d.toJS());
    expect(yaml.filter((d) => d.kind === 'Secret').map((s) => Object.values(s.data)[0])).toEqual([NEW, NEW]);
    expect(readFileSync(path.join(dir, 'harness-delegate.yaml'), 'utf8')).toBe(before.yaml.replaceAll(OLD, NEW));
    expect(statSync(path.join(dir, 'delegate.env')).mode & 0o777).toBe(before.mode);
    const watcher = readFileSync(path.join(dir, 'shell', 'config-watcher.yml'), 'utf8');
    expect(
      watcher
        .split('\n')
        .slice(0, -1)
        .every((l) => l.endsWith('\r')),
    ).toBe(true);
    expect(parse(watcher).delegateToken).toBe(NEW);
    expect(statSync(path.join(dir, 'link.yaml'), { throwIfNoEntry: false })).toBeDefined();

    // Once more: everything already holds the new token, so there is nothing to write.
    const again = await plan([dir]);
    expect(again.plan.files.map((f) => f.status)).toEqual(['same', 'same', 'same', 'same']);
    expect(again.plan).toMatchObject({ ready: false, problems: [] });
  });

  it('writes nothing at all when a second file cannot be written', async () => {
    const dir = install('unwritable');
    const internal = await plan([path.join(dir, 'harness-delegate.yaml'), path.join(dir, 'shell', 'config-watcher.yml')]);
    const before = snapshot(dir);
    lock(path.join(dir, 'shell'));
    try {
      const r = await applyRotation(internal);
      expect(r).toMatchObject({ ok: false, error: { code: 'IO_ERROR' } });
    } finally {
      unlock(path.join(dir, 'shell'));
    }
    expect(snapshot(dir)).toEqual(before);
  });

  it('writes nothing at all when a second file changed since it was read', async () => {
    const dir = install('changed');
    const internal = await plan([path.join(dir, 'harness-delegate.yaml'), path.join(dir, 'delegate.env')]);
    writeFileSync(path.join(dir, 'delegate.env'), readFileSync(path.join(dir, 'delegate.env'), 'utf8') + '# edited by someone else\n');
    const before = snapshot(dir);
    const r = await applyRotation(internal);
    expect(r).toMatchObject({ ok: false, error: { code: 'FILE_CHANGED', message: expect.stringContaining('delegate.env changed since it was read') } });
    expect(snapshot(dir)).toEqual(before);
  });

  it('edits the real file behind a link given by name, keeping the link', async () => {
    const dir = install('linked');
    const internal = await plan([path.join(dir, 'link.yaml')]);
    expect(internal.plan.files[0]).toMatchObject({
      path: path.join(dir, 'harness-delegate.yaml'),
      status: 'change',
      notes: [expect.stringContaining('Reached through the link')],
    });
    const r = await applyRotation(internal);
    expect(r.ok).toBe(true);
    expect(readFileSync(path.join(dir, 'link.yaml'), 'utf8')).toContain(NEW);
    expect(existsSync(path.join(dir, 'link.yaml')) && statSync(path.join(dir, 'link.yaml')).isFile()).toBe(true);
    expect(readdirSync(dir).filter((n) => n.startsWith('link.yaml.bak'))).toEqual([]);
  });

  it('refuses what it cannot do, saying why: an unknown file, a wrong token, a missing path', async () => {
    const dir = install('refusals');
    const unknown = await plan([path.join(dir, 'notes.txt'), path.join(dir, 'harness-delegate.yaml')]);
    expect(unknown.plan).toMatchObject({ ready: false, problems: [expect.stringContaining('notes.txt is not a file Harness delegate keeps its token in')] });
    expect(await applyRotation(unknown)).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    expect(await planRotation({ platform: 'harness', paths: [dir], token: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789' }, 'p_x')).toMatchObject({
      ok: false,
      error: { code: 'TOKEN_WRONG_KIND' },
    });
    expect(await planRotation({ platform: 'harness', paths: [dir], token: 'has"quote' }, 'p_x')).toMatchObject({ ok: false, error: { code: 'TOKEN_INVALID' } });
    expect(await planRotation({ platform: 'harness', paths: [path.join(dir, 'nope')], token: NEW }, 'p_x')).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await planRotation({ platform: 'armorcode', paths: [dir], token: NEW }, 'p_x')).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
  });

  it('previews dropped files, and edits them in place only when their folder holds the same file', async () => {
    const dir = install('dropped');
    const text = readFileSync(path.join(dir, 'harness-delegate.yaml'), 'utf8');
    const preview = await planRotation({ platform: 'harness', paths: [], uploads: [{ name: 'harness-delegate.yaml', text }], token: NEW }, 'p_1');
    expect(preview.ok && preview.value.plan.files.map((f) => f.status)).toEqual(['preview-only']);
    expect(preview.ok && preview.value.plan.ready).toBe(false);
    const placed = await planRotation(
      { platform: 'harness', paths: [], uploads: [{ name: 'harness-delegate.yaml', text }], uploadDir: dir, token: NEW },
      'p_2',
    );
    expect(placed.ok && placed.value.plan.files.map((f) => [f.path, f.status])).toEqual([[path.join(dir, 'harness-delegate.yaml'), 'change']]);
    const other = await planRotation(
      { platform: 'harness', paths: [], uploads: [{ name: 'harness-delegate.yaml', text: text + '# other\n' }], uploadDir: dir, token: NEW },
      'p_3',
    );
    expect(other.ok && other.value.plan.files[0]).toMatchObject({ status: 'refused', error: { code: 'FILE_CHANGED' } });
  });
});

describe('rotate channels', () => {
  function setup() {
    const vault = new SecretVault();
    const deps: Deps = { mode: 'browser', version: 'test', store: new MemoryStore(), cipher: NO_CIPHER, dataDir: root, vault };
    const jobs = new JobRegistry();
    const handlers = rotateHandlers(deps, jobs);
    const events: JobEvent[] = [];
    const ctx = (senderId: string): CallContext => ({ senderId, jobs, emit: (e) => events.push(e) });
    const call = <T>(channel: keyof typeof rotateChannels, input: unknown, sender = 'w1') =>
      dispatch(rotateChannels, handlers, channel, input, ctx(sender)) as Promise<Result<T>>;
    return { call, vault, events };
  }

  it('scans with a pasted or stored token, never answers a token, and applies a plan once, for its own caller only', async () => {
    const dir = install('ipc');
    const { call, vault, events } = setup();
    const scan = await call<RotationPlan>('rotate:scan', { platform: 'harness', paths: [dir], token: `  "${NEW}"\n` });
    expect(JSON.stringify(scan)).not.toContain(NEW);
    if (!scan.ok) throw new Error(scan.error.message);
    expect(scan.value.token.cleaned).toEqual(expect.arrayContaining(['quotes around it']));
    expect(await call('rotate:apply', { jobId: 'a1', planId: scan.value.planId }, 'w2')).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const applied = await call<RotationReport>('rotate:apply', { jobId: 'a2', planId: scan.value.planId });
    if (!applied.ok) throw new Error(applied.error.message);
    expect(applied.value.files).toHaveLength(4);
    expect(JSON.stringify(applied)).not.toContain(NEW);
    expect(events.filter((e) => e.jobId === 'a2').at(-1)).toMatchObject({ fraction: 1 });
    expect(await call('rotate:apply', { jobId: 'a3', planId: scan.value.planId })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

    const id = vault.put('token', 'c3RvcmVkLXRva2VuLWZyb20tdGhlLXZhdWx0LTE=');
    const stored = await call<RotationPlan>('rotate:scan', { platform: 'harness', paths: [dir], tokenId: id });
    expect(stored.ok && stored.value.files.every((f) => f.status === 'change')).toBe(true);
    expect(await call('rotate:scan', { platform: 'harness', paths: [dir] })).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    expect(await call('rotate:scan', { platform: 'harness', paths: [dir], tokenId: 'sec_nonexistent000000000' })).toMatchObject({
      ok: false,
      error: { code: 'SECRET_UNAVAILABLE' },
    });
  });
});

describe('rotate CLI', () => {
  async function cli(argv: string[], env: Record<string, string> = {}) {
    let stdout = '';
    let stderr = '';
    const code = await runCli(['rotate', ...argv], {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      env: { ...env },
      readStdin: async () => '',
      cwd: root,
    });
    return { code, stdout, stderr };
  }

  it('--dry-run prints the masked diff and writes nothing; a real run writes and reports', async () => {
    const dir = install('cli');
    const before = snapshot(dir);
    const dry = await cli(['harness', '--token-env', 'NEW_TOKEN', '--dry-run', dir], { NEW_TOKEN: NEW });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('+  DELEGATE_TOKEN: «new token»');
    expect(dry.stdout).toContain('(dry run: nothing written)');
    expect(dry.stdout + dry.stderr).not.toContain(NEW);
    expect(snapshot(dir)).toEqual(before);

    const real = await cli(['harness', '--token-env', 'NEW_TOKEN', '--json', dir], { NEW_TOKEN: NEW });
    expect(real.code).toBe(0);
    const out = JSON.parse(real.stdout);
    expect(out.written.map((f: { status: string }) => f.status)).toEqual(['updated', 'updated', 'updated', 'updated']);
    expect(real.stdout).not.toContain(NEW);
    const again = await cli(['harness', '--token-env', 'NEW_TOKEN', dir], { NEW_TOKEN: NEW });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('0 file(s) to change, 4 already on this token');
  });

  it.each([
    [['harness', '--token-env', 'T'], { T: NEW }, /give at least one FILE_OR_DIR/],
    [['harness', 'x'], {}, /--token-env VAR is required/],
    [['harness', '--token-env', 'UNSET', 'x'], {}, /UNSET is not set or empty/],
    [['harness', '--token-env', 'bmV3==', 'x'], {}, /takes the NAME of an environment variable/],
    [['armorcode', '--token-env', 'T', 'x'], { T: NEW }, /'armorcode' has no token to rotate/],
    [['buildkite', '--token-env', 'T', '/tmp'], { T: 'bkua_0123456789abcdef0123456789abcdef01234567' }, /Buildkite API access token/],
  ])('exits 2 with one line for bad input: %j', async (argv, env, message) => {
    const r = await cli(argv, env);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });

  it('exits 2, writing nothing, when a named file is not one the platform knows', async () => {
    const dir = install('cli-unknown');
    const before = snapshot(dir);
    const r = await cli(['harness', '--token-env', 'T', path.join(dir, 'notes.txt'), path.join(dir, 'harness-delegate.yaml')], { T: NEW });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/notes\.txt is not a file Harness delegate keeps its token in/);
    expect(snapshot(dir)).toEqual(before);
  });

  it('runs as the real command (tsx main/cli.ts) on a Buildkite cfg with CRLF, keeping every other byte', () => {
    const dir = path.join(root, 'bk');
    mkdirSync(dir, { recursive: true });
    const cfg = '# The token from your Buildkite "Agents" page\r\ntoken="xxx"\r\n\r\nname="%hostname-%spawn"\r\nbuild-path="C:\\buildkite-agent\\builds"\r\n';
    writeFileSync(path.join(dir, 'buildkite-agent.cfg'), cfg);
    const token = 'realagenttoken0123456789abcdefABCDEF01';
    const r = runCliProcessSync(['rotate', 'buildkite', '--token-env', 'BK', path.join(dir, 'buildkite-agent.cfg')], { env: { BK: token } });
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toContain('Restart-Service buildkite-agent');
    expect(r.stdout).not.toContain(token);
    expect(readFileSync(path.join(dir, 'buildkite-agent.cfg'), 'utf8')).toBe(cfg.replace('token="xxx"', `token="${token}"`));
  });
});
