/**
 * Token rotation over the real public config files in ../shared/fixtures/real-world/{harness,buildkite}
 * (read in place, never copied): every file either gets exactly its token values replaced — all
 * other bytes identical — or is left untouched with the reason said.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { buildkite } from '../../../../shared/platforms/buildkite';
import { cfgValues } from '../../../../shared/platforms/buildkite/cfg';
import { harness } from '../../../../shared/platforms/harness';
import type { AnyPlatform } from '../../../../shared/platforms/types';
import { putBack } from '../../../support/rotation';

const ROOT = path.resolve(import.meta.dirname, '../../../../../shared/fixtures/real-world');
const NEW = { harness: 'UmVhbFdvcmxkTmV3VG9rZW4wMTIzNDU2Nzg5', buildkite: 'realworldnewtoken0123456789abcdefABCDEF' };

/** What each known file must get: the updater that takes it and how many token values it holds. */
const EXPECTED: Record<string, { updater: string | null; changes: number; note?: RegExp }> = {
  'harness/official-harness-delegate.yaml': { updater: 'harness-kubernetes', changes: 2 },
  'harness/harness-apps-delegate-template-harness-delegate.yaml': { updater: 'harness-kubernetes', changes: 2 },
  'harness/harness-delegate-ng-helm-values.yaml': { updater: 'harness-helm', changes: 1 },
  'harness/docs-ecs-ec2-task-spec.json': { updater: 'harness-ecs', changes: 1 },
  'harness/docs-delegate-3x-ecs-task-definition.json': { updater: 'harness-ecs', changes: 1 },
  'harness/immutable-delegate-base-config.yml': { updater: 'harness-shell-config', changes: 0, note: /No delegateToken in this file/ },
  'buildkite/official-linux-package-buildkite-agent.cfg': { updater: 'buildkite-cfg', changes: 1 },
  'buildkite/official-windows-buildkite-agent.cfg': { updater: 'buildkite-cfg', changes: 1 },
  'buildkite/thirdparty-nchlswhttkr-website-buildkite-agent.cfg': { updater: 'buildkite-cfg', changes: 1 },
  'buildkite/official-docker-alpine-buildkite-agent.cfg': { updater: 'buildkite-cfg', changes: 0, note: /commented out in this file \(line 2\)/ },
  'buildkite/thirdparty-outstand-docker-buildkite-agent.cfg': { updater: 'buildkite-cfg', changes: 0, note: /commented out/ },
  'buildkite/agent-stack-k8s-chart-values.yaml': { updater: 'buildkite-yaml', changes: 1 },
  'buildkite/agent-stack-k8s-example-config.yaml': { updater: 'buildkite-yaml', changes: 0, note: /Secret "my-kubernetes-secret"/ },
  'buildkite/agent-stack-k8s-production-helm-values.yaml': { updater: null, changes: 0 },
};

/** The file read the way its consumer reads it, as comparable data. */
function readBack(name: string, text: string): unknown {
  if (name.endsWith('.json')) return JSON.parse(text);
  if (name.endsWith('.cfg')) return Object.fromEntries(cfgValues(text));
  return parseAllDocuments(text).map((d) => d.toJS());
}

function files(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir)).map((f) => `${dir}/${f}`);
}

if (!existsSync(ROOT)) {
  it.skip(`real-world fixtures: ${ROOT} is not here, so these tests are skipped`, () => undefined);
} else {
  describe.each([
    ['harness', harness],
    ['buildkite', buildkite],
  ] as [keyof typeof NEW, AnyPlatform][])('%s fixtures', (dir, platform) => {
    it.each(files(dir))('%s: only the token values change, or nothing does and the reason is said', (rel) => {
      const text = readFileSync(path.join(ROOT, rel), 'utf8');
      const updater = platform.updaters.find((u) => u.detect(rel, text));
      const expected = EXPECTED[rel];
      if (expected) expect(updater?.id ?? null).toBe(expected.updater);
      if (!updater) return;
      const r = updater.rotate(text, NEW[dir]);
      if (!r.ok) throw new Error(`${rel}: ${r.error.message}`);
      const { changes, notes = [] } = r.value;
      if (expected) expect(changes).toHaveLength(expected.changes);
      if (changes.length === 0) {
        expect(r.value.text).toBe(text);
        expect(notes.join(' ')).toMatch(expected?.note ?? /./);
        return;
      }
      // Byte for byte: putting the old spans back gives the original file.
      expect(putBack(text, r.value.text, changes)).toBe(text);
      // And the file reads back as before, with the token values changed and nothing else.
      const before = JSON.stringify(readBack(rel, text));
      const after = JSON.stringify(readBack(rel, r.value.text));
      expect(after).not.toBe(before);
      expect(after.split(NEW[dir]).length - 1).toBe(changes.length);
      // Twice is the same as once.
      const again = updater.rotate(r.value.text, NEW[dir]);
      expect(again.ok && again.value.text).toBe(r.value.text);
    });
  });

  it('knows every fixture file (a new one needs an expectation above)', () => {
    expect([...files('harness'), ...files('buildkite')].sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it('reads the helm values token where the chart takes it', () => {
    const rel = 'harness/harness-delegate-ng-helm-values.yaml';
    const text = readFileSync(path.join(ROOT, rel), 'utf8');
    const r = harness.updaters.find((u) => u.detect(rel, text))!.rotate(text, NEW.harness);
    expect(r.ok && parse(r.value.text)).toMatchObject({ delegateToken: NEW.harness, existingDelegateToken: '', accountId: '' });
  });
}
