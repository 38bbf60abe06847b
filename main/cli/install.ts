/**
 * `install` and `verify`: put generated files on an agent host over SSH and watch the agent come
 * online hop by hop (exit 0 online, 1 a hop failed or was not proven in time, 2 bad input).
 */
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { asksHealth, HOP_TITLES, pastedLogSaysOnline, readOnlineLog, type HopReport } from '../../shared/online';
import { getPlatform, PLATFORMS } from '../../shared/platforms';
import { recogniseGenerated } from '../../shared/platforms/recognise';
import { SERVICE_STAYED_UP_MS, type AgentWhere, type Artifact, type PlatformId } from '../../shared/platforms/types';
import type { AppError } from '../../shared/result';
import { installRecordSchema } from '../../shared/remote-contract';
import { hostSchema, portSchema } from '../../shared/validate';
import { importBundle, openBundle, readBundleFile } from '../services/bundle';
import { keyForSsh2 } from '../services/keys';
import { planRemoteInstall, runRemoteInstall, type InstallEvent, type InstallRecord } from '../services/remote/install';
import { planRemoteUndo, runRemoteUndo } from '../services/remote/undo';
import { openSession, type HostSession, type HostTarget } from '../services/remote/session';
import { q } from '../services/remote/shell';
import { logStartNow, runLocally, watchOnline, type RunCommand, type VendorCheck, type VendorReach, type WatchUpdate } from '../services/remote/watch';
import { readCaFileArg } from './ca-file';
import { envSecretArg, readTextArg } from './read-file';
import { EXIT, UsageError, errorText, type CliIo, type Command } from './types';

const MARK: Record<HopReport['state'], string> = { passed: '✓', failed: '✗', waiting: '…', holding: '…', pending: '⏸', 'not-checked': '·' };

function hopsText(hops: HopReport[]): string {
  return hops
    .map((h) => `  ${MARK[h.state]} ${HOP_TITLES[h.hop].padEnd(27)} ${h.detail}${h.line && h.state === 'failed' ? `\n      log: ${h.line.slice(0, 200)}` : ''}`)
    .join('\n');
}

