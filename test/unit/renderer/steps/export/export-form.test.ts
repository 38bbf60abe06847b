/** The Export step's form logic: the default bundle path, the endpoints it can check, and the bundle:export request as main's schema reads it. */
import { describe, expect, it } from 'vitest';
import { contract, type Draft } from '../../../../../shared/ipc';
import { getPlatform } from '../../../../../shared/platforms';
import {
  defaultBundlePath,
  endpointsOf,
  exportReducer,
  exportRequest,
  exportStart,
  reportText,
  verifyCommand,
  type ExportForm,
} from '../../../../../renderer/steps/export/export-form';

const armorcode = getPlatform('armorcode')!;
const draft: Draft = {
  platform: 'armorcode',
  variant: 'docker',
  step: 'export',
  answers: {
    server: 'tunnel.customer.example.armorcode.com',
    user: 'customer',
    port: '22',
    services: [{ name: 'jira', url: 'https://jira.internal.example.com:443', remotePort: '5000' }],
  },
  outDir: '/home/me/armorcode-out/',
};
const kept: NonNullable<Draft['connectivity']> = {
  text: 'Connectivity report\nssh: reachable\n',
  at: '2026-12-01T10:00:00.000Z',
  passed: true,
  endpoints: ['tunnel.customer.example.armorcode.com:22/ssh'],
};

/** main's own reading of the request: the bundle:export input schema. */
const parseExport = (request: object) => contract['bundle:export'].input.safeParse({ ...request, jobId: 'job-1' });

describe('defaultBundlePath', () => {
  it('puts the zip beside the output folder (no trailing slash), or in the home folder named for the platform and variant', () => {
    expect(defaultBundlePath(draft)).toBe('/home/me/armorcode-out.zip');
    expect(defaultBundlePath({ ...draft, outDir: undefined })).toBe('~/agent-onboard-armorcode-docker.zip');
    expect(defaultBundlePath({ ...draft, platform: null, variant: null, outDir: undefined })).toBe('~/agent-onboard-agent.zip');
  });
});

describe('endpointsOf', () => {
  it("is the platform's endpoints for the answers, in the shape probe:run accepts", () => {
    const endpoints = endpointsOf(draft, armorcode);
    expect(endpoints.map((e) => `${e.host}:${e.port}`)).toContain('tunnel.customer.example.armorcode.com:22');
    expect(contract['probe:run'].input.safeParse({ jobId: 'job-1', endpoints }).success).toBe(true);
  });
  it('is empty without a platform or while an answer is invalid', () => {
    expect(endpointsOf(draft, undefined)).toEqual([]);
    expect(endpointsOf({ ...draft, answers: { ...draft.answers, server: '' } }, armorcode)).toEqual([]);
  });
});

describe('exportStart', () => {
  it("packs the onboarding's own files when the platform makes them, with the kept report when there is one", () => {
    const s = exportStart({ ...draft, connectivity: kept }, armorcode);
    expect(s).toMatchObject({
      source: 'draft',
      folder: '/home/me/armorcode-out/',
      out: '/home/me/armorcode-out.zip',
      reportChoice: 'kept',
      includePrivateKey: false,
      overwrite: false,
    });
  });
  it('packs a folder for a platform that cannot make its files, and asks to paste a report when none is kept', () => {
    const s = exportStart(draft, { ...armorcode, generate: undefined, analysis: undefined } as typeof armorcode);
    expect(s).toMatchObject({ source: 'folder', reportChoice: 'paste' });
  });
});

describe('exportReducer', () => {
  const start = exportStart(draft, armorcode);
  it('sets one field and leaves the others', () => {
    const s = exportReducer(start, { type: 'set', field: 'out', value: '/tmp/b.zip' });
    expect(s).toEqual({ ...start, out: '/tmp/b.zip' });
  });
  it('uses the kept report after a check made on the step', () => {
    expect(exportReducer({ ...start, reportChoice: 'none' }, { type: 'checked' }).reportChoice).toBe('kept');
  });
  it('forgets the passphrase once the bundle is written, and keeps the rest', () => {
    const s = exportReducer({ ...start, passphrase: 'a long passphrase', confirm: 'a long passphrase', overwrite: true }, { type: 'written' });
    expect(s).toMatchObject({ passphrase: '', confirm: '', overwrite: true });
  });
});

