/**
 * `npm run serve`: the app in browser mode, for hosts without a desktop. Prints a URL with a
 * per-launch token; reach it from another machine over an SSH port forward.
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHandlers } from './ipc/handlers';
import { JobRegistry } from './ipc/dispatch';
import { startBrowserServer } from './ipc/server';
import { browserModeDeps } from './services/passphrase-cipher';
import { openConfStore } from './services/store';
import { APP_VERSION } from './version';

const here = path.dirname(fileURLToPath(import.meta.url));
const dataDir = process.env.AGENT_ONBOARD_DATA_DIR ?? path.join(os.homedir(), '.config', 'agent-onboard', 'browser-mode');
const staticDir = process.env.AGENT_ONBOARD_WEB_DIR ?? path.join(here, '..', 'out', 'web');

const store = await openConfStore(dataDir);
const jobs = new JobRegistry();
const handlers = createHandlers(browserModeDeps(store, dataDir, APP_VERSION), jobs);
const server = await startBrowserServer({
  handlers,
  jobs,
  staticDir,
  port: Number(process.env.AGENT_ONBOARD_PORT ?? 0),
  log: (line) => process.stderr.write(line + '\n'),
});
process.stdout.write(`Agent Onboard (browser mode) is listening on 127.0.0.1 only.\nOpen: ${server.url}\n`);
const stop = (): void => {
  void server.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
