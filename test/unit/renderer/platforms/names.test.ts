/**
 * The renderer names a platform only in its registry (renderer/platforms/index.ts) and in that
 * platform's own folder (renderer/platforms/<id>/): a new platform is one folder plus one line.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PLATFORM_IDS } from '../../../../shared/platforms';

const root = path.resolve(import.meta.dirname, '../../../..');
const renderer = path.join(root, 'renderer');

// Files allowed to name a platform for now (none: keep it so).
const WAITING: string[] = [];

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(path.join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [path.join(dir, e.name)] : [],
  );
}

/** Code without comments (a comment may mention a platform by name). */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

/** The platform ids a source text names: as a quoted string, or by importing its folder. */
export function namedIds(text: string): string[] {
  const src = code(text);
  return PLATFORM_IDS.filter((id) => new RegExp(`['"\`]${id}(['"\`/])|platforms/${id}(['"/])`).test(src));
}

describe('platform ids in the renderer', () => {
  const named = files(renderer)
    .map((f) => path.relative(root, f).split(path.sep).join('/'))
    .filter((f) => !/^renderer\/platforms\/[^/]+\//.test(f) && f !== 'renderer/platforms/index.ts')
    .map((f) => ({ file: f, ids: namedIds(readFileSync(path.join(root, f), 'utf8')) }))
    .filter((x) => x.ids.length > 0);

  it('are named only by the registry and the platform folders', () => {
    expect(named.map((x) => x.file).filter((f) => !WAITING.includes(f))).toEqual([]);
  });

  it('lists no file as waiting that no longer names a platform', () => {
    expect(WAITING.filter((f) => !named.some((x) => x.file === f))).toEqual([]);
  });

  it('sees a quoted id and a platform folder import, and not a comment', () => {
    expect(namedIds(`const a = x === 'harness';`)).toEqual(['harness']);
    expect(namedIds(`import { t } from '../../../shared/platforms/armorcode/answers';`)).toEqual(['armorcode']);
    expect(namedIds(`// the 'buildkite' agent\n/* "harness" */ const b = 1;`)).toEqual([]);
    expect(namedIds(`const c = 'bamboo-remote/existing';`)).toEqual(['bamboo-remote']);
  });
});
