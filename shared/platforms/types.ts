/**
 * The shape of a platform: everything the app knows about one CI/CD agent platform, as pure data
 * and pure functions of text. This file names no platform. A platform lives in one folder per layer:
 * shared/platforms/<id>/ exports its `Platform` (and, when it has channels of its own, their
 * contract); main/platforms/<id>/ holds what needs Node (services, IPC handlers, CLI commands) and
 * renderer/platforms/<id>/ what needs React, only when it has such parts. Each layer's registry
 * (<layer>/platforms/index.ts) lists them, and the shared one holds PLATFORM_IDS; adding a platform
 * is its folders, a line in each registry that needs one, and its tests.
 * scripts/platform-ids.mjs checks that no other file names a platform id.
 */
import type { z } from 'zod';
import type { Result } from '../result';
import type { PlatformId } from './index';

export type { PlatformId };

/** The wizard's steps, in order. A platform lists the ones it needs. */
export const STEP_IDS = ['platform', 'details', 'credentials', 'connectivity', 'configs', 'install', 'export', 'done'] as const;
export type StepId = (typeof STEP_IDS)[number];

/** One input of the Details step. The zod `answers` schema is the authority; fields drive the form. */
export interface Field {
  key: string;
  label: string;
  kind: 'text' | 'host' | 'url' | 'port' | 'number' | 'select' | 'textarea' | 'tags' | 'list';
  required?: boolean;
  help?: string;
  placeholder?: string;
  options?: { value: string; label: string }[];
  /**
   * The value the answers schema uses when the field is left empty, shown filled in (preselected
   * for 'select'), so the user sees what is used; it must equal the schema's default. A field
   * without one is required or truly optional: its placeholder is never a value used for it.
   */
  default?: string;
  /** For kind 'list': the fields of one row. */
  fields?: Field[];
  /** Shown only for these variants (all when absent). */
  variants?: string[];
}

/**
 * A platform's judgement of a pasted token, after shared/tokens.ts has cleaned it (quotes, spaces,
 * `NAME=`, `Bearer `) and refused characters no token has. `where` defaults to the spec's own.
 */
export type TokenCheck =
  | { verdict: 'ok'; kind: string; kindName: string; message: string; note?: string }
  | { verdict: 'wrong-kind'; kind: string; kindName: string; message: string; where?: string }
  | { verdict: 'invalid'; message: string; where?: string };

/** What a platform's token looks like, and how to tell a wrong one. */
export interface TokenSpec {
  /** What the vendor calls it, e.g. "Buildkite agent token". */
  name: string;
  /** Where the user gets one, in words. */
  where: string;
  /**
   * Judges a cleaned token: accepted (with its kind), the wrong kind of this vendor's tokens (named,
   * with why and where to get the right one), or invalid (with the reason).
   */
  check?(token: string): TokenCheck;
  /**
   * Tokens this platform judges itself although they look like another service's token that
   * shared/tokens.ts names by itself (a GitLab runner token is a "GitLab token" to every other
   * platform). Without it, those are named as the other service's before `check` runs.
   */
  claims?: RegExp;
  /**
   * Tokens of these kinds stop working `ms` after they are made (GitHub's one-hour registration
   * token): the Credentials step counts the time down from when the token was checked and warns
   * when less than `warnMs` is left, saying how to `renew` it (see shared/token-lifetime.ts).
   */
  lifetime?: TokenLifetime;
  /**
   * This agent signs or checks short-lived tokens with the host's clock: its name as the clock-skew
   * warning lists it among the agents a wrong clock breaks ("Harness delegates").
   */
  clockSensitive?: string;
}

/** How long a kind of token lives, for the countdown on the Credentials step. */
export interface TokenLifetime {
  kinds: string[];
  ms: number;
  warnMs: number;
  /** What to do for a fresh one, in words. */
  renew: string;
}

