/**
 * What the user tells the wizard (or the CLI's --answers file) about an ArmorCode tunnel agent:
 * the ArmorCode SSH server, the SSH user, the port (22, or 443 when 22 is blocked) and the
 * internal services the tunnel reaches, each with the remote port ArmorCode assigned.
 */
import { z } from 'zod';
import { hostSchema, isHost, nameSchema, portSchema } from '../../validate';
import { doc } from '../answers-doc';

/** Default port of each accepted URL scheme (tcp:// has none: its port is required). */
export const SERVICE_SCHEMES: Record<string, number | undefined> = { https: 443, http: 80, ssh: 22, tcp: undefined };

/** Where a tunnel delivers connections: the internal service as the agent host sees it. */
export interface ServiceTarget {
  scheme: string;
  host: string;
  port: number;
}

// scheme://host[:port][/anything] or host:port. The host part can never hold '@', quotes,
// whitespace or a leading '-' (isHost checks it); everything after the port is ignored.
const URL_SHAPE = /^(?:([A-Za-z][A-Za-z0-9+.-]*):\/\/)?(\[[0-9A-Fa-f:.]+\]|[^\s/:?#[\]@'"`\\]+)(?::(\d{1,5}))?(?:[/?#]\S*)?$/;

/**
 * Parses a service URL into scheme, host and port. Accepts https://, http://, ssh:// and tcp://
 * URLs and bare `host:port` (as tcp). Returns a message when the text is not one of these.
 */
export function parseServiceUrl(text: string): { ok: true; target: ServiceTarget } | { ok: false; message: string } {
  const value = text.trim();
  if (value.length > 2048) return { ok: false, message: 'is too long (max 2048 characters)' };
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/]*@/.test(value))
    return { ok: false, message: 'must not hold a user name or password (the tunnel needs only the host and port)' };
  const m = URL_SHAPE.exec(value);
  if (!m) return { ok: false, message: 'must look like https://host[:port], http://host[:port], tcp://host:port or host:port' };
  const scheme = (m[1] ?? 'tcp').toLowerCase();
  if (!(scheme in SERVICE_SCHEMES)) return { ok: false, message: `scheme ${scheme}:// is not supported (use https, http, ssh or tcp)` };
  const bracketed = m[2] ?? '';
  const host = bracketed.startsWith('[') ? bracketed.slice(1, -1) : bracketed;
  if (!isHost(host) || bracketed.startsWith('[') !== host.includes(':'))
    return { ok: false, message: `${JSON.stringify(bracketed.slice(0, 80))} is not a host name or IP address` };
  const port = m[3] !== undefined ? Number(m[3]) : SERVICE_SCHEMES[scheme];
  if (port === undefined && m[1] === undefined) return { ok: false, message: `needs a scheme or a port: e.g. https://${bracketed} or ${bracketed}:8080` };
  if (port === undefined) return { ok: false, message: `${scheme}:// needs a port, e.g. ${scheme}://${bracketed}:8080` };
  if (!Number.isInteger(port) || port < 1 || port > 65535) return { ok: false, message: 'port must be between 1 and 65535' };
  return { ok: true, target: { scheme, host: host.toLowerCase(), port } };
}

/** One internal service: its name (a supervisord program / systemd unit name), URL and remote port. */
export const armorcodeService = z.object({
  name: nameSchema.meta(doc("The service's name: its supervisord program / systemd unit is named after it.", 'jira')),
  url: z
    .string()
    .trim()
    .min(1, 'is required')
    .superRefine((v, ctx) => {
      const parsed = parseServiceUrl(v);
      if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.message });
    })
    .meta(doc('The internal service as the agent host reaches it: https://, http://, ssh:// or tcp://host:port, or host:port.', 'https://jira.internal')),
  remotePort: portSchema.meta(doc('The port ArmorCode assigned to this service on its server (the reverse forward).', 5000)),
});
export type ArmorcodeService = z.infer<typeof armorcodeService>;

/** The answers of an ArmorCode tunnel agent; duplicate remote ports and names are refused. */
export const armorcodeAnswers = z
  .object({
    server: hostSchema.meta(doc('The SSH server ArmorCode gave you.', 'tunnel.example.armorcode.com')),
    port: portSchema.default(22).meta(doc('SSH port of the server: 22, or 443 when outbound 22 is blocked.', 443)),
    user: nameSchema.meta(doc('The SSH user ArmorCode gave you.', 'acme')),
    services: z
      .array(armorcodeService)
      .min(1, 'add at least one internal service')
      .max(100, 'at most 100 services')
      .meta(doc('The internal services the tunnel reaches (1 to 100).', [{ name: 'jira', url: 'https://jira.internal', remotePort: 5000 }])),
    /** Seconds between SSH keep-alives; the link counts as dead after interval × count. */
    serverAliveInterval: z.coerce
      .number()
      .int('must be a whole number')
      .min(5, 'must be at least 5')
      .max(600, 'must be at most 600')
      .default(30)
      .meta(doc('Seconds between SSH keep-alives (5 to 600).', 30)),
    serverAliveCountMax: z.coerce
      .number()
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(20, 'must be at most 20')
      .default(3)
      .meta(doc('Keep-alives without an answer before the link counts as dead (1 to 20).', 3)),
  })
  .superRefine((a, ctx) => {
    const ports = new Map<number, number>();
    const names = new Map<string, number>();
    a.services.forEach((s, i) => {
      const first = ports.get(s.remotePort);
      if (first !== undefined)
        ctx.addIssue({ code: 'custom', path: ['services', i, 'remotePort'], message: `remote port ${s.remotePort} is already used by service ${first + 1}` });
      else ports.set(s.remotePort, i);
      const key = s.name.toLowerCase();
      const firstName = names.get(key);
      if (firstName !== undefined)
        ctx.addIssue({ code: 'custom', path: ['services', i, 'name'], message: `name ${s.name} is already used by service ${firstName + 1}` });
      else names.set(key, i);
    });
  });
export type ArmorcodeAnswers = z.infer<typeof armorcodeAnswers>;
