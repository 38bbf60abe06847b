/**
 * Config bundles, the pure part: the manifest format, which files count as secret, which entry
 * names are safe to unpack, and the README with the next steps. The zip itself, the checksums and
 * the encryption live in main/services/bundle/; the renderer uses the types and schemas here.
 */
import { z } from 'zod';
import { getPlatform } from './platforms';
import { PLATFORM_IDS } from './platforms';
import type { AnyPlatform, Command, Removal } from './platforms/types';
import { err, ok, type Result } from './result';

/** The manifest's `format` value; readers refuse anything else. */
export const BUNDLE_FORMAT = 'agent-onboard-bundle';
/** Bumped when the manifest or the encrypted-file layout changes incompatibly. */
export const BUNDLE_FORMAT_VERSION = 1;
/** The manifest's entry name inside the zip. */
export const MANIFEST_NAME = 'manifest.json';
/**
 * The entry that ties manifest.json to the passphrase (bundles made with one): the manifest's
 * SHA-256, encrypted like a secret file under the path `manifest.json`. Without it an attacker
 * who cannot read the secrets could still rewrite the plain files (a server, a known_hosts) and
 * their manifest records, and the right passphrase would unpack them next to the real secrets.
 */
export const MANIFEST_AUTH_NAME = 'manifest.json.auth';
/** Suffix of an encrypted file's zip entry (`config/token.txt` → `config/token.txt.enc`). */
export const ENCRYPTED_SUFFIX = '.enc';
/** The connectivity report's file name inside the bundle. */
export const REPORT_NAME = 'connectivity-report.txt';
/** The company CA the connectivity checks trusted, inside the bundle and beside the agent-host probe command. */
export const COMPANY_CA_FILE = 'company-ca.pem';

/**
 * How to make the agent host trust the company CA, for a bundle that carries it: the system
 * store on each OS (what curl, Go agents and the OS use), the note for containers (which see only
 * their image's store), and the platform's own notes (`caNotes`) for agents that read another store.
 */
export function companyCaSteps(platform: AnyPlatform['id'] | null): { commands: Command[]; notes: string[] } {
  const f = COMPANY_CA_FILE;
  const notes = [
    `\`${f}\` is the CA the connectivity checks trusted (a TLS-inspecting proxy's root or an internal CA). Check its fingerprint with your security team before trusting it: \`openssl x509 -in ${f} -noout -subject -fingerprint -sha256\`.`,
    `Containers (Docker, Kubernetes, ECS) do not see the host's trust store: add \`${f}\` to the image or mount it as the vendor documents for that install.`,
  ];
  notes.push(...(getPlatform(platform ?? '')?.caNotes?.(f) ?? []));
  return {
    commands: [
      {
        title: 'Trust the company CA (Debian, Ubuntu)',
        command: `sudo cp ${f} /usr/local/share/ca-certificates/company-ca.crt && sudo update-ca-certificates`,
        os: 'linux',
      },
      {
        title: 'Trust the company CA (RHEL, Fedora, Amazon Linux)',
        command: `sudo cp ${f} /etc/pki/ca-trust/source/anchors/company-ca.pem && sudo update-ca-trust`,
        os: 'linux',
      },
      { title: 'Trust the company CA', command: `sudo security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain ${f}`, os: 'macos' },
      {
        title: 'Trust the company CA (as Administrator)',
        command: `Import-Certificate -FilePath .\\${f} -CertStoreLocation Cert:\\LocalMachine\\Root`,
        os: 'windows',
      },
    ],
    notes,
  };
}

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'a lower-case hex SHA-256');