export type CredentialSpec =
  | {
      kind: 'ssh-keypair';
      keyTypes: ('ed25519' | 'rsa')[];
      defaultType: 'ed25519' | 'rsa';
      /** File names of the pair in the generated output. */
      privateKeyName: string;
      publicKeyName: string;
      /** Private key file format the platform needs. */
      privateKeyFormat: 'openssh' | 'pkcs1' | 'pkcs8';
      /**
       * How the public key gets registered with the server, for the probe's "Key not accepted"
       * advice, with the vendor named ("ArmorCode: send public-key.pem to their support").
       */
      registration?: string;
    }
  | { kind: 'token'; token: TokenSpec }
  | { kind: 'none' };

/** Something to probe before anything starts. */
export interface Endpoint {
  id: string;
  host: string;
  port: number;
  protocol: 'ssh' | 'tls' | 'https' | 'http' | 'tcp';
  purpose: string;
  /** Failing it is a warning, not a failure (e.g. the 443 fallback when 22 works). */
  optional?: boolean;
  /** Path of the HTTP request (http/https). */
  path?: string;
  /** The id of the vendor service that must answer there (one of a platform's `services`; see shared/vendor-answers.ts). */
  service?: string;
}

/** A file a generator produces. Paths are relative to the output folder, with '/' separators. */
export interface Artifact {
  path: string;
  text: string;
  mode: number;
  secret: boolean;
  description?: string;
}

/** A command the user runs on the agent host (shown with a copy button, never run by the app). */
export interface Command {
  title: string;
  command: string;
  os?: 'linux' | 'macos' | 'windows';
}

/** What a generator may use besides the answers and the credential. */
export interface GenerateExtras {
  /** CA certificates (PEM, public) the agent must trust: the company CA the checks trusted. */
  trustedCa?: string;
}

/** How to take an install away again: what to run on the agent host, and what to do elsewhere. */
export interface Removal {
  commands: Command[];
  notes: string[];
}

export interface Generated {
  files: Artifact[];
  commands: Command[];
  notes: string[];
  /** Removing this agent later (the bundle README and the Configs step show it). */
  removal?: Removal;
}

/** The credential a generator gets; the private parts exist only in the main process. */
export type Credential =
  { kind: 'ssh-keypair'; privateKey: string; publicKey: string; knownHosts?: string } | { kind: 'token'; token: string } | { kind: 'none' };

/** One change an updater made, for the report and the diff. */
export interface Change {
  /** 1-based line where the value sits in the new text. */
  line: number;
  what: string;
  /** [start, end) of the replaced value in the old text, so previews can mask the secret. */
  oldRange?: [number, number];
  /** [start, end) of the new value in the new text. */
  newRange?: [number, number];
}

/** An in-place editor of an existing install's file (token rotation). Pure: text in, text out. */
export interface Updater {
  id: string;
  name: string;
  /** True when this updater understands the file (by name and content). */
  detect(fileName: string, text: string): boolean;
  rotate(text: string, newToken: string): Result<{ text: string; changes: Change[]; notes?: string[] }>;
  /** How to restart and verify after the edit. */
  commands: Command[];
  /** The same, filled in from this file (names, namespace, path); `commands` when absent. */
  commandsFor?(text: string, filePath: string): Command[];
  /**
   * Where this updater's file sits inside an install folder (e.g. `conf/wrapper.conf` of a
   * bamboo-agent-home): a folder given for rotation that has one resolves to it instead of being searched.
   */
  homeFiles?: string[];
  /**
   * The file is recognised but holds no token to edit (a GitHub Actions runner's `.runner`: the
   * runner signs in with its own key and is re-registered instead): `rotate` always refuses, its
   * error saying what to do instead. The conformance suite does not ask such an updater to round-trip.
   */
  recogniseOnly?: true;
}

/**
 * What the app can do for the user when it recognises a failure: open the Rotate page for a
 * platform, switch the port in the wizard, or open a step of the failure's platform's wizard
 * (with the pasted text put into one of its answers, `pasteInto`). A platform whose action needs
 * other words than the generic ones gives them: `label` on the button, `cli` after "next:" in
 * `agent-onboard diagnose`.
 */
