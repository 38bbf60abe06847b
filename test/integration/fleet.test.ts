// Fleets and the bundle/history/diagnose channels through the real dispatch and handlers, with
// the real Bamboo remote generator and the real unzip reading every bundle.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { dispatch, JobRegistry, type CallContext } from '../../main/ipc/dispatch';
import { createHandlers } from '../../main/ipc/handlers';
import { NO_CIPHER } from '../../main/services/deps';
import { importBundle } from '../../main/services/bundle';
import { parseFleetCsv, runFleet } from '../../main/services/fleet';
import { MemoryStore } from '../../main/services/store';
import { SecretVault } from '../../main/services/vault';
import { contract, type Draft, type JobEvent } from '../../shared/ipc';
import { getPlatform } from '../../shared/platforms';
import { makeCa } from '../support/tls-certs';

const tmp = (): string => mkdtempSync(path.join(tmpdir(), 'ao-fleet-'));
const TOKEN = '0123456789abcdef0123456789abcdef01234567';
const bamboo = getPlatform('bamboo-remote')!;
const draft = (credentialId?: string): Draft => ({
  platform: 'bamboo-remote',
  variant: 'installer',
  step: 'export',
  answers: { serverUrl: 'https://bamboo.example.com', agentOs: 'linux', installerVersion: '9.6.2' },
  ...(credentialId ? { credentialId } : {}),
});
const CSV =
  '\ufeffname,host,agentHome,serviceUser\r\nagent-01,build01.internal,/srv/bamboo,ci\r\n"agent-02","build02.internal","/opt/bamboo agent",\r\n\r\nagent-03,10.0.0.3,,\r\n';

function manifestOf(zip: string): { agent?: { name: string; host?: string }; files: { path: string }[] } {
  return JSON.parse(new TextDecoder().decode(unzipSync(readFileSync(zip))['manifest.json']));
}

describe('parseFleetCsv', () => {
  it('reads quoted cells, a BOM, CRLF and blank lines, keeping line numbers', () => {
    const r = parseFleetCsv(CSV);
    expect(r.ok && r.value.columns).toEqual(['name', 'host', 'agentHome', 'serviceUser']);
    expect(r.ok && r.value.rows.map((row) => [row.line, row.cells.name, row.cells.agentHome])).toEqual([
      [2, 'agent-01', '/srv/bamboo'],
      [3, 'agent-02', '/opt/bamboo agent'],
      [5, 'agent-03', ''],
    ]);
  });

  it('names the line of a malformed record', () => {
    const r = parseFleetCsv('name,host\na1,h1\na2,"h2\n');
    expect(r.ok === false && r.error).toMatchObject({ code: 'PARSE_ERROR', message: expect.stringMatching(/line 3/) });
    expect(parseFleetCsv('name,host\na1,h1,extra\n').ok).toBe(false);
    expect(parseFleetCsv('name,host\n').ok).toBe(false);
  });
});

