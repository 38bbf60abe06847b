/**
 * A runner on a host (reference/next-platforms.md B1, platforms.md §6): the exact config.sh /
 * config.cmd line, the runner's .env (proxy, company CA), the service install, and the download.
 * The token never appears on a command line: the scripts read it from the 0600 file `runner-token`
 * into ACTIONS_RUNNER_INPUT_TOKEN (or _PAT), which config.sh reads like --token (actions/runner
 * CommandSettings: every argument also comes from ACTIONS_RUNNER_INPUT_<NAME>), and delete it
 * once the runner is configured.
 */
import { err, ok, type Result } from '../../result';
import type { Artifact, Command, Generated } from '../types';
import type { GitHubActionsAnswers, GitHubTarget } from './answers';
import { noProxyProblems } from './network';
import { checkText, quoteAll, quoteCmd, quotePs1, quoteSh } from '../../escape';
import { patPermission } from './tokens';

export type HostOs = 'linux' | 'macos' | 'windows';

/** Which credential the scripts hand to config.sh: a registration token, or a PAT that fetches one. */
export type RunnerCredential = 'token' | 'pat';

/** The name of the company CA file beside the runner, and the variable the runner's Node actions read it from. */
export const CA_FILE = 'company-ca.pem';

/** config.sh's arguments for these answers: flag and value (undefined for a switch), in the documented order. */
export function configArgs(a: GitHubActionsAnswers, extra: { replace?: boolean; windowsService?: boolean } = {}): [string, string | undefined][] {
  const args: [string, string | undefined][] = [
    ['--unattended', undefined],
    ['--url', a.url],
    ['--name', a.runnerName ?? ''],
  ];
  const labels = (a.labels ?? '')
    .split(',')
    .map((l) => l.trim())
    .filter(Boolean);
  if (labels.length) args.push(['--labels', labels.join(',')]);
  args.push(['--runnergroup', a.runnerGroup], ['--work', a.workFolder]);
  if (a.lifetime === 'ephemeral') args.push(['--ephemeral', undefined]);
  if (a.updates === 'disabled') args.push(['--disableupdate', undefined]);
  if (extra.replace) args.push(['--replace', undefined]);
  if (extra.windowsService) args.push(['--runasservice', undefined]);
  return args;
}

const LABELS: Record<string, string> = {
  '--url': 'The URL',
  '--name': 'The runner name',
  '--labels': 'The labels',
  '--runnergroup': 'The runner group',
  '--work': 'The work folder',
};

/** The argument words quoted by `quote`, or the first value it refuses. */
export function quotedArgs(args: [string, string | undefined][], quote: (v: string, label: string) => Result<string>): Result<string[]> {
  const words: Result<string>[] = [];
  for (const [flag, value] of args) {
    words.push(ok(flag));
    if (value !== undefined) words.push(quote(value, LABELS[flag] ?? 'The value'));
  }
  return quoteAll(words);
}

/** PowerShell passes arguments to a native program through a command line Windows PowerShell 5.1 re-quotes badly: a `"` is refused there. */
export function psNativeWord(value: string, label = 'The value'): Result<string> {
  if (value.includes('"'))
    return err(
      'UNSAFE_VALUE',
      `${label} cannot be passed to a program from PowerShell: it contains a double quote, which Windows PowerShell drops from arguments.`,
      `Change ${label.toLowerCase()} on the Details step.`,
    );
  return quotePs1(value, label);
}

/**
 * A `KEY=value` line of the runner's `.env`: the runner splits each line at its first `=` and
 * takes the rest as it is (no quotes, no escapes), so only one-line text can be written.
 */
function envLine(key: string, value: string, label: string): Result<string> {
  const checked = checkText(value, 'the runner .env file', label);
  return checked.ok ? ok(`${key}=${value}`) : checked;
}

