/**
 * The conformance suite's checks that need real programs (the in-process half is
 * test/unit/shared/platforms/conformance.test.ts), over every platform in PLATFORMS and every
 * variant, with samples derived from the platform itself (test/support/conformance.ts):
 * - shellcheck (style level) on every generated script in its shebang's dialect, and on every
 *   command block shown to the user as POSIX sh (what any user's shell runs);
 * - YAML read by PyYAML (YAML 1.1, as Kubernetes and Helm read it) equals the YAML 1.2 reading;
 * - scripts that start an agent (`run-*.sh`, `install-*.sh`) run by bash with the programs they
 *   call (docker, helm, java, buildkite-agent, curl, kubectl) replaced by stand-ins that record
 *   their arguments: every place the token is passed hands over exactly the token (docker run's
 *   environment as docker builds it, helm --set by helm's strvals rules);
 * - hostile answers a schema accepts never run (`$(touch pwned)`), and reach those programs
 *   exactly as given;
 * - rotated scripts (the platform's example files) still hand over the new token when run.
 * The readers' ports cite their sources in test/support/consumers.ts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { PLATFORMS } from '../../../../shared/platforms';
import type { AnyPlatform, Artifact, Generated } from '../../../../shared/platforms/types';
import { HOSTILE_ANSWERS, sampleAnswers, sampleCredential, sampleTokens, stringKeys, valueAt, withValue } from '../../../support/conformance';
import { dockerEnvFile, dockerRunEnv, hasPyYaml, helmSet, readYaml11, runScript, secretValues, systemdEnvFile } from '../../../support/consumers';
import { isScript, normalised, readsToken, type Reading } from '../../../support/readings';

const work = mkdtempSync(path.join(tmpdir(), 'conformance-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const generating = PLATFORMS.filter((p) => p.generate);
const STAND_INS = ['docker', 'helm', 'java', 'buildkite-agent', 'curl', 'kubectl'];

/** Scripts that start the agent: safe to run with stand-ins (they only call the programs above). */
const runnable = (f: Pick<Artifact, 'path'>): boolean => /^(run|install)-[^/]*\.sh$/.test(f.path);

function generate(p: AnyPlatform, raw: Record<string, unknown>, variant: string, token?: string): Generated {
  const a = p.answers.parse(raw);
  const r = p.generate!(a, sampleCredential(p, a, token), variant);
  if (!r.ok) throw new Error(`${p.id} ${variant}: ${r.error.message}`);
  return r.value;
}

/** Everything the programs a script calls receive: each argument, docker run's environment, helm's --set values. */
function scriptReadings(p: AnyPlatform, files: Pick<Artifact, 'path' | 'text' | 'mode'>[], script: string): { readings: Reading[]; dir: string } {
  const run = runScript(work, [...files, ...(p.example?.beside ?? [])], script, STAND_INS);
  if (run.status !== 0) throw new Error(`${script} exited ${run.status}: ${run.stderr}`);
  const out: Reading[] = [];
  for (const c of run.calls) {
    // The run's own folder differs between runs: compare paths below it.
    c.args.forEach((a, i) => out.push({ where: `${script}: ${c.command} arg ${i}`, value: a.split(run.dir).join('<run folder>') }));
    if (c.command === 'docker' && c.args[0] === 'run')
      for (const [k, v] of Object.entries(dockerRunEnv(c.args, run.dir))) out.push({ where: `${script}: docker run env ${k}`, value: v });
    if (c.command === 'helm')
      c.args.forEach((a, i) => {
        const flag = c.args[i - 1];
        if (flag !== '--set' && flag !== '--set-string') return;
        const walk = (v: unknown, where: string): void => {
          if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, `${where}.${k}`);
          else out.push({ where, value: String(v) });
        };
        walk(helmSet(a, flag === '--set-string'), `${script}: helm ${flag}`);
      });
  }
  return { readings: out, dir: run.dir };
}

/**
 * The command blocks as the user copies them, one script per block. A `<container>` placeholder
 * the user replaces is read as the word they type there.
 */
function commandScripts(g: Generated): { name: string; text: string }[] {
  const blocks = [...g.commands, ...(g.removal?.commands ?? [])].filter((c) => c.os !== 'windows');
  return blocks.map((c, i) => ({ name: `command ${i}: ${c.title}`, text: `#!/bin/sh\n${c.command.replace(/<([a-z][a-z0-9 _-]*)>/g, 'your-$1')}\n` }));
}

