import type { IpcMain, IpcMainEvent, IpcMainInvokeEvent } from 'electron';
import { AppError } from '../../src-shared/contract';
import { IPC_CHANNELS, type ToBackend } from '../../src-shared/ipc';

/** The parts of a frame the sender check reads (Electron's WebFrameMain). */
type Frame = {
  readonly url: string;
  readonly parent: unknown;
  readonly detached: boolean;
  readonly processId: number;
  readonly routingId: number;
  isDestroyed(): boolean;
};
type Sender = {
  senderFrame: Frame | null;
  sender: { readonly mainFrame: Frame; isDestroyed(): boolean };
};

/** Same frame: Electron may hand out distinct WebFrameMain objects for one frame. */
function sameFrame(a: Frame, b: Frame): boolean {
  return a === b || (a.processId === b.processId && a.routingId === b.routingId);
}

/**
 * Every IPC message's sender is checked: it must be the main frame of its window (not an
 * iframe, not a frame that has navigated away or been detached) and that frame must show our own
 * UI (`app://bourse`, or the dev server in development). Anything else is refused.
 */
export function isTrustedSender(event: Sender, isApp: (url: string) => boolean): boolean {
  const frame = event.senderFrame;
  const contents = event.sender;
  if (frame === null || contents.isDestroyed() || frame.isDestroyed() || frame.detached) {
    return false;
  }
  return frame.parent === null && sameFrame(frame, contents.mainFrame) && isApp(frame.url);
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