/** The options of `install` and `verify` alike: the agent host, its login and pin, the install root, how long to watch, --json. */
const HOST_OPTIONS = {
  platform: { type: 'string' },
  host: { type: 'string' },
  port: { type: 'string' },
  user: { type: 'string' },
  key: { type: 'string' },
  'passphrase-env': { type: 'string' },
  'known-hosts': { type: 'string' },
  prefix: { type: 'string' },
  'timeout-ms': { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** One JSON document on stdout, as --json prints it. */
function printJson(io: CliIo, value: unknown): void {
  io.stdout(JSON.stringify(value, null, 2) + '\n');
}

async function hostTarget(io: CliIo, values: Record<string, string | boolean | undefined>): Promise<HostTarget> {
  const host = hostSchema.safeParse(values.host);
  if (!host.success) throw new UsageError(`--host: ${host.error.issues[0]?.message ?? 'not a host name or address'}`);
  const port = portSchema.safeParse(Number(values.port ?? 22));
  if (!port.success) throw new UsageError('--port must be 1-65535');
  const user = values.user;
  if (typeof user !== 'string' || !/^[A-Za-z0-9_][A-Za-z0-9._-]{0,31}$/.test(user))
    throw new UsageError('--user USER is required (the login on the agent host)');
  if (typeof values['known-hosts'] !== 'string')
    throw new UsageError(
      '--known-hosts FILE is required: the host key is verified before anything is sent (pin it with `ssh-keyscan -p PORT HOST`, after checking the fingerprint with its owner)',
    );
  const knownHosts = await readTextArg(values['known-hosts'], io.cwd, '--known-hosts');
  let privateKey: string | undefined;
  let passphrase: string | undefined;
  if (typeof values.key === 'string') {
    const text = await readTextArg(values.key, io.cwd, '--key');
    const key = keyForSsh2(text, envSecretArg(io.env, '--passphrase-env', values['passphrase-env'] as string | undefined, 'passphrase'));
    if (!key.ok) throw new UsageError(`--key: ${key.error.message}`);
    privateKey = key.value.privateKey;
    passphrase = key.value.passphrase;
  } else if (!io.env.SSH_AUTH_SOCK) {
    throw new UsageError('--key FILE is required (or a running ssh-agent, SSH_AUTH_SOCK)');
  }
  return {
    host: host.data,
    port: port.data,
    user,
    knownHosts,
    ...(privateKey ? { privateKey } : { agentSocket: io.env.SSH_AUTH_SOCK! }),
    ...(passphrase ? { passphrase } : {}),
  };
}

/** The files of a generated folder (top level, regular files), as the generator made them. */
async function folderArtifacts(dir: string): Promise<Artifact[]> {
  const out: Artifact[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (!e.isFile() || /\.(ao-backup|bak|orig)/.test(e.name)) continue;
    const abs = path.join(dir, e.name);
    const st = await stat(abs);
    const text = await readFile(abs, 'utf8');
    out.push({ path: e.name, text, mode: st.mode & 0o777, secret: (st.mode & 0o077) === 0 || /PRIVATE KEY-----/.test(text) });
  }
  return out;
}

function failText(io: CliIo, cmd: string, e: AppError, hop: string): void {
  io.stderr(`agent-onboard ${cmd}: ${hop}: ${e.message}\n${e.hint ? `  ${e.hint}\n` : ''}`);
}

function hopFailure(hop: HopReport['hop'], e: AppError): HopReport {
  return { hop, state: 'failed', detail: errorText(e) };
}

const INSTALL_HELP = `Usage: agent-onboard install --host H [--port N] --user U (--key FILE [--passphrase-env VAR] | ssh-agent)
                             --known-hosts FILE (--bundle FILE.zip [--bundle-passphrase-env VAR] | --from DIR)
                             [--platform P --variant V] [--prefix DIR] [--timeout-ms N] [--dry-run] [--json]
       agent-onboard install --host H ... --undo RECORD.json [--dry-run] [--json]

Installs generated files on the agent host over SSH, starts the agent and watches it come online,
hop by hop: SSH to the host → files in place → service started → process stayed up → registered
(authenticated) → connected. The host key is checked against --known-hosts before anything is sent;
a different key stops everything (HOST_KEY_MISMATCH). The plan (each file with its target, mode and
what it replaces; each command) is printed first; --dry-run stops there. Files are uploaded beside
their targets and renamed into place only when all arrived; anything replaced is backed up first;
secrets are 0600; no secret goes on a command line. Privileged steps use sudo -n: when sudo wants a
password that is said before anything changes.

Options:
  --prefix DIR        install root on the host (default /); a user without root, or a test, can install
                      under a folder it owns, and the agent then runs from there
  --from DIR          a folder written by 'generate' (the platform is recognised, or give --platform/--variant)
  --bundle FILE.zip   a bundle made by 'bundle export' (its manifest names the platform)
  --timeout-ms N      how long to watch for online (default 60000)
  --json              one JSON document: plan, hops, record (for undo), online
  --undo RECORD.json  undo an install (its "record" from --json): stop the service, restore what it
                      replaced, move what it created aside into ~/.agent-onboard/undone/<id> on the
                      host; nothing is deleted and a file edited since is left as it is

Exit codes: 0 the agent is online, 1 a hop failed or was not proven in time (named), 2 bad usage or input.

Example:
  npm run -s cli -- install --host agent1.internal --user deploy --key ~/.ssh/id_ed25519 \\
      --known-hosts pinned_hosts --from ./agent-out --prefix /home/deploy/agent`;

export const installCommand: Command = {
  name: 'install',
  summary: 'Install an agent on its host over SSH and watch it come online',
  built: true,
  help: INSTALL_HELP,
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        ...HOST_OPTIONS,
        bundle: { type: 'string' },
        'bundle-passphrase-env': { type: 'string' },
        from: { type: 'string' },
        variant: { type: 'string' },
        'dry-run': { type: 'boolean' },
        undo: { type: 'string' },
      },
    });
    if (values.undo) return undoInstall(io, values, values.undo);
    if (Boolean(values.bundle) === Boolean(values.from)) throw new UsageError('give exactly one of --bundle FILE.zip or --from DIR');
    const prefix = values.prefix ?? '/';
    if (!prefix.startsWith('/') || prefix.split('/').includes('..')) throw new UsageError('--prefix must be an absolute path on the host, without ..');
    const timeoutMs = Number(values['timeout-ms'] ?? 60_000);
    if (!Number.isInteger(timeoutMs) || timeoutMs < 1_000 || timeoutMs > 3_600_000) throw new UsageError('--timeout-ms must be 1000-3600000');
    const target = await hostTarget(io, values);

    let files: Artifact[];
    let which: { platform: PlatformId; variant: string } | undefined;
    let scratch: string | undefined;
    try {
      if (values.bundle) {
        const bytes = await readBundleFile(path.resolve(io.cwd, values.bundle));
        if (!bytes.ok) throw new UsageError(`--bundle: ${bytes.error.message}`);
        const passphrase = envSecretArg(io.env, '--bundle-passphrase-env', values['bundle-passphrase-env'], 'passphrase');
        const opened = await openBundle(bytes.value, passphrase ? { passphrase } : {});
        if (!opened.ok) throw new UsageError(`--bundle: ${opened.error.message}`);
        if (opened.value.manifest.platform && opened.value.manifest.variant)
          which = { platform: opened.value.manifest.platform, variant: opened.value.manifest.variant };
        scratch = await mkdtemp(path.join(tmpdir(), 'ao-install-'));
        const unpacked = await importBundle(bytes.value, scratch, passphrase ? { passphrase } : {});
        if (!unpacked.ok) throw new UsageError(`--bundle: ${unpacked.error.message}`);
        files = await folderArtifacts(scratch);
      } else {
        files = await folderArtifacts(path.resolve(io.cwd, values.from!)).catch(() => {
          throw new UsageError(`cannot read the folder --from ${values.from!}`);
        });
      }
    } finally {
      if (scratch) await rm(scratch, { recursive: true, force: true });
    }
    if (values.platform) {
      if (!getPlatform(values.platform)) throw new UsageError(`unknown --platform ${values.platform}`);
      which = { platform: values.platform as PlatformId, variant: values.variant ?? '' };
    }
    which ??= recogniseGenerated(files);
    if (!which) throw new UsageError('cannot tell which platform these files are for: give --platform P --variant V');

    const say = (text: string): void => {
      if (!values.json) io.stdout(text);
    };
    const hops: HopReport[] = [];
    const finish = (online: boolean, extra: Record<string, unknown> = {}): number => {
      if (values.json) printJson(io, { online, host: target.host, platform: which.platform, hops, ...extra });
      return online ? EXIT.OK : EXIT.FAILED;
    };

    say(`Connecting to ${target.user}@${target.host}:${target.port}…\n`);
    const opened = await openSession(target);
    if (!opened.ok) {
      hops.push(hopFailure('ssh', opened.error));
      failText(io, 'install', opened.error, HOP_TITLES.ssh);
      return opened.error.code === 'BAD_INPUT' ? EXIT.USAGE : finish(false);
    }
    const session = opened.value;
    try {
      hops.push({
        hop: 'ssh',
        state: 'passed',
        detail: `${target.user}@${target.host}:${target.port}, host key ${session.presented.type} ${session.presented.fingerprint} (pinned)`,
      });
      const planned = await planRemoteInstall(session, which.platform, which.variant, files, prefix);
      if (!planned.ok) {
        hops.push(hopFailure('files', planned.error));
        failText(io, 'install', planned.error, HOP_TITLES.files);
        return planned.error.code === 'BAD_INPUT' ? EXIT.USAGE : finish(false);
      }
      const { plan } = planned.value;
      say(
        `\nPlan: ${plan.title}\n${plan.files.map((f) => `  ${f.target}  mode ${f.mode.toString(8).padStart(4, '0')}${f.secret ? ' (secret)' : ''}  owner ${f.owner}  replaces ${f.replaces}`).join('\n')}\n${plan.sudo ? `  (placed with sudo -n from a private staging folder of ${target.user}: backup, temp file, owner and mode, rename)\n` : ''}${plan.commands.map((c) => `  $ ${c.command}    # ${c.title}`).join('\n')}\n`,
      );
      if (values['dry-run']) {
        say('\n--dry-run: nothing was changed.\n');
        if (values.json) printJson(io, { dryRun: true, plan });
        return EXIT.OK;
      }
      const start = await logStartNow(session.exec, planned.value.recipe.where);
      const done = await runRemoteInstall(session, target, planned.value, {
        onEvent: (e: InstallEvent) => (e.kind === 'step' ? say(`  ${e.text}\n`) : e.kind === 'output' ? say(e.text.replace(/^/gm, '    | ')) : undefined),
      });
      if (!done.ok) {
        hops.push(hopFailure('files', done.error));
        failText(io, 'install', done.error, HOP_TITLES.files);
        io.stderr(
          `  in place now: ${done.inPlace.join(', ') || 'nothing (the host is as it was)'}${done.leftovers.length ? `; temp files left: ${done.leftovers.join(', ')}` : ''}\n`,
        );
        return finish(false, { plan, record: done.record, inPlace: done.inPlace, leftovers: done.leftovers });
      }
      hops.push({ hop: 'files', state: 'passed', detail: `${plan.files.length} file(s) under ${prefix}` });
      say(`\nWatching the agent come online (limit ${Math.round(timeoutMs / 1000)} s)…\n`);
      let shown = '';
      const result = await watchOnline({
        platform: which.platform,
        where: planned.value.recipe.where,
        run: (c) => session.exec(c),
        connect: (h, p) => session.forward(h, p),
        start,
        before: [...hops],
        timeoutMs,
        health: asksHealth(which.platform, planned.value.recipe.files),
        onUpdate: (u) => {
          const line = u.hops
            .filter((h) => h.hop !== 'ssh' && h.hop !== 'files')
            .map((h) => `${MARK[h.state]} ${HOP_TITLES[h.hop]}`)
            .join(' → ');
          if (line !== shown) say(`  ${line}   (${Math.round(u.leftMs / 1000)} s left)\n`);
          shown = line;
        },
      });
      hops.splice(0, hops.length, ...result.hops);
      say(`\n${hopsText(result.hops)}\n\n${result.online ? `ONLINE: ${plan.title}${result.name ? ` (${result.name})` : ''}.` : notOnline(result)}\n`);
      return finish(result.online, { plan, record: done.record, ...(result.name ? { name: result.name } : {}) });
    } finally {
      session.close();
    }
  },
};