/**
 * shellcheck's findings at every severity, style included ('' when clean), in the dialect the
 * shebang names (a script without one is read as sh, what `sh script` would run).
 */
function shellcheck(text: string): string {
  const r = spawnSync('shellcheck', ['-S', 'style', ...(text.startsWith('#!') ? [] : ['-s', 'sh']), '-'], { input: text, encoding: 'utf8' });
  if (r.error) throw r.error;
  return r.stdout + r.stderr;
}

/** shellcheck findings of every generated script and command block ('' each when clean). */
function shellFindings(g: Generated): string[] {
  const scripts = [...g.files.filter(isScript).map((f) => ({ name: f.path, text: f.text })), ...commandScripts(g)];
  return scripts
    .map((s) => ({ s, found: shellcheck(s.text) }))
    .filter((x) => x.found !== '')
    .map((x) => `${x.s.name}:\n${x.found}`);
}

/** YAML files whose PyYAML (1.1) reading differs from the YAML 1.2 one, or that PyYAML refuses. */
function yaml11Findings(g: Generated): string[] {
  const yamls = g.files.filter((f) => /\.ya?ml$/.test(f.path));
  if (yamls.length === 0) return [];
  const read = readYaml11(yamls.map((f) => f.text));
  return yamls.flatMap((f, i) => {
    const r = read[i]!;
    if ('error' in r) return [`${f.path}: PyYAML refuses it: ${r.error}`];
    const v12 = parseAllDocuments(f.text).map((d) => d.toJS({ maxAliasCount: -1 }) as unknown);
    return JSON.stringify(r.docs) === JSON.stringify(v12)
      ? []
      : [`${f.path}: YAML 1.1 reads ${JSON.stringify(r.docs).slice(0, 300)}, YAML 1.2 ${JSON.stringify(v12).slice(0, 300)}`];
  });
}

const variants = generating.flatMap((p) => p.variants.map((v) => [p.id, v.id, p] as const));

describe('every generated script and command block passes shellcheck', () => {
  it.each(variants)('%s %s', (_id, variant, p) => {
    expect(shellFindings(generate(p, sampleAnswers(p).full!, variant))).toEqual([]);
  });
});

describe('every generated YAML file reads the same in YAML 1.1 (PyYAML, as Kubernetes and Helm) as in YAML 1.2', () => {
  it.skipIf(!hasPyYaml())('(skipped without python3-yaml)', () => undefined);
  it.runIf(hasPyYaml()).each(variants)('%s %s', (_id, variant, p) => {
    expect(yaml11Findings(generate(p, sampleAnswers(p).full!, variant))).toEqual([]);
  });
});

describe('scripts that start the agent hand the programs they call exactly the token', () => {
  const cases = generating
    .filter((p) => p.credential.kind === 'token')
    .flatMap((p) => p.variants.flatMap((v) => sampleTokens(p).map((t) => [p.id, v.id, t, p] as const)));
  it.each(cases)('%s %s with %s', (_id, variant, token, p) => {
    const g = generate(p, sampleAnswers(p).full!, variant, token);
    for (const s of g.files.filter(runnable)) {
      const { readings } = scriptReadings(p, g.files, s.path);
      if (readings.some((r) => r.value.includes(token))) expect(readsToken(readings, token), `${s.path}: the token reaches a program mangled`).toBe(true);
      // The same script with another accepted token differs only in the token.
      const other = sampleTokens(p).find((t) => t !== token);
      if (!other) continue;
      const g2 = generate(p, sampleAnswers(p).full!, variant, other);
      expect(normalised(scriptReadings(p, g2.files, s.path).readings, other)).toEqual(normalised(readings, token));
    }
  });
});

