/**
 * Validators for values that end up in generated files and commands. Each is strict on purpose:
 * a value that passes can never start an option (`-o...`), add a line or leave its quoting.
 */
import { z } from 'zod';

const LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const HEX_GROUP = /^[0-9A-Fa-f]{1,4}$/;
const ZONE = /^[A-Za-z0-9]+$/;

/** An IPv6 address (RFC 4291 text forms: at most one `::`, 8 groups in all, an IPv4 tail), with an optional %zone. */
export function isIPv6(value: string): boolean {
  const [addr = '', zone, ...more] = value.split('%');
  if (more.length || (zone !== undefined && !ZONE.test(zone))) return false;
  const halves = addr.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((h) => (h === '' ? [] : h.split(':')));
  let count = 0;
  for (const [i, g] of groups.entries()) {
    if (i === groups.length - 1 && IPV4.test(g)) count += 2;
    else if (HEX_GROUP.test(g)) count += 1;
    else return false;
  }
  return halves.length === 2 ? count <= 7 : count === 8;
}

/** True for a DNS host name (RFC 1123 labels), an IPv4 address or an IPv6 address. */
export function isHost(value: string): boolean {
  if (value.length === 0 || value.length > 253) return false;
  if (IPV4.test(value)) return true;
  if (value.includes(':')) return isIPv6(value);
  const labels = value.endsWith('.') ? value.slice(0, -1).split('.') : value.split('.');
  return labels.every((l) => LABEL.test(l)) && !/^\d+$/.test(labels[labels.length - 1] ?? '');
}

/** A host name or IP address, never starting with '-'. */
export const hostSchema = z.string().trim().refine(isHost, { message: 'must be a host name or an IP address (letters, digits, dots, hyphens)' });

/** A TCP port, 1..65535. */
export const portSchema = z.coerce.number().int('must be a whole number').min(1, 'must be between 1 and 65535').max(65535, 'must be between 1 and 65535');

/** A simple name: letters, digits, '.', '_' and '-', starting with a letter or digit. */
export const nameSchema = z
  .string()
  .trim()
  // An empty field is "required", not a breach of the character rules below.
  .min(1, { message: 'is required', abort: true })
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'use letters, digits, ".", "_" or "-" (max 63), starting with a letter or digit');

/** Why `v` is not an http(s) URL with a valid host and no credentials, or undefined when it is one. */
export function httpUrlProblem(v: string): string | undefined {
  if (/[\s"'`\\<>]/.test(v)) return 'must not contain spaces, quotes, backslashes or angle brackets';
  if (!/^https?:\/\//i.test(v)) return 'must start with http:// or https://';
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return 'is not a valid URL';
  }
  if (u.username || u.password)
    return 'must not hold a user name or password (user:pw@): credentials are not allowed in this URL, where they would be stored in plain text';
  if (!isHost(u.hostname.replace(/^\[|\]$/g, ''))) return 'has no valid host name (letters, digits, dots, hyphens) or IP address';
  return undefined;
}

/** An http(s) URL with a valid host and no credentials, whitespace or quotes in it. */
export const httpUrlSchema = z
  .string()
  .trim()
  .superRefine((v, ctx) => {
    const problem = httpUrlProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** A comma-separated list of no-proxy hosts or domain suffixes (".corp.example", "10.0.0.1"). */
export const noProxySchema = z
  .string()
  .trim()
  .refine((v) => v.split(',').every((h) => isHost(h.trim().replace(/^\*?\./, '')) || h.trim() === ''), {
    message: 'list host names, domain suffixes (.corp.example) or IP addresses, separated by commas',
  });

/** A no-proxy list as agents read it: entries trimmed, empty ones dropped, joined by commas. */
export function noProxyValue(list: string | undefined): string {
  return (list ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean)
    .join(',');
}
