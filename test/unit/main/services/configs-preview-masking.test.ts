/**
 * Issue 14 item 3: the Configs preview diffed a non-secret artifact in full against what is on
 * disk, so an old Harness values.yaml or start.sh holding the delegate token sent that token to
 * the page. Every diff shown or returned is masked by the token finders rotation uses, whatever
 * the file is called; a file holding a token is not sent as text.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { planConfigs } from '../../../../main/services/configs';
import { planWrites } from '../../../../main/services/files';
import { maskedDiff } from '../../../../main/services/rotate';
import { base64Utf8 } from '../../../../shared/edit/values';
import { harness, harnessAnswers } from '../../../../shared/platforms/harness';

const OLD = 'b2xkZGVsZWdhdGV0b2tlbjAxMjM0NTY3ODlhYmNkZWY=';
const NEW = 'bmV3ZGVsZWdhdGV0b2tlbjAxMjM0NTY3ODlhYmNkZWY=';
const root = mkdtempSync(path.join(tmpdir(), 'ao-preview-mask-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const tmp = (): string => mkdtempSync(path.join(root, `t${n++}-`));

const oldValues = `accountId: px7xd_BFRCi-pfWPYXVjvw\ndelegateName: build-delegate\ndelegateToken: ${OLD}\nmanagerEndpoint: https://app.harness.io/gratis\nreplicas: 1\n`;
const oldStart = `#!/bin/bash\n# start the delegate\nexport DELEGATE_TOKEN=${OLD}\nexec ./delegate.sh\n`;
const oldSecret = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: build-delegate-account-token\ntype: Opaque\ndata:\n  DELEGATE_TOKEN: "${base64Utf8(OLD)}"\n`;

function leaks(text: string): boolean {
  return text.includes(OLD) || text.includes(base64Utf8(OLD)) || text.includes(NEW);
}

describe('Configs preview diffs never carry a token', () => {
  it.each([
    ['values.yaml', oldValues],
    ['start.sh', oldStart],
    ['notes.txt', oldStart],
    ['harness-delegate-values.yaml', oldValues],
    ['README', oldSecret],
  ])('an old %s holding the token is diffed masked', async (name, old) => {
    const dir = tmp();
    writeFileSync(path.join(dir, name), old);
    const [plan] = await planWrites(dir, [{ path: name, text: 'replicas: 2\n', mode: 0o644, secret: false }]);
    expect(plan!.status).toBe('update');
    expect(leaks(plan!.diff)).toBe(false);
    expect(plan!.diff).toContain('«token»');
    expect(plan!.diff).toContain('+replicas: 2');
  });

  it('says only secret values change when the token is all that differs', async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'start.sh'), oldStart);
    const [plan] = await planWrites(dir, [{ path: 'start.sh', text: oldStart.replace(OLD, NEW), mode: 0o644, secret: false }]);
    expect(plan!.diff).toBe('start.sh: only secret values change (not shown)\n');
  });

  it('planConfigs sends no text for a generated file that holds the token, even if not marked secret', async () => {
    const g = harness.generate!(
      harnessAnswers.parse({ accountId: 'px7xd_BFRCi-pfWPYXVjvw', delegateName: 'build-delegate', imageTag: '26.02.88404' }),
      { kind: 'token', token: NEW },
      'docker',
    );
    if (!g.ok) throw new Error(g.error.message);
    const unmarked = { ...g.value, files: g.value.files.map((f) => ({ ...f, secret: false })) };
    const dir = tmp();
    const plan = await planConfigs(dir, unmarked);
    expect(leaks(JSON.stringify(plan))).toBe(false);
    // Whichever generated file holds the token (the --env-file beside the Docker script), it is
    // sent without its text.
    const holders = g.value.files.filter((f) => f.text.includes(NEW)).map((f) => f.path);
    expect(holders.length).toBeGreaterThan(0);
    for (const p of holders) expect(plan.files.find((f) => f.path === p)!.text).toBeUndefined();
  });

  it('the rotation diff masks the replaced value wherever else it appears (context lines), as planRotation passes it', () => {
    const old = `export DELEGATE_TOKEN=${OLD}\nexport UPGRADER_TOKEN=${OLD}\n`;
    const next = `export DELEGATE_TOKEN=${NEW}\nexport UPGRADER_TOKEN=${OLD}\n`;
    const diff = maskedDiff(old, next, [{ line: 1, what: 'DELEGATE_TOKEN', oldRange: [22, 22 + OLD.length], newRange: [22, 22 + NEW.length] }], 'start.sh', [
      NEW,
      OLD,
    ]);
    expect(leaks(diff)).toBe(false);
    expect(diff).toContain('«new token»');
  });
});