describe('runFleet', () => {
  const run = (outDir: string, extra: Partial<Parameters<typeof runFleet>[0]> = {}) =>
    runFleet({ platform: bamboo, draft: draft(), csv: CSV, outDir, credential: { kind: 'token', token: TOKEN }, appVersion: 't', ...extra });

  it('packs one valid zip per agent with its own answers, reporting progress after each', async () => {
    const outDir = tmp();
    const progress: string[] = [];
    const r = await run(outDir, { onProgress: (done, total, b) => progress.push(`${done}/${total} ${b.name} ${b.status}`) });
    expect(r.ok && r.value).toMatchObject({ created: 3, failed: 0, cancelled: 0 });
    expect(progress).toEqual(['1/3 agent-01 created', '2/3 agent-02 created', '3/3 agent-03 created']);
    expect(readdirSync(outDir).sort()).toEqual(['agent-01.zip', 'agent-02.zip', 'agent-03.zip']);
    for (const name of ['agent-01', 'agent-02', 'agent-03']) expect(spawnSync('unzip', ['-t', path.join(outDir, `${name}.zip`)]).status).toBe(0);
    expect(manifestOf(path.join(outDir, 'agent-01.zip')).agent).toEqual({ name: 'agent-01', host: 'build01.internal' });
    const unpacked = tmp();
    execFileSync('unzip', ['-q', '-d', unpacked, path.join(outDir, 'agent-02.zip')]);
    expect(readFileSync(path.join(unpacked, 'install-bamboo-agent.sh'), 'utf8')).toContain("AGENT_HOME='/opt/bamboo agent'");
    expect(readFileSync(path.join(unpacked, 'README.md'), 'utf8')).toContain('for agent **agent-02** (host `build02.internal`)');
    // The token file is secret: 0600 inside the zip, and the bundle itself is private.
    expect(statSync(path.join(unpacked, 'security-token')).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(outDir, 'agent-02.zip')).mode & 0o777).toBe(0o600);
  });

  it("encrypts each agent's secrets when given a passphrase", async () => {
    const outDir = tmp();
    const r = await run(outDir, { csv: 'name\nsolo\n', passphrase: 'a long passphrase' });
    expect(r.ok).toBe(true);
    expect(Object.keys(unzipSync(readFileSync(path.join(outDir, 'solo.zip'))))).toContain('security-token.enc');
  });

  it('writes nothing when a row is invalid, or when a bundle already exists', async () => {
    const outDir = tmp();
    const bad = await run(outDir, { csv: 'name,agentHome\nok-1,/srv/a\nbad name,/srv/b\nok-1,/srv/c\n' });
    expect(bad.ok === false && bad.error.code).toBe('BAD_INPUT');
    expect(bad.ok === false && bad.error.message).toMatch(/line 3 \(bad name\).*line 4 \(ok-1\): the name "ok-1" is already used on line 2/);
    expect(readdirSync(outDir)).toEqual([]);
    writeFileSync(path.join(outDir, 'agent-02.zip'), 'keep me');
    const exists = await run(outDir);
    expect(exists.ok === false && exists.error.code).toBe('ALREADY_EXISTS');
    expect(readdirSync(outDir)).toEqual(['agent-02.zip']);
    expect((await run(outDir, { overwrite: true })).ok).toBe(true);
  });

  it('makes a new SSH key pair per agent: each bundle carries its own key (encrypted), public-keys.csv lists them as ssh-keygen sees them', async () => {
    const work = tmp();
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', '', '-f', path.join(work, 'hk')]);
    const knownHosts = `tunnel.example.com ${readFileSync(path.join(work, 'hk.pub'), 'utf8').trim()}\n`;
    const armorcode = getPlatform('armorcode')!;
    const acDraft: Draft = {
      platform: 'armorcode',
      variant: 'docker',
      step: 'export',
      answers: { server: 'tunnel.example.com', user: 'acme', port: '22', services: [{ name: 'jira', url: 'https://jira.internal', remotePort: '5000' }] },
      knownHosts,
    };
    const outDir = tmp();
    const options = {
      platform: armorcode,
      draft: acDraft,
      csv: 'name,host\nac-01,build01\nac-02,build02\n',
      outDir,
      credential: 'per-agent' as const,
      appVersion: 't',
    };
    const refused = await runFleet(options);
    expect(refused.ok === false && refused.error).toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('passphrase') });
    expect(readdirSync(outDir)).toEqual([]);

    const r = await runFleet({ ...options, passphrase: 'fleet passphrase' });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.created).toBe(2);
    expect(r.value.publicKeys).toBe(path.join(outDir, 'public-keys.csv'));
    const listed = parseCsv<Record<string, string>>(readFileSync(r.value.publicKeys!, 'utf8'), { columns: true });
    expect(listed.map((l) => [l.name, l.host])).toEqual([
      ['ac-01', 'build01'],
      ['ac-02', 'build02'],
    ]);
    expect(new Set(listed.map((l) => l.fingerprint)).size).toBe(2);

    for (const [i, name] of ['ac-01', 'ac-02'].entries()) {
      const zip = path.join(outDir, `${name}.zip`);
      // The private key is in the bundle, encrypted: a plain unzip does not see it.
      expect(Object.keys(unzipSync(readFileSync(zip)))).toContain('private-key.pem.enc');
      const to = path.join(tmp(), name);
      const imported = await importBundle(new Uint8Array(readFileSync(zip)), to, { passphrase: 'fleet passphrase' });
      if (!imported.ok) throw new Error(imported.error.message);
      const derived = execFileSync('ssh-keygen', ['-y', '-f', path.join(to, 'private-key.pem')], { encoding: 'utf8' })
        .trim()
        .split(' ')
        .slice(0, 2)
        .join(' ');
      expect(readFileSync(path.join(to, 'public-key.pem'), 'utf8').trim().split(' ').slice(0, 2).join(' ')).toBe(derived);
      const fingerprint = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', path.join(to, 'public-key.pem')], { encoding: 'utf8' }).split(' ')[1];
      expect(listed[i]!.fingerprint).toBe(fingerprint);
      expect(r.value.bundles[i]!.fingerprint).toBe(fingerprint);
      expect(listed[i]!['public key']).toBe(readFileSync(path.join(to, 'public-key.pem'), 'utf8').trim());
    }
  });

  it('stops before the next agent when cancelled and says which ones were not made', async () => {
    const outDir = tmp();
    const controller = new AbortController();
    const r = await run(outDir, { signal: controller.signal, onProgress: (done) => done === 1 && controller.abort() });
    expect(r.ok && r.value.bundles.map((b) => b.status)).toEqual(['created', 'cancelled', 'cancelled']);
    expect(readdirSync(outDir)).toEqual(['agent-01.zip']);
  });
});

