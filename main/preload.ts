/**
 * The preload: exposes exactly `window.api` (invoke on contract channels, job-event subscription)
 * through contextBridge. ipcRenderer itself never reaches the page.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { CHANNELS, type Api, type JobEvent } from '../shared/ipc';

const JOB_EVENT_CHANNEL = 'job:event';
const allowed = new Set<string>(CHANNELS);

const api: Api = {
  invoke: (channel, input) => {
    if (!allowed.has(channel)) return Promise.resolve({ ok: false, error: { code: 'UNKNOWN_CHANNEL', message: `There is no channel ${String(channel)}.` } });
    return ipcRenderer.invoke(channel, input) as never;
  },
  onJobEvent: (listener) => {
    const wrapped = (_event: unknown, jobEvent: JobEvent): void => listener(jobEvent);
    ipcRenderer.on(JOB_EVENT_CHANNEL, wrapped);
    return () => {
      ipcRenderer.removeListener(JOB_EVENT_CHANNEL, wrapped);
    };
  },
  // Only the path of a File object the page already holds (one the user dropped or picked).
  pathForFile: (file) => {
    try {
      return webUtils.getPathForFile(file as Parameters<typeof webUtils.getPathForFile>[0]);
    } catch {
      return '';
    }
  },
};

contextBridge.exposeInMainWorld('api', api);
