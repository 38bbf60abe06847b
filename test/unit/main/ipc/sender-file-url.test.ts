import { describe, expect, it } from 'vitest';
import { isTrustedSender, type SenderFacts } from '../../../../main/ipc/sender';

// What main/index.ts builds (`file://` + the path) against what Chromium reports for the frame.
const facts = (frameUrl: string): SenderFacts => ({ senderId: 1, windowId: 1, frameUrl, isTopFrame: true });

describe('isTrustedSender with the packaged page', () => {
  it('trusts our page in a folder with a space, as Chromium reports it (percent-encoded)', () => {
    const page = 'file:///opt/Agent Onboard/resources/app.asar/out/renderer/index.html';
    expect(isTrustedSender(facts('file:///opt/Agent%20Onboard/resources/app.asar/out/renderer/index.html#/step'), page)).toBe(true);
  });

  it('trusts our page on Windows (drive letter, backslashes in the built path)', () => {
    const page = 'file://C:\\Users\\me\\AppData\\Local\\Programs\\Agent Onboard\\resources\\app.asar\\out\\renderer\\index.html';
    expect(isTrustedSender(facts('file:///C:/Users/me/AppData/Local/Programs/Agent%20Onboard/resources/app.asar/out/renderer/index.html'), page)).toBe(true);
  });

  it('still refuses another file, a look-alike encoding and a broken URL', () => {
    const page = 'file:///opt/Agent Onboard/resources/app.asar/out/renderer/index.html';
    expect(isTrustedSender(facts('file:///opt/Agent%20Onboard/resources/app.asar/out/renderer/evil.html'), page)).toBe(false);
    expect(isTrustedSender(facts('file:///opt/Agent%2520Onboard/resources/app.asar/out/renderer/index.html'), page)).toBe(false);
    expect(isTrustedSender(facts('file:///tmp/Agent Onboard/resources/app.asar/out/renderer/index.html'), page)).toBe(false);
    expect(isTrustedSender(facts('file://%zz'), page)).toBe(false);
  });
});
