import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveUserPath } from '../../../../main/services/user-path';

const HOME = '/home/someone';

describe('resolveUserPath: the one reading of a path a user typed', () => {
  it.each([
    ['~', HOME],
    ['~/agent-config', path.join(HOME, 'agent-config')],
    ['  /srv/agent/../agent/out.zip  ', '/srv/agent/out.zip'],
    ['/srv/agent/', '/srv/agent'],
  ])('%j → %j', (typed, expected) => {
    const r = resolveUserPath(typed, 'outDir', HOME);
    expect(r.ok && r.value).toBe(expected);
  });

  it.each(['relative/dir', '~someone/x', '', './x'])('refuses the relative path %j with BAD_INPUT naming the field', (typed) => {
    const r = resolveUserPath(typed, 'source.dir', HOME);
    expect(!r.ok && r.error).toMatchObject({ code: 'BAD_INPUT', field: 'source.dir' });
    expect(!r.ok && r.error.message).toMatch(/not an absolute path/);
  });

  it('refuses a NUL inside the path (the file system would cut it there)', () => {
    const r = resolveUserPath('/tmp/a\0b', 'out', HOME);
    expect(!r.ok && r.error).toMatchObject({ code: 'BAD_INPUT', field: 'out' });
  });
});
