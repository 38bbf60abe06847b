/**
 * The Electron binding of the dispatch: one ipcMain handler per contract channel. Every call's
 * sender is checked (our window's webContents, our page's URL) before the dispatch sees it.
 */
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { CHANNELS, type Contract } from '../../shared/ipc';
import { err } from '../../shared/result';
import { dispatchApp, type Handlers, type JobRegistry } from './dispatch';

export const JOB_EVENT_CHANNEL = 'job:event';

/** True when the call comes from our own window's top frame showing our own page. */
export function isTrustedSender(event: IpcMainInvokeEvent, win: BrowserWindow | undefined, pageUrl: string): boolean {
  if (!win || win.isDestroyed() || event.sender.id !== win.webContents.id) return false;
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  const url = frame.url.split('#')[0]?.split('?')[0] ?? '';
  return url === pageUrl || (pageUrl.startsWith('http') && url.startsWith(pageUrl));
}

export function bindElectronIpc(handlers: Handlers<Contract>, jobs: JobRegistry, getWindow: () => BrowserWindow | undefined, pageUrl: string): void {
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, (event, payload: unknown) => {
      if (!isTrustedSender(event, getWindow(), pageUrl)) return err('FORBIDDEN', 'This request did not come from the app window.');
      const sender = event.sender;
      return dispatchApp(handlers, channel, payload, {
        senderId: `wc-${sender.id}`,
        jobs,
        emit: (jobEvent) => {
          if (!sender.isDestroyed()) sender.send(JOB_EVENT_CHANNEL, jobEvent);
        },
        onInternalError: (ch, error) => console.error(`internal error on ${ch}:`, error instanceof Error ? error.message : String(error)),
      });
    });
  }
}