export type FixAction = (
  { kind: 'rotate-token'; platform: PlatformId } | { kind: 'switch-port'; port: number } | { kind: 'open-step'; step: StepId; pasteInto?: string }
) & { label?: string; cli?: string };

/** A known failure: how to recognise it in pasted log text, and what to do. */
export interface KnownFailure {
  id: string;
  title: string;
  patterns: RegExp[];
  cause: string;
  fix: string;
  action?: FixAction;
  /**
   * The hop where this failure happens, when the failure itself says (a refused key fails
   * 'registered' whether or not supervisord has yet seen the process stay up). Without it, the
   * online reader places the failure at the hop after the last one proven before its line.
   */
  hop?: HopId;
}

/**
 * The hops an install passes on its way to "online", in order. Each online signal proves one hop;
 * a watcher reports the first hop not yet proven (or the one a failure line belongs to).
 */
export const HOP_IDS = ['ssh', 'files', 'started', 'stayed-up', 'registered', 'connected', 'vendor'] as const;
export type HopId = (typeof HOP_IDS)[number];

/** How long a service must answer "running" on every poll to count as stayed up (longer than the RestartSec=5 of the generated units). */
export const SERVICE_STAYED_UP_MS = 10_000;

/** Where the app reads a platform's log lines on the agent host. */
export type LogSource = 'supervisord' | 'journalctl' | 'docker-logs' | 'log-file' | 'kubectl';

/** Where an installed agent's log and state are on its host (read over SSH, or locally). */
export interface AgentWhere {
  log: { source: 'journalctl'; unit: string } | { source: 'docker-logs'; container: string } | { source: 'log-file' | 'supervisord'; file: string };
  /**
   * Answers whether the service runs; `running` matches its output when it does. `stayedUpMs`:
   * the answer proves the 'stayed-up' hop once it said running on every poll for that long (a
   * service manager that writes no line for it, e.g. systemd's `is-active`).
   */
  status?: { command: string; running: RegExp; stayedUpMs?: number };
}

/**
 * One thing that proves the agent got further towards online, with its source (the vendor's code
 * or docs), so the text is never invented:
 * - `log`: a line the agent prints; `name` (when present) is the capture group holding the
 *   agent's resolved name (for the vendor check); `pending` marks a state that is not a failure
 *   but waits on a person (Bamboo approval); `holdMs` proves the hop only when the same attempt
 *   shows no failure line for that long after the line.
 * - `health`: a local HTTP endpoint on the agent host; `ok` must match a 2xx body. An opt-in one
 *   is asked only when `enabledBy` matches one of the installed files (the user turned it on).
 * - `vendor-api`: the vendor's own list of connected agents, asked with a separate read-only token
 *   (the requests and how to read them are the platform's `vendorApi`).
 */
export type OnlineSignal =
  | { kind: 'log'; hop: HopId; id: string; pattern: RegExp; meaning: string; source: string; name?: number; pending?: boolean; holdMs?: number }
  | {
      kind: 'health';
      hop: HopId;
      id: string;
      port: number;
      path: string;
      ok: RegExp;
      meaning: string;
      source: string;
      /** The setting that turns an opt-in endpoint on (shown to the user); `enabledBy` finds it in a generated file. */
      optIn?: string;
      enabledBy?: RegExp;
      inContainer?: boolean;
    }
  | { kind: 'vendor-api'; hop: 'vendor'; id: string; scope: string; meaning: string; source: string };

/** A command the installer runs on the agent host: shell text of paths and names only, never a secret. */
export interface HostCommand {
  title: string;
  command: string;
  /** Needs root (run with `sudo -n` when the login user is not root). */
  privileged?: boolean;
  /** A failure is expected and harmless (e.g. stopping what is not running). */
  mayFail?: boolean;
}

