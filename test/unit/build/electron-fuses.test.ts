import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const config = parse(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as { electronFuses?: Record<string, boolean> };
// electron-builder's own schema: a misspelt fuse would be ignored silently, so the names are checked against it.
const scheme = JSON.parse(readFileSync(path.join(root, 'node_modules/app-builder-lib/scheme.json'), 'utf8')) as {
  definitions: { FuseOptionsV1: { properties: Record<string, unknown> } };
};

describe('the packaged app (electron-builder.yml)', () => {
  it('cannot be started as plain Node or with an inspector (which could read the keychain entry of the kept secrets)', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('loads only an app.asar whose hash matches the one embedded at build time (issue 14 item 10)', () => {
    expect(config.electronFuses).toMatchObject({ onlyLoadAppFromAsar: true, enableEmbeddedAsarIntegrityValidation: true });
  });

  it('names only fuses electron-builder knows', () => {
    const known = Object.keys(scheme.definitions.FuseOptionsV1.properties);
    expect(Object.keys(config.electronFuses ?? {}).filter((k) => !known.includes(k))).toEqual([]);
  });
});
