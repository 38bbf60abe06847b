/**
 * Issue 11 items 7 and 8, read back the way the consumer reads them:
 * - `token="${BUILDKITE_AGENT_TOKEN}"` in buildkite-agent.cfg is a reference the agent expands,
 *   not a token: it stays, and the token is rotated where the variable is set (the env file);
 * - the official buildkite/agent chart keeps the token at `agent.token`: rotated there (read back
 *   by a YAML 1.1 reader, as helm reads it), an empty place is "no token set here yet", and the
 *   restart command names the chart from the file, never agent-stack-k8s for another chart.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { applyRotation, planRotation } from '../../../../../main/services/rotate';
import { cfgValues } from '../../../../../shared/platforms/buildkite/cfg';
import { cfgUpdater, yamlUpdater } from '../../../../../shared/platforms/buildkite/updaters';

const TOKEN = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5';
const OLD = 'f0e1d2c3b4a5968778695a4b3c2d1e0f0e1d2c3b4a596877869';
const root = mkdtempSync(path.join(tmpdir(), 'ao-bk-places-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const tmp = (): string => mkdtempSync(path.join(root, `t${n++}-`));

describe('item 7: an environment reference in the cfg is not a token', () => {
  const cfg = '# token comes from the unit\ntoken="${BUILDKITE_AGENT_TOKEN}"\nname="ci-%spawn"\n';

  it('leaves the reference as it is and says where to set the token', () => {
    const r = cfgUpdater.rotate(cfg, TOKEN);
    expect(r.ok && r.value.text).toBe(cfg);
    expect(r.ok && r.value.notes!.join(' ')).toMatch(/BUILDKITE_AGENT_TOKEN when the agent starts.*env file or systemd unit/);
  });

  it('rotates the env file of the folder instead, and the agent reads the new token through the cfg', async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'buildkite-agent.cfg'), cfg);
    writeFileSync(path.join(dir, 'agent.env'), `BUILDKITE_AGENT_TOKEN=${OLD}\n`);
    const planned = await planRotation({ platform: 'buildkite', paths: [dir], token: TOKEN }, 'plan_item7');
    if (!planned.ok) throw new Error(planned.error.message);
    expect(planned.value.plan.files.map((f) => [path.basename(f.path), f.status])).toEqual([
      ['agent.env', 'change'],
      ['buildkite-agent.cfg', 'no-token'],
    ]);
    expect((await applyRotation(planned.value)).ok).toBe(true);
    expect(readFileSync(path.join(dir, 'buildkite-agent.cfg'), 'utf8')).toBe(cfg);
    // What the agent ends up with: the cfg's reference expanded from the env file's value.
    const env = Object.fromEntries(
      readFileSync(path.join(dir, 'agent.env'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.split('=') as [string, string]),
    );
    const value = cfgValues(readFileSync(path.join(dir, 'buildkite-agent.cfg'), 'utf8'))
      .get('token')!
      .replace(/\$\{(\w+)\}/, (_m, v: string) => env[v] ?? '');
    expect(value).toBe(TOKEN);
  });
});

describe('item 8: the official buildkite/agent chart (agent.token)', () => {
  const values = (token: string): string =>
    `# helm upgrade --install ci-agent buildkite/agent --namespace ci -f values.yaml\nagent:\n  token: "${token}"\n  tags: "queue=default"\nimage:\n  repository: buildkite/agent\n  tag: "3"\n`;

  it('is recognised and rotated in place; helm (YAML 1.1) reads the new token', () => {
    expect(yamlUpdater.detect('values.yaml', values(OLD))).toBe(true);
    const r = yamlUpdater.rotate(values(OLD), TOKEN);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.text).toBe(values(TOKEN));
    expect((parse(r.value.text, { version: '1.1' }) as { agent: { token: unknown } }).agent.token).toBe(TOKEN);
  });

  it('an empty token place is "no token set here yet": the token is set, not refused', () => {
    const r = yamlUpdater.rotate(values(''), TOKEN);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.changes[0]!.what).toMatch(/no token set here yet/);
    expect((parse(r.value.text, { version: '1.1' }) as { agent: { token: unknown } }).agent.token).toBe(TOKEN);
    const bare = yamlUpdater.rotate('agent:\n  token:\n  tags: ""\n', TOKEN);
    expect(bare.ok && bare.value.notes!.join(' ')).toMatch(/no token set here yet/);
  });

  it('restarts the release of the chart the file names, never agent-stack-k8s', () => {
    const cmds = yamlUpdater.commandsFor!(values(TOKEN), '/srv/ci/values.yaml').map((c) => c.command);
    expect(cmds).toContain('helm upgrade ci-agent buildkite/agent --namespace ci --reuse-values -f /srv/ci/values.yaml');
    expect(cmds.join('\n')).not.toMatch(/agent-stack-k8s/);
    // Without a helm line, the chart comes from the file's shape; the release is looked up.
    const plain = yamlUpdater.commandsFor!('agent:\n  token: "x"\n', '/v.yaml').map((c) => c.command);
    expect(plain[0]).toMatch(/^helm list --all-namespaces/);
    expect(plain.join('\n')).toMatch(/helm upgrade <release> buildkite\/agent/);
    expect(plain.join('\n')).not.toMatch(/agent-stack-k8s/);
  });

  it('through the rotation service: a plan, a write, the same bytes elsewhere', async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'values.yaml'), values(OLD));
    const planned = await planRotation({ platform: 'buildkite', paths: [path.join(dir, 'values.yaml')], token: TOKEN }, 'plan_item8');
    if (!planned.ok) throw new Error(planned.error.message);
    expect(planned.value.plan.ready).toBe(true);
    expect(planned.value.plan.files[0]!.diff).not.toContain(OLD);
    expect((await applyRotation(planned.value)).ok).toBe(true);
    expect(readFileSync(path.join(dir, 'values.yaml'), 'utf8')).toBe(values(TOKEN));
  });
});
