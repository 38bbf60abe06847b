/**
 * Everything an ArmorCode tunnel agent needs, from the answers and the key pair: pure text, so the
 * wizard previews it and tests run it without I/O.
 */
import { err, type Result } from '../../result';
import type { Artifact, Command, Credential, Generated, Removal } from '../types';
import { armorcodeAnswers, type ArmorcodeAnswers } from './answers';
import { preLaunchCheck } from './check-script';
import { composeFile, COMPOSE_SERVICE, dockerfile, dockerignore } from './docker';
import { quoteAll, withQuotes, type Quoters } from '../../escape';
import { privateKeyFile, publicKeyFile, publicKeyType } from './key-files';
import { knownHostsFile } from './known-hosts';
import { programName, supervisordConf } from './supervisord';
import { systemdUnit, unitName } from './systemd';
import { CONTAINER_LAYOUT, inDir, layoutProblem, targetOf, type ArmorcodeLayout } from './tunnel';

export type ArmorcodeVariant = 'docker' | 'systemd';

function file(path: string, text: string, description: string, mode = 0o644, secret = false): Artifact {
  return { path, text, mode, secret, description };
}

function dockerCommands(): Command[] {
  const conf = inDir(CONTAINER_LAYOUT.configDir, 'supervisord.conf');
  return [
    { title: 'Send this public key to ArmorCode support', command: 'cat public-key.pem' },
    { title: 'Check the server, the key and the config before starting', command: 'sh pre-launch-check.sh' },
    { title: 'Build the image and start the agent (again after any change)', command: 'docker compose up -d --build' },
    { title: 'Follow the tunnel logs', command: `docker compose logs -f ${COMPOSE_SERVICE}` },
    { title: 'See each tunnel’s state', command: `docker compose exec ${COMPOSE_SERVICE} supervisorctl -c ${conf} status` },
  ];
}

function systemdCommands(q: Quoters, a: ArmorcodeAnswers, layout: ArmorcodeLayout): Command[] {
  const units = a.services.map(unitName);
  const dir = layout.configDir;
  const user = layout.systemdUser;
  return [
    { title: 'Send this public key to ArmorCode support', command: 'cat public-key.pem', os: 'linux' },
    { title: 'Check the server, the key and the units before installing', command: 'sh pre-launch-check.sh', os: 'linux' },
    {
      title: 'Create the user the tunnels run as',
      command: q.shWords(['sudo', 'useradd', '--system', '--no-create-home', '--shell', '/usr/sbin/nologin', user]),
      os: 'linux',
    },
    {
      title: 'Install the key and the pinned host key',
      command: `${q.shWords(['sudo', 'install', '-d', '-m', '0750', '-g', user, dir])} && ${q.shWords(['sudo', 'install', '-m', '0600', '-o', user, 'private-key.pem', 'known_hosts', dir + '/'])}`,
      os: 'linux',
    },
    {
      title: 'Install and start the tunnels',
      command: `${q.shWords(['sudo', 'install', '-m', '0644', ...units, '/etc/systemd/system/'])} && sudo systemctl daemon-reload && ${q.shWords(['sudo', 'systemctl', 'enable', '--now', ...units])}`,
      os: 'linux',
    },
    { title: 'Follow the tunnel logs', command: q.shWords(['journalctl', '-f', ...units.flatMap((u) => ['-u', u])]), os: 'linux' },
  ];
}

/** Taking the tunnels away again: stop them, remove what was installed, and have ArmorCode drop the key. */
function removal(q: Quoters, a: ArmorcodeAnswers, variant: ArmorcodeVariant, layout: ArmorcodeLayout): Removal {
  const notes = [
    "Ask ArmorCode support to remove this agent's public key (public-key.pem) for your SSH user, so the key no longer opens the tunnels.",
    `Tell them the remote port${a.services.length > 1 ? 's' : ''} ${a.services.map((s) => s.remotePort).join(', ')} can be released.`,
  ];
  if (variant === 'docker') {
    return {
      commands: [
        {
          title: 'Stop the tunnels and remove the container and its image (in the folder with docker-compose.yml)',
          command: 'docker compose down --rmi local',
        },
      ],
      notes: ['The image holds private-key.pem: make sure no copy was pushed to a registry.', ...notes],
    };
  }
  const units = a.services.map(unitName);
  return {
    commands: [
      { title: 'Stop the tunnels and keep them from starting again', command: q.shWords(['sudo', 'systemctl', 'disable', '--now', ...units]), os: 'linux' },
      {
        title: 'Remove the units',
        command: `${q.shWords(['sudo', 'rm', ...units.map((u) => `/etc/systemd/system/${u}`)])} && sudo systemctl daemon-reload`,
        os: 'linux',
      },
      { title: 'Remove the key and the pinned host key', command: q.shWords(['sudo', 'rm', '-r', layout.configDir]), os: 'linux' },
      { title: 'Remove the user the tunnels ran as', command: q.shWords(['sudo', 'userdel', layout.systemdUser]), os: 'linux' },
    ],
    notes,
  };
}

