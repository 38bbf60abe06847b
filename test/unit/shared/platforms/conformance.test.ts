/**
 * The same checks for every platform in PLATFORMS, every variant and every token place, so a new
 * platform is covered the moment it is registered (issue 15 item 2). Samples are derived from the
 * platform (test/support/conformance.ts): answers from its schema's examples and defaults, tokens
 * its own check accepts, an in-process key pair; what cannot be derived the platform gives in
 * `example`. Everything here is in-process; the checks that need shellcheck, bash, PyYAML or the
 * scripts run are in test/integration/shared/platforms/conformance.test.ts.
 */
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { PLATFORMS } from '../../../../shared/platforms';
import type { AnyPlatform, Credential, Generated } from '../../../../shared/platforms/types';
import { HOSTILE_ANSWERS, sampleAnswers, sampleCredential, sampleTokens, stringKeys, valueAt, withValue } from '../../../support/conformance';
import { isScript, normalised, readingsOf, readingsOfAll, readsToken } from '../../../support/readings';
import { putBack, REFUSED_TOKENS } from '../../../support/rotation';

const generating = PLATFORMS.filter((p) => p.generate);

function gen(p: AnyPlatform, raw: Record<string, unknown>, c: Credential, variant: string): ReturnType<NonNullable<AnyPlatform['generate']>> {
  return p.generate!(p.answers.parse(raw), c, variant);
}

function full(p: AnyPlatform): Record<string, unknown> {
  return sampleAnswers(p).full!;
}

/** Structural faults of a generated install: paths, YAML and JSON parse, secrets, removal (YAML 1.1 by PyYAML: the integration twin). */
function faults(g: Generated, token?: string): string[] {
  const out: string[] = [];
  const paths = new Set<string>();
  for (const f of g.files) {
    if (paths.has(f.path)) out.push(`${f.path}: written twice`);
    paths.add(f.path);
    if (f.path.startsWith('/') || f.path.split('/').includes('..') || f.path.includes('\\')) out.push(`${f.path}: not a plain relative path`);
    if (f.text.includes('\u0000')) out.push(`${f.path}: holds a NUL byte`);
    if (/\.ya?ml$/.test(f.path)) {
      const errors = parseAllDocuments(f.text).flatMap((d) => d.errors.map((e) => e.message));
      if (errors.length) out.push(`${f.path}: YAML does not parse: ${errors[0]}`);
    }
    if (/\.json$/.test(f.path)) {
      try {
        JSON.parse(f.text);
      } catch (e) {
        out.push(`${f.path}: JSON does not parse: ${(e as Error).message}`);
      }
    }
    if (token && f.text.includes(token) && !f.secret) out.push(`${f.path}: holds the token but is not marked secret`);
    if (f.secret && (f.mode & 0o077) !== 0) out.push(`${f.path}: secret but mode ${f.mode.toString(8)} lets others read it`);
  }
  if (g.files.length > 0 && !(g.removal && g.removal.commands.length + g.removal.notes.length > 0))
    out.push('no removal steps for an install that writes files');
  return out;
}

describe('every platform can be sampled from itself', () => {
  it.each(generating.map((p) => [p.id, p] as const))('%s: answers from its schema validate, and a credential exists', (_id, p) => {
    const s = sampleAnswers(p);
    expect(s.problems).toEqual([]);
    if (p.credential.kind === 'token')
      expect(sampleTokens(p).length, `no generic token shape passes ${p.id}'s token check: give example.tokens`).toBeGreaterThan(0);
  });
});

describe('generating', () => {
  const cases = generating.flatMap((p) => p.variants.flatMap((v) => (['minimal', 'full'] as const).map((which) => [p.id, v.id, which, p] as const)));
  it.each(cases)('%s %s (%s answers): the same bytes twice, well-formed files, secrets kept, removal steps', (_id, variant, which, p) => {
    const answers = sampleAnswers(p)[which]!;
    const token = sampleTokens(p)[0];
    const a = gen(p, answers, sampleCredential(p, p.answers.parse(answers), token), variant);
    const b = gen(p, structuredClone(answers), sampleCredential(p, p.answers.parse(answers), token), variant);
    expect(b).toEqual(a);
    if (!a.ok && which === 'minimal') {
      // Only the keys the schema requires: a variant may need more, and says which.
      expect(a.error.code).toBe('BAD_INPUT');
      expect(a.error.message.length).toBeGreaterThan(0);
      return;
    }
    if (!a.ok) throw new Error(`${p.id} ${variant} refused its own sample answers: ${a.error.message}`);
    expect(faults(a.value, token)).toEqual([]);
  });

  const tokenCases = generating
    .filter((p) => p.credential.kind === 'token')
    .flatMap((p) => p.variants.flatMap((v) => sampleTokens(p).map((t) => [p.id, v.id, t, p] as const)));
  it.each(tokenCases)('%s %s: every file a consumer reads hands the agent exactly the token %s', (_id, variant, token, p) => {
    const r = gen(p, full(p), { kind: 'token', token }, variant);
    if (!r.ok) throw new Error(r.error.message);
    const files = r.value.files.filter((f) => !isScript(f));
    const holding = files.filter((f) => f.text.includes(token) || readsToken(readingsOf(f, r.value.files), token));
    for (const f of holding)
      expect(readsToken(readingsOf(f, r.value.files), token), `${f.path}: the token is in the text but no consumer reads it as the token`).toBe(true);
  });
});