/**
 * How the app installs generated files on an agent host over SSH, under an install root (the
 * prefix; '/' for a real install). Paths are absolute on the host, already under the prefix.
 */
export interface HostRecipe {
  kind: 'supervisord' | 'systemd' | 'docker' | 'shell' | 'installer';
  title: string;
  dirs: { path: string; mode: number }[];
  /** `owner`: the service user the file belongs to once installed (absent: root, or the login user when it places files itself). */
  files: { from: string; target: string; mode: number; secret: boolean; text: string; owner?: string }[];
  /** Programs that must exist on the host (checked before any change). */
  requires: string[];
  /**
   * How to get a required program that a distribution's own packages do not carry (a vendor's
   * package repository first), in a sentence, by program; absent: `apt-get install <program>`.
   */
  installHints?: Record<string, string>;
  /**
   * Makes what the files need exist before any is placed (the service user that owns them), once
   * the plan is agreed; not undone (a system user stays, as a package's does). A failure stops the
   * install with nothing changed.
   */
  prepare?: HostCommand[];
  /** Stops what a previous install left running (before files are replaced, and on undo). */
  stop: HostCommand[];
  start: HostCommand[];
  /** Where its log and state are (the online signals are read from them). */
  where: AgentWhere;
  /** Files the agent itself creates (moved aside on undo, never deleted). */
  agentMade: string[];
  notes: string[];
}

export interface Platform<A = unknown> {
  id: PlatformId;
  name: string;
  summary: string;
  docs: { title: string; url: string }[];
  variants: { id: string; name: string }[];
  /** The steps this platform needs, in wizard order ('platform' and 'done' always included). */
  steps: StepId[];
  fields: Field[];
  /** The wizard's form and the CLI's --answers file. */
  answers: z.ZodType<A>;
  credential: CredentialSpec;
  endpoints(a: A): Endpoint[];
  /**
   * True for a platform whose outcome is an analysis rather than agent files (Bamboo elastic's
   * policy check): the Export step packs the analysis (report, fixes, patches) instead.
   */
  analysis?: true;
  /** Files and commands for a new install; absent until the platform's generator is built. */
  generate?(a: A, c: Credential, variant: string, extras?: GenerateExtras): Result<Generated>;
  updaters: Updater[];
  /** After a rotation: the steps to retire the old token once every agent runs on the new one. */
  revokeChecklist?: string[];
  failures: KnownFailure[];
  /** What proves an install of this platform is online (reference/next-platforms.md Part A). */
  online: OnlineSignal[];
  /** Install types a fleet's Ansible project can run (absent: no Ansible export yet). */
  ansible?: AnsibleInstallType[];
  /**
   * How to install a variant's generated files on a host under `prefix`; absent, or BAD_INPUT,
   * for variants that do not run on a host (Kubernetes, Helm, ECS: their commands are shown).
   */
  hostInstall?(variant: string, files: Artifact[], prefix: string): Result<HostRecipe>;
  /** Where a host install under `prefix` keeps its log and state (for `verify`), by default. */
  where?(prefix: string): AgentWhere;
  /**
   * How this agent trusts a company CA once the PEM file `file` (a path on the agent host) is
   * there, in one or more sentences for the bundle README and the Configs step. Absent: the
   * system trust store is enough (the generic note says how to add it there).
   */
  caNotes?(file: string): string[];
  /**
   * How the generator itself installs a trusted company CA, in a few words for `generate --help`
   * ("Harness mounts it where the delegate loads it"); absent: nothing to add there.
   */
  caInstall?: string;
  /**
   * Domains of this vendor's public SaaS endpoints: their certificates always come from a public
   * CA, so the probe calls an untrusted certificate there TLS interception (shared/probe/interception.ts).
   */
  publicDomains?: string[];
  /** For the Rotate page: where an install usually lives (the paths box's placeholder), and a hint. */
  rotation?: { placeholder: string; hint?: string };
  /** The vendor services this platform's endpoints name in `Endpoint.service`. */
  services?: VendorServiceSpec[];
  /** The vendor's list of agents, for the 'vendor-api' online signals. */
  vendorApi?: VendorApi;
  /**
   * Text only this platform's files contain (its programs, images, variables): a file of a folder
   * that has it counts for this platform when the folder's platform is recognised.
   */
  recognise?: RegExp;
  /**
   * The variant of a folder this platform's generator wrote, when its files say so unambiguously
   * (`install --from DIR` without --platform); undefined otherwise.
   */
  recogniseGenerated?(files: readonly { path: string; text: string }[]): string | undefined;
  /** What the conformance suite over PLATFORMS cannot derive from the rest of the platform. */
  example?: PlatformExample;
  /** Checking the agent token with the vendor itself, before anything is written (with consent). */
  tokenVerify?: TokenVerify<A>;
  /**
   * Warnings, in sentences, for a bundle carrying files at these paths (e.g. a file that names
   * one host, which every host unpacking the bundle would then share); none when nothing applies.
   */
  bundleWarnings?(paths: readonly string[]): string[];
}

