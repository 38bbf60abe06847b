/**
 * Who may call the IPC channels: only our own window's top frame showing our own page. Pure (the
 * Electron binding extracts the facts), so it is tested without Electron.
 */

/** What the Electron binding knows about one call's sender. */
export interface SenderFacts {
  /** webContents id of the caller. */
  senderId: number;
  /** webContents id of our window, or undefined when it is gone. */
  windowId: number | undefined;
  /** URL of the calling frame, or undefined when the frame is gone. */
  frameUrl: string | undefined;
  /** False for iframes. */
  isTopFrame: boolean;
}

function withoutQuery(url: string): string {
  return url.split('#')[0]?.split('?')[0] ?? '';
}

function canonical(url: string): string | undefined {
  try {
    return new URL(url).href;
  } catch {
    return undefined;
  }
}

/**
 * True when the call comes from our window's top frame showing our page: the exact file for a
 * packaged app (file://…/index.html), the exact origin for the dev server (http://localhost:PORT).
 */
export function isTrustedSender(facts: SenderFacts, pageUrl: string): boolean {
  if (facts.windowId === undefined || facts.senderId !== facts.windowId) return false;
  if (!facts.isTopFrame || facts.frameUrl === undefined) return false;
  // Chromium reports the frame URL percent-encoded (file:///opt/Agent%20Onboard/…, file:///C:/…):
  // both sides are compared in the WHATWG form, or the installed app (a space in its folder) refuses itself.
  if (pageUrl.startsWith('file://')) return canonical(withoutQuery(facts.frameUrl)) === canonical(pageUrl);
  try {
    return new URL(facts.frameUrl).origin === new URL(pageUrl).origin;
  } catch {
    return false;
  }
}
