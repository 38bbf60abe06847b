/**
 * Copying a secret wipes it from the clipboard later, unless the user copied something else.
 * The clipboard is a stand-in object (no browser here): it behaves as navigator.clipboard does
 * for these calls, including a read the browser refuses.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { copySecret } from '../../../../../renderer/steps/credentials/clipboard';

let held = '';
let readRefused = false;
let writeRefused = false;
beforeEach(() => {
  held = '';
  readRefused = false;
  writeRefused = false;
  vi.useFakeTimers();
  vi.stubGlobal('navigator', {
    clipboard: {
      writeText: async (t: string) => {
        if (writeRefused) throw new Error('NotAllowedError');
        held = t;
      },
      readText: async () => {
        if (readRefused) throw new Error('NotAllowedError');
        return held;
      },
    },
  });
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('copySecret', () => {
  it('copies, and wipes the secret once the time is up', async () => {
    const cleared = vi.fn();
    expect(await copySecret('tok-1', 30_000, cleared)).toBe(true);
    expect(held).toBe('tok-1');
    await vi.advanceTimersByTimeAsync(29_999);
    expect(held).toBe('tok-1');
    await vi.advanceTimersByTimeAsync(1);
    expect(held).toBe('');
    expect(cleared).toHaveBeenCalledWith(true);
  });

  it('leaves the clipboard alone when the user copied something else meanwhile', async () => {
    const cleared = vi.fn();
    await copySecret('tok-1', 1000, cleared);
    held = 'something the user copied';
    await vi.advanceTimersByTimeAsync(1000);
    expect(held).toBe('something the user copied');
    expect(cleared).toHaveBeenCalledWith(false);
  });

  it('wipes blind when reading the clipboard is refused', async () => {
    await copySecret('tok-1', 1000);
    readRefused = true;
    await vi.advanceTimersByTimeAsync(1000);
    expect(held).toBe('');
  });

  it('a second copy restarts the wait for the newer secret only', async () => {
    await copySecret('tok-1', 1000);
    await vi.advanceTimersByTimeAsync(600);
    await copySecret('tok-2', 1000);
    await vi.advanceTimersByTimeAsync(600);
    expect(held).toBe('tok-2');
    await vi.advanceTimersByTimeAsync(400);
    expect(held).toBe('');
  });

  it('says false when the clipboard refuses the write, and schedules nothing', async () => {
    writeRefused = true;
    expect(await copySecret('tok-1', 1000)).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });
});
