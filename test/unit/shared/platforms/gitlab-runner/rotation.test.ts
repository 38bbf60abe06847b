import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'smol-toml';
import { configTomlUpdater, NO_EXPIRY } from '../../../../../shared/platforms/gitlab-runner/updaters';
import { putBack } from '../../../../support/rotation';

const REAL = path.resolve(__dirname, '../../../../../../shared/fixtures/real-world/gitlab-runner');
const NEW = 'glrt-t2_NewTokenNewTokenNewToken';

const OWN = [
  '# written by gitlab-runner register',
  'concurrent = 2',
  'check_interval = 0',
  '',
  '[[runners]]',
  '  name = "edge" # the edge one',
  '  url = "https://gitlab.example.com/"',
  '  id = 42',
  "  token = 'glrt-OldTokenOldTokenOldToken'",
  '  token_obtained_at = 2026-01-01T10:00:00Z',
  '  token_expires_at = 2026-04-01T10:00:00Z',
  '  executor = "docker"',
  '  [runners.docker]',
  '    volumes = ["/cache", { source = "x" }]',
  '',
].join('\n');

describe('config.toml rotation', () => {
  const real = existsSync(REAL) ? readdirSync(REAL).filter((f) => f.endsWith('.toml')) : [];
  if (real.length === 0) it.skip('real-world gitlab-runner fixtures are absent (../shared/fixtures/real-world/gitlab-runner)', () => {});
  it.each(real)('changes only the token bytes of real-world %s', (name) => {
    const text = readFileSync(path.join(REAL, name), 'utf8');
    expect(configTomlUpdater.detect('config.toml', text)).toBe(true);
    const r = configTomlUpdater.rotate(text, NEW);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.changes).toHaveLength(1);
    expect(putBack(text, r.value.text, r.value.changes)).toBe(text);
    const before = parse(text) as { runners: Record<string, unknown>[] };
    const after = parse(r.value.text) as { runners: Record<string, unknown>[] };
    expect(after.runners[0]!.token).toBe(NEW);
    expect({ ...after, runners: [{ ...after.runners[0], token: before.runners[0]!.token }] }).toEqual(before);
  });

  it('sets token_obtained_at and token_expires_at to "not known", keeping literal quoting, comments and inline tables', () => {
    const r = configTomlUpdater.rotate(OWN, NEW);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.text).toBe(
      OWN.replace("'glrt-OldTokenOldTokenOldToken'", `'${NEW}'`).replace('2026-01-01T10:00:00Z', NO_EXPIRY).replace('2026-04-01T10:00:00Z', NO_EXPIRY),
    );
    expect(r.value.changes.map((c) => c.what)).toEqual([
      expect.stringMatching(/^token of runner "edge"/),
      expect.stringMatching(/^token_obtained_at/),
      expect.stringMatching(/^token_expires_at/),
    ]);
    expect(putBack(OWN, r.value.text, r.value.changes)).toBe(OWN);
    expect(r.value.notes!.join(' ')).toMatch(/No restart is needed.*3 seconds/);
    expect(r.value.notes!.join(' ')).toMatch(/gitlab-runner reset-token --name edge/);
  });

  it('keeps CRLF line endings', () => {
    const crlf = OWN.replace(/\n/g, '\r\n');
    const r = configTomlUpdater.rotate(crlf, NEW);
    expect(r.ok).toBe(true);
    if (r.ok) expect(putBack(crlf, r.value.text, r.value.changes)).toBe(crlf);
  });

  it('refuses a file with several runners (each has its own token), changing nothing', () => {
    const two = `${OWN}\n[[runners]]\n  name = "other"\n  url = "https://gitlab.example.com/"\n  token = "glrt-OtherOtherOtherOther12"\n  executor = "shell"\n`;
    const r = configTomlUpdater.rotate(two, NEW);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('BAD_INPUT');
      expect(r.error.message).toMatch(/2 runners \("edge", "other"\)/);
      expect(r.error.hint).toMatch(/reset-token --name/);
    }
  });

  it('a token that would break the TOML is escaped (reads back exactly) or refused', () => {
    const r = configTomlUpdater.rotate(OWN, `glrt-it's"quoted"\\`);
    expect(r.ok).toBe(true);
    if (r.ok) expect((parse(r.value.text) as { runners: { token: string }[] }).runners[0]!.token).toBe(`glrt-it's"quoted"\\`);
    expect(configTomlUpdater.rotate(OWN, 'glrt-line\nbreak').ok).toBe(false);
  });

  it('a file that is not valid TOML is refused with the line, nothing changed', () => {
    const r = configTomlUpdater.rotate('[[runners]]\n  token = "unterminated\n', NEW);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('PARSE_ERROR');
  });

  it('commands confirm the reload without a restart', () => {
    const cmds = configTomlUpdater.commandsFor!(OWN, '/etc/gitlab-runner/config.toml');
    expect(cmds.map((c) => c.command).join('\n')).toMatch(/gitlab-runner verify/);
    expect(cmds.map((c) => c.command).join('\n')).not.toMatch(/restart/);
  });
});
