/**
 * watchSftp over a fake SFTP channel whose requests are never answered (as ssh2 leaves a request
 * still queued when the link dies): the connection's end fails each waiting request at once and
 * any later one straight away; a stall fails them after the limit.
 */
import type { SFTPWrapper } from 'ssh2';
import { describe, expect, it, vi } from 'vitest';
import { watchSftp } from '../../../../../main/services/remote/session';

/** An SFTP channel that takes requests and never answers. */
function silentSftp(): { sftp: SFTPWrapper; sent: string[] } {
  const sent: string[] = [];
  const fake = {
    write: (..._args: unknown[]) => void sent.push('write'),
    stat: (..._args: unknown[]) => void sent.push('stat'),
    end: () => undefined,
  };
  return { sftp: fake as unknown as SFTPWrapper, sent };
}

const ask = (sftp: SFTPWrapper, what: 'write' | 'stat'): Promise<Error | undefined> =>
  new Promise((resolve) => {
    if (what === 'stat') sftp.stat('/x', (e) => resolve(e ?? undefined));
    else sftp.write(Buffer.alloc(0), Buffer.from('x'), 0, 1, 0, (e) => resolve(e ?? undefined));
  });

describe('watchSftp', () => {
  it('fails every waiting request when the connection ends, and later ones at once, without reaching the channel', async () => {
    const { sftp, sent } = silentSftp();
    let end: ((why: string) => void) | undefined;
    const stalled = vi.fn();
    const w = watchSftp(sftp, 60_000, stalled, (e) => (end = e));
    const a = ask(w, 'write');
    const b = ask(w, 'stat');
    expect(sent).toEqual(['write', 'stat']);
    end!('the host closed the connection');
    expect((await a)?.message).toBe('the host closed the connection');
    expect((await b)?.message).toBe('the host closed the connection');
    expect((await ask(w, 'stat'))?.message).toBe('the host closed the connection');
    expect(sent).toEqual(['write', 'stat']);
    expect(stalled).not.toHaveBeenCalled();
  });

  it('fails the waiting requests after the stall limit, and says so once', async () => {
    vi.useFakeTimers();
    try {
      const { sftp } = silentSftp();
      const stalled = vi.fn();
      const w = watchSftp(sftp, 5_000, stalled);
      const a = ask(w, 'write');
      await vi.advanceTimersByTimeAsync(4_999);
      expect(stalled).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(1);
      expect((await a)?.message).toBe("no answer from the host's SFTP server for 5 s");
      expect(stalled).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
