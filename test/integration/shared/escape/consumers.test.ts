/**
 * Each escaper of shared/escape, fed thousands of random hostile strings, against the program
 * that will read its output on an agent host: bash for shell words, Python's tomllib for TOML,
 * PyYAML (YAML 1.1, what Kubernetes and Helm read) for YAML, and supervisor's own config parser
 * and command splitting for supervisord.conf. Every value written must read back exactly; every
 * refusal must be the policy's or the format's stated reason. The formats with no reader on Linux
 * (PowerShell, cmd.exe, systemd units, Java properties, wrapper.conf) are in
 * test/unit/shared/escape/escape.test.ts with readers ported from their documented rules.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quoteSh, quoteSupervisord, quoteToml, quoteYaml, unsafeCharacter } from '../../../../shared/escape';
import type { Result } from '../../../../shared/result';
import { hasPyYaml, readYaml11 } from '../../../support/consumers';
import { hostileString } from '../../../support/escape-arbitraries';

const SEED = Number(process.env.ESCAPE_SEED ?? Date.now() % 100000);
const SAMPLES = 3000;

/** The sampled values an escaper accepted, with their output; refusals checked on the way. */
function accepted(quote: (v: string) => Result<string>, allowedRefusal: (v: string) => boolean = () => false): { value: string; text: string }[] {
  const out: { value: string; text: string }[] = [];
  for (const value of fc.sample(hostileString, { numRuns: SAMPLES, seed: SEED })) {
    const q = quote(value);
    if (q.ok) {
      expect(unsafeCharacter(value), `seed ${SEED}`).toBeUndefined();
      out.push({ value, text: q.value });
    } else
      expect(unsafeCharacter(value) !== undefined || allowedRefusal(value), `seed ${SEED}: ${JSON.stringify(value)} refused: ${q.error.message}`).toBe(true);
  }
  expect(out.length).toBeGreaterThan(SAMPLES / 3);
  return out;
}

/** Python with the given module, or undefined (the test then says what is missing). */
function python(module: string): string | undefined {
  return ['/usr/bin/python3', 'python3'].find((py) => spawnSync(py, ['-c', `import ${module}`], { stdio: 'ignore' }).status === 0);
}

const work = mkdtempSync(path.join(tmpdir(), 'ao-escape-'));

describe(`escapers read back by their consumers (seed ${SEED}; rerun with ESCAPE_SEED=${SEED})`, () => {
  it('bash reads every shell word as the value', () => {
    const words = accepted(quoteSh);
    const script = words.map((w) => `printf '%s\\0' ${w.text}`).join('\n');
    const file = path.join(work, 'words.sh');
    writeFileSync(file, script + '\n');
    const out = execFileSync('bash', [file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    expect(out.split('\0').slice(0, -1)).toEqual(words.map((w) => w.value));
  });

  const tomlPy = python('tomllib');
  it.skipIf(!tomlPy)(`Python's tomllib reads every TOML string as the value${tomlPy ? '' : ' (skipped: no python3 with tomllib)'}`, () => {
    const strings = accepted(quoteToml);
    const doc = strings.map((s, i) => `v${i} = ${s.text}`).join('\n') + '\n';
    const out = execFileSync(tomlPy!, ['-c', 'import json, sys, tomllib; json.dump(tomllib.loads(sys.stdin.read()), sys.stdout)'], {
      input: doc,
      encoding: 'utf8',
    });
    const read = JSON.parse(out) as Record<string, string>;
    expect(strings.map((_, i) => read[`v${i}`])).toEqual(strings.map((s) => s.value));
  });

  it.skipIf(!hasPyYaml())(
    `PyYAML (YAML 1.1) reads every scalar as the string, as a value and as a list item${hasPyYaml() ? '' : ' (skipped: no python3 with PyYAML)'}`,
    () => {
      const scalars = accepted(quoteYaml);
      const texts = scalars.flatMap((s) => [`key: ${s.text}\n`, `- ${s.text}\n`]);
      const read = readYaml11(texts);
      const wanted = scalars.flatMap((s) => [{ docs: [{ key: s.value }] }, { docs: [[s.value]] }]);
      expect(read).toEqual(wanted);
    },
  );

  const svPy = python('supervisor.options');
  it.skipIf(!svPy)(
    `supervisord's config parser and command splitting read every command= argument and environment= value${svPy ? '' : ' (skipped: no python3 with supervisor)'}`,
    () => {
      const args = accepted((v) => quoteSupervisord(v, 'command'));
      const envs = accepted(
        (v) => quoteSupervisord(v, 'environment'),
        (v) => v.includes('"') || /^'|'$/.test(v) || /[ \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000][;#]/.test(v),
      );
      const sections = args.map(
        (a, i) => `[program:p${i}]\ncommand=/bin/echo ${a.text} x ${a.text}\nenvironment=A="1",V=${envs[i % envs.length]!.text},B="2"\n`,
      );
      const conf = path.join(work, 'supervisord.conf');
      writeFileSync(conf, `[supervisord]\n\n${sections.join('\n')}`);
      // supervisor/process.py get_execv_args splits the expanded command with shlex.split.
      const py = `
import json, shlex, sys
from supervisor.options import ServerOptions, UnhosedConfigParser
o = ServerOptions()
p = UnhosedConfigParser()
p.expansions = o.environ_expansions if hasattr(o, 'environ_expansions') else {}
p.read(sys.argv[1])
out = []
for s in p.sections():
    if not s.startswith('program:'): continue
    pc = o.processes_from_section(p, s, s[8:])[0]
    out.append({'argv': shlex.split(pc.command), 'env': pc.environment})
json.dump(out, sys.stdout)
`;
      const read = JSON.parse(execFileSync(svPy!, ['-c', py, conf], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })) as {
        argv: string[];
        env: Record<string, string>;
      }[];
      expect(read).toEqual(args.map((a, i) => ({ argv: ['/bin/echo', a.value, 'x', a.value], env: { A: '1', V: envs[i % envs.length]!.value, B: '2' } })));
    },
  );
});
