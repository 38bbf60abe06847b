/**
 * A fleet as an Ansible project: inventory from the fleet CSV, one role per platform and install
 * type, playbooks to install and verify, verify only, and remove, and a README. Pure: it returns
 * the project's files as text; main encrypts the secret ones with Ansible Vault and writes them.
 *
 * The role installs the platform generator's own files (owner, mode, backup), notifies a handler
 * that reloads (only what changed restarts) or restarts, starts the service, and waits for the
 * platform's online signals (`platform.online`) with the limit `agent_verify_timeout`, failing
 * the host with the hop named: the same signals as the app's install-and-verify.
 */
import { stringify } from 'yaml';
import { HOP_TITLES } from '../online';
import type { AnsibleFile, AnsibleInstallType, AnsibleRotate, AnyPlatform, OnlineSignal } from '../platforms/types';
import { AGENT_ONLINE_MODULE } from './online-module';

/** One agent (a CSV row) as an inventory host. */
export interface AnsibleAgent {
  name: string;
  /** ansible_host / ansible_port / ansible_user; absent: Ansible's own defaults. */
  host?: string;
  port?: number;
  user?: string;
  /** Install root the files were generated for ('' is /). */
  root: string;
  /** The agent's answers (never secret: credentials live in files). */
  answers: Record<string, unknown>;
  files: AnsibleFile[];
}

export interface AnsibleProjectInput {
  platform: AnyPlatform;
  type: AnsibleInstallType;
  agents: AnsibleAgent[];
  appVersion: string;
  /** What to do outside the hosts when removing (the generator's removal notes). */
  removalNotes: string[];
}

/** A file of the project; `secret` files are written vault-encrypted (mode 0600). */
export interface ProjectFile {
  path: string;
  text: string;
  mode: number;
  secret: boolean;
}

/** Folder of each host's generated files inside the project. */
export const HOST_FILES_DIR = 'host_files';

/** Where remove.yml moves what it owns (under the install root), one folder per run. */
export const ASIDE_DIR = '/var/backups/agent-onboard';

/** The file rotate.yml reads the new token from (`-e @rotate-token.yml`), vault-encrypted by the admin. */
export const ROTATE_TOKEN_FILE = 'rotate-token.yml';

/**
 * Verify after a restart reads only the log written since (agent_online's `since`): the log's
 * inode and size are noted before anything can restart the agent, and handed to verify when one
 * of `registers` (the start, restart or reload tasks' results) says it did. Without it, until the
 * restarted agent writes its first line, the previous run's lines would pass verify.
 */
function logMarkTask(type: AnsibleInstallType): Record<string, unknown> {
  // A journal has no size to note: the host's clock now (sub-second), for journalctl --since @EPOCH.
  if (typeof type.log !== 'string')
    return {
      name: 'Note the time on the host now (verify after a restart reads only the journal since)',
      'ansible.builtin.command': { argv: ['date', '+%s.%N'] },
      register: 'agent_log_before',
      // Read-only: it runs in --check too.
      check_mode: false,
      changed_when: false,
    };
  return {
    name: 'Note where the log ends now (verify after a restart reads only what follows)',
    'ansible.builtin.stat': { path: '{{ agent_install_root }}{{ agent_log }}', get_checksum: false, get_mime: false, get_attributes: false },
    register: 'agent_log_before',
  };
}

function logSinceTask(type: AnsibleInstallType, registers: string[]): Record<string, unknown> {
  return {
    name: 'Verify reads only the log written since the agent (re)started',
    'ansible.builtin.set_fact': {
      agent_log_since:
        typeof type.log !== 'string'
          ? "{{ {'epoch': agent_log_before.stdout | trim} }}"
          : "{{ {'exists': agent_log_before.stat.exists, 'inode': agent_log_before.stat.inode | default(0), 'size': agent_log_before.stat.size | default(0)} }}",
    },
    when: registers.map((r) => `(${r} is defined and ${r} is changed)`).join(' or '),
  };
}

/**
 * rotate.yml's tasks: the new token is checked (defined, and of characters the generator writes
 * as this very line) before any file is touched; where the file itself decides which line holds
 * the token, a read-only script finds it (failing the host, nothing written, when unsure); then
 * one lineinfile (or replace, for every definition) rewrites the token's line with a backup beside it, with no_log and diff off so neither token is ever shown; a change
 * restarts (or reloads) the agent and the same verify as site.yml waits for it to come online.
 */