/**
 * Samples for the conformance suite (test/unit/shared/platforms/conformance.test.ts), only for
 * what it cannot derive: answers come from the schema's examples, tokens from generic shapes the
 * token check accepts, and rotation from the generated files its updaters recognise.
 */
export interface PlatformExample {
  /** Tokens the platform accepts, when none of the suite's generic shapes passes its check. */
  tokens?: string[];
  /**
   * Per updater id, for an updater no generated file exercises: a file of an install the app did
   * not write (the vendor's own layout), with `token` where its token sits.
   */
  installed?: Record<string, { file: string; text: string; token: string }>;
  /** Files the user puts beside the generated ones before running its scripts (the vendor's installer jar). */
  beside?: { path: string; text: string; mode: number }[];
}

/** What the vendor said about a token checked with the token itself. */
export interface TokenVerification {
  state: 'valid' | 'invalid' | 'expired' | 'unknown';
  /** In sentences, what it means and what to do next. */
  message: string;
  /** When the token expires (ISO 8601), when the vendor said. */
  expiresAt?: string;
  /**
   * A token the vendor issued in exchange for the one checked (a registration token a GitHub PAT
   * fetched), with its expiry: the main process keeps it in the vault, from where it can replace
   * the credential; it never goes to the renderer, a log or the CLI's output.
   */
  issued?: { token: string; kind: string; kindName: string; expiresAt?: string; note?: string };
  /** What the answer says about the other answers (a GitHub App not installed on the organization in the URL). */
  findings?: { state: 'passed' | 'failed' | 'unknown'; detail: string }[];
}

/**
 * A check of the agent token with the vendor using only the token: one documented request that
 * creates nothing lasting (at most a short-lived token in exchange, see `issued`; the main process
 * sends it, through the proxy and CA of the answers), and its reader. Which request may depend on
 * the token's kind and the variant (a GitHub PAT fetches a registration token for a host runner,
 * lists the organization's app installations for ARC with a GitHub App). Generic: any platform
 * whose vendor has such an endpoint fills it.
 */
export interface TokenVerify<A = unknown> {
  /** In sentences: what is sent where, and what it creates (shown before the user agrees). */
  what: string;
  /** The request for these answers (and variant, when known); TOKEN_WRONG_KIND for a token this endpoint cannot check. */
  request(a: A, token: string, variant?: string): Result<VendorRequest>;
  read(answer: { status: number; body: unknown }, now: Date, asked?: { answers: A; token: string; variant?: string }): TokenVerification;
}

/**
 * A vendor service an endpoint must be (shared/vendor-answers.ts asks and reports): one documented,
 * unauthenticated request and how its answer tells the real service from any other server.
 */
export interface VendorServiceSpec {
  id: string;
  /** In sentences: "Buildkite's Agent API". */
  name: string;
  /** The path asked, below the endpoint's own path. */
  path: string;
  /**
   * Whether the answer is this service's, and why, in words. `headers` have lower-case names;
   * `body` is the start of the body parsed as JSON (undefined when it is not JSON).
   */
  judge(answer: { status: number; headers: Record<string, string>; body: unknown }): { looksLike: boolean; why: string };
}