describe('reportText', () => {
  it('is the kept text, the pasted text, or nothing, as chosen', () => {
    expect(reportText({ reportChoice: 'kept', report: 'pasted' }, kept)).toBe(kept.text);
    expect(reportText({ reportChoice: 'paste', report: 'pasted' }, kept)).toBe('pasted');
    expect(reportText({ reportChoice: 'none', report: 'pasted' }, kept)).toBe('');
    expect(reportText({ reportChoice: 'kept', report: 'pasted' }, undefined)).toBe('');
  });
});

describe('exportRequest', () => {
  const form = (over: Partial<ExportForm>): ExportForm => ({ ...exportStart({ ...draft, connectivity: kept }, armorcode), ...over });

  it('sends the draft with the kept report, and main accepts it', () => {
    const r = exportRequest(form({}), { ...draft, connectivity: kept }, { hasConnectivity: true });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.request).toMatchObject({
      source: { kind: 'draft' },
      out: '/home/me/armorcode-out.zip',
      report: kept.text,
      includePrivateKey: false,
      overwrite: false,
    });
    expect(r.request).not.toHaveProperty('passphrase');
    expect(parseExport(r.request).success).toBe(true);
  });

  it('leaves the report out for a flow without a Connectivity step, or when it is blank', () => {
    const noStep = exportRequest(form({}), { ...draft, connectivity: kept }, { hasConnectivity: false });
    expect(noStep.ok && noStep.request).not.toHaveProperty('report');
    const blank = exportRequest(form({ reportChoice: 'paste', report: '  \n' }), { ...draft, connectivity: kept }, { hasConnectivity: true });
    expect(blank.ok && blank.request).not.toHaveProperty('report');
  });

  it("sends a folder with the platform named, keeping the draft's variant only when it is the draft's platform", () => {
    const same = exportRequest(form({ source: 'folder', folder: '/opt/agent', folderPlatform: 'armorcode' }), draft, { hasConnectivity: true });
    expect(same.ok && same.request.source).toEqual({ kind: 'folder', dir: '/opt/agent', platform: 'armorcode', variant: 'docker' });
    const other = exportRequest(form({ source: 'folder', folder: '/opt/agent', folderPlatform: 'buildkite' }), draft, { hasConnectivity: true });
    expect(other.ok && other.request.source).toEqual({ kind: 'folder', dir: '/opt/agent', platform: 'buildkite', variant: null });
    const recognised = exportRequest(form({ source: 'folder', folder: '/opt/agent' }), draft, { hasConnectivity: true });
    expect(recognised.ok && recognised.request.source).toEqual({ kind: 'folder', dir: '/opt/agent', platform: null, variant: null });
    if (recognised.ok) expect(parseExport(recognised.request).success).toBe(true);
  });

  it('sends a passphrase typed twice alike, and main accepts it', () => {
    const r = exportRequest(form({ passphrase: 'correct horse battery', confirm: 'correct horse battery' }), draft, { hasConnectivity: true });
    expect(r.ok && r.request.passphrase).toBe('correct horse battery');
    if (r.ok) expect(parseExport(r.request).success).toBe(true);
  });

  it('refuses, in the order the form reads: a short passphrase, two that differ, no folder, no bundle file', () => {
    const problem = (over: Partial<ExportForm>) => {
      const r = exportRequest(form(over), draft, { hasConnectivity: true });
      return r.ok ? null : r.problem;
    };
    expect(problem({ passphrase: 'short', confirm: 'other', out: '' })).toMatch(/at least 8 characters/);
    expect(problem({ passphrase: 'long enough', confirm: 'long enougH' })).toMatch(/differ/);
    expect(problem({ source: 'folder', folder: '  ', out: '' })).toMatch(/folder to pack/);
    expect(problem({ out: ' ' })).toMatch(/bundle file/);
    // A draft export does not need the folder box.
    expect(problem({ source: 'draft', folder: '' })).toBeNull();
  });
});

describe('verifyCommand', () => {
  it('names the zip by its file name, quoted for a shell when it must be', () => {
    expect(verifyCommand('/home/me/armorcode-out.zip')).toBe('agent-onboard bundle verify armorcode-out.zip');
    expect(verifyCommand("/tmp/it's here.zip")).toMatch(/^agent-onboard bundle verify '.*'$|^agent-onboard bundle verify ".*"$/);
  });
});
