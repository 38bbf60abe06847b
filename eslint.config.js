// Lint, including the layer rules: shared/ is pure, the renderer reaches the system only through
// window.api, main/services never imports electron. A violation fails `npm test`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const nodeBuiltins = [
  'node:*',
  'fs',
  'fs/*',
  'path',
  'os',
  'child_process',
  'crypto',
  'net',
  'tls',
  'dns',
  'http',
  'https',
  'util',
  'stream',
  'url',
  'zlib',
  'events',
  'buffer',
  'process',
];
const restrict = (groups, message) => ({ patterns: [{ group: groups, message }] });
const noIpcImport = {
  selector: "ImportDeclaration[source.value='electron'] ImportSpecifier[imported.name=/^ipc(Main|Renderer)$/]",
  message: 'Only main/ipc/electron.ts and the preload touch Electron IPC.',
};
const noWebContentsSend = {
  selector: "CallExpression[callee.property.name='send'][callee.object.property.name='webContents']",
  message: 'webContents.send belongs in main/ipc (job events go to their caller only).',
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.tsbuild/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': ['error', { allow: ['error', 'warn'] }],
    },
  },
  {
    // Type-aware rules: promises that are never awaited, exhaustive switches over closed unions.
    files: ['**/*.{ts,tsx}'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': [
        'error',
        restrict(
          [...nodeBuiltins, 'electron', 'electron-*', 'react', 'react-*', '**/main/**', '**/renderer/**', 'ssh2', 'node-forge', 'ws', 'conf'],
          'shared/ is pure: no Node, Electron, React, main/ or renderer/ imports.',
        ),
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        restrict(
          [...nodeBuiltins, 'electron', 'electron-*', '**/main/**', 'ssh2', 'node-forge', 'ws', 'conf'],
          'The renderer reaches the system only through window.api (renderer/api.ts).',
        ),
      ],
    },
  },
  {
    files: ['main/services/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        restrict(
          ['electron', 'electron-*', '**/ipc/**', '**/renderer/**'],
          'main/services is plain Node: Electron features are injected (see services/deps.ts).',
        ),
      ],
    },
  },
  // Only main/ipc/electron.ts and the preload touch Electron IPC; job events reach only their
  // caller through the dispatch's sender binding, so webContents.send stays inside main/ipc.
  {
    files: ['main/**/*.ts'],
    ignores: ['main/ipc/**', 'main/preload.ts', 'main/index.ts'],
    rules: { 'no-restricted-syntax': ['error', noIpcImport, noWebContentsSend] },
  },
  { files: ['main/preload.ts', 'main/index.ts'], rules: { 'no-restricted-syntax': ['error', noWebContentsSend] } },
  { files: ['main/ipc/**/*.ts'], ignores: ['main/ipc/electron.ts'], rules: { 'no-restricted-syntax': ['error', noIpcImport] } },
  {
    files: ['main/cli/**/*.ts', 'main/cli.ts', 'main/ipc/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        restrict(['**/renderer/**', 'react', 'react-*'], 'The CLI and the IPC layer serve every front end: they never import the renderer.'),
      ],
    },
  },
  {
    files: ['bench/**/*.ts', 'main/cli/**/*.ts', 'main/cli.ts', 'main/serve.ts', 'scripts/**', 'test/**'],
    rules: { 'no-console': 'off' },
  },
);