describe('hostile answers a schema accepts pass shellcheck, never run, and reach the programs as given', () => {
  const MARKERS = ['zqxmark', 'zqxmark.example.com', 'https://zqxmark.example.com', '/srv/zqxmark', 'zqxmark=1'];
  const cases = generating.flatMap((p) => stringKeys(p).flatMap((key) => HOSTILE_ANSWERS.map((h, i) => [p.id, key, i, h, p] as const)));
  it.each(cases)('%s %s: hostile value #%i', (_id, key, _i, hostile, p) => {
    const base = sampleAnswers(p).full!;
    const parsed = p.answers.safeParse(withValue(base, key, hostile));
    if (!parsed.success) return; // refused: the unit suite checks the message
    const given = valueAt(parsed.data, key);
    const marker = MARKERS.map((m) => ({ m, r: p.answers.safeParse(withValue(base, key, m)) })).find((x) => x.r.success);
    for (const v of p.variants) {
      const r = p.generate!(parsed.data, sampleCredential(p, parsed.data), v.id);
      if (!r.ok) continue;
      expect(shellFindings(r.value), v.id).toEqual([]);
      if (hasPyYaml()) expect(yaml11Findings(r.value), v.id).toEqual([]);
      for (const s of r.value.files.filter(runnable)) {
        const { readings, dir } = scriptReadings(p, r.value.files, s.path);
        expect(existsSync(path.join(dir, 'pwned')), `${v.id} ${s.path} ran a command from the answer`).toBe(false);
        if (typeof given !== 'string' || !marker) continue;
        const m = p.generate!(marker.r.data, sampleCredential(p, marker.r.data), v.id);
        if (!m.ok) continue;
        const markerRun = scriptReadings(p, m.value.files, s.path).readings;
        expect(normalised(readings, given), `${v.id} ${s.path}`).toEqual(normalised(markerRun, valueAt(marker.r.data, key) as string));
      }
    }
  });
});

describe('rotated scripts still hand over exactly the new token when run', () => {
  const cases = PLATFORMS.flatMap((p) =>
    Object.entries(p.example?.installed ?? {})
      .filter(([, s]) => isScript({ path: s.file, text: s.text }))
      .map(([id, s]) => [p.id, id, p, s] as const),
  );
  it.each(cases)('%s %s', (_id, updaterId, p, s) => {
    const updater = p.updaters.find((u) => u.id === updaterId)!;
    const file = { path: path.basename(s.file), text: s.text, mode: 0o755 };
    const before = scriptReadings(p, [file], file.path).readings;
    expect(readsToken(before, s.token)).toBe(true);
    for (const token of sampleTokens(p)) {
      const r = updater.rotate(s.text, token);
      if (!r.ok) throw new Error(r.error.message);
      const after = scriptReadings(p, [{ ...file, text: r.value.text }], file.path).readings;
      // A flag may change form (--token X to --token=X), so compare what reaches each program's token places.
      expect(readsToken(after, token), `the new token ${token}`).toBe(true);
      expect(
        after.some((x) => x.value.includes(s.token)),
        'the old token is still passed',
      ).toBe(false);
    }
  });
});

describe('the consumer readers themselves', () => {
  it('read helm --set by pkg/strvals rules: "," separates, "\\" escapes, "=" in a value is literal, --set types', () => {
    expect(helmSet('a=b=,c=d\\,e', false)).toEqual({ a: 'b=', c: 'd,e' });
    expect(helmSet('x.y=1,z=true,w=012', false)).toEqual({ x: { y: 1 }, z: true, w: '012' });
    expect(helmSet('z=true', true)).toEqual({ z: 'true' });
    expect(helmSet('l={a,b}', true)).toEqual({ l: ['a', 'b'] });
  });
  it('read env files as docker (literal) and systemd (quotes, escapes) do', () => {
    expect(dockerEnvFile('# c\n  A="q"\nB=x y \n')).toEqual({ A: '"q"', B: 'x y ' });
    expect(systemdEnvFile('# c\n; c\nexport A="q\\"x"\nB=\'a b\'\nC=x\\ y\n')).toEqual({ A: 'q"x', B: 'a b', C: 'x y' });
  });
  it.runIf(hasPyYaml())('read YAML as 1.1 (on is true there) and Secret data base64-decoded', () => {
    expect(readYaml11(['a: on\n'])).toEqual([{ docs: [{ a: true }] }]);
    expect(secretValues({ data: { K: Buffer.from('v').toString('base64') }, stringData: { S: 's' } })).toEqual({ K: 'v', S: 's' });
    expect(() => secretValues({ data: { K: 'not base64!' } })).toThrow(/not base64/);
  });
  it('runs a script with stand-ins that record every argument exactly', () => {
    const run = runScript(
      work,
      [
        { path: 'x.sh', text: 'docker run -e "A=b c" --env-file e.env img "$(printf "%s" "q\'r")"\n', mode: 0o755 },
        { path: 'e.env', text: 'T=tok\n', mode: 0o600 },
      ],
      'x.sh',
      ['docker'],
    );
    expect(run.calls).toEqual([{ command: 'docker', args: ['run', '-e', 'A=b c', '--env-file', 'e.env', 'img', "q'r"] }]);
    expect(dockerRunEnv(run.calls[0]!.args, run.dir)).toEqual({ T: 'tok', A: 'b c' });
  });
});