/** An HTTP request the main process makes for a pure reader (no secrets in `url`). */
export interface VendorRequest {
  url: string;
  method?: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
}

/**
 * The vendor's own list of agents (the 'vendor-api' online signal): the requests to make with the
 * user's read-only token, and how to read their answers for the agent called `name`.
 */
export interface VendorApi {
  /** What the read-only token needs, as the vendor names it ('read_agents'), for "lacks the permission (403): …". */
  scope: string;
  /** What `scope` value the request needs (an organization slug, an account id), if any. */
  scopeField?: { label: string; help: string };
  requests(base: string, scopeValue: string, name: string, token: string): VendorRequest[];
  /**
   * Reads the answers, in the order of `requests` (undefined for a request that was not made or
   * failed; a request is made only when the ones before it answered 2xx). A refused token (401,
   * 403) or another non-2xx answer to the first request is reported before `read` is asked.
   */
  read(name: string, answers: ({ status: number; body: unknown } | undefined)[]): { state: 'passed' | 'failed' | 'waiting' | 'pending'; detail: string };
  /**
   * The vendor can say that an agent waits for a person's approval before its log shows anything
   * (Bamboo's remote agent authentication): it is asked while the log waits, so "pending" is shown
   * as its own state rather than as a silent wait.
   */
  pendingWhileWaiting?: true;
}

/** A platform with its answers type erased, for catalogues. */
export type AnyPlatform = Platform<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** One generated file as an Ansible role installs it: where under the install root, and what a change restarts. */
export interface AnsibleFile {
  artifact: Artifact;
  /** Absolute path on the host, without the install root ('/etc/armorcode/supervisord.conf'). */
  dest: string;
  /**
   * A change applies by reloading (only what changed restarts), by restarting everything, or needs
   * neither; 'once': the generic copy tasks leave it alone, the install type's own `tasks` copy it
   * (a one-time credential a program consumes and deletes, e.g. a registration token).
   */
  on: 'reload' | 'restart' | 'none' | 'once';
  /** The owner the file is placed as (a service's own user); absent: `agent_owner`, else the SSH user. */
  owner?: string;
  /** A file outside the install's own folders (a unit in /etc/systemd/system): remove.yml moves it aside on its own. */
  aside?: boolean;
}

/**
 * An install type an exported Ansible project can run: the platform's own generator, laid out
 * under an install root, and the shell lines the role runs. The lines are Jinja templates that may
 * use `{{ agent_install_root }}` (quoted with `| quote`).
 */
