/**
 * Reading an existing runner folder (reference/next-platforms.md, Corrections and B1 "Files"):
 * `.runner` is camelCase JSON written as UTF-8 with a byte-order mark, with default-valued fields
 * left out (actions/runner ConfigurationStore.cs, `EmitDefaultValue = false`); `.service` is the
 * text name of the service svc.sh installed. The service name is always taken from `.service`,
 * never recomputed: svc.sh truncates long names and adds a random suffix.
 */
import { err, ok, type Result } from '../../result';

/** The identity and settings a configured runner keeps in `.runner`. */
export interface RunnerState {
  agentId: number;
  agentName: string;
  poolId: number;
  poolName: string;
  serverUrl: string;
  gitHubUrl: string;
  workFolder: string;
  ephemeral: boolean;
  disableUpdate: boolean;
  useV2Flow: boolean;
  serverUrlV2?: string;
}

const BOM = '\uFEFF';

function field<T>(o: Record<string, unknown>, key: string, type: 'string' | 'number' | 'boolean', fallback: T): Result<T> {
  const v = o[key];
  if (v === undefined || v === null) return ok(fallback);
  if (typeof v !== type) return err('PARSE_ERROR', `.runner: "${key}" should be a ${type}, not ${JSON.stringify(v).slice(0, 40)}.`);
  return ok(v as T);
}

/**
 * Reads `.runner`. PARSE_ERROR when it is not JSON, when it is Gitea's act_runner file of the same
 * name (it holds `uuid`, `token` and `address`), or when a field has the wrong type. Fields GitHub
 * leaves out because they hold their default (agentId 0, ephemeral false…) read as that default.
 */
export function readRunnerFile(text: string): Result<RunnerState> {
  const body = text.startsWith(BOM) ? text.slice(1) : text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return err('PARSE_ERROR', '.runner is not JSON: it is not a GitHub Actions runner settings file, or it was cut short.');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return err('PARSE_ERROR', '.runner does not hold a JSON object.');
  const o = parsed as Record<string, unknown>;
  if ('uuid' in o && 'address' in o)
    return err(
      'PARSE_ERROR',
      'This .runner belongs to Gitea act_runner (it has uuid, token and address), not to a GitHub Actions runner.',
      'Pick the folder of a GitHub Actions runner (it holds config.sh and run.sh).',
    );
  const pascal = Object.keys(o).find((k) => /^(AgentId|AgentName|GitHubUrl|ServerUrl)$/.test(k));
  const src = pascal ? Object.fromEntries(Object.entries(o).map(([k, v]) => [k[0]!.toLowerCase() + k.slice(1), v])) : o;
  const s = {
    agentId: field(src, 'agentId', 'number', 0),
    agentName: field(src, 'agentName', 'string', ''),
    poolId: field(src, 'poolId', 'number', 0),
    poolName: field(src, 'poolName', 'string', ''),
    serverUrl: field(src, 'serverUrl', 'string', ''),
    gitHubUrl: field(src, 'gitHubUrl', 'string', ''),
    workFolder: field(src, 'workFolder', 'string', '_work'),
    ephemeral: field(src, 'ephemeral', 'boolean', false),
    disableUpdate: field(src, 'disableUpdate', 'boolean', false),
    useV2Flow: field(src, 'useV2Flow', 'boolean', false),
    serverUrlV2: field<string | undefined>(src, 'serverUrlV2', 'string', undefined),
  };
  for (const r of Object.values(s)) if (!r.ok) return r;
  const v = Object.fromEntries(Object.entries(s).map(([k, r]) => [k, (r as { ok: true; value: unknown }).value])) as unknown as RunnerState;
  if (!v.agentName || !v.gitHubUrl) return err('PARSE_ERROR', '.runner has no agentName or gitHubUrl: it is not a configured GitHub Actions runner.');
  if (v.serverUrlV2 === undefined) delete v.serverUrlV2;
  return ok(v);
}

/** The service a runner folder's `.service` names. */
export interface RunnerService {
  /** The unit or service name exactly as written (systemd unit, Windows service), or the launchd plist's label. */
  name: string;
  manager: 'systemd' | 'launchd' | 'windows';
  /** The launchd plist path, as written (macOS). */
  plist?: string;
}

/**
 * Reads `.service`: one line naming the systemd unit (`actions.runner.<scope>.<name>.service`),
 * the launchd plist path (macOS), or the Windows service name. PARSE_ERROR for anything else.
 */
export function readServiceFile(text: string): Result<RunnerService> {
  const line = (text.startsWith(BOM) ? text.slice(1) : text).trim();
  if (!line || line.includes('\n')) return err('PARSE_ERROR', '.service should hold one line: the name of the service svc.sh installed.');
  const plist = /^(?:\/|~\/).*\/(actions\.runner\.[^/]+)\.plist$/.exec(line);
  if (plist) return ok({ name: plist[1]!, manager: 'launchd', plist: line });
  const unit = /^actions\.runner\.[A-Za-z0-9._-]+\.service$/.exec(line);
  if (unit) return ok({ name: line, manager: 'systemd' });
  if (/^actions\.runner\.[A-Za-z0-9._-]+$/.test(line)) return ok({ name: line, manager: 'windows' });
  return err('PARSE_ERROR', `.service names ${JSON.stringify(line.slice(0, 80))}, which is not a runner service (actions.runner.…).`);
}

/**
 * The service name svc.sh would make for a runner (SystemdControlManager.cs), for explaining a
 * `.service` that differs. Never used in place of `.service`: past the limit the real name has a
 * random suffix. undefined when the name would be truncated.
 */
export function expectedServiceName(gitHubUrl: string, agentName: string, limit = 150): string | undefined {
  let scope: string;
  try {
    scope = new URL(gitHubUrl).pathname.split('/').filter(Boolean).join('-');
  } catch {
    return undefined;
  }
  const name = `actions.runner.${scope}.${agentName}`.replace(/[^0-9a-zA-Z._-]/g, '-') + '.service';
  return name.length > limit ? undefined : name;
}

/**
 * True when `.service` does not hold the name computed from `.runner` (svc.sh shortened a long
 * name and added a random suffix, or the runner was renamed): the reason the name is read, not made.
 */
export function serviceNameDiffers(state: RunnerState, service: RunnerService): boolean {
  if (service.manager !== 'systemd') return false;
  return expectedServiceName(state.gitHubUrl, state.agentName) !== service.name;
}

/** A `.credentials` file (the runner's OAuth client: identifiers, redacted in bundles). */
export function isRunnerCredentials(text: string): boolean {
  return /"scheme"\s*:\s*"OAuth"/.test(text) && /"clientId"/.test(text);
}
