import type { ErrorBody, StreamMessage } from './contract';

/** Messages from the Electron main process to the backend process. */
export type ToBackend =
  | { kind: 'call'; id: number; name: string; input: unknown; token?: string }
  | { kind: 'subscribe'; connId: number; streams: string[]; token?: string }
  | { kind: 'unsubscribe'; connId: number; streams: string[] }
  | { kind: 'disconnect'; connId: number }
  | { kind: 'shutdown' };

/** Messages from the backend process to the Electron main process. */
export type FromBackend =
  | { kind: 'ready'; url: string }
  | { kind: 'result'; id: number; ok: true; value: unknown }
  | { kind: 'result'; id: number; ok: false; error: ErrorBody }
  /** A window's stream messages of one event-loop turn, in publication order. */
  | { kind: 'events'; connId: number; messages: StreamMessage[] }
  | { kind: 'fatal'; message: string };

/** Channel names between preload and main. Kept in one place so both sides agree. */
export const IPC_CHANNELS = {
  call: 'bourse:call',
  subscribe: 'bourse:subscribe',
  unsubscribe: 'bourse:unsubscribe',
  /** Main → renderer: `StreamMessage[]`, one send per backend event-loop turn. */
  event: 'bourse:event',
  /** Main → renderer: an app-menu command (`MenuCommand`), e.g. the emergency stop. */
  menu: 'bourse:menu',
} as const;
