import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { PLATFORMS } from '../../../../shared/platforms';

describe('field defaults shown preselected in the Details form', () => {
  const withDefaults = PLATFORMS.flatMap((p) => p.fields.filter((f) => f.default !== undefined).map((f) => ({ p, f })));

  it('exist for every field the answers schema fills when it is left empty', () => {
    expect(withDefaults.map(({ p, f }) => `${p.id}.${f.key}=${f.default}`).sort()).toEqual([
      'armorcode.port=22',
      'bamboo-elastic.hopLimit=1',
      'bamboo-elastic.httpTokens=optional',
      'bamboo-elastic.region=us-east-1',
      'bamboo-remote.agentOs=linux',
      'bamboo-remote.brokerPort=54663',
      'bamboo-remote.serviceUser=bamboo',
      'buildkite.endpoint=https://agent-edge.buildkite.com/v3',
      'buildkite.healthCheck=off',
      'buildkite.name=%hostname-%spawn',
      'buildkite.namespace=buildkite',
      'github-actions.arcAuth=pat',
      'github-actions.arcControllerNamespace=arc-systems',
      'github-actions.arcNamespace=arc-runners',
      'github-actions.containerMode=none',
      'github-actions.lifetime=persistent',
      'github-actions.maxRunners=5',
      'github-actions.minRunners=0',
      'github-actions.runnerDir=/opt/actions-runner',
      'github-actions.runnerGroup=Default',
      'github-actions.runsIn=host',
      'github-actions.serviceUser=actions-runner',
      'github-actions.updates=automatic',
      'github-actions.windowsDir=C:\\actions-runner',
      'github-actions.workFolder=_work',
      'gitlab-runner.caFile=/etc/gitlab-runner/certs/company-ca.crt',
      'gitlab-runner.concurrent=1',
      'gitlab-runner.dockerImage=alpine:latest',
      'gitlab-runner.executor=docker',
      'gitlab-runner.name=gitlab-runner',
      'gitlab-runner.namespace=gitlab-runner',
      'gitlab-runner.url=https://gitlab.com',
      'harness.ecsCluster=default',
      'harness.managerEndpoint=https://app.harness.io',
      'harness.namespace=harness-delegate-ng',
    ]);
  });

  // Issue 12 item 18: a field is either visibly filled with the default that is used, or empty and required.
  it.each(PLATFORMS.flatMap((p) => p.fields.filter((f) => f.kind !== 'list' && f.kind !== 'tags').map((f) => [`${p.id}.${f.key}`, p, f] as const)))(
    '%s: no value is used that the form does not show',
    (_name, p, f) => {
      const shape = (p.answers as unknown as z.ZodObject<Record<string, z.ZodType>>).shape;
      const empty = shape[f.key]!.safeParse(undefined);
      const used = empty.success && empty.data !== undefined ? String(empty.data) : undefined;
      // A schema default is shown filled in (field.default), never only as a grey placeholder.
      expect(f.default).toBe(used);
      if (used !== undefined) expect(f.placeholder).not.toBe(used);
    },
  );

  it('the Harness image tag and the Bamboo server version come from the user: required, no default', () => {
    const field = (id: string, key: string) => PLATFORMS.find((p) => p.id === id)!.fields.find((f) => f.key === key)!;
    for (const [id, key] of [
      ['harness', 'imageTag'],
      ['bamboo-remote', 'installerVersion'],
    ] as const) {
      expect(field(id, key)).toMatchObject({ required: true });
      expect(field(id, key).default).toBeUndefined();
      expect(field(id, key).placeholder).toBeUndefined();
    }
  });

  it.each(withDefaults.map(({ p, f }) => [`${p.id}.${f.key}`, p, f] as const))(
    '%s equals what the answers schema uses when the field is empty, and is one of its options',
    (_name, p, f) => {
      const shape = (p.answers as unknown as z.ZodObject<Record<string, z.ZodType>>).shape;
      const schema = shape[f.key];
      expect(schema).toBeDefined();
      expect(String(schema!.parse(undefined))).toBe(f.default);
      if (f.options) expect(f.options.map((o) => o.value)).toContain(f.default);
    },
  );
});
