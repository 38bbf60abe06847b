/** The Rotate page's form logic: what the page opens with, what each change drops, and the rotate:scan request as main's schema reads it. */
import { describe, expect, it } from 'vitest';
import { contract } from '../../../../../shared/ipc';
import { rotationPlanSchema, type RotationPlan } from '../../../../../shared/rotation';
import {
  canWrite,
  pathList,
  planCounts,
  ROTATABLE,
  rotateReducer,
  rotateStart,
  scanRequest,
  type RotateForm,
} from '../../../../../renderer/pages/rotate/rotate-form';

const plan = (over: Partial<RotationPlan> = {}): RotationPlan =>
  rotationPlanSchema.parse({
    planId: 'plan-12345678',
    platform: ROTATABLE[0]!.id,
    files: [
      { path: '/etc/agent/a.cfg', status: 'change', changes: [{ line: 1, what: 'token' }], notes: [], diff: '' },
      { path: '/etc/agent/b.cfg', status: 'same', changes: [], notes: [], diff: '' },
      { path: '/etc/agent/c.cfg', status: 'change', changes: [{ line: 3, what: 'token' }], notes: [], diff: '' },
    ],
    ignored: 0,
    ready: true,
    problems: [],
    token: { kindName: 'agent token', message: '', cleaned: [], masked: '••••ABCD' },
    commands: [],
    revoke: [],
    ...over,
  });
const tokenName = { name: 'agent token', where: 'the vendor settings page' };
const parseScan = (request: object) => contract['rotate:scan'].input.safeParse(request);

describe('rotateStart', () => {
  it('preselects the platform and paths the navigating page gave', () => {
    const last = ROTATABLE.at(-1)!.id;
    expect(rotateStart({ platform: last, paths: ['/a', 3, '/b'] })).toMatchObject({ platform: last, paths: '/a\n/b', token: '', plan: null });
    expect(rotateStart({ path: '/opt/agent' }).paths).toBe('/opt/agent');
  });
  it('falls back to the first platform that can rotate when none or an unknown one is given', () => {
    expect(rotateStart(undefined).platform).toBe(ROTATABLE[0]!.id);
    expect(rotateStart({ platform: 'not-a-platform' }).platform).toBe(ROTATABLE[0]!.id);
  });
  it('offers only token platforms that know their files', () => {
    expect(ROTATABLE.length).toBeGreaterThan(0);
    for (const p of ROTATABLE) expect(p.credential.kind === 'token' && p.updaters.length > 0).toBe(true);
  });
});

describe('rotateReducer', () => {
  const scanned: RotateForm = { ...rotateStart(undefined), paths: '/etc/agent', token: 'new-token', plan: plan() };

  it('drops the plan when what was scanned changes: platform, paths, token or files', () => {
    expect(rotateReducer(scanned, { type: 'platform', platform: ROTATABLE.at(-1)!.id }).plan).toBeNull();
    expect(rotateReducer(scanned, { type: 'paths', text: '/other' }).plan).toBeNull();
    expect(rotateReducer(scanned, { type: 'token', text: 'newer' }).plan).toBeNull();
    expect(rotateReducer(scanned, { type: 'add-paths', paths: ['/x'] }).plan).toBeNull();
    expect(rotateReducer(scanned, { type: 'add-uploads', added: [], skipped: [] }).plan).toBeNull();
  });
  it('drops the last error with it: a refused scan of the form before no longer applies once the platform, paths, token or files change', () => {
    const refused = rotateReducer(scanned, { type: 'refused', error: { code: 'BAD_INPUT', message: 'Give at least one file or folder of the install.' } });
    expect(refused.error).not.toBeNull();
    expect(rotateReducer(refused, { type: 'platform', platform: ROTATABLE.at(-1)!.id }).error).toBeNull();
    expect(rotateReducer(refused, { type: 'paths', text: '/other' }).error).toBeNull();
    expect(rotateReducer(refused, { type: 'token', text: 'newer' }).error).toBeNull();
    expect(rotateReducer(refused, { type: 'add-paths', paths: ['/x'] }).error).toBeNull();
    expect(rotateReducer(refused, { type: 'add-uploads', added: [], skipped: [] }).error).toBeNull();
    expect(rotateReducer(refused, { type: 'toggle-token' }).error).toEqual(refused.error);
  });
  it('keeps the plan when only how it is shown changes', () => {
    expect(rotateReducer(scanned, { type: 'toggle-token' })).toMatchObject({ showToken: true, plan: scanned.plan });
    expect(rotateReducer(scanned, { type: 'dragging', on: true })).toMatchObject({ dragging: true, plan: scanned.plan });
  });
  it('adds dropped paths once each, after the ones typed', () => {
    const s = rotateReducer({ ...scanned, paths: '/a\n\n  /b \n' }, { type: 'add-paths', paths: ['/b', '/c'] });
    expect(s.paths).toBe('/a\n/b\n/c');
    expect(s.dropNote).toBe('2 file(s) added by path.');
  });
  it('replaces an upload of the same name and says what was skipped', () => {
    let s = rotateReducer(scanned, {
      type: 'add-uploads',
      added: [
        { name: 'a.cfg', text: 'old' },
        { name: 'b.cfg', text: 'b' },
      ],
      skipped: [],
    });
    s = rotateReducer(s, { type: 'add-uploads', added: [{ name: 'a.cfg', text: 'new' }], skipped: ['big.log (over 2 MB)'] });
    expect(s.uploads).toEqual([
      { name: 'b.cfg', text: 'b' },
      { name: 'a.cfg', text: 'new' },
    ]);
    expect(s.dropNote).toBe('1 file(s) added; skipped big.log (over 2 MB).');
    expect(rotateReducer(s, { type: 'remove-upload', name: 'b.cfg' }).uploads).toEqual([{ name: 'a.cfg', text: 'new' }]);
  });
  it('runs a scan: busy with no old plan or error, then the plan with the leftovers question unanswered, or the error', () => {
    const busy = rotateReducer({ ...scanned, error: { code: 'BAD_INPUT', message: 'x' } }, { type: 'scan' });
    expect(busy).toMatchObject({ scanning: true, error: null, plan: null });
    expect(rotateReducer({ ...busy, leftoversOk: true }, { type: 'scanned', plan: plan() })).toMatchObject({
      scanning: false,
      leftoversOk: false,
      plan: plan(),
    });
    expect(rotateReducer(busy, { type: 'scan-failed', error: { code: 'IO_ERROR', message: 'nope' } })).toMatchObject({
      scanning: false,
      error: { message: 'nope' },
    });
  });
  it('forgets the typed token once the files are written', () => {
    expect(rotateReducer(scanned, { type: 'written' }).token).toBe('');
  });
});