/** One file of a bundle as the manifest describes it. `sha256` and `size` are of the plain bytes. */
export const manifestFileSchema = z
  .object({
    path: z.string().min(1).max(1024),
    size: z.number().int().min(0),
    sha256: sha256Hex,
    /** Unix permission bits (0..0o777). */
    mode: z.number().int().min(0).max(0o777),
    secret: z.boolean(),
    /** Present when the file is stored encrypted (entry `path + ENCRYPTED_SUFFIX`). */
    encrypted: z
      .object({
        cipher: z.literal('aes-256-gcm'),
        kdf: z.literal('scrypt'),
        /** Size and SHA-256 of the stored (encrypted) entry, checkable without the passphrase. */
        storedSize: z.number().int().min(0),
        storedSha256: sha256Hex,
      })
      .strict()
      .optional(),
    description: z.string().max(500).optional(),
  })
  .strict();
export type ManifestFile = z.infer<typeof manifestFileSchema>;

/** manifest.json: what the bundle is for and, per file, its checksum, mode and secrecy. */
export const manifestSchema = z
  .object({
    format: z.literal(BUNDLE_FORMAT),
    formatVersion: z.literal(BUNDLE_FORMAT_VERSION),
    platform: z.enum(PLATFORM_IDS).nullable(),
    variant: z.string().max(64).nullable(),
    appVersion: z.string().max(64),
    createdAt: z.string().max(64),
    /** The agent this bundle is for (fleet bundles; optional otherwise). */
    agent: z
      .object({ name: z.string().max(200), host: z.string().max(253).optional() })
      .strict()
      .optional(),
    files: z.array(manifestFileSchema).max(10_000),
  })
  .strict();
export type Manifest = z.infer<typeof manifestSchema>;

const PRIVATE_KEY_HEADER =
  /-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |ANY )?PRIVATE KEY-----|-----BEGIN PGP PRIVATE KEY BLOCK-----|^PuTTY-User-Key-File-\d+:/m;

// .NET's RSAParameters as JSON (the GitHub Actions and Azure Pipelines agents' .credentials_rsaparams):
// the private exponent and CRT parts, base64, with no PEM header to recognise.
const RSA_PARAMETERS_JSON = /"d"\s*:\s*"[A-Za-z0-9+/=]{16,}"[\s\S]*"inverseQ"\s*:\s*"|"inverseQ"\s*:\s*"[A-Za-z0-9+/=]{16,}"[\s\S]*"d"\s*:\s*"/i;

/** True when the text holds a private key (PEM, PKCS#8, OpenSSH, PGP or PuTTY header, or RSA parameters as JSON). */
export function isPrivateKeyText(text: string): boolean {
  return PRIVATE_KEY_HEADER.test(text) || RSA_PARAMETERS_JSON.test(text);
}

/**
 * True when a file is secret: readable by its owner only (mode 0600 or 0400), a private key by
 * its content, or marked secret by the platform's generator.
 */
export function isSecretFile(file: { mode: number; text: string; markedSecret?: boolean }): boolean {
  return file.markedSecret === true || (file.mode & 0o177) === 0 || isPrivateKeyText(file.text);
}

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;
const BIDI_CONTROL = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/**
 * Checks one entry name of a bundle before anything is unpacked: a relative path with '/'
 * separators, no '.' or '..' segment, no absolute path or drive letter, no backslash, control
 * character or empty segment, no name Windows reserves, no ':' and no segment ending in '.' or ' '
 * (Windows would write a hidden stream or fold two names into one). BUNDLE_INVALID says which rule broke.
 */
