/**
 * Generated YAML read the way Kubernetes and Helm read it: YAML 1.1 (issue 14 item 4). Every answer
 * a user types that lands in a YAML file is tried with values a YAML 1.1 reader resolves to
 * something other than the same string (booleans, octal, sexagesimal, `1_000`, dates, `.inf`, `~`,
 * null, merge and value keys), and every YAML file is read back by PyYAML (a faithful YAML 1.1
 * implementation) and by the `yaml` package's 1.1 schema: both must read exactly what a YAML 1.2
 * reader does, strings staying strings.
 */
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { PLATFORMS } from '../../../../shared/platforms';
import type { AnyPlatform, Credential } from '../../../../shared/platforms/types';
import { plainReadsAsString, toYaml, yamlInlineScalar } from '../../../../shared/edit/yaml';
import { hasPyYaml, readYaml11, readYaml11Js } from '../../../support/consumers';

/** Plain scalars a YAML 1.1 (or 1.2) reader takes as something other than the same string. */
export const YAML11_CORPUS = [
  'yes', 'no', 'on', 'off', 'y', 'n', 'Y', 'N', 'YES', 'Off', 'True', 'false',
  '0777', '017', '1:20', '190:20:30', '1_000', '0x1F', '0o17', '0b101', '+12', '1e3', '12.5',
  '2001-12-14', '2001-12-14t21:59:43.10-05:00', '.inf', '-.Inf', '.NaN', '~', 'null', 'NULL', '=', '<<',
]; // prettier-ignore

const CREDENTIALS: Record<string, Credential> = {
  'bamboo-remote': { kind: 'token', token: '0123456789abcdef0123456789abcdef01234567' },
  buildkite: { kind: 'token', token: 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0' },
  harness: { kind: 'token', token: 'ZGVsZWdhdGV0b2tlbjAxMjM0NTY3ODlhYmNkZWY=' },
};
const BASE: Record<string, Record<string, unknown>> = {
  buildkite: { name: 'ci', tags: { queue: 'deploy' } },
  harness: { accountId: 'acc', delegateName: 'd', imageTag: '26.02.88404' },
  'bamboo-remote': { serverUrl: 'https://bamboo.example.com', installerVersion: '9.6.2' },
};

/** YAML inside YAML: a ConfigMap's `*.yaml` data is read by its own consumer (Harness's upgrader). */
function yamlTexts(path: string, text: string): string[] {
  if (!/\.ya?ml$/i.test(path)) return [];
  const inner = parseAllDocuments(text).flatMap((d) => {
    const js = d.toJS() as { kind?: string; data?: Record<string, unknown> } | null;
    return js?.kind === 'ConfigMap'
      ? Object.entries(js.data ?? {})
          .filter(([k, v]) => /\.ya?ml$/.test(k) && typeof v === 'string')
          .map(([, v]) => v as string)
      : [];
  });
  return [text, ...inner];
}

interface Case {
  where: string;
  value: string;
  texts: string[];
}

/** Every generator's YAML with `value` in each answer that accepts it (text fields, tag keys and values). */
function cases(p: AnyPlatform, value: string): Case[] {
  const out: Case[] = [];
  const tries: [string, Record<string, unknown>][] = p.fields
    .filter((f) => ['text', 'host'].includes(f.kind))
    .map((f) => [f.key, { ...BASE[p.id], [f.key]: value }]);
  if (p.id === 'buildkite')
    tries.push(['tag value', { ...BASE[p.id], tags: { queue: value } }], ['tag key', { ...BASE[p.id], tags: { queue: 'q', [value]: 'x' } }]);
  for (const [key, raw] of tries) {
    const a = p.answers.safeParse(raw);
    if (!a.success) continue;
    for (const v of p.variants) {
      if (p.fields.find((f) => f.key === key)?.variants?.includes(v.id) === false) continue;
      const g = p.generate!(a.data, CREDENTIALS[p.id]!, v.id);
      if (!g.ok) continue;
      const texts = g.value.files.flatMap((f) => yamlTexts(f.path, f.text));
      // Only where the value landed (the agent name, say, is not used on Kubernetes).
      if (texts.some((t) => t.includes(value))) out.push({ where: `${p.id}/${v.id} ${key}`, value, texts });
    }
  }
  return out;
}

const all = YAML11_CORPUS.flatMap((value) => PLATFORMS.filter((p) => p.generate && CREDENTIALS[p.id]).flatMap((p) => cases(p, value)));

describe('generated YAML reads the same in YAML 1.1 (Kubernetes, Helm) as in YAML 1.2', () => {
  it('tries the corpus where users put it: names, namespaces, account IDs and tags', () => {
    const where = new Set(all.map((c) => `${c.where}=${c.value}`));
    for (const w of [
      'harness/kubernetes delegateName=no',
      'harness/helm namespace=on',
      'harness/kubernetes accountId=1_000',
      'buildkite/kubernetes tag value=on',
      'harness/shell accountId=0777',
    ])
      expect(where).toContain(w);
  });

  it('the yaml package with its YAML 1.1 schema reads every string back as that string', () => {
    for (const c of all) {
      for (const text of c.texts) {
        const v12 = parseAllDocuments(text).map((d) => d.toJS() as unknown);
        expect(readYaml11Js(text), `${c.where} = ${JSON.stringify(c.value)}`).toEqual(v12);
      }
    }
  });

  it.skipIf(!hasPyYaml())('PyYAML (YAML 1.1) reads every string back as that string', () => {
    const texts = [...new Set(all.flatMap((c) => c.texts))];
    const read = new Map(readYaml11(texts).map((r, i) => [texts[i]!, r]));
    for (const c of all) {
      for (const text of c.texts)
        expect(read.get(text), `${c.where} = ${JSON.stringify(c.value)}`).toEqual({ docs: parseAllDocuments(text).map((d) => d.toJS() as unknown) });
    }
  });

  it('quotes exactly the scalars that need it, keys included, and keeps others plain', () => {
    const text = toYaml([{ on: 'no', list: ['plain-text', '1_000', '<<', 'https://a.example/x'] }]);
    expect(text).toBe('"on": "no"\nlist:\n  - plain-text\n  - "1_000"\n  - "<<"\n  - https://a.example/x\n');
    for (const v of YAML11_CORPUS) {
      expect(plainReadsAsString(v), v).toBe(false);
      expect(yamlInlineScalar(v), v).toBe(JSON.stringify(v));
    }
    expect(yamlInlineScalar('ZGVsZWdhdGU=')).toBe('ZGVsZWdhdGU=');
  });
});
