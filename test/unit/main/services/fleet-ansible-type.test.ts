import { describe, expect, it } from 'vitest';
import { installTypeOf } from '../../../../main/services/fleet-ansible';
import { getPlatform } from '../../../../shared/platforms';

describe('installTypeOf: the Ansible install type by its id or by the variant it installs', () => {
  it('finds a type by id, by a variant only one type installs, and the first by default', () => {
    const bamboo = getPlatform('bamboo-remote')!;
    const harness = getPlatform('harness')!;
    expect(installTypeOf(bamboo, 'shell')).toMatchObject({ ok: true, value: { id: 'shell', variant: 'installer' } });
    expect(installTypeOf(bamboo, 'installer')).toMatchObject({ ok: true, value: { id: 'shell' } });
    expect(installTypeOf(harness, 'docker')).toMatchObject({ ok: true, value: { id: 'docker' } });
    expect(installTypeOf(harness, undefined)).toMatchObject({ ok: true, value: { id: 'docker' } });
    expect(installTypeOf(getPlatform('github-actions')!, 'linux')).toMatchObject({ ok: true, value: { id: 'shell', variant: 'linux' } });
  });

  it('names the types there are for one it does not have, and says when a platform has none', () => {
    const r = installTypeOf(getPlatform('harness')!, 'kubernetes');
    expect(!r.ok && r.error).toMatchObject({ code: 'BAD_INPUT' });
    expect(!r.ok && r.error.message).toMatch(/use docker, shell/);
    expect(installTypeOf(getPlatform('bamboo-elastic')!, undefined)).toMatchObject({ ok: false, error: { code: 'NOT_BUILT' } });
  });
});