export function checkEntryPath(name: string): Result<string> {
  const bad = (why: string): Result<string> =>
    err(
      'BUNDLE_INVALID',
      `The bundle entry ${JSON.stringify(name.slice(0, 200))} ${why}; nothing was unpacked.`,
      'The bundle was not made by Agent Onboard or was tampered with: do not use it.',
    );
  if (name.length === 0) return bad('has an empty name');
  if (name.length > 1024) return bad('has a name longer than 1024 characters');
  if ([...name].some((c) => c.charCodeAt(0) < 0x20 || (c.charCodeAt(0) >= 0x7f && c.charCodeAt(0) <= 0x9f))) return bad('has a control character in its name');
  // U+202E and friends reorder what is shown: `gpj.exe` could read as `exe.jpg` in a listing.
  if (BIDI_CONTROL.test(name)) return bad('has a bidirectional control character in its name (it would show a different name than it has)');
  if (name.includes('\\')) return bad('has a backslash in its name (a Windows path)');
  if (name.startsWith('/')) return bad('is an absolute path');
  if (/^[A-Za-z]:/.test(name)) return bad('starts with a drive letter');
  // On Windows `a:b` writes the hidden stream b of a, and `a.` or `a ` is the file a.
  if (name.includes(':')) return bad("has a ':' in its name (on Windows, a hidden stream of another file)");
  const segments = name.split('/');
  for (const segment of segments) {
    if (segment === '..') return bad("climbs out of the folder with '..'");
    if (segment === '.') return bad("has a '.' segment");
    if (segment === '') return bad('has an empty path segment');
    if (segment.length > 255) return bad('has a path segment longer than 255 characters');
    if (/[. ]$/.test(segment)) return bad('has a name ending in a dot or a space (Windows drops them: two entries could be one file)');
    if (WINDOWS_RESERVED.test(segment)) return bad('uses a name Windows reserves');
  }
  return ok(name);
}

/**
 * The key two names collide under on case-insensitive file systems (macOS, Windows): NFC and full
 * case folding, approximated by upper- then lower-casing (`ſ` and `s`, `ß` and `ss`, `K` (Kelvin) and `k`).
 */
export function collisionKey(path: string): string {
  return path.normalize('NFC').toUpperCase().toLowerCase().normalize('NFC');
}

/** What the README needs to know about the bundle. */
export interface ReadmeInput {
  platform: AnyPlatform | undefined;
  variant: string | null;
  appVersion: string;
  createdAt: string;
  files: ManifestFile[];
  commands: Command[];
  notes: string[];
  hasReport: boolean;
  /** How to take the agent away again (its own section, after the notes). */
  removal?: Removal;
  agent?: { name: string; host?: string };
  /** The bundle's own file name, for the commands (e.g. `agent-01.zip`). */
  bundleName: string;
}

function fence(text: string, lang = ''): string {
  const longest = Math.max(2, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length));
  const mark = '`'.repeat(longest + 1);
  return `${mark}${lang}\n${text}\n${mark}`;
}

