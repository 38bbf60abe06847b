import { describe, expect, it } from 'vitest';
import { isTrustedSender, type SenderFacts } from '../../../../main/ipc/sender';

const PAGE = 'file:///opt/Agent Onboard/resources/app.asar/out/renderer/index.html';
const ours: SenderFacts = { senderId: 3, windowId: 3, frameUrl: PAGE, isTopFrame: true };

describe('isTrustedSender', () => {
  it('trusts our window showing our page, with or without a hash or query', () => {
    expect(isTrustedSender(ours, PAGE)).toBe(true);
    expect(isTrustedSender({ ...ours, frameUrl: `${PAGE}#/step` }, PAGE)).toBe(true);
  });

  it.each<[string, Partial<SenderFacts>]>([
    ['another webContents', { senderId: 4 }],
    ['a closed window', { windowId: undefined }],
    ['an iframe', { isTopFrame: false }],
    ['a frame that is gone', { frameUrl: undefined }],
    ['another local file', { frameUrl: 'file:///tmp/evil.html' }],
    ['a web page', { frameUrl: 'https://example.com/' }],
  ])('refuses %s', (_what, change) => {
    expect(isTrustedSender({ ...ours, ...change }, PAGE)).toBe(false);
  });

  it('matches the dev server by exact origin, not by prefix', () => {
    const dev = 'http://localhost:5173';
    expect(isTrustedSender({ ...ours, frameUrl: 'http://localhost:5173/index.html' }, dev)).toBe(true);
    expect(isTrustedSender({ ...ours, frameUrl: 'http://localhost:51730/' }, dev)).toBe(false);
    expect(isTrustedSender({ ...ours, frameUrl: 'not a url' }, dev)).toBe(false);
  });
});