/** The runner's `.env`: proxy variables (lower-case, which the runner prefers) and the company CA for Node actions. */
export function runnerEnv(a: GitHubActionsAnswers, trustedCa: string | undefined, caPath: string): Result<string | undefined> {
  const lines: Result<string>[] = [];
  if (a.proxyUrl) lines.push(envLine('https_proxy', a.proxyUrl, 'The proxy URL'), envLine('http_proxy', a.proxyUrl, 'The proxy URL'));
  const noProxy = (a.noProxy ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)
    .join(',');
  if (noProxy) lines.push(envLine('no_proxy', noProxy, 'The no-proxy list'));
  if (trustedCa) lines.push(envLine('NODE_EXTRA_CA_CERTS', caPath, 'The runner folder'));
  const all = quoteAll(lines);
  if (!all.ok) return all;
  return ok(all.value.length ? `${all.value.join('\n')}\n` : undefined);
}

/** The runner folder as one shell word; `~/x` becomes `"$HOME"/x` (a quoted `~` would not expand). */
export function shDir(dir: string): Result<string> {
  if (!dir.startsWith('~/')) return quoteSh(dir, 'The runner folder');
  const rest = quoteSh(dir.slice(2), 'The runner folder');
  return rest.ok ? ok(`"$HOME"/${rest.value}`) : rest;
}