function app() {
  const store = new MemoryStore();
  const vault = new SecretVault();
  const handlers = createHandlers({ mode: 'browser', version: '9.9.9', store, cipher: NO_CIPHER, dataDir: tmp(), vault }, new JobRegistry());
  const events: JobEvent[] = [];
  const ctx: CallContext = { senderId: 's', jobs: new JobRegistry(), emit: (e) => events.push(e) };
  const call = async <T = Record<string, unknown>>(
    channel: keyof typeof contract,
    input: unknown,
  ): Promise<{ ok: boolean; value?: T; error?: { code: string; message: string } }> => (await dispatch(contract, handlers, channel, input, ctx)) as never;
  return { store, vault, call, events };
}

describe('bundle channels through the dispatch', () => {
  it("exports the draft's files with the vault's token, inspects, imports and records history", async () => {
    const { vault, call, events, store } = app();
    const id = vault.put('token', TOKEN, { platform: 'bamboo-remote' });
    const out = path.join(tmp(), 'agent.zip');
    const exported = await call<{ path: string; manifest: { files: { path: string; secret: boolean }[] } }>('bundle:export', {
      jobId: 'e1',
      source: { kind: 'draft', draft: draft(id) },
      out,
      report: 'all reachable\n',
    });
    expect(exported.error).toBeUndefined();
    expect(exported.value!.manifest.files.map((f) => f.path)).toEqual([
      'README.md',
      'security-token',
      'install-bamboo-agent.sh',
      'bamboo-agent.service',
      'connectivity-report.txt',
    ]);
    expect(JSON.stringify(exported.value)).not.toContain(TOKEN);
    expect(events.filter((e) => e.jobId === 'e1').length).toBeGreaterThan(1);
    const readme = new TextDecoder().decode(unzipSync(readFileSync(out))['README.md']);
    expect(readme).toContain('Create the service user and the agent home');
    expect(readme).toContain('## Removing this agent later');
    expect(readme).toContain('sudo systemctl disable --now bamboo-agent');

    const to = path.join(tmp(), 'agent');
    const inspected = await call<{ ok: boolean; files: { path: string; target: string }[] }>('bundle:inspect', { file: out, to });
    expect(inspected.value!.ok).toBe(true);
    expect(new Set(inspected.value!.files.map((f) => f.target))).toEqual(new Set(['create']));
    const imported = await call<{ written: { status: string }[] }>('bundle:import', { jobId: 'i1', file: out, to });
    expect(imported.value!.written.every((w) => w.status === 'created')).toBe(true);
    expect(readFileSync(path.join(to, 'security-token'), 'utf8')).toBe(TOKEN + '\n');
    const again = await call<{ files: { target: string }[] }>('bundle:inspect', { file: out, to });
    expect(new Set(again.value!.files.map((f) => f.target))).toEqual(new Set(['same']));

    const added = await call<{ entry: { id: string } }>('history:add', { draft: draft(id), bundlePath: out });
    expect(JSON.stringify(store.get('history'))).not.toMatch(new RegExp(`${TOKEN}|${id}`));
    const listed = await call<{ entries: { bundlePath: string }[] }>('history:list', {});
    expect(listed.value!.entries[0]!.bundlePath).toBe(out);
    const reopened = await call<{ draft: Draft }>('history:reopen', { id: added.value!.entry.id });
    expect(reopened.value!.draft).toMatchObject({ platform: 'bamboo-remote', step: 'details' });
    expect((store.get('draft') as Draft).step).toBe('details');
  });

  it('leaves the private key out unless asked for, and refuses relative paths', async () => {
    const { call } = app();
    const dir = tmp();
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'id_ed25519')]);
    const out = path.join(tmp(), 'keys.zip');
    const r = await call<{ left: string[]; manifest: { files: { path: string }[] } }>('bundle:export', { jobId: 'e2', source: { kind: 'folder', dir }, out });
    // "The private key" unchecked is honoured for a folder too (issue 11 item 2): the key is left out, and said so.
    expect(r.value!.manifest.files.map((f) => f.path)).not.toContain('id_ed25519');
    expect(r.value!.left).toContain('id_ed25519');
    const withKey = await call<{ manifest: { files: { path: string; secret: boolean }[] } }>('bundle:export', {
      jobId: 'e2k',
      source: { kind: 'folder', dir },
      out: path.join(tmp(), 'k.zip'),
      includePrivateKey: true,
    });
    expect(withKey.value!.manifest.files).toContainEqual(expect.objectContaining({ path: 'id_ed25519', secret: true }));
    const rel = await call('bundle:export', { jobId: 'e3', source: { kind: 'folder', dir: 'relative/dir' }, out });
    expect(rel.error?.message).toMatch(/not an absolute path/);
    expect(existsSync('relative')).toBe(false);
  });

  it('packs the company CA the checks trusted, with how to trust it on the host (keytool for Java agents), in the export and in every fleet bundle', async () => {
    const { vault, call } = app();
    const id = vault.put('token', TOKEN, { platform: 'bamboo-remote' });
    const dir = tmp();
    const ca = readFileSync((await makeCa(dir, 'ca', '/CN=Corp Root CA')).pem, 'utf8');
    const out = path.join(tmp(), 'agent.zip');
    const exported = await call<{ manifest: { files: { path: string; secret: boolean; mode: number }[] } }>('bundle:export', {
      jobId: 'ca1',
      source: { kind: 'draft', draft: { ...draft(id), trustedCa: ca } },
      out,
    });
    expect(exported.value!.manifest.files).toContainEqual(expect.objectContaining({ path: 'company-ca.pem', secret: false, mode: 0o644 }));
    const unpacked = tmp();
    execFileSync('unzip', ['-q', '-d', unpacked, out]);
    // The certificate itself, unchanged: openssl reads it and it is the same one.
    expect(readFileSync(path.join(unpacked, 'company-ca.pem'), 'utf8')).toBe(ca);
    expect(execFileSync('openssl', ['x509', '-in', path.join(unpacked, 'company-ca.pem'), '-noout', '-subject'], { encoding: 'utf8' })).toContain(
      'CN = Corp Root CA',
    );
    const readme = readFileSync(path.join(unpacked, 'README.md'), 'utf8');
    expect(readme).toContain('sudo cp company-ca.pem /usr/local/share/ca-certificates/company-ca.crt && sudo update-ca-certificates');
    expect(readme).toContain('Import-Certificate -FilePath .\\company-ca.pem -CertStoreLocation Cert:\\LocalMachine\\Root');
    expect(readme).toContain('keytool -importcert -noprompt -cacerts -alias company-ca -file company-ca.pem');
    // The CA steps come before the agent's own install steps: the agent must trust the server when it first starts.
    expect(readme.indexOf('Trust the company CA')).toBeLessThan(readme.indexOf('Create the service user and the agent home'));

    const outDir = tmp();
    const fleet = await runFleet({
      platform: bamboo,
      draft: { ...draft(), trustedCa: ca },
      csv: 'name\nsolo\n',
      outDir,
      credential: { kind: 'token', token: TOKEN },
      appVersion: 't',
    });
    expect(fleet.ok).toBe(true);
    expect(manifestOf(path.join(outDir, 'solo.zip')).files.map((f) => f.path)).toContain('company-ca.pem');

    const without = await call<{ manifest: { files: { path: string }[] } }>('bundle:export', {
      jobId: 'ca2',
      source: { kind: 'draft', draft: draft(id) },
      out: path.join(tmp(), 'plain.zip'),
    });
    expect(without.value!.manifest.files.map((f) => f.path)).not.toContain('company-ca.pem');
  });

  it('says what to do when the credential is gone, and when the CSV has problems', async () => {
    const { call } = app();
    const gone = await call('bundle:export', {
      jobId: 'e4',
      source: { kind: 'draft', draft: draft('sec_doesnotexist00000000') },
      out: path.join(tmp(), 'x.zip'),
    });
    expect(gone.error?.code).toBe('SECRET_UNAVAILABLE');
    const check = await call<{ problems: string[]; agents: { errors: string[] }[] }>('fleet:check', { draft: draft(), csv: 'name,colour\na1,red\n' });
    expect(check.value!.problems[0]).toMatch(/unknown column "colour"/);
  });

  it('runs a fleet as a job with progress events carrying each bundle', async () => {
    const { vault, call, events } = app();
    const id = vault.put('token', TOKEN);
    const outDir = tmp();
    const r = await call<{ created: number }>('fleet:run', { jobId: 'f1', draft: draft(id), csv: CSV, outDir });
    expect(r.value!.created).toBe(3);
    const fractions = events.filter((e) => e.jobId === 'f1' && e.data).map((e) => e.fraction);
    expect(fractions).toEqual([1 / 3, 2 / 3, 1]);
  });

  it('diagnoses pasted text through diagnose:run', async () => {
    const { call } = app();
    const log =
      'INFO   | jvm 1    | 2026/01/02 10:00:00 | Security token is required for preliminary authentication, but none was\nINFO   | jvm 1    | 2026/01/02 10:00:00 | provided\n';
    const r = await call<{ diagnoses: { platform: string; failure: { id: string; action?: unknown } }[] }>('diagnose:run', { text: log });
    expect(r.value!.diagnoses[0]).toMatchObject({
      platform: 'bamboo-remote',
      failure: {
        id: 'bamboo-security-token-missing',
        action: { kind: 'rotate-token', platform: 'bamboo-remote', label: 'Fix wrapper.conf (put the security token in)' },
      },
    });
    // The selected platform is tried first; when it recognises nothing, the others are (issue 12 item 12).
    const selected = await call<{ diagnoses: { platform: string }[] }>('diagnose:run', { text: log, platform: 'buildkite' });
    expect(selected.value!.diagnoses.map((d) => d.platform)).toEqual(['bamboo-remote']);
    expect((await call<{ diagnoses: unknown[] }>('diagnose:run', { text: 'all good' })).value!.diagnoses).toEqual([]);
  });
});
