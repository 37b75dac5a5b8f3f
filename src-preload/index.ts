/**
 * The only bridge between the sandboxed renderer and the app: `call` an operation and
 * `subscribe` to streams. Nothing generic (no raw ipcRenderer, no send/on passthrough).
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { StreamMessage } from '../src-shared/contract';
import { IPC_CHANNELS } from '../src-shared/ipc';
import { isMenuCommand, type MenuCommand } from '../src-shared/menu';
import { StreamRefs } from '../src-shared/stream-refs';

export interface BourseBridge {
  call(name: string, input: unknown, token?: string): Promise<unknown>;
  subscribe(
    streams: string[],
    handler: (message: StreamMessage) => void,
    token?: string,
  ): () => void;
  /** App-menu commands (emergency stop, open a screen); only known names get through. */
  onMenu(handler: (command: MenuCommand) => void): () => void;
}

const menuHandlers = new Set<(command: MenuCommand) => void>();
ipcRenderer.on(IPC_CHANNELS.menu, (_event, command: unknown) => {
  if (!isMenuCommand(command)) return;
  for (const handler of menuHandlers) handler(command);
});

const handlers = new Set<(message: StreamMessage) => void>();
const refs = new StreamRefs();
// One IPC message carries a backend event-loop turn's stream messages, in order.
ipcRenderer.on(IPC_CHANNELS.event, (_event, messages: unknown) => {
  if (!Array.isArray(messages)) return;
  for (const message of messages as StreamMessage[])
    for (const handler of handlers) handler(message);
});

const bridge: BourseBridge = {
  call: (name, input, token) => ipcRenderer.invoke(IPC_CHANNELS.call, name, input, token),
  subscribe(streams, handler, token) {
    handlers.add(handler);
    refs.add(streams);
    ipcRenderer.send(IPC_CHANNELS.subscribe, streams, token);
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      handlers.delete(handler);
      const unwanted = refs.remove(streams);
      if (unwanted.length) ipcRenderer.send(IPC_CHANNELS.unsubscribe, unwanted);
    };
  },
  onMenu(handler) {
    menuHandlers.add(handler);
    return () => menuHandlers.delete(handler);
  },
};

contextBridge.exposeInMainWorld('bourse', bridge);
