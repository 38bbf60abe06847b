/**
 * Undoing an onboarding: the Configs step's real writes (Bamboo remote agent, through the real
 * dispatch and file service) are remembered, and history:undo moves the files the wizard created
 * aside, brings back the user's own version of a file it changed, and leaves alone a file edited
 * since — on a real folder, nothing deleted.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dispatch, JobRegistry, type CallContext } from '../../main/ipc/dispatch';
import { createHandlers } from '../../main/ipc/handlers';
import { NO_CIPHER } from '../../main/services/deps';
import { MemoryStore } from '../../main/services/store';
import { SecretVault } from '../../main/services/vault';
import { WriteLedger } from '../../main/services/write-ledger';
import { contract, type ChannelOutput } from '../../shared/ipc';
import type { Result } from '../../shared/result';

const TOKEN = '0123456789abcdef0123456789abcdef01234567';
const root = mkdtempSync(path.join(tmpdir(), 'ao-undo-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function app() {
  const store = new MemoryStore();
  const vault = new SecretVault();
  const handlers = createHandlers({ mode: 'browser', version: 'test', store, cipher: NO_CIPHER, dataDir: root, vault }, new JobRegistry());
  const ctx: CallContext = { senderId: 's', jobs: new JobRegistry(), emit: () => undefined };
  const call = async <C extends keyof typeof contract>(channel: C, input: unknown): Promise<ChannelOutput<C>> => {
    const r = (await dispatch(contract, handlers, channel, input, ctx)) as Result<ChannelOutput<C>>;
    if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
    return r.value;
  };
  return { store, vault, call };
}

async function onboard(a: ReturnType<typeof app>, outDir: string): Promise<string> {
  const credentialId = a.vault.put('token', TOKEN, { platform: 'bamboo-remote' });
  const request = {
    platform: 'bamboo-remote',
    variant: 'installer',
    answers: { serverUrl: 'https://bamboo.example.com', agentOs: 'linux', installerVersion: '9.6.2' },
    credentialId,
    outDir,
  };
  const plan = await a.call('configs:plan', request);
  await a.call('configs:write', {
    ...request,
    jobId: 'w1',
    planHash: plan.planHash,
    expected: Object.fromEntries(plan.files.map((f) => [f.path, f.currentSha256])),
  });
  const added = await a.call('history:add', { draft: { platform: 'bamboo-remote', variant: 'installer', step: 'export', answers: request.answers, outDir } });
  return added.entry.id;
}

describe('undoing what an onboarding wrote', () => {
  it('moves created files aside, restores the changed one from its backup, and leaves a file edited since', async () => {
    const a = app();
    const outDir = path.join(root, 'agent');
    // The user's own unit file was there first: the wizard replaces it (with a backup).
    const mine = '[Unit]\nDescription=my own unit\n';
    const unit = path.join(outDir, 'bamboo-agent.service');
    mkdirSync(outDir, { recursive: true });
    writeFileSync(unit, mine);
    chmodSync(unit, 0o640);
    const id = await onboard(a, outDir);

    const listed = await a.call('history:files', { id });
    expect(listed.outDir).toBe(outDir);
    expect(listed.files.map((f) => [path.basename(f.path), f.state, f.action])).toEqual([
      ['bamboo-agent.service', 'as-written', 'restore-backup'],
      ['install-bamboo-agent.sh', 'as-written', 'move-aside'],
      ['security-token', 'as-written', 'move-aside'],
    ]);

    // Edited since: left alone.
    const script = path.join(outDir, 'install-bamboo-agent.sh');
    writeFileSync(script, `${readFileSync(script, 'utf8')}# my change\n`);
    const token = readFileSync(path.join(outDir, 'security-token'));

    const undone = await a.call('history:undo', { id });
    expect(undone.results.map((r) => [path.basename(r.path), r.done])).toEqual([
      ['bamboo-agent.service', 'restored'],
      ['install-bamboo-agent.sh', 'left'],
      ['security-token', 'moved-aside'],
    ]);
    expect(readFileSync(unit, 'utf8')).toBe(mine);
    expect(statSync(unit).mode & 0o777).toBe(0o640);
    expect(readFileSync(script, 'utf8')).toContain('# my change');
    expect(existsSync(path.join(outDir, 'security-token'))).toBe(false);
    // Nothing is deleted: the token file and the wizard's unit are kept beside, the token still 0600.
    const aside = undone.results.find((r) => r.done === 'moved-aside')!.keptAt!;
    expect(readFileSync(aside)).toEqual(token);
    expect(statSync(aside).mode & 0o777).toBe(0o600);
    expect(readdirSync(outDir).filter((n) => n.startsWith('bamboo-agent.service.bak-')).length).toBe(2);

    // What was undone is forgotten; what was left is still listed, and a second undo changes nothing.
    expect((await a.call('history:files', { id })).files.map((f) => [path.basename(f.path), f.state])).toEqual([['install-bamboo-agent.sh', 'changed']]);
    expect((await a.call('history:undo', { id })).results.map((r) => r.done)).toEqual(['left']);
  });

  it('a second write of the same onboarding still undoes to before the first one', async () => {
    const a = app();
    const outDir = path.join(root, 'twice');
    await onboard(a, outDir);
    const id = await onboard(a, outDir);
    const files = await a.call('history:files', { id });
    expect(files.files.every((f) => f.action === 'move-aside')).toBe(true);
    await a.call('history:undo', { id });
    expect(readdirSync(outDir).every((n) => /\.bak-\d{8}T\d{6}Z/.test(n))).toBe(true);
  });

  it('a token written into an existing install (rotate:apply) is listed in History and undone there', async () => {
    const a = app();
    const conf = path.join(root, 'agent-home', 'conf', 'wrapper.conf');
    mkdirSync(path.dirname(conf), { recursive: true });
    const original =
      'wrapper.app.parameter.1=com.atlassian.bamboo.agent.bootstrap.AgentBootstrap\nwrapper.app.parameter.2=https://bamboo.example.com/agentServer/\n';
    writeFileSync(conf, original);
    const tokenId = a.vault.put('token', TOKEN, { platform: 'bamboo-remote' });
    const plan = await a.call('rotate:scan', { platform: 'bamboo-remote', paths: [path.join(root, 'agent-home')], tokenId });
    await a.call('rotate:apply', { jobId: 'r1', planId: plan.planId });
    expect(readFileSync(conf, 'utf8')).toContain(`wrapper.app.parameter.3=${TOKEN}`);

    const { entries } = await a.call('history:list', {});
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ platform: 'bamboo-remote', variant: null, paths: [conf] });
    expect(JSON.stringify(entries)).not.toContain(TOKEN);
    const id = entries[0]!.id;
    expect((await a.call('history:files', { id })).files.map((f) => [f.path, f.state, f.action])).toEqual([[conf, 'as-written', 'restore-backup']]);
    expect((await a.call('history:undo', { id })).results.map((r) => [r.path, r.done])).toEqual([[conf, 'restored']]);
    expect(readFileSync(conf, 'utf8')).toBe(original);
  });

  it('a Configs write alone (no Export) is listed in History', async () => {
    const a = app();
    const outDir = path.join(root, 'configs-only');
    const credentialId = a.vault.put('token', TOKEN, { platform: 'bamboo-remote' });
    const draft = {
      platform: 'bamboo-remote' as const,
      variant: 'installer',
      step: 'configs' as const,
      answers: { serverUrl: 'https://bamboo.example.com', installerVersion: '9.6.2' },
      outDir,
      credentialId,
    };
    const request = { platform: 'bamboo-remote', variant: 'installer', answers: draft.answers, credentialId, outDir };
    const plan = await a.call('configs:plan', request);
    await a.call('configs:write', {
      ...request,
      jobId: 'w2',
      planHash: plan.planHash,
      expected: Object.fromEntries(plan.files.map((f) => [f.path, f.currentSha256])),
    });
    // What the Configs step does right after its write (renderer/steps/configs/ConfigsStep.tsx).
    await a.call('history:add', { draft });
    const { entries } = await a.call('history:list', {});
    expect(entries.map((e) => [e.platform, e.outDir])).toEqual([['bamboo-remote', outDir]]);
    expect((await a.call('history:files', { id: entries[0]!.id })).files.length).toBe(3);
  });

  it('keeps the ledger bounded and ignores damaged entries', () => {
    const store = new MemoryStore();
    store.set('writes', { '/x': { path: '/x' }, '/y': 'nonsense' });
    const ledger = new WriteLedger(store);
    expect(ledger.under('/')).toEqual([]);
    ledger.record([{ path: '/srv/a/f', status: 'created', sha256: 'a'.repeat(64) }]);
    expect(ledger.under('/srv/a').map((f) => f.path)).toEqual(['/srv/a/f']);
    expect(ledger.under('/srv/ab')).toEqual([]);
  });
});
