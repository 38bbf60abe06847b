/**
 * Electron entry: one BrowserWindow with secure defaults, IPC bound to the pure dispatch.
 * Everything Electron-specific stays here and in ipc/electron.ts; services get what they need
 * (safeStorage, the userData path) as small injected interfaces.
 */
import { app, BrowserWindow, clipboard, safeStorage, session, shell } from 'electron';
import ElectronStore from 'electron-store';
import path from 'node:path';
import { bindElectronIpc } from './ipc/electron';
import { createHandlers } from './ipc/handlers';
import { JobRegistry } from './ipc/dispatch';
import { CSP } from './ipc/csp';
import type { SecretCipher } from './services/deps';
import { migrateStore, secureStoreLocation, STORE_FILE_MODE, STORE_SCHEMA, type KeyValueStore } from './services/store';
import { desktopDeps } from './services/keychain';
import { createClipboardGuard } from './services/clipboard-guard';
import { APP_VERSION } from './version';
import { PLATFORMS } from '../shared/platforms';

/** The only links the app opens: the vendor docs of the platform catalogue, in the system browser. */
const DOC_URLS = new Set(PLATFORMS.flatMap((p) => p.docs.map((d) => d.url)));

const RENDERER_FILE = path.join(__dirname, '../renderer/index.html');
const RENDERER_URL = process.env.ELECTRON_RENDERER_URL;

const cipher: SecretCipher = {
  available: () => safeStorage.isEncryptionAvailable(),
  encrypt: (plain) => safeStorage.encryptString(plain),
  decrypt: (blob) => safeStorage.decryptString(Buffer.from(blob)),
};

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1100,
    height: 780,
    minWidth: 720,
    minHeight: 560,
    show: false,
    title: 'Agent Onboard',
    webPreferences: {
      preload: path.join(__dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false,
      disableBlinkFeatures: 'Auxclick',
    },
  });
  win.once('ready-to-show', () => win.show());
  // The app never navigates: every page change or new window is refused; the vendor-doc links
  // of the catalogue open in the system browser instead.
  win.webContents.on('will-navigate', (event) => event.preventDefault());
  win.webContents.on('will-redirect', (event) => event.preventDefault());
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (DOC_URLS.has(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
  if (RENDERER_URL && !app.isPackaged) void win.loadURL(RENDERER_URL);
  else void win.loadFile(RENDERER_FILE);
  return win;
}

void app.whenReady().then(() => {
  // Only the clipboard, only for our own page: copy buttons write to it, and the 30 s wipe
  // reads it first so it never clears something the user copied afterwards.
  const ownPage = (url: string | undefined): boolean =>
    Boolean(url && (url.startsWith('file://') || (RENDERER_URL && !app.isPackaged && url.startsWith(RENDERER_URL))));
  const CLIPBOARD = new Set(['clipboard-sanitized-write', 'clipboard-read']);
  session.defaultSession.setPermissionRequestHandler((wc, permission, callback) => callback(CLIPBOARD.has(permission) && ownPage(wc.getURL())));
  session.defaultSession.setPermissionCheckHandler((_wc, permission, origin) => CLIPBOARD.has(permission) && ownPage(origin));
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });

  const userData = app.getPath('userData');
  secureStoreLocation(userData, path.join(userData, 'agent-onboard.json'));
  const electronStore = new ElectronStore<Record<string, unknown>>({ name: 'agent-onboard', schema: STORE_SCHEMA, configFileMode: STORE_FILE_MODE });
  const store: KeyValueStore = {
    get: (k) => electronStore.get(k),
    set: (k, v) => electronStore.set(k, v),
    delete: (k) => electronStore.delete(k),
  };
  migrateStore(store);
  const jobs = new JobRegistry();
  // Linux without a keyring: safeStorage's "basic_text" is a fixed password, so a passphrase instead.
  const { deps, note } = desktopDeps(store, userData, APP_VERSION, cipher, {
    platform: process.platform,
    encryptionAvailable: safeStorage.isEncryptionAvailable(),
    ...(process.platform === 'linux' ? { backend: safeStorage.getSelectedStorageBackend() } : {}),
  });
  if (note) process.stderr.write(`Agent Onboard: ${note}\n`);
  // The page wipes a copied token after 30 s with a timer of its own; quitting sooner would leave
  // it on the clipboard, so main clears the clipboard on quit when it still holds one.
  const guard = createClipboardGuard();
  deps.clipboardGuard = guard;
  app.on('will-quit', () => guard.wipeIfOurs(clipboard));
  const handlers = createHandlers(deps, jobs);
  const win = createWindow();
  bindElectronIpc(handlers, jobs, () => win, RENDERER_URL && !app.isPackaged ? RENDERER_URL : `file://${RENDERER_FILE}`);
});

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

app.on('window-all-closed', () => app.quit());
