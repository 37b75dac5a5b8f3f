import type { IpcMain, IpcMainEvent, IpcMainInvokeEvent, WebContents } from 'electron';
import { AppError } from '../../src-shared/contract';
import { IPC_CHANNELS, type ToBackend } from '../transports/ipc-protocol';

type Sender = { senderFrame: { url: string } | null; sender: WebContents };

/**
 * Every IPC message's sender is checked: it must come from our own UI's main frame, not
 * from an iframe or a page that somehow got loaded. Anything else is refused.
 */
export function isTrustedSender(event: Sender, isApp: (url: string) => boolean): boolean {
  const frame = event.senderFrame;
  return frame !== null && isApp(frame.url);
}

export interface BackendLink {
  /** Sends a call and resolves with its result (or rejects with an ErrorBody). */
  call(name: string, input: unknown, token: string | undefined): Promise<unknown>;
  post(msg: ToBackend): void;
}

function validName(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 100;
}

function validStreams(value: unknown): value is string[] {
  return (
    Array.isArray(value) &&
    value.length <= 100 &&
    value.every((s) => typeof s === 'string' && s.length <= 100)
  );
}

/** Registers the three channels of the bridge; the typed `call`/`subscribe` live in the preload. */
export function registerIpc(
  ipc: IpcMain,
  link: BackendLink,
  isApp: (url: string) => boolean,
): void {
  ipc.handle(
    IPC_CHANNELS.call,
    async (event: IpcMainInvokeEvent, name: unknown, input: unknown, token: unknown) => {
      if (!isTrustedSender(event, isApp)) throw new AppError('forbidden', 'Untrusted IPC sender');
      if (!validName(name)) throw new AppError('bad_request', 'Operation name must be a string');
      return link.call(name, input, typeof token === 'string' ? token : undefined);
    },
  );
  ipc.on(IPC_CHANNELS.subscribe, (event: IpcMainEvent, streams: unknown, token: unknown) => {
    if (!isTrustedSender(event, isApp) || !validStreams(streams)) return;
    const connId = event.sender.id;
    link.post({
      kind: 'subscribe',
      connId,
      streams,
      token: typeof token === 'string' ? token : undefined,
    });
  });
  ipc.on(IPC_CHANNELS.unsubscribe, (event: IpcMainEvent, streams: unknown) => {
    if (!isTrustedSender(event, isApp) || !validStreams(streams)) return;
    link.post({ kind: 'unsubscribe', connId: event.sender.id, streams });
  });
}