export interface AnsibleInstallType {
  id: string;
  name: string;
  /** The platform variant whose generator makes the files. */
  variant: string;
  /** The files for one agent under `root` ('' is /), byte-identical to the generator's for that layout. */
  files(answers: unknown, credential: Credential, root: string, extras?: GenerateExtras): Result<{ generated: Generated; files: AnsibleFile[] }>;
  /** Folders the install owns (created 0750, moved aside whole by remove.yml, never deleted), without the root. */
  dirs: string[];
  /**
   * Where the online signals are read: a log file (without the root), or the journal of the units
   * matching a `journalctl -u` pattern (read from the run's start after a restart, else its last lines).
   */
  log: string | { journal: string };
  /**
   * Asked on every verify poll (a Jinja template): answering `running` on every poll for
   * `stayedUpMs` proves the 'stayed-up' hop (a service manager that writes no line for it: systemd).
   */
  status?: { command: string; running: RegExp; stayedUpMs: number };
  /** A system user the service runs as, created (no home, no login shell) before any file is placed. */
  serviceUser?: string;
  /** Mode of the folders the install owns (default 0750), e.g. 0755 where a service user must reach its files in root's folder. */
  dirMode?: string;
  /** Role variables (Jinja templates of the host vars, e.g. the units a host's files name), for the shell lines. */
  roleVars?: Record<string, string>;
  /** Run by remove.yml after everything is moved aside (e.g. `systemctl daemon-reload`); prints `changed` when it changed something. */
  afterRemove?: string;
  /** Prints `started` when it started the service, nothing when it already ran (idempotence). */
  start: string;
  /**
   * Applies changed config files, restarting only the programs whose config changed; prints `reloaded` when it did.
   * reload and restart may read `agent_changed`: the `src` of every file this run's copy changed.
   */
  reload: string;
  /** Restarts everything; prints `restarted` when it did (nothing when the service is not running yet). */
  restart: string;
  /** Stops the service (prints `stopped` when it did); succeeds when it was not running. */
  stop: string;
  /** What remove.yml does, in words, for the project README. */
  removal: string;
  /** Where the token lives in one line Ansible can replace safely (rotate.yml); absent: no rotate.yml. */
  rotate?: AnsibleRotate;
  /** Without `rotate`: why there is no rotate.yml and how the credential changes instead, for the project README. */
  noRotate?: string;
  /**
   * The hops verify waits for, when this install cannot show every one of the platform's online
   * hops in its log (absent: all of them); known failures still fail a host at any hop.
   */
  verifyHops?: OnlineSignal['hop'][];
  /**
   * Log signals only this install's verify waits for, before the platform's own: e.g. the line
   * that marks each start of the agent (a 'started' hop), so verify reads only the latest start.
   */
  verifySignals?: Extract<OnlineSignal, { kind: 'log' }>[];
  /**
   * A shell line (Jinja template) that exits 0 while the agent's process runs: verify's 'started'
   * hop waits while it does not, so a log that proved the agent online once cannot pass a dead one.
   */
  running?: string;
  /**
   * How verify asks a health signal that is `inContainer` when the agent runs in one: present, the
   * endpoint is asked (after the log's hops passed) on the host, or with `exec` (an argv prefix of
   * Jinja templates, e.g. `docker exec NAME`) running curl where it listens. Absent: not asked.
   */
  health?: { exec?: string[] };
  /**
   * Ansible tasks of this install type's own (Jinja templates, no secret in clear): `beforeStart`
   * runs in site.yml after the files are installed and before `start`; `afterStop` in remove.yml
   * after `stop` and before the folders move aside.
   */
  tasks?: { beforeStart?: Record<string, unknown>[]; afterStop?: Record<string, unknown>[] };
  /** What the admin must know before the first run (what the role does not bring), for the project README. */
  notes?: string[];
}

/** A token line rotate.yml replaces in place (lineinfile, backup kept, the secret never shown). */
export interface AnsibleRotate {
  /** The file (one of `files`' dest, or one the install writes), without the root. */
  dest: string;
  /** The line and file in words ('token= in buildkite-agent.cfg'). */
  what: string;
  /**
   * Python regex of the whole line to replace; a file without it is left unchanged. With
   * `locate`, it may use `{{ agent_rotate_at }}` (what locate printed).
   */
  regexp: string;
  /**
   * The argv of a read-only command (Jinja templates, run without a shell, in check mode too) that
   * reads `dest` and prints where the token's line is, e.g. an index the file itself decides, as
   * `agent_rotate_at`; it exits non-zero with a message on stderr when the place is not certain
   * (nothing is then written). It must never print the token. Absent: `regexp` alone finds the line.
   */
  locate?: string[];
  /** Replace every line matching `regexp` (ansible.builtin.replace), not only the last (lineinfile). */
  every?: boolean;
  /** What else the admin should know about a rotation, for the project README (one or two sentences). */
  note?: string;
  /** The new line, a Jinja template of `agent_new_token`: the generator's bytes for a token matching `token`. */
  line: string;
  /** Python regex a new token must match (else the host fails before anything is written). */
  token: string;
  /** What a change needs. */
  on: 'reload' | 'restart';
}
