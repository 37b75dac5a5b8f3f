import type { StreamMessage } from '../../src-shared/contract';

/** Who may receive a published event. */
export type Audience = { kind: 'public' } | { kind: 'user'; userId: string } | { kind: 'admins' };

export interface Published<T = unknown> extends StreamMessage<T> {
  audience: Audience;
}

type Listener = (message: Published) => void;

/**
 * In-process fan-out of events to the doors that push (WebSocket, IPC). Each (stream, user)
 * channel carries its own gap-free `seq`, so a client that misses one can tell and resync.
 */
export class EventHub {
  private readonly listeners = new Set<Listener>();
  /** Public and admin channels by stream. */
  private readonly seqs = new Map<string, number>();
  /**
   * Users' channels by stream, then user: two lookups with strings the process already holds
   * (hashes cached) instead of a `stream + userId` key built and hashed per event.
   */
  private readonly userSeqs = new Map<string, Map<string, number>>();

  publish<T>(stream: string, data: T, audience: Audience = { kind: 'public' }): Published<T> {
    const message: Published<T> = { stream, seq: this.nextSeq(stream, audience), data, audience };
    for (const listener of this.listeners) listener(message);
    return message;
  }

  /**
   * Like `publish`, but builds the data only when a listener reads it. The doors read it
   * only for a subscribed connection, so views nobody watches (decimal strings for every
   * order, fill and candle of a busy market) are never formatted. `make` runs at most once,
   * and reads the state as it is when first asked: call this after the change it describes,
   * and let listeners read `data` synchronously (both doors do).
   */
  publishLazy<T>(stream: string, make: () => T, audience: Audience = { kind: 'public' }): void {
    const seq = this.nextSeq(stream, audience);
    if (this.listeners.size === 0) return;
    let built = false;
    let value: T | undefined;
    const message: Published<T> = {
      stream,
      seq,
      audience,
      get data(): T {
        if (!built) {
          value = make();
          built = true;
        }
        return value as T;
      },
    };
    for (const listener of this.listeners) listener(message);
  }

  private nextSeq(stream: string, audience: Audience): number {
    const seqs = audience.kind === 'user' ? this.userChannels(stream) : this.seqs;
    const key = audience.kind === 'user' ? audience.userId : stream;
    const seq = (seqs.get(key) ?? 0) + 1;
    seqs.set(key, seq);
    return seq;
  }

  private userChannels(stream: string): Map<string, number> {
    let users = this.userSeqs.get(stream);
    if (!users) this.userSeqs.set(stream, (users = new Map()));
    return users;
  }

  /** Current sequence number of a channel (what a snapshot is consistent with). */
  seqOf(stream: string, userId?: string): number {
    return (userId ? this.userSeqs.get(stream)?.get(userId) : this.seqs.get(stream)) ?? 0;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Disconnect every listener (shutdown). */
  clear(): void {
    this.listeners.clear();
  }
}