function rotateTasks(r: AnsibleRotate, type: AnsibleInstallType): Record<string, unknown>[] {
  const start = type.start;
  return [
    { name: 'Check SSH', 'ansible.builtin.include_tasks': 'ssh.yml' },
    {
      name: `Check the new token is given (-e @${ROTATE_TOKEN_FILE}, vault-encrypted)`,
      'ansible.builtin.fail': {
        msg: `No agent_new_token: put it in ${ROTATE_TOKEN_FILE} (ansible-vault create --vault-id fleet@prompt ${ROTATE_TOKEN_FILE}) and run with -e @${ROTATE_TOKEN_FILE}.`,
      },
      when: 'agent_new_token is not defined or (agent_new_token | string | length) == 0',
    },
    {
      name: 'Check the new token has only the characters this line can hold as written',
      'ansible.builtin.fail': { msg: `The new token has characters ${r.what} cannot hold as written (allowed: ${r.token}); nothing was changed.` },
      when: `agent_new_token is not match(${JSON.stringify(r.token).replace(/^"|"$/g, "'")})`,
    },
    ...(r.locate
      ? [
          {
            name: `Find the token's line in ${r.dest.split('/').pop()!} (the file decides where it is)`,
            'ansible.builtin.command': { argv: r.locate },
            register: 'agent_rotate_locate',
            // Read-only: it runs in --check too, so the preview names the line it would change.
            check_mode: false,
            changed_when: false,
          },
          { name: 'Keep where the token is', 'ansible.builtin.set_fact': { agent_rotate_at: '{{ agent_rotate_locate.stdout | trim }}' } },
        ]
      : []),
    logMarkTask(type),
    {
      name: `Write the new token: ${r.what} (a backup is kept; the token is never shown)`,
      ...(r.every
        ? { 'ansible.builtin.replace': { path: `{{ agent_install_root }}${r.dest}`, regexp: r.regexp, replace: r.line, backup: true } }
        : { 'ansible.builtin.lineinfile': { path: `{{ agent_install_root }}${r.dest}`, regexp: r.regexp, line: r.line, backrefs: true, backup: true } }),
      // Neither token reaches the output, even with --diff or -v.
      no_log: true,
      diff: false,
      notify: `${r.on === 'reload' ? 'Reload' : 'Restart'} agent`,
    },
    { name: 'Apply the new token to the running service', 'ansible.builtin.meta': 'flush_handlers' },
    // An agent whose old token was refused may have stopped: the new token is what it waits for.
    {
      name: 'Start the service when it is not running',
      'ansible.builtin.shell': start,
      register: 'agent_start',
      changed_when: "'started' in agent_start.stdout",
    },
    // The token is read only when the agent starts, so a reload that applied it restarted it too.
    logSinceTask(type, ['agent_restart', 'agent_reload', 'agent_start']),
    { name: 'Verify', 'ansible.builtin.include_tasks': 'online.yml', when: 'not ansible_check_mode' },
  ];
}

/** An Ansible group / role name: letters, digits and '_' only. */
export function groupName(...parts: string[]): string {
  return parts.join('_').replace(/[^A-Za-z0-9_]/g, '_');
}

// PyYAML reads YAML 1.1: with version 1.1 the writer quotes yes/no/on/off and octal-looking text.
// Long values are folded under ansible-lint's 160 columns (a folded line break reads as one space).
function yaml(value: unknown): string {
  return stringify(value, { version: '1.1', lineWidth: 150, minContentWidth: 40 });
}

/**
 * A JS RegExp as Python `re` source: named groups renamed, flags inlined, and a negative
 * look-behind ending in an optional space (`(?<!#\s?)`) split in two, as Python's look-behind must
 * have a fixed width.
 */
