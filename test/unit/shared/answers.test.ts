import { describe, expect, it } from 'vitest';
import { describeAnswerIssues, validateAnswers } from '../../../shared/answers';
import { getPlatform } from '../../../shared/platforms';
import type { AnyPlatform } from '../../../shared/platforms/types';

const platform = (id: string): AnyPlatform => getPlatform(id)!;
const buildkite = platform('buildkite');
const bamboo = platform('bamboo-remote');
const armorcode = platform('armorcode');

describe('validateAnswers: one validation for the wizard, fleets, Configs and the CLI', () => {
  it('reads form values like the Details step: hidden fields dropped, tags text parsed, schema defaults applied', () => {
    const r = validateAnswers(buildkite, 'kubernetes', { name: 'agent', tags: 'queue=a, os=linux', buildPath: '/hidden/for/k8s' }, 'form');
    expect(r.issues).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.answers).toMatchObject({ name: 'agent', tags: { queue: 'a', os: 'linux' } });
    expect(r.answers).not.toHaveProperty('buildPath');
  });

  it('gives one issue per field: an empty required field is "is required" once, a bad tags entry says key=value', () => {
    const empty = validateAnswers(bamboo, 'installer', {}, 'form');
    expect(empty.ok).toBe(false);
    expect(empty.issues.filter((i) => i.path === 'serverUrl')).toEqual([{ path: 'serverUrl', message: 'is required' }]);
    const tags = validateAnswers(buildkite, 'cfg', { name: 'x', tags: 'queue' }, 'form');
    expect(tags.issues).toContainEqual({ path: 'tags', message: 'write tags as key=value (not "queue")' });
  });

  it('takes answers as they are in "answers" mode (no form shaping), with nested paths for list rows', () => {
    const asAnswers = validateAnswers(buildkite, 'cfg', { name: 'x', tags: 'queue=a' }, 'answers');
    expect(asAnswers.issues.map((i) => i.path)).toContain('tags');
    const rows = validateAnswers(armorcode, 'docker', { services: [{ name: 'web' }] }, 'answers');
    expect(rows.issues.some((i) => i.path.startsWith('services.0.'))).toBe(true);
  });

  it('says the issues in words by field label and key (the form shows the label, an --answers file and a fleet CSV use the key), the first max of them', () => {
    const r = validateAnswers(bamboo, 'installer', {}, 'form');
    expect(describeAnswerIssues(bamboo, r.issues)).toContain('Bamboo server URL (serverUrl): is required');
    expect(
      describeAnswerIssues(armorcode, [
        { path: 'services.0.url', message: 'bad' },
        { path: '', message: 'whole' },
      ]),
    ).toEqual(['Internal services (services) 0.url: bad', 'answers: whole']);
    expect(describeAnswerIssues(bamboo, r.issues, 1)).toHaveLength(1);
  });
});
