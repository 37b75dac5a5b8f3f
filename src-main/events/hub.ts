import type { StreamMessage, StreamName, StreamPayloads } from '../../src-shared/contract';

/** Who may receive a published event. */
export type Audience = { kind: 'public' } | { kind: 'user'; userId: string } | { kind: 'admins' };

export interface Published<T = unknown> extends StreamMessage<T> {
  audience: Audience;
}

type Listener = (message: Published) => void;

/**
 * A door's listener and, optionally, which streams it has a subscriber for right now. A door
 * with nobody subscribed to a stream is not called for it, and when no door is, a lazily
 * published event builds no message at all (a group commit publishes several per order).
 */
interface Subscription {
  listener: Listener;
  wants?: (stream: string) => boolean;
}

/**
 * In-process fan-out of events to the doors that push (WebSocket, IPC). Each (stream, user)
 * channel carries its own gap-free `seq`, so a client that misses one can tell and resync.
 */
export class EventHub {
  private readonly listeners = new Set<Subscription>();
  /** Public and admin channels by stream. */
  private readonly seqs = new Map<string, number>();
  /**
   * Users' channels by stream, then user: two lookups with strings the process already holds
   * (hashes cached) instead of a `stream + userId` key built and hashed per event.
   */
  private readonly userSeqs = new Map<string, Map<string, number>>();

  /**
   * Publishes `data` on `stream`. Typed against `StreamPayloads`, the map the renderer's
   * `subscribe` reads too: a publisher cannot send a stream a payload its clients do not expect.
   */
  publish<S extends StreamName>(
    stream: S,
    data: StreamPayloads[S],
    audience: Audience = { kind: 'public' },
  ): Published<StreamPayloads[S]> {
    const message: Published<StreamPayloads[S]> = {
      stream,
      seq: this.nextSeq(stream, audience),
      data,
      audience,
    };
    for (const s of this.listeners) if (!s.wants || s.wants(stream)) s.listener(message);
    return message;
  }

  /**
   * Like `publish`, but builds the data only when a listener reads it. The doors read it
   * only for a subscribed connection, so views nobody watches (decimal strings for every
   * order, fill and candle of a busy market) are never formatted. `make` runs at most once,
   * and reads the state as it is when first asked: call this after the change it describes,
   * and let listeners read `data` synchronously (both doors do).
   */
  publishLazy<S extends StreamName>(
    stream: S,
    make: () => StreamPayloads[S],
    audience: Audience = { kind: 'public' },
  ): void {
    const seq = this.nextSeq(stream, audience);
    let message: Published<StreamPayloads[S]> | undefined;
    for (const s of this.listeners) {
      if (s.wants && !s.wants(stream)) continue;
      message ??= lazyMessage(stream, seq, audience, make);
      s.listener(message);
    }
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

  /**
   * Calls `listener` with every event, or only those of streams `wants` answers true for
   * (asked at each publication, so it can follow the door's subscriptions as they change).
   */
  subscribe(listener: Listener, wants?: (stream: string) => boolean): () => void {
    const subscription: Subscription = wants ? { listener, wants } : { listener };
    this.listeners.add(subscription);
    return () => this.listeners.delete(subscription);
  }

  /** Disconnect every listener (shutdown). */
  clear(): void {
    this.listeners.clear();
  }
}

/** A message whose `data` is built by `make` on its first read, at most once. */
function lazyMessage<T>(
  stream: string,
  seq: number,
  audience: Audience,
  make: () => T,
): Published<T> {
  let built = false;
  let value: T | undefined;
  return {
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
}
