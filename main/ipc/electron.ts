/**
 * The Electron binding of the dispatch: one ipcMain handler per contract channel. Every call's
 * sender is checked (our window's webContents, our page's URL) before the dispatch sees it.
 */
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { CHANNELS, type Contract } from '../../shared/ipc';
import { err } from '../../shared/result';
import { dispatchApp, type Handlers, type JobRegistry } from './dispatch';
import { isTrustedSender, type SenderFacts } from './sender';

export const JOB_EVENT_CHANNEL = 'job:event';

/** The facts isTrustedSender needs, read from an Electron event. */
function senderFacts(event: IpcMainInvokeEvent, win: BrowserWindow | undefined): SenderFacts {
  const frame = event.senderFrame;
  return {
    senderId: event.sender.id,
    windowId: win && !win.isDestroyed() ? win.webContents.id : undefined,
    frameUrl: frame?.url,
    isTopFrame: frame ? frame.parent === null : false,
  };
}

export function bindElectronIpc(handlers: Handlers<Contract>, jobs: JobRegistry, getWindow: () => BrowserWindow | undefined, pageUrl: string): void {
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, (event, payload: unknown) => {
      if (!isTrustedSender(senderFacts(event, getWindow()), pageUrl)) return err('FORBIDDEN', 'This request did not come from the app window.');
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