function notOnline(u: WatchUpdate): string {
  const failed = u.hops.find((h) => h.state === 'failed');
  if (failed) return `NOT ONLINE: ${HOP_TITLES[failed.hop]} failed.`;
  const open = u.hops.find((h) => h.state !== 'passed');
  return `NOT PROVEN YET: ${open ? HOP_TITLES[open.hop] : 'online'} was not seen within the time limit. Check again later with 'agent-onboard verify'.`;
}

/** What each platform's vendor agent list needs, for the help: "Buildkite agent read_agents with --vendor-scope ORG, …". */
function vendorTokens(): string {
  return PLATFORMS.flatMap((p) =>
    p.vendorApi
      ? [
          `${p.name} ${p.vendorApi.scope}${p.vendorApi.scopeField ? ` with --vendor-scope ${p.vendorApi.scopeField.label} (${p.vendorApi.scopeField.help})` : ''}`,
        ]
      : [],
  ).join(', ');
}

/** The platforms `verify` can watch: those with online signals. */
function watchable(): string {
  return PLATFORMS.filter((p) => p.online.length > 0)
    .map((p) => p.id)
    .join(', ');
}

const VERIFY_HELP = `Usage: agent-onboard verify --platform P [--host H [--port N] --user U --key FILE --known-hosts FILE]
                            [--prefix DIR] [--log-file F | --unit U | --container C | --log -]
                            [--timeout-ms N] [--vendor-url URL --vendor-token-env VAR [--vendor-scope S]
                             [--ca-file FILE] [--proxy URL [--no-proxy LIST]]] [--json]

Checks whether an installed agent is online, hop by hop, from its log (journalctl, docker logs, a log
file or supervisord's log), its service state, and optionally the vendor's own agent list (a separate
read-only token: ${vendorTokens()}). Without --host it checks this machine
(run it on the agent host). --log - reads pasted text on stdin, e.g. 'kubectl logs deploy/NAME' for
Kubernetes, Helm and ECS installs, which this app does not run. The vendor is asked directly, or
through --proxy URL (an HTTP proxy, CONNECT; --no-proxy LIST: hosts reached without it), trusting
the system's CAs and --ca-file FILE (a company CA, PEM or DER), as verify-token does.

Exit codes: 0 online, 1 a hop failed or was not proven in time (named), 2 bad usage or input.`;

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'Check that an installed agent is online, hop by hop',
  built: true,
  help: VERIFY_HELP,
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        ...HOST_OPTIONS,
        'log-file': { type: 'string' },
        unit: { type: 'string' },
        container: { type: 'string' },
        log: { type: 'string' },
        'vendor-url': { type: 'string' },
        'vendor-token-env': { type: 'string' },
        'vendor-scope': { type: 'string' },
        'ca-file': { type: 'string' },
        proxy: { type: 'string' },
        'no-proxy': { type: 'string' },
        health: { type: 'boolean' },
      },
    });
    const platform = values.platform ? getPlatform(values.platform) : undefined;
    if (!platform || platform.online.length === 0) throw new UsageError(`--platform must be one of ${watchable()}`);
    const timeoutMs = Number(values['timeout-ms'] ?? 15_000);
    if (!Number.isInteger(timeoutMs) || timeoutMs < 0 || timeoutMs > 3_600_000) throw new UsageError('--timeout-ms must be 0-3600000');
    const token = envSecretArg(io.env, '--vendor-token-env', values['vendor-token-env'], 'token');
    if (Boolean(token) !== Boolean(values['vendor-url'])) throw new UsageError('--vendor-url and --vendor-token-env go together');
    if (!token && (values['ca-file'] || values.proxy || values['no-proxy']))
      throw new UsageError('--ca-file, --proxy and --no-proxy are for the vendor check (--vendor-url)');
    if (values['no-proxy'] && !values.proxy) throw new UsageError('--no-proxy goes with --proxy');
    const caPems = values['ca-file'] ? (await readCaFileArg(values['ca-file'], io.cwd)).pems : undefined;
    const reach: VendorReach = {
      ...(values.proxy ? { proxy: { mode: 'manual', url: values.proxy, ...(values['no-proxy'] ? { noProxy: values['no-proxy'] } : {}) } } : {}),
      ...(caPems ? { caPems } : {}),
      env: io.env,
    };
    const vendor: VendorCheck | undefined = token
      ? { baseUrl: values['vendor-url']!, token, ...(values['vendor-scope'] ? { scope: values['vendor-scope'] } : {}), reach }
      : undefined;

    /** The verdict: the JSON document, or the hops and `verdict`; the exit code. */
    const report = (online: boolean, hops: HopReport[], name: string | undefined, verdict: string): number => {
      if (values.json) printJson(io, { online, platform: platform.id, hops, ...(name ? { name } : {}) });
      else io.stdout(`${hopsText(hops)}\n\n${verdict}\n`);
      return online ? EXIT.OK : EXIT.FAILED;
    };

    if (values.log !== undefined) {
      if (values.log !== '-') throw new UsageError('--log takes - (the log text on stdin)');
      const reading = readOnlineLog(platform.id, await io.readStdin());
      const online = pastedLogSaysOnline(reading);
      return report(online, reading.hops, reading.name, `${online ? 'ONLINE' : 'NOT ONLINE'} (from the pasted log)`);
    }
    const where: AgentWhere | undefined = values['log-file']
      ? { log: { source: 'log-file', file: values['log-file'] } }
      : values.unit
        ? {
            log: { source: 'journalctl', unit: values.unit },
            status: { command: `systemctl is-active ${q(values.unit)}`, running: /^active/m, stayedUpMs: SERVICE_STAYED_UP_MS },
          }
        : values.container
          ? {
              log: { source: 'docker-logs', container: values.container },
              status: { command: `docker inspect -f '{{.State.Status}}' ${q(values.container)}`, running: /^running/m, stayedUpMs: SERVICE_STAYED_UP_MS },
            }
          : platform.where?.(values.prefix ?? '/');
    if (!where) throw new UsageError(`say where ${platform.name}'s log is: --log-file F, --unit U or --container C`);

    let session: HostSession | undefined;
    let run: RunCommand = runLocally;
    const before: HopReport[] = [];
    if (values.host) {
      const target = await hostTarget(io, values);
      const opened = await openSession(target);
      if (!opened.ok) {
        failText(io, 'verify', opened.error, HOP_TITLES.ssh);
        if (values.json) printJson(io, { online: false, platform: platform.id, hops: [hopFailure('ssh', opened.error)] });
        return opened.error.code === 'BAD_INPUT' ? EXIT.USAGE : EXIT.FAILED;
      }
      session = opened.value;
      run = (c) => session!.exec(c);
      before.push({ hop: 'ssh', state: 'passed', detail: `${target.user}@${target.host}:${target.port} (host key pinned)` });
    }
    try {
      const s = session;
      const result = await watchOnline({
        platform: platform.id,
        where,
        run,
        before,
        timeoutMs,
        pollMs: 1_000,
        health: Boolean(values.health),
        ...(s ? { connect: (h: string, p: number) => s.forward(h, p) } : {}),
        ...(vendor ? { vendor } : {}),
      });
      return report(result.online, result.hops, result.name, result.online ? 'ONLINE' : notOnline(result));
    } finally {
      session?.close();
    }
  },
};