/** A shellcheck directive before a line whose single-quoted values hold `$` or a backtick: literal on purpose (SC2016). */
export function literalNote(words: string[]): string[] {
  return words.some((w) => w.startsWith("'") && /[$`]/.test(w)) ? ['# shellcheck disable=SC2016 # the values are literal on purpose'] : [];
}

function tokenVar(cred: RunnerCredential): string {
  return cred === 'pat' ? 'ACTIONS_RUNNER_INPUT_PAT' : 'ACTIONS_RUNNER_INPUT_TOKEN';
}

/** configure-runner.sh for Linux and macOS. */
function shScript(a: GitHubActionsAnswers, cred: RunnerCredential, os: 'linux' | 'macos', hasEnv: boolean, hasCa: boolean): Result<string> {
  const dir = shDir(a.runnerDir);
  if (!dir.ok) return dir;
  const args = quotedArgs(configArgs(a), quoteSh);
  if (!args.ok) return args;
  const v = tokenVar(cred);
  const user = os === 'linux' ? a.serviceUser : 'the user the runner runs as';
  const lines = [
    '#!/bin/sh',
    `# Configures the GitHub Actions runner ${JSON.stringify(a.runnerName)} for ${a.url} (generated by Agent Onboard).`,
    `# Run it as ${user} (not root), from the folder that holds it and runner-token.`,
    '# The token is read from runner-token into the environment, never put on a command line,',
    '# and the file is deleted once the runner is configured.',
    'set -eu',
    'here=$(cd "$(dirname "$0")" && pwd)',
    `runner_dir=${dir.value}`,
    'token_file=${RUNNER_TOKEN_FILE:-$here/runner-token}',
    '',
    'if [ "$(id -u)" -eq 0 ]; then',
    `  echo "Run this as ${os === 'linux' ? a.serviceUser : 'the runner user'}, not root: config.sh refuses to run as root." >&2`,
    '  exit 2',
    'fi',
    'if [ ! -x "$runner_dir/config.sh" ]; then',
    '  echo "There is no runner in $runner_dir: download and unpack it there first (README, step 1)." >&2',
    '  exit 2',
    'fi',
    'if [ -e "$runner_dir/.runner" ]; then',
    '  echo "$runner_dir already holds a configured runner (.runner): re-register it instead (README, \'An existing runner\')." >&2',
    '  exit 2',
    'fi',
    'if [ ! -r "$token_file" ]; then',
    '  echo "Cannot read $token_file: copy runner-token beside this script (mode 600), or set RUNNER_TOKEN_FILE." >&2',
    '  exit 2',
    'fi',
    'case $(ls -l "$token_file") in',
    '  -rw-------* | -r--------*) ;;',
    '  *)',
    '    echo "$token_file can be read by other users: run chmod 600 on it first." >&2',
    '    exit 2',
    '    ;;',
    'esac',
  ];
  if (hasEnv) {
    lines.push(
      '',
      '# The runner reads .env at start: proxy and CA settings for the runner and its jobs.',
      'if [ ! -e "$runner_dir/.env" ]; then',
      '  cp "$here/runner-env.txt" "$runner_dir/.env"',
      'elif ! cmp -s "$here/runner-env.txt" "$runner_dir/.env"; then',
      '  echo "Note: $runner_dir/.env exists and differs from runner-env.txt; add its lines by hand." >&2',
      'fi',
    );
  }
  if (hasCa) lines.push(`cp "$here/${CA_FILE}" "$runner_dir/${CA_FILE}"`);
  lines.push(
    '',
    `${v}=$(cat "$token_file")`,
    `export ${v}`,
    'cd "$runner_dir"',
    ...literalNote(args.value),
    `./config.sh ${args.value.join(' ')}`,
    `unset ${v}`,
    'rm -f "$token_file"',
    'echo "Configured. $token_file was deleted: the runner now signs in with its own key."',
    '',
  );
  return ok(lines.join('\n'));
}

/** configure-runner.ps1 for Windows (config.cmd's own program, called directly: a .cmd would re-parse the arguments). */
function psScript(a: GitHubActionsAnswers, cred: RunnerCredential): Result<string> {
  const dir = quotePs1(a.windowsDir, 'The runner folder');
  if (!dir.ok) return dir;
  const args = quotedArgs(configArgs(a, { windowsService: true }), psNativeWord);
  if (!args.ok) return args;
  const v = tokenVar(cred);
  return ok(
    [
      `# Configures the GitHub Actions runner ${JSON.stringify(a.runnerName)} for ${a.url} as a Windows service (generated by Agent Onboard).`,
      '# Run it in an elevated PowerShell from the folder that holds it and runner-token.',
      "$ErrorActionPreference = 'Stop'",
      '$here = Split-Path -Parent $MyInvocation.MyCommand.Path',
      `$runnerDir = ${dir.value}`,
      "$tokenFile = Join-Path $here 'runner-token'",
      'if (-not (Test-Path (Join-Path $runnerDir \'bin\\Runner.Listener.exe\'))) { Write-Error "There is no runner in ${runnerDir}: unpack it there first (README, step 1)."; exit 2 }',
      'if (Test-Path (Join-Path $runnerDir \'.runner\')) { Write-Error "$runnerDir already holds a configured runner (.runner): re-register it instead."; exit 2 }',
      `$env:${v} = (Get-Content -Raw -LiteralPath $tokenFile).Trim()`,
      'Set-Location -LiteralPath $runnerDir',
      `& .\\bin\\Runner.Listener.exe configure ${args.value.join(' ')}`,
      `$code = $LASTEXITCODE`,
      `Remove-Item Env:\\${v}`,
      'if ($code -ne 0) { exit $code }',
      'Remove-Item -LiteralPath $tokenFile',
      "Write-Output 'Configured as a service. runner-token was deleted.'",
      '',
    ].join('\r\n'),
  );
}

/** configure-runner.cmd for Windows, delayed expansion off so `!` stays literal. */
function cmdScript(a: GitHubActionsAnswers, cred: RunnerCredential): Result<string> {
  const dir = quoteCmd(a.windowsDir, 'The runner folder');
  if (!dir.ok) return dir;
  const args = quotedArgs(configArgs(a, { windowsService: true }), quoteCmd);
  if (!args.ok) return args;
  const v = tokenVar(cred);
  return ok(
    [
      '@echo off',
      `rem Configures the GitHub Actions runner for ${a.url.replace(/%/g, '%%')} as a Windows service (generated by Agent Onboard).`,
      'rem Run it from an elevated prompt, from the folder that holds it and runner-token.',
      'setlocal DisableDelayedExpansion',
      `cd /d ${dir.value} || exit /b 2`,
      'if exist .runner (',
      '  echo This folder already holds a configured runner ^(.runner^): re-register it instead. 1>&2',
      '  exit /b 2',
      ')',
      `set /p ${v}=<"%~dp0runner-token"`,
      `"bin\\Runner.Listener.exe" configure ${args.value.join(' ')}`,
      'if errorlevel 1 exit /b %errorlevel%',
      `set ${v}=`,
      'del "%~dp0runner-token"',
      'echo Configured as a service. runner-token was deleted.',
      '',
    ].join('\r\n'),
  );
}

function downloadCommands(a: GitHubActionsAnswers, os: HostOs, dir: string): Command[] {
  if (!a.runnerVersion) return [];
  const v = a.runnerVersion;
  if (os === 'windows') {
    return [
      {
        title: 'Download and unpack the runner (check its SHA-256 against the release page)',
        os,
        command: `New-Item -ItemType Directory -Force -Path ${dir} | Out-Null; Set-Location -LiteralPath ${dir}; Invoke-WebRequest -Uri https://github.com/actions/runner/releases/download/v${v}/actions-runner-win-x64-${v}.zip -OutFile actions-runner.zip; Get-FileHash actions-runner.zip; Expand-Archive -Path actions-runner.zip -DestinationPath .`,
      },
    ];
  }
  const plat = os === 'linux' ? 'linux' : 'osx';
  const make = os === 'linux' ? `sudo install -d -o ${a.serviceUser} ${dir}` : `mkdir -p ${dir}`;
  const user = os === 'linux' ? `sudo -u ${a.serviceUser} ` : '';
  return [
    ...(os === 'linux'
      ? [
          {
            title: 'Create the runner user (skip when it exists)',
            os,
            command: `id ${a.serviceUser} >/dev/null 2>&1 || sudo useradd --system --create-home ${a.serviceUser}`,
          } as Command,
        ]
      : []),
    { title: 'Create the runner folder', os, command: make },
    {
      title: 'Download and unpack the runner (compare the SHA-256 with the release page)',
      os,
      command: `cd ${dir} && arch=$(uname -m | sed -e 's/x86_64/x64/' -e 's/aarch64/arm64/') && ${user}curl -fsSLo actions-runner.tar.gz "https://github.com/actions/runner/releases/download/v${v}/actions-runner-${plat}-$arch-${v}.tar.gz" && sha256sum actions-runner.tar.gz && ${user}tar xzf actions-runner.tar.gz`,
    },
  ];
}

function serviceCommands(a: GitHubActionsAnswers, os: HostOs, dir: string): Command[] {
  if (os === 'windows') return [{ title: 'Check the service (config.cmd --runasservice installed it)', os, command: "Get-Service -Name 'actions.runner.*'" }];
  if (os === 'macos')
    return [
      {
        title: 'Install and start the launchd service (as the runner user)',
        os,
        command: `cd ${dir} && ./svc.sh install && ./svc.sh start && ./svc.sh status`,
      },
    ];
  return [
    {
      title: 'Install and start the systemd service (svc.sh names it and writes the name to .service)',
      os,
      command: `cd ${dir} && sudo ./svc.sh install ${a.serviceUser} && sudo ./svc.sh start`,
    },
    {
      title: 'Check it is listening for jobs',
      os,
      command: `cd ${dir} && sudo systemctl is-active "$(cat .service)" && sudo journalctl -u "$(cat .service)" --since -5min | grep 'Listening for Jobs'`,
    },
  ];
}

/** Notes every host install shows: container volumes, no_proxy entries the runner ignores, the PAT permission, the 14-day rule. */
export function hostNotes(a: GitHubActionsAnswers, target: GitHubTarget, cred: RunnerCredential): string[] {
  const notes: string[] = [];
  if (a.runsIn === 'container-no-volume' && a.lifetime === 'persistent') {
    notes.push(
      'Warning: the runner folder is in a container without a volume. The runner keeps its registration there (.runner, .credentials, .credentials_rsaparams): a new container loses it, and GitHub keeps listing the old runner offline until it deletes it after 14 days. Put the runner folder on a volume, or make the runner ephemeral.',
    );
  }
  for (const p of noProxyProblems(a.noProxy)) notes.push(`no_proxy: ${p}`);
  if (cred === 'pat')
    notes.push(`The PAT must be ${patPermission(target.kind)}. config.sh uses it once to fetch a registration token; the script deletes the file afterwards.`);
  else
    notes.push(
      'The registration token expires one hour after GitHub made it: run configure-runner within the hour, or get a fresh one (an expired token fails with a bare 404 from runner-registration).',
    );
  notes.push('GitHub deletes a runner that has not connected for 14 days (an ephemeral one after 1 day); it must then be configured again with a new token.');
  if (a.updates === 'disabled')
    notes.push('With updates disabled you must install each new runner release yourself within 30 days, or GitHub stops sending jobs to it.');
  return notes;
}

/** Files, commands and notes for a runner on `os`. */
export function generateHost(
  a: GitHubActionsAnswers,
  target: GitHubTarget,
  token: string,
  cred: RunnerCredential,
  os: HostOs,
  trustedCa?: string,
): Result<Generated> {
  if (!a.runnerName) return err('BAD_INPUT', 'A runner on a host needs a runner name.', 'Fill in Runner name on the Details step.');
  const files: Artifact[] = [
    {
      path: 'runner-token',
      text: `${token}\n`,
      mode: 0o600,
      secret: true,
      description:
        cred === 'pat'
          ? 'The personal access token config.sh fetches a registration token with (deleted after use).'
          : 'The registration token (valid one hour; deleted after use).',
    },
  ];
  const caPath = os === 'windows' ? `${a.windowsDir}\\${CA_FILE}` : `${a.runnerDir.replace(/^~\//, '')}/${CA_FILE}`;
  const env = os === 'windows' ? runnerEnv(a, trustedCa, caPath) : runnerEnv(a, trustedCa, a.runnerDir.startsWith('~/') ? CA_FILE : caPath);
  if (!env.ok) return env;
  // Not named *.env: the runner reads each line literally after the first '=', neither as a
  // systemd EnvironmentFile nor as a dotenv file, and no tool should take it for one.
  if (env.value)
    files.push({
      path: 'runner-env.txt',
      text: os === 'windows' ? env.value.replace(/\n/g, '\r\n') : env.value,
      mode: 0o644,
      secret: false,
      description: 'Copied to the runner folder as .env: proxy and CA settings the runner reads at start.',
    });
  if (trustedCa)
    files.push({
      path: CA_FILE,
      text: trustedCa,
      mode: 0o644,
      secret: false,
      description: "The company CA: the runner's Node actions trust it through NODE_EXTRA_CA_CERTS.",
    });
  const dir = os === 'windows' ? quotePs1(a.windowsDir, 'The runner folder') : shDir(a.runnerDir);
  if (!dir.ok) return dir;
  const commands: Command[] = [...downloadCommands(a, os, dir.value)];
  if (os === 'windows') {
    const ps = psScript(a, cred);
    if (!ps.ok) return ps;
    const cmd = cmdScript(a, cred);
    if (!cmd.ok) return cmd;
    files.push({ path: 'configure-runner.ps1', text: ps.value, mode: 0o644, secret: false, description: 'Configures the runner as a service (PowerShell).' });
    files.push({ path: 'configure-runner.cmd', text: cmd.value, mode: 0o644, secret: false, description: 'The same for cmd.exe.' });
    if (env.value)
      commands.push({ title: 'Copy the runner settings into the runner folder', os, command: `Copy-Item runner-env.txt (Join-Path ${dir.value} '.env')` });
    commands.push({
      title: 'Configure the runner (elevated PowerShell, in the bundle folder)',
      os,
      command: 'powershell -ExecutionPolicy Bypass -File .\\configure-runner.ps1',
    });
  } else {
    const sh = shScript(a, cred, os, Boolean(env.value), Boolean(trustedCa));
    if (!sh.ok) return sh;
    files.push({ path: 'configure-runner.sh', text: sh.value, mode: 0o755, secret: false, description: 'Runs config.sh with the token from runner-token.' });
    commands.push({
      title: `Configure the runner (as ${os === 'linux' ? a.serviceUser : 'the runner user'}, in the bundle folder)`,
      os,
      command: os === 'linux' ? `sudo chown ${a.serviceUser} . runner-token && sudo -u ${a.serviceUser} ./configure-runner.sh` : './configure-runner.sh',
    });
  }
  commands.push(...serviceCommands(a, os, dir.value));
  return ok({ files, commands, notes: hostNotes(a, target, cred) });
}
