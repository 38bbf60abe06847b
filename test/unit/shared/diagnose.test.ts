import { describe, expect, it } from 'vitest';
import { diagnose, normaliseLog, stripLogPrefix } from '../../../shared/diagnose';
import { PLATFORMS } from '../../../shared/platforms';

describe('log normalisation', () => {
  it.each([
    ['INFO   | jvm 1    | 2024/03/01 10:00:00 | 2024-03-01 10:00:00,123 ERROR [main] boom', 'ERROR [main] boom'],
    ['2026-11-22T06:00:00.123Z something failed', 'something failed'],
    ['Nov 22 06:00:00 host supervisord[12]: tunnel exited', 'tunnel exited'],
    ['[2026-11-22 06:00:00] | WARN | retrying', 'retrying'],
    ['plain text', 'plain text'],
  ])('strips the prefix of %j', (line, expected) => {
    expect(stripLogPrefix(line)).toBe(expected);
  });

  it('joins wrapped lines so a message split over lines matches as one', () => {
    const text =
      'INFO | jvm 1 | 2024/03/01 10:00:00 | Security token is required for preliminary\r\nINFO | jvm 1 | 2024/03/01 10:00:00 | authentication, but none was provided';
    expect(normaliseLog(text)).toBe('Security token is required for preliminary authentication, but none was provided');
  });
});

describe('diagnose', () => {
  it('finds every known failure of every platform from a log line containing its pattern', () => {
    for (const platform of PLATFORMS) {
      for (const failure of platform.failures) {
        // Each failure must be findable from text its own pattern accepts: build a sample from the
        // failure's test string when the pattern is a plain phrase, else skip generated samples.
        const sample = failure.patterns[0]?.source.replace(/\\(.)/g, '$1');
        if (!sample || /[[\](){}|*+?^$]/.test(sample)) continue;
        const found = diagnose(`2026-01-01 00:00:00 ${sample}`, platform.id);
        expect(
          found.map((d) => d.failure.id),
          `${platform.id}/${failure.id}`,
        ).toContain(failure.id);
      }
    }
  });

  it('recognises nothing in unrelated text', () => {
    expect(diagnose('all good, agent connected and running builds')).toEqual([]);
  });

  it('bounds the work on a huge paste', () => {
    expect(() => diagnose('x'.repeat(5_000_000))).not.toThrow();
  });
});
