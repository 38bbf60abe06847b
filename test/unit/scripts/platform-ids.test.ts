/**
 * scripts/platform-ids.mjs: no file outside a platform's folders names a platform id, except the
 * registries (issue 15, "Done when"). Runs the script as CI does, on this checkout and on small
 * made-up trees that show what it counts and what it ignores.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const SCRIPT = path.join(ROOT, 'scripts', 'platform-ids.mjs');

interface Report {
  ids: string[];
  count: number;
  outside: number;
  files: { file: string; registry: boolean; hits: { line: number; names: string; how: string }[] }[];
}

function run(root?: string): { code: number | null; report: Report } {
  const r = spawnSync(process.execPath, [SCRIPT, '--json', ...(root ? ['--root', root] : [])], { encoding: 'utf8' });
  return { code: r.status, report: JSON.parse(r.stdout) as Report };
}

describe('platform ids outside the platform folders', () => {
  it('are named only by the three registries, and the script exits 0', () => {
    const { code, report } = run();
    expect(report.ids).toEqual(expect.arrayContaining(['armorcode', 'harness']));
    console.log(`platform-ids: ${report.count} file(s) name a platform id outside the platform folders: ${report.files.map((f) => f.file).join(', ')}`);
    expect(report.files.map((f) => f.file).sort()).toEqual(['main/platforms/index.ts', 'renderer/platforms/index.ts', 'shared/platforms/index.ts']);
    expect(report.outside).toBe(0);
    expect(code).toBe(0);
  });
});

describe('what the script counts', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  function tree(files: Record<string, string>): string {
    const root = mkdtempSync(path.join(tmpdir(), 'ao-platform-ids-'));
    dirs.push(root);
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      writeFileSync(path.join(root, rel), text);
    }
    return root;
  }

  it('reads the ids from the folders under shared/platforms/ and passes a tree where only the registries name them', () => {
    const root = tree({
      'shared/platforms/acme/index.ts': "export const acme = { id: 'acme' };\n",
      'shared/platforms/index.ts': "import { acme } from './acme';\nexport const PLATFORM_IDS = ['acme'] as const;\n",
      'main/platforms/acme/cli.ts': "import { acme } from '../../../shared/platforms/acme';\n",
      'main/platforms/index.ts': "import './acme/cli';\n",
      'main/cli/help.ts':
        "// 'acme' in a comment\n/* import '../../shared/platforms/acme' */\nconst s = 'acme-agent'; const t = `${s} acme`;\nconst r = /'acme'/;\n",
    });
    const { code, report } = run(root);
    expect(report.ids).toEqual(['acme']);
    expect(report.files.map((f) => [f.file, f.registry])).toEqual([
      ['shared/platforms/index.ts', true],
      ['main/platforms/index.ts', true],
    ]);
    expect(code).toBe(0);
  });

  it("takes an id listed in the registry's PLATFORM_IDS even before its folder exists (a platform being added)", () => {
    const root = tree({
      'shared/platforms/acme/index.ts': "export const acme = { id: 'acme' };\n",
      'shared/platforms/index.ts': "export const PLATFORM_IDS = [\n  'acme',\n  'gitlab-runner', // new\n] as const;\n",
      'main/cli/help.ts': "const example = 'gitlab-runner';\n",
    });
    const { code, report } = run(root);
    expect(report.ids).toEqual(['acme', 'gitlab-runner']);
    expect(report.files.filter((f) => !f.registry).map((f) => [f.file, f.hits.map((h) => `${h.line}:${h.names}`)])).toEqual([
      ['main/cli/help.ts', ['1:gitlab-runner']],
    ]);
    expect(code).toBe(1);
  });

  it('fails on a quoted id or an import from a platform folder anywhere else, with the line', () => {
    const root = tree({
      'shared/platforms/acme/index.ts': "export const acme = { id: 'acme' };\n",
      'shared/platforms/index.ts': "import { acme } from './acme';\n",
      'main/services/x.ts': 'import { acme } from \'../../shared/platforms/acme\';\n\nif (p === "acme") go();\n',
      'renderer/steps/y.tsx': 'const a = <a href="/x">don\'t</a>;\nconst b = `acme`;\n',
      'scripts/z.mjs': "await import('../shared/platforms/acme/index.ts');\n",
    });
    const { code, report } = run(root);
    expect(report.files.filter((f) => !f.registry).map((f) => [f.file, f.hits.map((h) => `${h.line}:${h.how}`)])).toEqual([
      ['main/services/x.ts', ['1:import ../../shared/platforms/acme', '3:quoted']],
      ['renderer/steps/y.tsx', ['2:quoted']],
      ['scripts/z.mjs', ['1:import ../shared/platforms/acme/index.ts']],
    ]);
    expect(code).toBe(1);
  });
});