async function undoInstall(io: CliIo, values: Record<string, string | boolean | undefined>, file: string): Promise<number> {
  let raw: unknown;
  try {
    const json = JSON.parse(await readTextArg(file, io.cwd, '--undo')) as { record?: unknown };
    raw = json.record ?? json;
  } catch {
    throw new UsageError(`--undo: cannot read ${file} as JSON (give the "record" printed by install --json)`);
  }
  const parsed = installRecordSchema.safeParse(raw);
  if (!parsed.success)
    throw new UsageError(
      `--undo: ${file} is not an install record (${parsed.error.issues[0]?.path.join('.') ?? ''}: ${parsed.error.issues[0]?.message ?? ''})`,
    );
  const record = parsed.data as unknown as InstallRecord;
  const target = await hostTarget(io, values);
  if (target.host !== record.host || target.port !== record.port)
    throw new UsageError(`--undo: the record is for ${record.host}:${record.port}, not ${target.host}:${target.port}`);
  const opened = await openSession(target);
  if (!opened.ok) {
    failText(io, 'install', opened.error, HOP_TITLES.ssh);
    return EXIT.FAILED;
  }
  try {
    const plan = await planRemoteUndo(opened.value, record);
    if (!plan.ok) {
      failText(io, 'install', plan.error, 'undo');
      return EXIT.FAILED;
    }
    const text = `Undo of ${record.id} on ${record.host}:\n${plan.value.stop.map((c) => `  $ ${c}`).join('\n')}\n${plan.value.steps.map((s) => `  ${s.action.padEnd(24)} ${s.path}${s.to ? ` → ${s.to}` : ''}`).join('\n')}\n`;
    if (values['dry-run']) {
      if (values.json) printJson(io, { dryRun: true, plan: plan.value });
      else io.stdout(`${text}--dry-run: nothing was changed.\n`);
      return EXIT.OK;
    }
    const id = await opened.value.exec('id -u');
    const asRoot = id.ok && id.value.stdout.trim() === '0';
    const done = await runRemoteUndo(opened.value, record, plan.value, asRoot);
    if (!done.ok) {
      failText(io, 'install', done.error, 'undo');
      return EXIT.FAILED;
    }
    if (values.json) printJson(io, { undone: true, ...done.value, asideDir: plan.value.asideDir });
    else io.stdout(`${text}Done. Moved aside into ${plan.value.asideDir}.\n`);
    return EXIT.OK;
  } finally {
    opened.value.close();
  }
}
