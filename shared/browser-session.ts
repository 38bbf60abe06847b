/**
 * Names shared by the browser-mode server and the page for the tab session secret: the server
 * hands it to the page in the URL fragment after the token exchange, the page keeps it in its own
 * origin's sessionStorage and offers it as a WebSocket subprotocol. Cookies ignore ports, so the
 * session cookie reaches every service on 127.0.0.1; this secret never leaves the app's origin.
 */

/** The API socket's subprotocol name (the only one the server ever answers with). */
export const WS_PROTOCOL = 'agent-onboard';
/** Prefix of the subprotocol that carries the tab secret: `ao-session.<secret>`. */
export const WS_SESSION_PREFIX = 'ao-session.';
/** The URL fragment parameter and the sessionStorage key that hold the tab secret. */
export const SESSION_FRAGMENT = 'ao-session';

/** The tab secret in a URL fragment (`#ao-session=…`), or undefined. */
export function sessionFromFragment(hash: string): string | undefined {
  const m = new RegExp(`(?:^#|&)${SESSION_FRAGMENT}=([A-Za-z0-9_-]{16,128})(?:&|$)`).exec(hash);
  return m?.[1];
}
