/**
 * Every platform's answers keys are documented from the schema that validates them (issue 12
 * item 17): `generate --help` and `platforms --json` list each key with its type, required or
 * optional, default and an example, and the examples are values that schema accepts.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../../main/cli/index';
import { PLATFORMS } from '../../../../shared/platforms';
import { answersKeys, type AnswerKey } from '../../../../shared/platforms/answers-doc';

async function cli(args: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: () => undefined, env: {}, cwd: '/', readStdin: async () => '' });
  return { code, stdout };
}

const topLevel = (keys: AnswerKey[]): AnswerKey[] => keys.filter((k) => !k.key.includes('['));

describe.each(PLATFORMS.map((p) => [p.id, p] as const))('answers keys of %s', (_id, platform) => {
  const keys = answersKeys(platform.answers);

  it('documents every key with a description and an example', () => {
    expect(keys.length).toBeGreaterThan(0);
    for (const k of keys) {
      expect(k.description, k.key).toBeTruthy();
      expect(k.example, k.key).not.toBeUndefined();
    }
  });

  it('gives examples the schema accepts, and its required keys are really required', () => {
    const example = Object.fromEntries(topLevel(keys).map((k) => [k.key, k.example]));
    const parsed = platform.answers.safeParse(example);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    for (const k of topLevel(keys)) {
      const { [k.key]: _dropped, ...without } = example;
      expect(platform.answers.safeParse(without).success, k.key).toBe(!k.required);
    }
  });

  it('gives defaults the schema itself fills in', () => {
    const minimal = Object.fromEntries(
      topLevel(keys)
        .filter((k) => k.required)
        .map((k) => [k.key, k.example]),
    );
    const parsed = platform.answers.parse(minimal) as Record<string, unknown>;
    for (const k of topLevel(keys).filter((key) => key.default !== undefined)) expect(parsed[k.key], k.key).toEqual(k.default);
  });
});

describe('the CLI lists the answers keys', () => {
  it("generate --help names each generator platform's keys with type, required/optional, default and example", async () => {
    const { code, stdout } = await cli(['generate', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('accountId: string, required, e.g. "px7xd_BFRCi-pfWPYXVjvw"');
    expect(stdout).toContain('imageTag: string, required, e.g. "26.02.88404"');
    expect(stdout).toContain('tags: object of names to strings, optional, default {}, e.g. {"queue":"default","os":"linux"}');
    expect(stdout).toContain('serverUrl: string, required');
    expect(stdout).toContain('agentOs: one of linux | macos | windows, optional, default "linux"');
    expect(stdout).toContain('services[].remotePort: integer, required, e.g. 5000');
  });

  it('platforms --json carries the same keys', async () => {
    const { code, stdout } = await cli(['platforms', '--json']);
    expect(code).toBe(0);
    const list = JSON.parse(stdout) as { id: string; answers: AnswerKey[] }[];
    for (const p of PLATFORMS) expect(list.find((x) => x.id === p.id)?.answers).toEqual(JSON.parse(JSON.stringify(answersKeys(p.answers))));
    expect(list.find((x) => x.id === 'buildkite')?.answers.find((k) => k.key === 'name')).toMatchObject({
      type: 'string',
      required: false,
      default: '%hostname-%spawn',
    });
  });
});
