import { describe, expect, it } from 'vitest';
import { catalogue, getPlatform, PLATFORM_IDS, PLATFORMS } from '../../../../shared/platforms';
import { STEP_IDS } from '../../../../shared/platforms/types';
import { isHost } from '../../../../shared/validate';

describe('platform catalogue', () => {
  it('lists the five platforms in order, each with variants, docs and steps in wizard order', () => {
    expect(PLATFORMS.map((p) => p.id)).toEqual([...PLATFORM_IDS]);
    for (const p of PLATFORMS) {
      expect(p.variants.length).toBeGreaterThan(0);
      expect(p.docs.every((d) => d.url.startsWith('https://'))).toBe(true);
      expect(p.steps[0]).toBe('platform');
      expect(p.steps.at(-1)).toBe('done');
      const order = p.steps.map((s) => STEP_IDS.indexOf(s));
      expect(order).toEqual([...order].sort((a, b) => a - b));
      for (const f of p.fields) for (const v of f.variants ?? []) expect(p.variants.map((x) => x.id)).toContain(v);
    }
  });

  it('skips credentials and connectivity for bamboo-elastic, which needs neither', () => {
    expect(getPlatform('bamboo-elastic')?.steps).not.toContain('credentials');
    expect(getPlatform('bamboo-elastic')?.steps).not.toContain('connectivity');
  });

  it('is plain JSON data for the CLI', () => {
    expect(JSON.parse(JSON.stringify(catalogue()))).toEqual(catalogue());
  });

  it('derives endpoints from answers', () => {
    const ac = getPlatform('armorcode')!;
    const answers = ac.answers.parse({
      server: 'tunnel.example.com',
      user: 'acme',
      port: '443',
      services: [{ name: 'jira', url: 'https://jira.local', remotePort: 10001 }],
    });
    expect(ac.endpoints(answers).map((e) => `${e.host}:${e.port}:${e.optional ? 'opt' : 'req'}`)).toEqual([
      'tunnel.example.com:22:opt',
      'tunnel.example.com:443:req',
    ]);
    const bamboo = getPlatform('bamboo-remote')!;
    expect(bamboo.endpoints(bamboo.answers.parse({ serverUrl: 'https://bamboo.example.com/bamboo' })).map((e) => e.port)).toEqual([443, 54663]);
  });
});

describe('host validation', () => {
  it.each([
    'example.com',
    'a-b.example.co',
    '10.0.0.1',
    '::1',
    'fe80::1',
    'localhost',
    '::',
    '2001:db8::8:800:200c:417a',
    '1:2:3:4:5:6:7:8',
    '::ffff:192.0.2.1',
    'fe80::1%eth0',
  ])('accepts %s', (h) => expect(isHost(h)).toBe(true));
  it.each([
    '-oProxyCommand=x',
    'a b',
    'a\nb',
    'ex$(id).com',
    '',
    'a'.repeat(254),
    '[program:x]',
    '"x"',
    '999.1.1.1',
    'host.-bad',
    ':',
    ':::',
    '1:2',
    '1::2::3',
    '1:2:3:4:5:6:7:8:9',
    '12345::1',
    'fe80::1%',
    ':1',
  ])('refuses %j', (h) => expect(isHost(h)).toBe(false));
});
