/**
 * Errors give the real reason (issue 12 item 16): each bad input below once got a message about
 * something else. Checked through the schemas the wizard and the CLI both validate with, and
 * through the CLI itself.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { runCli } from '../../../../main/cli/index';
import { armorcodeAnswers } from '../../../../shared/platforms/armorcode/answers';
import { buildkiteAnswers } from '../../../../shared/platforms/buildkite/answers';
import { harnessAnswers } from '../../../../shared/platforms/harness/answers';

function messages(schema: z.ZodType, value: unknown): string[] {
  const r = schema.safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

const acService = (service: Record<string, unknown>): unknown => ({
  server: 'tunnel.example.com',
  user: 'acme',
  services: [{ name: 'jira', url: 'https://jira.internal', remotePort: 5000, ...service }],
});
const root = mkdtempSync(path.join(tmpdir(), 'ao-reasons-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('errors that give the right reason', () => {
  it('a proxy URL with user:pw@ is refused because credentials are not allowed there', () => {
    for (const schema of [buildkiteAnswers, harnessAnswers]) {
      const found = messages(schema, { name: 'a', accountId: 'x', proxyUrl: 'http://user:pw@proxy.internal:3128' }).filter((m) => m.startsWith('proxyUrl'));
      expect(found).toEqual([expect.stringContaining('must not hold a user name or password')]);
    }
    expect(messages(buildkiteAnswers, { name: 'a', proxyUrl: 'proxy.internal:3128' })).toEqual(['proxyUrl: must start with http:// or https://']);
  });

  it('a service URL without scheme or port asks for one of them, not for a tcp:// port', () => {
    expect(messages(armorcodeAnswers, acService({ url: 'jira.internal' }))).toEqual([
      'services.0.url: needs a scheme or a port: e.g. https://jira.internal or jira.internal:8080',
    ]);
    expect(messages(armorcodeAnswers, acService({ url: 'tcp://db.internal' }))).toEqual(['services.0.url: tcp:// needs a port, e.g. tcp://db.internal:8080']);
  });

  it('an empty service name is "required", without the character rules', () => {
    expect(messages(armorcodeAnswers, acService({ name: '' }))).toEqual(['services.0.name: is required']);
    expect(messages(armorcodeAnswers, acService({ name: '-x' }))).toEqual([expect.stringContaining('services.0.name: use letters, digits')]);
  });

  it('Buildkite tags given as a string say what shape they take', () => {
    expect(messages(buildkiteAnswers, { name: 'a', tags: 'queue=default,os=linux' })).toEqual([
      'tags: must be an object of tag names to values, e.g. {"queue": "default", "os": "linux"} (not a "k=v,k2=v2" string)',
    ]);
    expect(messages(buildkiteAnswers, { name: 'a' })).toEqual([]);
  });

  it("the CLI refuses --token (and --passphrase) with the option to use instead, not the argument parser's text", async () => {
    writeFileSync(path.join(root, 'answers.json'), JSON.stringify({ name: 'ci-1' }));
    for (const [args, instead] of [
      [['generate', 'buildkite', '--answers', 'answers.json', '--token', 'abc', '--out', 'o'], '--token-env'],
      [['generate', 'buildkite', '--token=abc'], '--token-env'],
      [['bundle', 'export', 'dir', '--passphrase', 'x'], '--passphrase-env'],
    ] as const) {
      let stderr = '';
      const code = await runCli([...args], { stdout: () => undefined, stderr: (t) => (stderr += t), env: {}, cwd: root, readStdin: async () => '' });
      expect(code).toBe(2);
      expect(stderr).toContain(`give its name with ${instead} VAR`);
      expect(stderr).not.toMatch(/Unknown option|abc/);
      expect(stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
