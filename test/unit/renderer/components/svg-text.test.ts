/** Labels cut to fit the pictures' boxes. */
import { describe, expect, it } from 'vitest';
import { fit, fitMiddle } from '../../../../renderer/components/svg-text';

describe('fit', () => {
  it('keeps text that fits, and cuts the end of longer text to exactly the box', () => {
    expect(fit('short', 5)).toBe('short');
    expect(fit('a longer label', 8)).toBe('a longe…');
    expect(fit('a longer label', 8)).toHaveLength(8);
  });
});

describe('fitMiddle', () => {
  it('keeps both ends, so hosts that differ only at one end stay told apart', () => {
    const a = fitMiddle('build-1.agents.internal.example.com:22', 21);
    const b = fitMiddle('build-1.agents.internal.example.com:443', 21);
    expect(a).toHaveLength(21);
    expect(a.startsWith('build-1')).toBe(true);
    expect(a.endsWith(':22')).toBe(true);
    expect(b.endsWith(':443')).toBe(true);
    expect(a).not.toBe(b);
  });
  it('keeps text that fits', () => {
    expect(fitMiddle('host:22', 7)).toBe('host:22');
  });
});
