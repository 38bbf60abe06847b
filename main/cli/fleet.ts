/** `agent-onboard fleet export --format ansible`: a fleet CSV as a ready Ansible project. */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { getPlatform, PLATFORMS } from '../../shared/platforms';
import type { Credential } from '../../shared/platforms/types';
import { exitCodeFor, type AppError } from '../../shared/result';
import { ANSIBLE_COLUMNS, exportAnsibleFleet } from '../services/fleet-ansible';
import { APP_VERSION } from '../version';
import { envSecretArg, readAnswersArg, readTextArg } from './read-file';
import { EXIT, UsageError, errorLine, type CliIo, type Command } from './types';

const types = PLATFORMS.filter((p) => p.ansible?.length)
  .map((p) => `  ${p.id.padEnd(15)} --variant ${p.ansible!.map((t) => `${t.id} (${t.name})`).join(', ')}`)
  .join('\n');

/** The example: the first platform with an Ansible export, with its credential's flag. */
const example = PLATFORMS.find((p) => p.ansible?.length);
const exampleCredential =
  example?.credential.kind === 'ssh-keypair' ? '--known-hosts known_hosts' : example?.credential.kind === 'token' ? '--token-env AGENT_TOKEN' : '';

const HELP = `Usage: agent-onboard fleet export --format ansible --platform P [--variant V] --csv FILE
                                  [--answers FILE.json] [--known-hosts FILE] [--token-env VAR]
                                  --vault-password-env VAR [--install-root DIR] --out DIR [--json]

Writes an Ansible project that installs, verifies and removes the agent on every host of the
CSV: inventory.yml (groups per platform and install type), host_vars/<name>.yml (connection and
answers), one role built from the platform's own generator, site.yml (install and verify),
verify.yml, remove.yml and a README. Secrets (per-agent private keys, tokens) are encrypted with
Ansible Vault for the vault id "fleet"; the password is never written: run the playbooks with
--ask-vault-pass or --vault-id fleet@FILE. Platforms that use SSH keys get a new key pair per
agent; their public keys are listed in public-keys.csv.

CSV: one row per host. Columns: name (required), ${ANSIBLE_COLUMNS.join(', ')}, variant, and any
answer field (a list field such as services is a JSON list in its cell). Empty cells keep the
value of --answers.

Options:
  --format ansible          the only format so far
  --platform P              the platform
  --variant V               install type (default: the platform's first)
  --csv FILE                the fleet
  --answers FILE.json       answers every host shares (CSV cells override them)
  --known-hosts FILE        pinned known_hosts line(s) of the agent's server (SSH platforms)
  --token-env VAR           environment variable holding the token (token platforms)
  --vault-password-env VAR  environment variable holding the vault password (8+ characters)
  --install-root DIR        folder everything is installed under on each host (default /;
                            a CSV install_root cell overrides it)
  --out DIR                 the project folder (new or empty)
  --json                    print one JSON document

Install types:
${types}

Exit codes: 0 written; 2 bad usage or bad input (one line on stderr, nothing written).

Example:
  FLEET_VAULT=... npm run -s cli -- fleet export --format ansible --platform ${example?.id ?? 'P'} \\
    --csv hosts.csv --answers answers.json ${exampleCredential} \\
    --vault-password-env FLEET_VAULT --out ./fleet`;

function fail(io: CliIo, error: AppError): number {
  io.stderr(errorLine('fleet', error));
  return exitCodeFor(error.code);
}

export const fleetCommand: Command = {
  name: 'fleet',
  summary: 'Export a fleet CSV as an Ansible project (install, verify, remove)',
  built: true,
  help: HELP,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string' },
        platform: { type: 'string' },
        variant: { type: 'string' },
        csv: { type: 'string' },
        answers: { type: 'string' },
        'known-hosts': { type: 'string' },
        'token-env': { type: 'string' },
        'vault-password-env': { type: 'string' },
        'install-root': { type: 'string' },
        out: { type: 'string' },
        json: { type: 'boolean' },
      },
    });
    if (positionals[0] !== 'export' || positionals.length !== 1) throw new UsageError('the only subcommand is export (run `agent-onboard fleet --help`)');
    if (values.format !== 'ansible') throw new UsageError('--format ansible is required (the only format so far)');
    for (const o of ['platform', 'csv', 'out', 'vault-password-env'] as const) if (!values[o]) throw new UsageError(`--${o} is required`);
    const platform = getPlatform(values.platform!);
    if (!platform) throw new UsageError(`unknown platform ${JSON.stringify(values.platform!.slice(0, 40))}: use ${PLATFORMS.map((p) => p.id).join(', ')}`);
    const vaultPassword = envSecretArg(io.env, '--vault-password-env', values['vault-password-env'], 'password')!;
    let credential: Credential = { kind: 'none' };
    if (platform.credential.kind === 'token') {
      const token = envSecretArg(io.env, '--token-env', values['token-env'], 'token');
      if (token === undefined) throw new UsageError(`--token-env VAR is required (the environment variable holding the ${platform.credential.token.name})`);
      credential = { kind: 'token', token: token.trim() };
    } else if (values['token-env']) throw new UsageError(`${platform.name} does not use a token; each agent gets its own key pair`);
    const answers = values.answers ? await readAnswersArg(values.answers, io.cwd) : {};
    const knownHosts = values['known-hosts'] ? await readTextArg(values['known-hosts'], io.cwd, 'known_hosts file') : undefined;
    const csv = await readTextArg(values.csv!, io.cwd, 'CSV file');
    let last = 0;
    const result = await exportAnsibleFleet({
      platform,
      ...(values.variant ? { type: values.variant } : {}),
      draft: { platform: platform.id, variant: null, step: 'export', answers, ...(knownHosts ? { knownHosts } : {}) },
      csv,
      outDir: path.resolve(io.cwd, values.out!),
      credential,
      vaultPassword,
      ...(values['install-root'] !== undefined ? { installRoot: values['install-root'] } : {}),
      appVersion: APP_VERSION,
      // Progress on stderr for big fleets (stdout stays the result).
      onProgress: (done, total) => {
        if (!values.json && total >= 20 && (done === total || done - last >= Math.ceil(total / 10))) {
          last = done;
          io.stderr(`  ${done}/${total} hosts\n`);
        }
      },
    });
    if (!result.ok) return fail(io, result.error);
    const r = result.value;
    if (values.json) {
      io.stdout(JSON.stringify({ ...r, platform: platform.id }, null, 2) + '\n');
      return EXIT.OK;
    }
    io.stdout(`Ansible project for ${r.hosts} host(s) in ${r.outDir} (${r.files} files, ${r.encrypted} vault-encrypted).\n`);
    if (r.publicKeys) io.stdout(`Register each agent's public key with the vendor: ${r.publicKeys}\n`);
    io.stdout(
      `Next:\n  cd ${JSON.stringify(r.outDir)}\n  ansible-playbook site.yml --check --diff --ask-vault-pass   # preview\n  ansible-playbook site.yml --ask-vault-pass\n`,
    );
    return EXIT.OK;
  },
};
