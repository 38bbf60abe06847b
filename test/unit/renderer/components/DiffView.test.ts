import { describe, expect, it } from 'vitest';
import { diffLineClass } from '../../../../renderer/components/DiffView';

describe('diffLineClass', () => {
  it('marks added, removed and hunk lines, and leaves headers and context plain', () => {
    expect(['--- a/f', '+++ b/f', '@@ -1 +1 @@', '-old', '+new', ' same', ''].map(diffLineClass)).toEqual([
      undefined,
      undefined,
      'diff-hunk',
      'diff-del',
      'diff-add',
      undefined,
      undefined,
    ]);
  });
});
