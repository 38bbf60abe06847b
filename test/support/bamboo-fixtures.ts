/**
 * The real Bamboo wrapper.conf templates from ../shared/fixtures/real-world/bamboo (Jinja, from
 * Atlassian's agent image), rendered the way the image's entrypoint renders them, so wrapper.conf
 * tests run against the real file layout. Only what those templates use is supported: `{{ var |
 * default('x') }}` expressions and `{% if/for/set %}` blocks, which are dropped (the variables
 * they would set are given), with `{%-` trimming the whitespace before it like Jinja does.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** `../shared/fixtures/real-world/bamboo` relative to the repo root. */
export const BAMBOO_FIXTURES_DIR = path.resolve(REPO_ROOT, '../shared/fixtures/real-world/bamboo');

export const BAMBOO_TEMPLATES = ['atlassian-arm-docker-bamboo-agent-base-wrapper.conf.j2', 'jimvb55-docker-bamboo-agent-base-wrapper.conf.j2'] as const;

/** The templates that exist here (none when the shared fixtures are absent). */
export function availableBambooTemplates(): string[] {
  return BAMBOO_TEMPLATES.filter((t) => existsSync(path.join(BAMBOO_FIXTURES_DIR, t)));
}

/** Renders a template with `vars`; throws when an expression has neither a value nor a default. */
export function renderTemplate(text: string, vars: Record<string, string>): string {
  let out = '';
  let depth = 0;
  const re = /\{%(-?)\s*(\w+)[^%]*%\}|\{\{\s*([^}]*?)\s*\}\}/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (depth === 0) out += text.slice(last, m.index);
    last = m.index + m[0].length;
    if (m[2] !== undefined) {
      if (m[1] === '-' && depth === 0) out = out.replace(/\s+$/, '');
      const tag = m[2];
      if (tag === 'if' || tag === 'for') depth++;
      else if (tag === 'endif' || tag === 'endfor') depth--;
      continue;
    }
    if (depth > 0) continue;
    const expr = m[3] ?? '';
    const name = /^(\w+)/.exec(expr)?.[1] ?? '';
    const fallback = /default\('([^']*)'\)/.exec(expr)?.[1];
    const value = vars[name] ?? fallback;
    if (value === undefined) throw new Error(`template variable ${name} has no value`);
    out += value;
  }
  return out + text.slice(last);
}

/** Sample values for the templates (what the image's entrypoint passes). */
export const SAMPLE_VARS: Record<string, string> = {
  bamboo_agent_home: '/var/atlassian/application-data/bamboo-agent',
  bamboo_server: 'https://bamboo.example.com/agentServer/',
  security_token: '',
  agent_ephemeral_for_key: '',
  java_min_version: '17',
  java_max_version: '21',
  fallback_version: '17',
};

/** A fixture template rendered with SAMPLE_VARS plus `overrides`. */
export function renderedFixture(name: string, overrides: Record<string, string> = {}): string {
  return renderTemplate(readFileSync(path.join(BAMBOO_FIXTURES_DIR, name), 'utf8'), { ...SAMPLE_VARS, ...overrides });
}
