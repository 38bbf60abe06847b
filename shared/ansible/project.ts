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
import type { AnsibleFile, AnsibleInstallType, AnyPlatform } from '../platforms/types';
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

/** The platform's online signals and known failures, as the agent_online module reads them. */
export function onlineVars(platform: AnyPlatform): { signals: Record<string, unknown>[]; failures: Record<string, unknown>[] } {
  const signals = platform.online.flatMap((s): Record<string, unknown>[] => {
    if (s.kind === 'log') return [{ kind: 'log', hop: s.hop, title: HOP_TITLES[s.hop], id: s.id, pattern: pythonRegex(s.pattern), meaning: s.meaning, hold_ms: s.holdMs ?? 0, pending: s.pending ?? false }];
    // A health endpoint that must be opted into (or lives inside a container) is not asked.
    if (s.kind === 'health' && !s.optIn && !s.inContainer) return [{ kind: 'health', hop: s.hop, title: HOP_TITLES[s.hop], id: s.id, port: s.port, path: s.path, ok: pythonRegex(s.ok), meaning: s.meaning }];
    return [];
  });
  const failures = platform.failures.map((f) => ({ id: f.id, title: f.title, fix: f.fix, patterns: f.patterns.map(pythonRegex) }));
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
    agent_files: a.files.map((f) => ({ src: f.artifact.path, dest: f.dest, mode: `0${f.artifact.mode.toString(8)}`, secret: f.artifact.secret, on: f.on })),
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

function copyTask(secret: boolean, on: AnsibleFile['on']): Record<string, unknown> {
  const what = `${secret ? 'secret ' : ''}files${on === 'none' ? '' : ` (a change ${on === 'reload' ? 'reloads' : 'restarts'})`}`;
  return {
    name: `Install the ${what}: owner, mode, backup`,
    'ansible.builtin.copy': {
      src: `{{ playbook_dir }}/${HOST_FILES_DIR}/{{ inventory_hostname }}/{{ item.src }}`,
      dest: '{{ agent_install_root }}{{ item.dest }}',
      mode: '{{ item.mode }}',
      owner: '{{ agent_owner | default(omit) }}',
      backup: true,
    },
    loop: `{{ agent_files | selectattr('secret', 'equalto', ${secret ? 'true' : 'false'}) | selectattr('on', 'equalto', '${on}') | list }}`,
    loop_control: { label: '{{ item.dest }}' },
    ...(on === 'none' ? {} : { notify: `${on === 'reload' ? 'Reload' : 'Restart'} agent` }),
    // A secret's content never reaches the output, even with --diff.
    ...(secret ? { no_log: true, diff: false } : {}),
  };
}

function roleFiles(dir: string, input: AnsibleProjectInput): ProjectFile[] {
  const { type, platform } = input;
  const online = onlineVars(platform);
  const defaults = {
    agent_install_root: '',
    agent_verify_timeout: 120,
  };
  const vars = {
    agent_log: type.log,
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
        fail_msg: 'The files of {{ inventory_hostname }} name paths under "{{ agent_generated_root }}", not "{{ agent_install_root }}": export the fleet again with the install root you want.',
        quiet: true,
      },
    },
    {
      name: 'Create the folders the install owns',
      'ansible.builtin.file': { path: '{{ agent_install_root }}{{ item }}', state: 'directory', mode: '0750', owner: '{{ agent_owner | default(omit) }}' },
      loop: '{{ agent_dirs }}',
    },
    ...[false, true].flatMap((secret) => (['reload', 'restart', 'none'] as const).map((on) => copyTask(secret, on))),
    { name: 'Apply changed files to a running service', 'ansible.builtin.meta': 'flush_handlers' },
    {
      name: 'Start the service (enabled: it starts again with the host\'s supervisor)',
      'ansible.builtin.shell': type.start,
      register: 'agent_start',
      changed_when: "'started' in agent_start.stdout",
    },
    // A preview (--check) starts nothing, so there is nothing to wait for yet.
    { name: 'Verify', 'ansible.builtin.include_tasks': 'online.yml', when: 'not ansible_check_mode' },
  ];
  const onlineTasks = [
    {
      name: 'Wait for the online signals, at most seconds: {{ agent_verify_timeout }}',
      agent_online: { log: '{{ agent_install_root }}{{ agent_log }}', signals: '{{ agent_online_signals }}', failures: '{{ agent_failures }}', timeout: '{{ agent_verify_timeout | int }}' },
      register: 'agent_online',
    },
    { name: 'Show the hops', 'ansible.builtin.debug': { msg: "{{ agent_online.hops | map(attribute='hop') | zip(agent_online.hops | map(attribute='detail')) | map('join', ': ') | list }}" } },
  ];
  const verify = [{ name: 'Check SSH', 'ansible.builtin.include_tasks': 'ssh.yml' }, { name: 'Verify', 'ansible.builtin.include_tasks': 'online.yml' }];
  const remove = [
    { name: 'Check SSH', 'ansible.builtin.include_tasks': 'ssh.yml' },
    { name: 'Stop the service', 'ansible.builtin.shell': type.stop, register: 'agent_stop', changed_when: "'stopped' in agent_stop.stdout" },
    {
      name: 'Remove the folders the install owns (files, backups, logs)',
      'ansible.builtin.file': { path: '{{ agent_install_root }}{{ item }}', state: 'absent' },
      loop: '{{ agent_dirs }}',
    },
  ];
  const handlers = [
    // Before the first start nothing runs to reload: the handlers then print nothing and change nothing.
    { name: 'Reload agent', 'ansible.builtin.shell': type.reload, register: 'agent_reload', changed_when: "'reloaded' in agent_reload.stdout" },
    { name: 'Restart agent', 'ansible.builtin.shell': type.restart, register: 'agent_restart', changed_when: "'restarted' in agent_restart.stdout" },
  ];
  const meta = { galaxy_info: { author: 'Agent Onboard', description: `${platform.name}: ${type.name}`, license: 'MIT', min_ansible_version: '2.14', platforms: [{ name: 'GenericLinux', versions: ['all'] }] }, dependencies: [] };
  const f = (p: string, v: unknown): ProjectFile => ({ path: `${dir}/${p}`, text: `---\n${yaml(v)}`, mode: 0o644, secret: false });
  return [
    f('defaults/main.yml', defaults),
    f('vars/main.yml', vars),
    f('tasks/main.yml', main),
    f('tasks/ssh.yml', SSH_TASKS),
    f('tasks/online.yml', onlineTasks),
    f('tasks/verify.yml', verify),
    f('tasks/remove.yml', remove),
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
  nothing (\`changed=0\`).
- **verify.yml** changes nothing: it waits for the online signals and fails a host with the hop
  that did not pass (${HOP_ORDER(input)}).
- **remove.yml** ${type.removal}.
${input.removalNotes.length ? `\n  Outside the hosts:\n${input.removalNotes.map((n) => `  - ${n}`).join('\n')}\n` : ''}
## Rolling

Every playbook goes one host first, then 25% of the hosts at a time, and stops when a host fails
(\`serial\`, \`max_fail_percentage\`), so a bad credential does not take out the whole fleet. Change
it for a run with \`-e '{"agent_serial": [5], "agent_max_fail_percentage": 10}'\`.

## Variables

- \`agent_install_root\` (host_vars): the folder everything is installed under ('' is /). The
  files name paths under it, so change it by exporting the fleet again.
- \`agent_verify_timeout\` (role \`${role}\` defaults, 120 s): how long verify waits for each host.
- \`agent_owner\`: owner of the installed files (default: the SSH user).

## Inventory

\`inventory.yml\` has one host per CSV row in the groups \`${platform.id.replace(/-/g, '_')}\` and
\`${group}\`; \`host_vars/<host>.yml\` holds the connection, the agent's answers and its file list.
Host keys are checked (\`host_key_checking = True\`): add each host's key to your known_hosts
first, after comparing its fingerprint.
`;
}

function HOP_ORDER(input: AnsibleProjectInput): string {
  const hops = ['ssh', ...new Set(input.platform.online.map((s) => s.hop))] as (keyof typeof HOP_TITLES)[];
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
    { path: 'README.md', text: readme(input, group, role), mode: 0o644, secret: false },
    // max_fail_percentage is a template so one run can change it with -e; the schema wants a number.
    { path: '.ansible-lint', text: 'warn_list:\n  - schema[playbook]\n', mode: 0o644, secret: false },
    { path: 'library/agent_online.py', text: AGENT_ONLINE_MODULE, mode: 0o755, secret: false },
    ...roleFiles(`roles/${role}`, input),
  ];
  for (const a of agents) {
    files.push({ path: `host_vars/${a.name}.yml`, text: `---\n${yaml(hostVars(a))}`, mode: 0o644, secret: false });
    for (const f of a.files) files.push({ path: `${HOST_FILES_DIR}/${a.name}/${f.artifact.path}`, text: f.artifact.text, mode: f.artifact.secret ? 0o600 : 0o644, secret: f.artifact.secret });
  }
  return files;
}