function notes(a: ArmorcodeAnswers, variant: ArmorcodeVariant, keyType: string): string[] {
  const out = ['Send public-key.pem to ArmorCode support: the tunnels connect only after they have added it for your SSH user.'];
  if (variant === 'docker')
    out.push(
      "The image contains private-key.pem (the vendor's layout): rebuild it after any change (docker compose up -d --build) and never push it to a registry.",
    );
  if (keyType !== 'ssh-rsa') out.push(`ArmorCode documents RSA keys; this key is ${keyType}: confirm they accept it before sending it.`);
  if (a.port !== 22 && a.port !== 443) out.push(`The server port is ${a.port}; ArmorCode documents 22 and 443.`);
  for (const s of a.services) {
    const t = targetOf(s);
    if (variant === 'docker' && /^(localhost|127\.\d+\.\d+\.\d+|::1)$/.test(t.host)) {
      out.push(`Service ${s.name} points at ${t.host}: inside the container that is the container itself, not the agent host. Use the host's address instead.`);
    }
  }
  out.push(
    `Each tunnel reconnects by itself: keep-alives every ${a.serverAliveInterval} s notice a dead link after about ${a.serverAliveInterval * a.serverAliveCountMax} s, and ${variant === 'docker' ? 'autossh and supervisord start' : 'systemd starts'} it again.`,
  );
  return out;
}

/**
 * The files, commands and notes for the answers. `layout` places the files (the container layout
 * by default; tests map it to a temp folder). Fails with BAD_INPUT (answers, layout, variant),
 * KEY_MALFORMED / PASSPHRASE_REQUIRED (the key pair), HOST_KEY_REQUIRED (no pinned host key for
 * server:port) or UNSAFE_VALUE (a value no format can carry).
 */
export function generateArmorcode(
  input: ArmorcodeAnswers,
  credential: Credential,
  variant: string,
  layout: ArmorcodeLayout = CONTAINER_LAYOUT,
): Result<Generated> {
  if (variant !== 'docker' && variant !== 'systemd') return err('BAD_INPUT', `variant must be docker or systemd (got ${JSON.stringify(variant.slice(0, 40))})`);
  const parsed = armorcodeAnswers.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return err('BAD_INPUT', `${issue?.path.join('.') || 'answers'}: ${issue?.message ?? 'invalid'}`);
  }
  const a = parsed.data;
  const bad = layoutProblem(layout);
  if (bad) return err('BAD_INPUT', `layout: ${bad}`);
  if (credential.kind !== 'ssh-keypair')
    return err('BAD_INPUT', 'The ArmorCode tunnel agent needs an SSH key pair.', 'Create or import one on the Credentials step.');
  const priv = privateKeyFile(credential.privateKey);
  if (!priv.ok) return priv;
  const pub = publicKeyFile(credential.publicKey);
  if (!pub.ok) return pub;
  const known = knownHostsFile(credential.knownHosts, a.server, a.port);
  if (!known.ok) return known;
  const check = preLaunchCheck(a, variant);
  const configs = quoteAll(variant === 'docker' ? [supervisordConf(a, layout)] : a.services.map((s) => systemdUnit(a, s, layout)));
  if (!check.ok) return check;
  if (!configs.ok) return configs;
  return withQuotes((q) => {
    const common = [
      file('private-key.pem', priv.value, "The tunnel's private key (never leaves this folder).", 0o600, true),
      file('public-key.pem', pub.value, 'The public key to send to ArmorCode (one OpenSSH line).'),
      file('known_hosts', known.value, `The pinned host key of ${a.server}; ssh refuses any other (StrictHostKeyChecking=yes).`),
      file('pre-launch-check.sh', check.value, 'Checks the server, the key and the config before starting; exits 1 on any failure.', 0o755),
    ];
    const files =
      variant === 'docker'
        ? [
            file('supervisord.conf', configs.value[0]!, `One autossh program per service: ${a.services.map(programName).join(', ')}.`),
            file('docker-compose.yml', composeFile(), 'Builds and runs the agent image, restarted always.'),
            file('Dockerfile', dockerfile(), "The vendor's image layout: Alpine, autossh, supervisord as appuser."),
            file('.dockerignore', dockerignore(), 'Keeps backups and the public key out of the image.'),
            ...common,
          ]
        : [...a.services.map((s, i) => file(unitName(s), configs.value[i]!, `systemd unit of ${s.name}.`)), ...common];
    return {
      files,
      commands: variant === 'docker' ? dockerCommands() : systemdCommands(q, a, layout),
      notes: notes(a, variant, publicKeyType(pub.value)),
      removal: removal(q, a, variant, layout),
    };
  });
}
