import { describe, expect, it } from 'vitest';
import { EventHub, type Published } from '../../../src-main/events/hub';
import {
  sampleDepthDiff,
  sampleFill,
  sampleOrder,
  samplePublicTrade,
} from '../../helpers/stream-payloads';

/** An order view that counts how often it was built (lazy publications must not build it). */
const counted = (counter: { built: number }) => () => sampleOrder({ orderId: ++counter.built });

describe('EventHub.publishLazy', () => {
  it('counts the channel sequence even when nobody listens, and builds nothing', () => {
    const hub = new EventHub();
    const n = { built: 0 };
    hub.publishLazy('orders', counted(n), { kind: 'user', userId: 'alice' });
    hub.publish('orders', sampleOrder(), { kind: 'user', userId: 'alice' });
    hub.publishLazy('orders', counted(n), { kind: 'user', userId: 'alice' });
    expect(n.built).toBe(0);
    expect(hub.seqOf('orders', 'alice')).toBe(3);
    expect(hub.seqOf('orders', 'bob')).toBe(0);
  });

  it('counts a stream’s public channel and each user’s channel apart', () => {
    const hub = new EventHub();
    hub.publish('orders', sampleOrder({ orderId: 1 }), { kind: 'user', userId: 'alice' });
    hub.publish('orders', sampleOrder({ orderId: 2 }), { kind: 'user', userId: 'bob' });
    hub.publish('orders', sampleOrder({ orderId: 3 }), { kind: 'public' });
    hub.publish('orders', sampleOrder({ orderId: 4 }), { kind: 'admins' });
    expect(
      hub.publish('orders', sampleOrder({ orderId: 5 }), { kind: 'user', userId: 'alice' }).seq,
    ).toBe(2);
    expect(hub.seqOf('orders', 'alice')).toBe(2);
    expect(hub.seqOf('orders', 'bob')).toBe(1);
    expect(hub.seqOf('orders')).toBe(2); // public and admins share the stream's own channel
    expect(hub.seqOf('fills', 'alice')).toBe(0);
  });

  it('builds the data once, on the first read, for however many listeners read it', () => {
    const hub = new EventHub();
    let built = 0;
    const seen: Array<Pick<Published, 'stream' | 'seq' | 'data'>> = [];
    hub.subscribe(() => undefined); // a listener with no subscriber for this stream
    hub.subscribe((m) => seen.push({ stream: m.stream, seq: m.seq, data: m.data }));
    hub.subscribe((m) => seen.push({ stream: m.stream, seq: m.seq, data: m.data }));
    hub.publishLazy('tape:BTC/USDT', () => samplePublicTrade({ tradeId: ++built }));
    expect(built).toBe(1);
    const data = samplePublicTrade({ tradeId: 1 });
    expect(seen).toEqual([
      { stream: 'tape:BTC/USDT', seq: 1, data },
      { stream: 'tape:BTC/USDT', seq: 1, data },
    ]);
  });

  it('is never built when every listener skips the stream', () => {
    const hub = new EventHub();
    let built = 0;
    hub.subscribe((m) => (m.stream === 'other' ? m.data : undefined));
    hub.publishLazy('depth:BTC/USDT', () => sampleDepthDiff({ seq: ++built }));
    expect(built).toBe(0);
    expect(hub.seqOf('depth:BTC/USDT')).toBe(1);
  });

  it('calls a listener only for the streams it wants, asking at each publication', () => {
    const hub = new EventHub();
    const wanted = new Set<string>();
    const seen: string[] = [];
    let asked = 0;
    hub.subscribe(
      (m) => seen.push(`${m.stream}#${m.seq}`),
      (stream) => {
        asked++;
        return wanted.has(stream);
      },
    );
    const n = { built: 0 };
    hub.publishLazy('orders', counted(n), { kind: 'user', userId: 'alice' });
    hub.publish('tape:BTC/USDT', samplePublicTrade());
    expect(seen).toEqual([]);
    expect(n.built).toBe(0);
    wanted.add('orders');
    hub.publishLazy('orders', counted(n), { kind: 'user', userId: 'alice' });
    expect(seen).toEqual(['orders#2']); // the skipped event still took its place in the channel
    expect(asked).toBe(3);
  });

  it('skips building the message when no listener wants the stream, but still counts it', () => {
    const hub = new EventHub();
    let called = 0;
    hub.subscribe(
      () => called++,
      () => false,
    );
    hub.subscribe(
      () => called++,
      (stream) => stream === 'fills',
    );
    hub.publishLazy('orders', () => sampleOrder(), { kind: 'user', userId: 'bob' });
    expect(called).toBe(0);
    expect(hub.seqOf('orders', 'bob')).toBe(1);
    hub.publishLazy('fills', () => sampleFill(), { kind: 'user', userId: 'bob' });
    expect(called).toBe(1);
  });

  it('takes only a stream’s own payload, as StreamPayloads says (the compiler checks)', () => {
    const hub = new EventHub();
    // @ts-expect-error a notice is not an order view
    hub.publish('orders', { text: 'hi' });
    // @ts-expect-error no stream of that name
    hub.publishLazy('made-up', () => sampleOrder());
    hub.publish('system.notice', { text: 'hi' });
    expect(hub.seqOf('orders')).toBe(1);
  });
});
