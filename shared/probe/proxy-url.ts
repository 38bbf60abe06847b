/** Proxy settings as users and environments write them: a proxy URL and a NO_PROXY list. */

/** Normalises a proxy URL: adds http:// to a bare host:port; refuses other schemes. */
export function parseProxyUrl(
  text: string,
): { ok: true; host: string; port: number; username?: string; password?: string; display: string } | { ok: false; message: string } {
  const raw = text.trim();
  if (!raw) return { ok: false, message: 'the proxy URL is empty' };
  if (/[\s"'`<>\\]/.test(raw)) return { ok: false, message: 'the proxy URL must not contain spaces, quotes or backslashes' };
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
  let u: URL;
  try {
    u = new URL(withScheme);
  } catch {
    return { ok: false, message: `"${raw}" is not a URL like http://proxy.example.com:3128` };
  }
  if (u.protocol === 'https:')
    return {
      ok: false,
      message: 'use http:// for the proxy: the connection to a proxy is plain HTTP even for HTTPS traffic (https:// proxies are rarely supported by agents)',
    };
  if (u.protocol !== 'http:') return { ok: false, message: `the proxy scheme ${u.protocol} is not supported; use http://` };
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const port = u.port ? Number(u.port) : 80;
  if (!host) return { ok: false, message: 'the proxy URL has no host' };
  const username = u.username ? decodeURIComponent(u.username) : undefined;
  const password = u.password ? decodeURIComponent(u.password) : undefined;
  return {
    ok: true,
    host,
    port,
    ...(username === undefined ? {} : { username }),
    ...(password === undefined ? {} : { password }),
    display: `http://${username ? `${encodeURIComponent(username)}:***@` : ''}${host.includes(':') ? `[${host}]` : host}:${port}`,
  };
}

/**
 * True when `host` (and port) matches a NO_PROXY list: comma/space separated entries of host
 * names (a leading '.' or '*.' matches subdomains; a bare name matches itself and its
 * subdomains, as curl does), IP addresses, `host:port`, or `*` for everything.
 */
export function matchesNoProxy(host: string, port: number, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const h = host.toLowerCase().replace(/\.$/, '');
  for (const rawEntry of noProxy.split(/[\s,]+/)) {
    let entry = rawEntry.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    const portMatch = /^(.*[^\]:]):(\d+)$/.exec(entry);
    if (portMatch?.[1] && portMatch[2] && !entry.startsWith('[')) {
      if (Number(portMatch[2]) !== port) continue;
      entry = portMatch[1];
    }
    entry = entry.replace(/^\*\./, '.').replace(/^\[|\]$/g, '');
    if (entry.startsWith('.')) {
      if (h.endsWith(entry) || h === entry.slice(1)) return true;
    } else if (h === entry || h.endsWith(`.${entry}`)) return true;
  }
  return false;
}
