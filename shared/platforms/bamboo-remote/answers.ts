/** The Bamboo remote agent's answers (the wizard's Details form and the CLI's --answers file). */
import { z } from 'zod';
import { hostSchema, httpUrlSchema, portSchema } from '../../validate';
import { doc } from '../answers-doc';

export const AGENT_OSES = ['linux', 'macos', 'windows'] as const;
export type AgentOs = (typeof AGENT_OSES)[number];

/** Default agent homes per OS (the installer's -Dbamboo.home). */
export const DEFAULT_AGENT_HOME: Record<AgentOs, string> = {
  linux: '/opt/bamboo-agent-home',
  macos: '/opt/bamboo-agent-home',
  windows: 'C:\\bamboo-agent-home',
};

// Absolute paths with only characters every target (sh, systemd, PowerShell, cmd) quotes safely.
// Segments are separated by exactly one separator, so matching is linear (no backtracking blow-up).
const POSIX_HOME = /^\/(?:[A-Za-z0-9._+@-][A-Za-z0-9._+@ -]*(?:\/[A-Za-z0-9._+@-][A-Za-z0-9._+@ -]*)*\/?)?$/;
const WINDOWS_HOME = /^[A-Za-z]:\\(?:[A-Za-z0-9._+@()-][A-Za-z0-9._+@() -]*(?:\\[A-Za-z0-9._+@()-][A-Za-z0-9._+@() -]*)*\\?)?$/;

export const bambooRemoteAnswers = z
  .object({
    // Only characters with no meaning in sh, PowerShell, cmd or systemd, so quoting is belt and braces.
    serverUrl: httpUrlSchema
      .refine((v) => /^[A-Za-z0-9._~:/@[\]+-]+$/.test(v), {
        message: 'give the base URL with letters, digits and . _ ~ : / @ + - only (no ?query, #fragment, %-escapes or $), e.g. https://bamboo.example.com',
      })
      .meta(doc("The Bamboo server's base URL; /agentServer/ is added for you.", 'https://bamboo.example.com')),
    brokerHost: hostSchema
      .optional()
      .meta(doc("The JMS broker's host, only when the server's broker client URL names another host than the server URL.", 'bamboo-broker.example.com')),
    brokerPort: portSchema.default(54663).meta(doc('The JMS broker port agents connect to (54663, or 54667 for SSL).', 54667)),
    // No default: the server serves only the installer jar of its own version, so it must come from the user.
    installerVersion: z
      .string()
      .trim()
      .regex(/^[0-9][0-9A-Za-z.-]{0,31}$/, "your Bamboo server's version, like 9.6.2")
      .optional()
      .meta(
        doc(
          "The Bamboo server's version, required for the installer: it names the installer jar (atlassian-bamboo-agent-installer-<version>.jar), which the server serves only for its own version.",
          '9.6.2',
        ),
      ),
    agentOs: z.enum(AGENT_OSES).default('linux').meta(doc('The operating system of the agent host.', 'linux')),
    agentHome: z
      .string()
      .trim()
      .max(240)
      .optional()
      .meta(
        doc(
          "The agent home on the agent host (the installer's -Dbamboo.home): an absolute path; default /opt/bamboo-agent-home, or C:\\bamboo-agent-home on Windows.",
          '/opt/bamboo-agent-home',
        ),
      ),
    serviceUser: z
      .string()
      .trim()
      .regex(/^[a-z_][a-z0-9_-]{0,31}$/, 'a Unix user name: lower-case letters, digits, "_" or "-"')
      .default('bamboo')
      .meta(doc('The Linux user the systemd unit runs the agent as.', 'bamboo')),
  })
  .superRefine((a, ctx) => {
    if (!a.agentHome) return;
    const windows = a.agentOs === 'windows';
    if (!(windows ? WINDOWS_HOME : POSIX_HOME).test(a.agentHome) || a.agentHome.split(/[\\/]/).includes('..')) {
      ctx.addIssue({
        code: 'custom',
        path: ['agentHome'],
        message: windows
          ? 'an absolute Windows path like C:\\bamboo-agent-home (letters, digits, spaces, . _ + @ ( ) -)'
          : 'an absolute path like /opt/bamboo-agent-home (letters, digits, spaces, . _ + @ -)',
      });
    }
  });
export type BambooRemoteAnswers = z.infer<typeof bambooRemoteAnswers>;

/** The agent home the generated files use: the answer, or the OS's default. */
export function agentHomeFor(a: BambooRemoteAnswers): string {
  return a.agentHome || DEFAULT_AGENT_HOME[a.agentOs];
}

/** The server's base URL without a trailing slash or /agentServer. */
export function baseUrl(serverUrl: string): string {
  return serverUrl.replace(/\/+$/, '').replace(/\/agentServer$/i, '');
}

/** The URL the agent registers with: `<base>/agentServer/`. */
export function agentServerUrl(serverUrl: string): string {
  return `${baseUrl(serverUrl)}/agentServer/`;
}