describe('hostile answers are refused, or reach the consumer exactly as given', () => {
  const MARKERS = ['zqxmark', 'zqxmark.example.com', 'https://zqxmark.example.com', '/srv/zqxmark', 'zqxmark=1'];
  const cases = generating.flatMap((p) => stringKeys(p).flatMap((key) => HOSTILE_ANSWERS.map((h, i) => [p.id, key, i, h, p] as const)));
  it.each(cases)('%s %s: hostile value #%i', (_id, key, _i, hostile, p) => {
    const base = full(p);
    const parsed = p.answers.safeParse(withValue(base, key, hostile));
    if (!parsed.success) {
      // Refused: with a message that names the field, never a crash.
      expect(parsed.error.issues.length).toBeGreaterThan(0);
      expect(parsed.error.issues[0]!.message.length).toBeGreaterThan(0);
      return;
    }
    const given = valueAt(parsed.data, key);
    const marker = MARKERS.map((m) => ({ m, r: p.answers.safeParse(withValue(base, key, m)) })).find((x) => x.r.success);
    const cred = sampleCredential(p, parsed.data);
    for (const v of p.variants) {
      const r = p.generate!(parsed.data, cred, v.id);
      if (!r.ok) {
        expect(r.error.message.length, `${v.id}: an error without a message`).toBeGreaterThan(0);
        continue;
      }
      expect(faults(r.value), v.id).toEqual([]);
      if (typeof given !== 'string' || !marker) continue;
      const m = p.generate!(marker.r.data, sampleCredential(p, marker.r.data), v.id);
      if (!m.ok) continue;
      const markerValue = valueAt(marker.r.data, key) as string;
      // Read the way each consumer reads them, the two installs differ only where the value went.
      expect(normalised(readingsOfAll(r.value.files), given), `${v.id}: a consumer reads something else than the value given`).toEqual(
        normalised(readingsOfAll(m.value.files), markerValue),
      );
    }
  });
});

/** Every updater, with the files it is exercised on: generated ones it recognises, and the platform's example. */
function rotationCases(): { p: AnyPlatform; updater: string; file: string; text: string; old: string; all: { path: string; text: string }[] }[] {
  const out: ReturnType<typeof rotationCases> = [];
  for (const p of PLATFORMS) {
    const tokens = sampleTokens(p);
    if (p.generate && tokens.length > 0) {
      for (const v of p.variants) {
        const r = gen(p, full(p), { kind: 'token', token: tokens[0]! }, v.id);
        if (!r.ok) continue;
        for (const f of r.value.files)
          for (const u of p.updaters)
            if (u.detect(f.path, f.text) && f.text.includes(tokens[0]!))
              out.push({ p, updater: u.id, file: f.path, text: f.text, old: tokens[0]!, all: r.value.files });
      }
    }
    for (const [updater, s] of Object.entries(p.example?.installed ?? {}))
      out.push({ p, updater, file: s.file, text: s.text, old: s.token, all: [{ path: s.file, text: s.text }] });
  }
  return out;
}

describe('every token place round-trips through its updater', () => {
  const cases = rotationCases();
  it('every updater of every platform is exercised (by a generated file, or the platform’s example.installed)', () => {
    for (const p of PLATFORMS)
      for (const u of p.updaters.filter((x) => !x.recogniseOnly))
        expect(
          cases.some((c) => c.p === p && c.updater === u.id),
          `${p.id} updater ${u.id}: nothing generated is recognised by it; add example.installed['${u.id}']`,
        ).toBe(true);
  });

  it.each(cases.map((c) => [c.p.id, c.updater, c.file, c] as const))(
    '%s %s on %s: the consumer reads the new token, nothing else changed',
    (_id, _u, _f, c) => {
      const updater = c.p.updaters.find((u) => u.id === c.updater)!;
      expect(updater.detect(c.file, c.text)).toBe(true);
      const fresh = sampleTokens(c.p).filter((t) => t !== c.old);
      expect(fresh.length).toBeGreaterThan(0);
      let rotated = 0;
      for (const token of fresh) {
        const r = updater.rotate(c.text, token);
        // A place that holds one kind of the platform's tokens (ARC's PAT, not a one-hour registration
        // token) may refuse the other kinds, naming the kind it needs; it must take at least one token.
        if (!r.ok && r.error.code === 'TOKEN_WRONG_KIND' && r.error.message.length > 0) continue;
        if (!r.ok) throw new Error(`${c.updater} refused a token ${c.p.id} accepts (${token}): ${r.error.message}`);
        rotated++;
        expect(putBack(c.text, r.value.text, r.value.changes), 'text outside the reported changes').toBe(c.text);
        expect(r.value.text.includes(c.old), 'the old token is still there').toBe(false);
        const file = { path: c.file, text: r.value.text };
        if (isScript(file)) continue; // run by the integration suite
        const before = readingsOf({ path: c.file, text: c.text }, c.all);
        const after = readingsOf(
          file,
          c.all.map((f) => (f.path === c.file ? file : f)),
        );
        expect(normalised(after, token)).toEqual(normalised(before, c.old));
      }
      expect(rotated, 'the updater refused every token the platform accepts').toBeGreaterThan(0);
    },
  );

  it.each(cases.map((c) => [c.p.id, c.updater, c.file, c] as const))(
    '%s %s on %s: a token no format may hold is refused, the file untouched',
    (_id, _u, _f, c) => {
      const updater = c.p.updaters.find((u) => u.id === c.updater)!;
      for (const bad of REFUSED_TOKENS) {
        const r = updater.rotate(c.text, bad);
        expect(r.ok, JSON.stringify(bad)).toBe(false);
        if (!r.ok) expect(r.error.message.length).toBeGreaterThan(0);
      }
    },
  );
});
