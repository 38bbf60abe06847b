/** When the wizard saves its draft: at once for a step or platform change, after a pause for typing into the answers. */
import { describe, expect, it, vi } from 'vitest';
import type { Draft } from '../../../shared/ipc';
import { saveTiming } from '../../../renderer/draft-saver';

// The module's hook talks to main through the api, which needs a window; saveTiming does not.
vi.mock('../../../renderer/api', () => ({ api: {} }));

const draft: Draft = { platform: 'buildkite', variant: 'docker', step: 'details', answers: { name: 'a' } };

describe('saveTiming', () => {
  it('saves nothing when the draft is the same object, and at once when there was none', () => {
    expect(saveTiming(draft, draft)).toBe('none');
    expect(saveTiming(null, draft)).toBe('now');
  });
  it('waits for typing to pause when only the answers changed', () => {
    expect(saveTiming(draft, { ...draft, answers: { name: 'ab' } })).toBe('debounced');
  });
  it('saves at once when anything else changed, with or without the answers', () => {
    expect(saveTiming(draft, { ...draft, step: 'credentials' })).toBe('now');
    expect(saveTiming(draft, { ...draft, answers: { name: 'ab' }, outDir: '/tmp/out' })).toBe('now');
    const { variant: _, ...noVariant } = draft;
    expect(saveTiming(draft, noVariant as Draft)).toBe('now');
  });
  it('saves nothing for a copy with the same values', () => {
    expect(saveTiming(draft, { ...draft })).toBe('none');
  });
});