export function pythonRegex(re: RegExp): string {
  const flags = ['i', 'm', 's'].filter((f) => re.flags.includes(f)).join('');
  const source = re.source.replace(/\(\?<([A-Za-z_][A-Za-z0-9_]*)>/g, '(?P<$1>').replace(/\(\?<!([^()?]*)\\s\?\)/g, '(?<!$1)(?<!$1\\s)');
  return `${flags ? `(?${flags})` : ''}${source}`;
}

/** The role default that says where verify asks each health endpoint, by signal id (an admin may set it per host). */
export const HEALTH_URLS_VAR = 'agent_health_urls';

/** The URL a health signal is asked at by default: the agent's own port on the host (or inside its container). */
export function healthUrl(s: { port: number; path: string }): string {
  return `http://127.0.0.1:${s.port}${s.path}`;
}

/** Which of the platform's health signals an install type's verify asks (opt-in ones never; one that may be in a container only where the type says how). */
function askedHealth(s: OnlineSignal, type?: Pick<AnsibleInstallType, 'health'>): s is Extract<OnlineSignal, { kind: 'health' }> {
  return s.kind === 'health' && !s.optIn && (!s.inContainer || Boolean(type?.health));
}

/** The health endpoints the role's verify asks. */
function healthSignals({ platform, type }: Pick<AnsibleProjectInput, 'platform' | 'type'>): Extract<OnlineSignal, { kind: 'health' }>[] {
  return platform.online.filter(
    (s): s is Extract<OnlineSignal, { kind: 'health' }> => (!type.verifyHops || type.verifyHops.includes(s.hop)) && askedHealth(s, type),
  );
}

/**
 * The platform's online signals and known failures, as the agent_online module reads them; with
 * an install type, its own verify signals first, and its health endpoints asked at the URL in
 * `agent_health_urls` (inside the container through the type's `health.exec`).
 */
export function onlineVars(
  platform: AnyPlatform,
  hops?: readonly string[],
  type?: Pick<AnsibleInstallType, 'health' | 'verifySignals'>,
): { signals: Record<string, unknown>[]; failures: Record<string, unknown>[] } {
  const signals = [...(type?.verifySignals ?? []), ...platform.online].flatMap((s): Record<string, unknown>[] => {
    if (hops && !hops.includes(s.hop)) return [];
    if (s.kind === 'log')
      return [
        {
          kind: 'log',
          hop: s.hop,
          title: HOP_TITLES[s.hop],
          id: s.id,
          pattern: pythonRegex(s.pattern),
          meaning: s.meaning,
          hold_ms: s.holdMs ?? 0,
          pending: s.pending ?? false,
        },
      ];
    // A health endpoint that must be opted into is not asked; one that may be in a container only where the type says how.
    if (askedHealth(s, type))
      return [
        {
          kind: 'health',
          hop: s.hop,
          title: HOP_TITLES[s.hop],
          id: s.id,
          port: s.port,
          path: s.path,
          ok: pythonRegex(s.ok),
          meaning: s.meaning,
          ...(type ? { url: `{{ ${HEALTH_URLS_VAR}[${JSON.stringify(s.id).replace(/"/g, "'")}] }}` } : {}),
          ...(s.inContainer && type?.health?.exec ? { exec: type.health.exec } : {}),
        },
      ];
    return [];
  });
  const failures = platform.failures.map((f) => ({
    id: f.id,
    title: f.title,
    fix: f.fix,
    patterns: f.patterns.map(pythonRegex),
    ...(f.hop ? { hop: f.hop } : {}),
  }));
  return { signals, failures };
}

function hostVars(a: AnsibleAgent): Record<string, unknown> {
  return {
    ...(a.host ? { ansible_host: a.host } : {}),
    ...(a.port ? { ansible_port: a.port } : {}),
    ...(a.user ? { ansible_user: a.user } : {}),
    agent_name: a.name,
    agent_install_root: a.root,
    // The files hold paths under the root they were generated for; the role refuses another root.
    agent_generated_root: a.root,
    agent_answers: a.answers,
    agent_files: a.files.map((f) => ({
      src: f.artifact.path,
      dest: f.dest,
      mode: `0${f.artifact.mode.toString(8)}`,
      secret: f.artifact.secret,
      on: f.on,
      ...(f.owner ? { owner: f.owner } : {}),
      ...(f.aside ? { aside: true } : {}),
    })),
  };
}

const SSH_TASKS = [
  { name: 'Reach the host over SSH', 'ansible.builtin.ping': null, ignore_unreachable: true, register: 'agent_ssh' },
  {
    name: 'Fail the host at the SSH hop',
    'ansible.builtin.fail': { msg: "hop ssh ({{ agent_hop_titles.ssh }}) failed: {{ agent_ssh.msg | default('unreachable') | trim }}" },
    when: 'agent_ssh.unreachable | default(false)',
  },
];

function copyRegister(secret: boolean, on: AnsibleFile['on']): string {
  return `agent_copied_${secret ? 'secret' : 'plain'}_${on}`;
}

/** Every file whose copy changed in this run (its `src`), for the handlers: `agent_changed`. */
const CHANGED_FACT = {
  name: 'Note which files changed (the handlers restart only what they concern)',
  'ansible.builtin.set_fact': {
    agent_changed: `{{ (${[false, true]
      .flatMap((secret) => (['reload', 'restart', 'none'] as const).map((on) => `${copyRegister(secret, on)}.results | default([])`))
      .join(' + ')}) | selectattr('changed') | map(attribute='item.src') | list }}`,
  },
};

function copyTask(secret: boolean, on: AnsibleFile['on']): Record<string, unknown> {
  const what = `${secret ? 'secret ' : ''}files${on === 'none' ? '' : ` (a change ${on === 'reload' ? 'reloads' : 'restarts'})`}`;
  return {
    name: `Install the ${what}: owner, mode, backup`,
    'ansible.builtin.copy': {
      src: `{{ playbook_dir }}/${HOST_FILES_DIR}/{{ inventory_hostname }}/{{ item.src }}`,
      dest: '{{ agent_install_root }}{{ item.dest }}',
      mode: '{{ item.mode }}',
      owner: '{{ item.owner if item.owner is defined else (agent_owner | default(omit)) }}',
      backup: true,
    },
    register: copyRegister(secret, on),
    loop: `{{ agent_files | selectattr('secret', 'equalto', ${secret ? 'true' : 'false'}) | selectattr('on', 'equalto', '${on}') | list }}`,
    loop_control: { label: '{{ item.dest }}' },
    ...(on === 'none' ? {} : { notify: `${on === 'reload' ? 'Reload' : 'Restart'} agent` }),
    // A secret's content never reaches the output, even with --diff.
    ...(secret ? { no_log: true, diff: false } : {}),
  };
}

/** The folders the install owns, then the files it placed outside them and their backups (paths without the install root). */
const LOOSE_OWNED = `{{ agent_dirs + (agent_files | selectattr('aside', 'defined') | map(attribute='dest') | list) + (agent_loose_backups.results | map(attribute='files') | flatten | map(attribute='path') | map('regex_replace', '^' ~ (agent_install_root | regex_escape), '') | list) }}`;

function roleFiles(dir: string, input: AnsibleProjectInput): ProjectFile[] {
  const { type, platform } = input;
  const online = onlineVars(platform, type.verifyHops, type);
  const health = healthSignals(input);
  const defaults = {
    agent_install_root: '',
    agent_verify_timeout: 120,
    agent_aside_dir: ASIDE_DIR,
    // The agent's own health port on each host (in its container); set per host when it listens elsewhere.
    ...(health.length ? { [HEALTH_URLS_VAR]: Object.fromEntries(health.map((s) => [s.id, healthUrl(s)])) } : {}),
  };
  const vars = {
    ...(type.running ? { agent_running: type.running } : {}),
    ...(typeof type.log === 'string' ? { agent_log: type.log } : { agent_journal: type.log.journal }),
    ...(type.status ? { agent_status: { command: type.status.command, running: pythonRegex(type.status.running), stayed_up_ms: type.status.stayedUpMs } } : {}),
    ...type.roleVars,
    agent_dirs: type.dirs,
    agent_hop_titles: HOP_TITLES,
    agent_online_signals: online.signals,
    agent_failures: online.failures,
  };
  const main = [
    { name: 'Check SSH', 'ansible.builtin.include_tasks': 'ssh.yml' },
    {
      name: 'Check the files were generated for this install root',
      'ansible.builtin.assert': {
        that: ['agent_install_root == agent_generated_root'],
        fail_msg:
          'The files of {{ inventory_hostname }} name paths under "{{ agent_generated_root }}", not "{{ agent_install_root }}": export the fleet again with the install root you want.',
        quiet: true,
      },
    },
    logMarkTask(type),
    ...(type.serviceUser
      ? [
          {
            name: `Create the system user the service runs as (${type.serviceUser}), when missing`,
            'ansible.builtin.user': { name: type.serviceUser, system: true, create_home: false, shell: '/usr/sbin/nologin' },
          },
        ]
      : []),
    {
      name: 'Create the folders the install owns',
      'ansible.builtin.file': {
        path: '{{ agent_install_root }}{{ item }}',
        state: 'directory',
        mode: type.dirMode ?? '0750',
        owner: '{{ agent_owner | default(omit) }}',
      },
      loop: '{{ agent_dirs }}',
    },
    ...[false, true].flatMap((secret) => (['reload', 'restart', 'none'] as const).map((on) => copyTask(secret, on))),
    CHANGED_FACT,
    { name: 'Apply changed files to a running service', 'ansible.builtin.meta': 'flush_handlers' },
    ...(type.tasks?.beforeStart ?? []),
    {
      name: "Start the service (enabled: it starts again with the host's supervisor)",
      'ansible.builtin.shell': type.start,
      register: 'agent_start',
      changed_when: "'started' in agent_start.stdout",
    },
    // A reload restarts only the programs whose config changed (it may write no new line at all),
    // so after a reload alone verify reads the latest attempt, as it does with nothing restarted.
    logSinceTask(type, ['agent_restart', 'agent_start']),
    // A preview (--check) starts nothing, so there is nothing to wait for yet.
    { name: 'Verify', 'ansible.builtin.include_tasks': 'online.yml', when: 'not ansible_check_mode' },
  ];
  const onlineTasks = [
    {
      name: 'Wait for the online signals, at most seconds: {{ agent_verify_timeout }}',
      agent_online: {
        ...(typeof type.log === 'string' ? { log: '{{ agent_install_root }}{{ agent_log }}' } : { journal: '{{ agent_journal }}' }),
        ...(type.status ? { status: '{{ agent_status }}' } : {}),
        signals: '{{ agent_online_signals }}',
        failures: '{{ agent_failures }}',
        timeout: '{{ agent_verify_timeout | int }}',
        since: '{{ agent_log_since | default(omit) }}',
        ...(type.running ? { running: '{{ agent_running }}' } : {}),
      },
      register: 'agent_online',
    },
    {
      name: 'Show the hops',
      'ansible.builtin.debug': {
        msg: "{{ agent_online.hops | map(attribute='hop') | zip(agent_online.hops | map(attribute='detail')) | map('join', ': ') | list }}",
      },
    },
  ];
  const verify = [
    { name: 'Check SSH', 'ansible.builtin.include_tasks': 'ssh.yml' },
    { name: 'Verify', 'ansible.builtin.include_tasks': 'online.yml' },
  ];
  // Nothing is deleted: the folders the install owns move, whole, into one folder per run under
  // agent_aside_dir, at their own paths, so the host is as it was and the admin deletes the rest.
  const found = "agent_owned.results | selectattr('stat.exists') | list";
  const owned = `{{ ${found} }}`;
  const remove = [
    { name: 'Check SSH', 'ansible.builtin.include_tasks': 'ssh.yml' },
    { name: 'Stop the service', 'ansible.builtin.shell': type.stop, register: 'agent_stop', changed_when: "'stopped' in agent_stop.stdout" },
    ...(type.tasks?.afterStop ?? []),
    {
      name: "Find the backups site.yml's copies left beside the files placed outside the install's folders",
      'ansible.builtin.find': { paths: '{{ agent_install_root }}{{ item.dest | dirname }}', patterns: '{{ item.dest | basename }}.*~', hidden: true },
      loop: "{{ agent_files | selectattr('aside', 'defined') | list }}",
      loop_control: { label: '{{ item.dest }}' },
      register: 'agent_loose_backups',
    },
    {
      name: 'Find the folders the install owns',
      'ansible.builtin.stat': { path: '{{ agent_install_root }}{{ item }}', get_checksum: false },
      // With the files it placed outside its folders (a unit in /etc/systemd/system) and their backups, each on its own.
      loop: LOOSE_OWNED,
      register: 'agent_owned',
    },
    {
      name: 'Choose the folder this removal moves them into',
      'ansible.builtin.set_fact': {
        agent_aside: `{{ agent_install_root }}{{ agent_aside_dir }}/${dir.split('/').pop()!}-{{ now(utc=true, fmt='%Y%m%dT%H%M%S%fZ') }}`,
      },
      when: `${found} | length > 0`,
    },
    {
      name: 'Make the folders they move into (0700: they hold the old credentials)',
      'ansible.builtin.file': { path: '{{ agent_aside }}{{ item.item | dirname }}', state: 'directory', mode: '0700' },
      loop: owned,
      loop_control: { label: '{{ item.item }}' },
    },
    {
      name: 'Move aside the folders the install owns (files, backups, logs), nothing deleted',
      'ansible.builtin.command': {
        argv: ['mv', '-T', '--', '{{ agent_install_root }}{{ item.item }}', '{{ agent_aside }}{{ item.item }}'],
        removes: '{{ agent_install_root }}{{ item.item }}',
      },
      loop: owned,
      loop_control: { label: '{{ item.item }} -> {{ agent_aside }}{{ item.item }}' },
    },
    {
      name: 'Say where they are',
      'ansible.builtin.debug': { msg: 'Moved aside into {{ agent_aside }}: delete it when the host no longer needs the old files.' },
      when: 'agent_aside is defined',
    },
    ...(type.afterRemove
      ? [
          {
            name: 'Make the service manager forget what was moved aside',
            'ansible.builtin.shell': type.afterRemove,
            register: 'agent_after_remove',
            changed_when: "'changed' in agent_after_remove.stdout",
            when: 'agent_aside is defined',
          },
        ]
      : []),
  ];
  const handlers = [
    // Before the first start nothing runs to reload: the handlers then print nothing and change nothing.
    { name: 'Reload agent', 'ansible.builtin.shell': type.reload, register: 'agent_reload', changed_when: "'reloaded' in agent_reload.stdout" },
    { name: 'Restart agent', 'ansible.builtin.shell': type.restart, register: 'agent_restart', changed_when: "'restarted' in agent_restart.stdout" },
  ];
  const meta = {
    galaxy_info: {
      author: 'Agent Onboard',
      description: `${platform.name}: ${type.name}`,
      license: 'MIT',
      min_ansible_version: '2.14',
      platforms: [{ name: 'GenericLinux', versions: ['all'] }],
    },
    dependencies: [],
  };
  const f = (p: string, v: unknown): ProjectFile => ({ path: `${dir}/${p}`, text: `---\n${yaml(v)}`, mode: 0o644, secret: false });
  return [
    f('defaults/main.yml', defaults),
    f('vars/main.yml', vars),
    f('tasks/main.yml', main),
    f('tasks/ssh.yml', SSH_TASKS),
    f('tasks/online.yml', onlineTasks),
    f('tasks/verify.yml', verify),
    f('tasks/remove.yml', remove),
    ...(type.rotate ? [f('tasks/rotate.yml', rotateTasks(type.rotate, type))] : []),
    f('handlers/main.yml', handlers),
    f('meta/main.yml', meta),
  ];
}

function play(name: string, group: string, role: string, tasksFrom?: string): Record<string, unknown> {
  return {
    name,
    hosts: group,
    gather_facts: false,
    // Rolling: one canary host, then a quarter of the fleet at a time; a failed host stops the roll.
    serial: '{{ agent_serial | default([1, "25%"]) }}',
    max_fail_percentage: '{{ agent_max_fail_percentage | default(0) }}',
    ...(tasksFrom
      ? { tasks: [{ name: `Run ${role} ${tasksFrom}`, 'ansible.builtin.include_role': { name: role, tasks_from: tasksFrom } }] }
      : { roles: [{ role }] }),
  };
}

function readme(input: AnsibleProjectInput, group: string, role: string): string {
  const { platform, type } = input;
  return `# ${platform.name} fleet (${type.name})

Generated by Agent Onboard ${input.appVersion} for ${input.agents.length} host(s). The files each
host gets are the ones the app's generator writes for a single agent; secrets (private keys,
tokens) are encrypted with Ansible Vault. The vault password is not stored anywhere in this
project: give it each run.
${type.notes?.length ? `\n## Before you run it\n\n${type.notes.map((n) => `- ${n}`).join('\n')}\n` : ''}
## Run it

    ansible-playbook site.yml --ask-vault-pass
    ansible-playbook site.yml --vault-id fleet@/path/outside/this/project/vault-pass

Preview every change first (nothing is changed on the hosts):

    ansible-playbook site.yml --check --diff --ask-vault-pass

Only some hosts: \`--limit NAME\` or a group (\`${platform.id.replace(/-/g, '_')}\`, \`${group}\`).

## What each playbook changes

- **site.yml** installs and verifies: it creates ${type.dirs.join(', ')} under the install root,
  writes each host's files from \`${HOST_FILES_DIR}/<host>/\` with their mode (secrets 0600) and a
  backup of any file it replaces, reloads or restarts the service only when its files changed,
  starts it when it is not running, and waits for it to come online. A second run changes
  nothing (\`changed=0\`).${siteReadme(type)}
- **verify.yml** changes nothing: it waits for the online signals and fails a host with the hop
  that did not pass (${HOP_ORDER(input)}).
- **remove.yml** ${type.removal}. Nothing is deleted: those folders move, whole and at their own
  paths, into \`${ASIDE_DIR}/${role}-<UTC time>/\` under the install root (\`agent_aside_dir\`),
  so the host is left as it was before the install and the old files can still be read; delete
  that folder when you are sure.
${input.removalNotes.length ? `\n  Outside the hosts:\n${input.removalNotes.map((n) => `  - ${n}`).join('\n')}\n` : ''}${type.rotate ? rotateReadme(type.rotate) : type.noRotate ? `- **No rotate.yml:** ${type.noRotate}\n` : ''}
## Rolling

Every playbook goes one host first, then 25% of the hosts at a time, and stops when a host fails
(\`serial\`, \`max_fail_percentage\`), so a bad credential does not take out the whole fleet. Change
it for a run with \`-e '{"agent_serial": [5], "agent_max_fail_percentage": 10}'\`.

## Variables

- \`agent_install_root\` (host_vars): the folder everything is installed under ('' is /). The
  files name paths under it, so change it by exporting the fleet again.
- \`agent_verify_timeout\` (role \`${role}\` defaults, 120 s): how long verify waits for each host.
- \`agent_owner\`: owner of the installed files (default: the SSH user).${healthReadme(input, role)}
- \`agent_aside_dir\` (role defaults, \`${ASIDE_DIR}\`): where remove.yml moves what it owns.

## Inventory

\`inventory.yml\` has one host per CSV row in the groups \`${platform.id.replace(/-/g, '_')}\` and
\`${group}\`; \`host_vars/<host>.yml\` holds the connection, the agent's answers and its file list.
Host keys are checked (\`host_key_checking = True\`): add each host's key to your known_hosts
first, after comparing its fingerprint.
`;
}

/** What site.yml and verify.yml do besides the usual, for an install type that has it. */
function siteReadme(type: AnsibleInstallType): string {
  const parts = [
    type.serviceUser
      ? `First it creates the system user \`${type.serviceUser}\` the service runs as (no home, no login shell; kept by remove.yml), and the files that user reads are placed as it.`
      : '',
    typeof type.log !== 'string'
      ? `Verify reads the journal of \`${type.log.journal}\` (\`journalctl -u\`): after a (re)start only what was logged since the host's time noted before it, so an earlier run's lines cannot pass.`
      : '',
    type.status
      ? `It also asks on every poll whether the service runs: running on every poll for ${Math.round(type.status.stayedUpMs / 1000)} s proves it stayed up.`
      : '',
  ].filter(Boolean);
  return parts.length ? `\n  ${parts.join('\n  ')}` : '';
}

function rotateReadme(r: AnsibleRotate): string {
  return `- **rotate.yml** replaces the token in one line, ${r.what}, and ${r.on === 'reload' ? 'reloads' : 'restarts'} the agent
  (or starts it, when it had stopped), then verifies it like site.yml. Each host keeps a backup of the file beside it (the name
  ends in a time and \`~\`; it holds the old token: delete it once the old token is revoked).
  Neither token is ever shown, even with \`--diff\`. The new token comes from a vault file you
  make outside version control, never on the command line:

      ansible-vault create --vault-id fleet@prompt ${ROTATE_TOKEN_FILE}     # agent_new_token: "…"
      ansible-playbook rotate.yml -e @${ROTATE_TOKEN_FILE} --ask-vault-pass --check --diff
      ansible-playbook rotate.yml -e @${ROTATE_TOKEN_FILE} --ask-vault-pass

  Always run the \`--check --diff\` preview first: it names each host whose line would change
  and changes nothing. A second run changes nothing (\`changed=0\`).${r.note ? `\n  ${r.note}` : ''}
`;
}

function healthReadme(input: AnsibleProjectInput, role: string): string {
  const health = healthSignals(input);
  if (!health.length) return '';
  const where = input.type.health?.exec ? ` (with \`${input.type.health.exec.join(' ')} curl …\`, where it listens)` : '';
  return `
- \`${HEALTH_URLS_VAR}\` (role \`${role}\` defaults: ${health.map((s) => `${s.id}: ${healthUrl(s)}`).join(', ')}): where verify
  asks the agent's health endpoint${where}, after its log lines passed. Set it in a host's
  host_vars when that agent listens elsewhere (a port taken, another address).`;
}

function HOP_ORDER(input: AnsibleProjectInput): string {
  const hops = [
    'ssh',
    ...new Set(
      [...(input.type.verifySignals ?? []), ...input.platform.online]
        .map((s) => s.hop)
        .filter((h) => !input.type.verifyHops || input.type.verifyHops.includes(h)),
    ),
  ] as (keyof typeof HOP_TITLES)[];
  return hops.map((h) => `${h}: ${HOP_TITLES[h]}`).join('; ');
}

/** Every file of the project for a fleet on one platform and install type. */
export function ansibleProject(input: AnsibleProjectInput): ProjectFile[] {
  const { platform, type, agents } = input;
  const top = groupName(platform.id);
  const group = groupName(platform.id, type.id);
  const role = group;
  const inventory = { all: { children: { [top]: { children: { [group]: { hosts: Object.fromEntries(agents.map((a) => [a.name, null])) } } } } } };
  const cfg = `[defaults]
inventory = inventory.yml
roles_path = roles
library = library
host_key_checking = True
retry_files_enabled = False
interpreter_python = auto_silent

[ssh_connection]
pipelining = True
`;
  const title = `${platform.name} (${type.name})`;
  const files: ProjectFile[] = [
    { path: 'ansible.cfg', text: cfg, mode: 0o644, secret: false },
    { path: 'inventory.yml', text: `---\n${yaml(inventory)}`, mode: 0o644, secret: false },
    { path: 'site.yml', text: `---\n${yaml([play(`Install and verify: ${title}`, group, role)])}`, mode: 0o644, secret: false },
    { path: 'verify.yml', text: `---\n${yaml([play(`Verify: ${title}`, group, role, 'verify.yml')])}`, mode: 0o644, secret: false },
    { path: 'remove.yml', text: `---\n${yaml([play(`Remove: ${title}`, group, role, 'remove.yml')])}`, mode: 0o644, secret: false },
    ...(type.rotate
      ? [{ path: 'rotate.yml', text: `---\n${yaml([play(`Rotate the token: ${title}`, group, role, 'rotate.yml')])}`, mode: 0o644, secret: false }]
      : []),
    { path: 'README.md', text: readme(input, group, role), mode: 0o644, secret: false },
    // max_fail_percentage is a template so one run can change it with -e; the schema wants a number.
    { path: '.ansible-lint', text: 'warn_list:\n  - schema[playbook]\n', mode: 0o644, secret: false },
    { path: 'library/agent_online.py', text: AGENT_ONLINE_MODULE, mode: 0o755, secret: false },
    ...roleFiles(`roles/${role}`, input),
  ];
  for (const a of agents) {
    files.push({ path: `host_vars/${a.name}.yml`, text: `---\n${yaml(hostVars(a))}`, mode: 0o644, secret: false });
    for (const f of a.files)
      files.push({
        path: `${HOST_FILES_DIR}/${a.name}/${f.artifact.path}`,
        text: f.artifact.text,
        mode: f.artifact.secret ? 0o600 : 0o644,
        secret: f.artifact.secret,
      });
  }
  return files;
}