describe('scanRequest', () => {
  const form = (over: Partial<RotateForm>): RotateForm => ({ ...rotateStart(undefined), ...over });

  it('sends the trimmed paths, uploads and their folder with the typed token, and main accepts it', () => {
    const r = scanRequest(
      form({ paths: ' /etc/agent \n\n/opt/agent', uploads: [{ name: 'a.cfg', text: 'token=x' }], uploadDir: ' /srv/x ', token: 'tok' }),
      undefined,
      tokenName,
    );
    expect(r.ok && r.request).toEqual({
      platform: ROTATABLE[0]!.id,
      paths: ['/etc/agent', '/opt/agent'],
      uploads: [{ name: 'a.cfg', text: 'token=x' }],
      uploadDir: '/srv/x',
      token: 'tok',
    });
    if (r.ok) expect(parseScan(r.request).success).toBe(true);
  });
  it("uses the Credentials step's token when the box is empty", () => {
    const r = scanRequest(form({ paths: '/etc/agent', token: '  ' }), 'cred-1', tokenName);
    expect(r.ok && r.request).toMatchObject({ tokenId: 'cred-1' });
    expect(r.ok && r.request).not.toHaveProperty('token');
  });
  it('asks for a file or folder first, then for the token, naming it and where to get it', () => {
    const none = scanRequest(form({ token: 'tok' }), undefined, tokenName);
    expect(!none.ok && none.error).toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(/at least one file or folder/) });
    const noToken = scanRequest(form({ paths: '/etc/agent' }), undefined, tokenName);
    expect(!noToken.ok && noToken.error).toEqual({
      code: 'TOKEN_INVALID',
      message: 'Paste the new agent token first.',
      hint: 'Where to get it: the vendor settings page',
    });
    const unnamed = scanRequest(form({ paths: '/etc/agent' }), undefined, undefined);
    expect(!unnamed.ok && unnamed.error).toEqual({ code: 'TOKEN_INVALID', message: 'Paste the new token first.' });
  });
});

describe('plan summary and the Write button', () => {
  it('counts the files that change and the ones already on the token', () => {
    expect(planCounts(plan())).toEqual({ change: 2, same: 1 });
  });
  it('writes a ready plan unless a write runs; leftovers need the promise to update them by hand', () => {
    expect(canWrite({ plan: plan(), leftoversOk: false }, false)).toBe(true);
    expect(canWrite({ plan: plan(), leftoversOk: false }, true)).toBe(false);
    expect(canWrite({ plan: plan({ ready: false }), leftoversOk: true }, false)).toBe(false);
    expect(canWrite({ plan: null, leftoversOk: true }, false)).toBe(false);
    const left = plan({ leftovers: [{ path: '/etc/other.env', lines: [2], hint: 'update it by hand' }] });
    expect(canWrite({ plan: left, leftoversOk: false }, false)).toBe(false);
    expect(canWrite({ plan: left, leftoversOk: true }, false)).toBe(true);
  });
});

describe('pathList', () => {
  it('is the non-empty lines, trimmed', () => {
    expect(pathList('  /a \n\n\t\n/b')).toEqual(['/a', '/b']);
    expect(pathList('')).toEqual([]);
  });
});
