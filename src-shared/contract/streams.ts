/**
 * Event streams pushed to clients (WebSocket channels, IPC events). A stream name is a
 * channel; `seq` increases by one per channel so a client can detect a gap and resync.
 */
export const PUBLIC_STREAMS = ['system.notice'] as const;
export const PRIVATE_STREAMS = ['notifications', 'jobs'] as const;

export type StreamName = (typeof PUBLIC_STREAMS)[number] | (typeof PRIVATE_STREAMS)[number];

export interface StreamMessage<T = unknown> {
  stream: string;
  seq: number;
  data: T;
}