function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function inline(text: string): string {
  return text.replace(/[\\`*_[\]<>#|]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

/** A shell word quoted for POSIX sh (for file names in the commands shown to users). */
export function shWord(value: string): string {
  return /^[A-Za-z0-9_./:@-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Octal text of a mode, e.g. 0600. */
export function modeText(mode: number): string {
  return `0${(mode & 0o777).toString(8).padStart(3, '0')}`;
}

/**
 * README.md of a bundle: what is inside, how to check and unpack it on the agent host, then the
 * platform's own next steps (its generator's commands and notes) for that variant.
 */
export function renderReadme(input: ReadmeInput): string {
  const { platform, files } = input;
  const variant = platform?.variants.find((v) => v.id === input.variant);
  const title = platform ? `${platform.name}${variant ? ` — ${variant.name}` : ''}` : 'Agent configuration';
  const encrypted = files.filter((f) => f.encrypted);
  const bundle = shWord(input.bundleName);
  const lines: string[] = [`# ${inline(title)}`, ''];
  const forAgent = input.agent
    ? ` for agent **${inline(input.agent.name)}**${input.agent.host ? ` (host \`${input.agent.host.replace(/`/g, '')}\`)` : ''}`
    : '';
  lines.push(`Bundle made by Agent Onboard ${inline(input.appVersion)} on ${inline(input.createdAt)}${forAgent}.`, '');
  lines.push('## What is inside', '', '| File | Mode | Secret | Size (bytes) | What it is |', '| --- | --- | --- | --- | --- |');
  for (const f of files) {
    lines.push(
      `| \`${cell(f.path).replace(/`/g, '')}\` | ${modeText(f.mode)} | ${f.secret ? (f.encrypted ? 'yes, encrypted' : 'yes') : 'no'} | ${f.size} | ${cell(f.description ?? '')} |`,
    );
  }
  lines.push('', '`manifest.json` lists every file with its size, SHA-256 and mode.', '');
  lines.push('## Before you start', '');
  const pass = encrypted.length ? ' --passphrase-env BUNDLE_PASSPHRASE' : '';
  lines.push('1. Copy this bundle to the agent host over a channel you trust (e.g. `scp`).', '');
  lines.push('2. Check every checksum:', '', fence(`agent-onboard bundle verify ${bundle}${pass}`, 'sh'), '');
  lines.push("3. Unpack it into the agent's folder (modes from the manifest, keys 0600; nothing is overwritten without `--force`):", '');
  lines.push(
    fence(
      `${encrypted.length ? 'read -rs BUNDLE_PASSPHRASE && export BUNDLE_PASSPHRASE\n' : ''}agent-onboard bundle import ${bundle} --to ./agent${pass}\ncd ./agent`,
      'sh',
    ),
    '',
  );
  if (encrypted.length) {
    lines.push(
      `${encrypted.length === 1 ? 'One secret file is' : `${encrypted.length} secret files are`} encrypted (AES-256-GCM, key from the passphrase by scrypt); a plain \`unzip\` leaves them as \`*.enc\`, so unpack with \`agent-onboard bundle import\`. The passphrase is not stored anywhere: get it from whoever made the bundle.`,
    );
  } else if (files.some((f) => f.secret)) {
    lines.push('The secret files are not encrypted: keep this bundle as private as the secrets in it, and delete it once unpacked.');
  }
  lines.push('');
  const plain = files.filter((f) => !f.encrypted);
  if (plain.length) {
    lines.push('Without Agent Onboard on the host, `unzip` restores the same modes; then check the checksums yourself:', '');
    const sums = plain.map((f) => `${f.sha256}  ${f.path}`).join('\n');
    lines.push(fence(`unzip -d ./agent ${bundle} && cd ./agent\nsha256sum -c <<'SUMS'\n${sums}\nSUMS`, 'sh'), '');
  }
  lines.push('## Next steps', '');
  if (input.commands.length === 0) {
    lines.push(
      platform
        ? `Follow ${inline(platform.name)}'s install guide (below) with the files from this bundle.`
        : "Follow your platform's install guide with the files from this bundle.",
      '',
    );
  }
  input.commands.forEach((c, i) => {
    lines.push(`### ${i + 1}. ${inline(c.title)}${c.os ? ` (${c.os})` : ''}`, '', fence(c.command, c.os === 'windows' ? 'powershell' : 'sh'), '');
  });
  if (input.notes.length) {
    lines.push('## Notes', '');
    for (const n of input.notes) lines.push(`- ${n.replace(/\r?\n/g, ' ')}`);
    lines.push('');
  }
  if (input.removal && (input.removal.commands.length || input.removal.notes.length)) {
    lines.push('## Removing this agent later', '');
    for (const c of input.removal.commands)
      lines.push(`- ${inline(c.title)}${c.os ? ` (${c.os})` : ''}:`, '', fence(c.command, c.os === 'windows' ? 'powershell' : 'sh'), '');
    for (const n of input.removal.notes) lines.push(`- ${n.replace(/\r?\n/g, ' ')}`);
    lines.push('');
  }
  if (input.hasReport)
    lines.push(
      '## Connectivity',
      '',
      `\`${REPORT_NAME}\` holds the connectivity check made when this bundle was created: rerun it from the agent host if anything fails.`,
      '',
    );
  if (platform?.docs.length) {
    lines.push('## Documentation', '');
    for (const d of platform.docs) lines.push(`- [${inline(d.title)}](${d.url})`);
    lines.push('');
  }
  return lines.join('\n');
}
