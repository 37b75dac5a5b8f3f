import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { KrakenConnector } from '../../../src-main/connectors/kraken';
import { krakenDefinition } from '../../../src-main/connectors/kraken';
import type {
  KrakenMarketEvent,
  KrakenMarketStream,
} from '../../../src-main/connectors/kraken/market-stream';
import { FakeKraken } from '../../fakes/kraken/server';
import { fakeChecksum } from '../../fakes/kraken/ws-hub';

type Ev = KrakenMarketEvent;

/** Records a stream's events and waits for the next one matching a test, without sleeping. */
class Recorder {
  readonly events: Ev[] = [];
  private waiters: { test: (e: Ev) => boolean; done: (e: Ev) => void }[] = [];

  constructor(s: KrakenMarketStream) {
    s.on((e) => {
      this.events.push(e);
      for (const w of [...this.waiters]) {
        if (w.test(e)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.done(e);
        }
      }
    });
  }

  /** The next event from now on that matches. */
  next<T extends Ev>(test: (e: Ev) => e is T): Promise<T>;
  next(test: (e: Ev) => boolean): Promise<Ev>;
  next(test: (e: Ev) => boolean): Promise<Ev> {
    return new Promise((done) => this.waiters.push({ test, done }));
  }
}

const isBook =
  (symbol: string) =>
  (e: Ev): e is Extract<Ev, { type: 'book' }> =>
    e.type === 'book' && e.symbol === symbol;
const isState = (state: string) => (e: Ev) => e.type === 'connection' && e.state === state;

/** The fake's view of a book at a depth, as canonical decimals (trailing zeros dropped). */
const canon = (t: string) => t.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
function fakeView(fake: FakeKraken, symbol: string, depth: number) {
  const b = fake.publicHub.bookOf(symbol);
  const side = (l: [string, string][]) =>
    l.slice(0, depth).map(([price, qty]) => ({ price: canon(price), qty: canon(qty) }));
  return { bids: side(b.bids), asks: side(b.asks) };
}

describe('Kraken public WebSocket v2: books and trades', () => {
  let fake: FakeKraken;
  let conn: KrakenConnector;

  beforeEach(async () => {
    fake = await FakeKraken.start({ heartbeatMs: 50 });
    // Twelve levels a side (two beyond depth 10); quantities with all 8 decimals.
    fake.publicHub.setBook(
      'BTC/USD',
      Array.from({ length: 12 }, (_, i) => [
        `${45000 - i}.5`,
        `0.${String(i + 1).padStart(8, '0')}`,
      ]),
      Array.from({ length: 12 }, (_, i) => [`${45001 + i}.2`, `${i + 1}.10000001`]),
    );
    fake.publicHub.setBook('ETH/BTC', [['0.05123', '3.5']], [['0.05130', '0.001']]);
    conn = krakenDefinition.create(
      fake.settings,
      {},
      { now: Date.now, random: () => 0 },
    ) as KrakenConnector;
  });

  afterEach(async () => {
    await conn.close();
    await fake.close();
  });

  const open = (symbols: string[], depth: 10 | 25 = 10) => {
    const s = conn.marketStream(symbols, depth);
    const rec = new Recorder(s);
    return { s, rec };
  };

  it('subscribes to book and trade, then holds the snapshot (top N, exact decimals)', async () => {
    const { s, rec } = open(['BTC/USD', 'ETH/BTC']);
    const up = rec.next(isState('up'));
    const btc = rec.next(isBook('BTC/USD'));
    const eth = rec.next(isBook('ETH/BTC'));
    s.start();
    const [, b, e] = await Promise.all([up, btc, eth]);
    expect(b.bids).toHaveLength(10);
    expect(b.asks).toHaveLength(10);
    expect(b.bids[0]).toEqual({ price: '45000.5', qty: '0.00000001' });
    expect(b.asks[0]).toEqual({ price: '45001.2', qty: '1.10000001' });
    expect(b.asks[9]).toEqual({ price: '45010.2', qty: '10.10000001' });
    expect({ bids: b.bids, asks: b.asks }).toEqual(fakeView(fake, 'BTC/USD', 10));
    expect(b.checksum).toBe(fakeChecksum(fake.publicHub.bookOf('BTC/USD')));
    expect(e.bids).toEqual([{ price: '0.05123', qty: '3.5' }]);
    expect(s.book('ETH/BTC')?.asks).toEqual([{ price: '0.0513', qty: '0.001' }]);
    expect(s.up).toBe(true);
    expect(s.resyncs).toBe(0);
    const asked = fake.publicHub.received.filter((m) => m.method === 'subscribe');
    expect(asked.map((m) => m.params)).toEqual([
      { channel: 'book', symbol: ['BTC/USD', 'ETH/BTC'], depth: 10, snapshot: true },
      { channel: 'trade', symbol: ['BTC/USD', 'ETH/BTC'], snapshot: false },
    ]);
  });

  it('applies updates exactly: change, insert, remove (qty 0), and truncates to depth', async () => {
    const { s, rec } = open(['BTC/USD']);
    const first = rec.next(isBook('BTC/USD'));
    s.start();
    await first;
    const steps: Parameters<typeof fake.publicHub.updateBook>[1][] = [
      { bids: [['45000.5', '0.12345678']] }, // change the best bid
      { bids: [['45000.7', '2']], asks: [['45001.1', '0.3']] }, // new bests: 11th levels fall off
      { asks: [['45001.2', '0']] }, // remove a level: the 11th ask comes back into view
      {
        bids: [
          ['44995.5', '0'],
          ['44990.5', '7.77777777'],
        ],
      }, // remove + a level beyond depth
      {
        asks: [
          ['45001.1', '0'],
          ['45002.2', '0'],
          ['45003.2', '0'],
        ],
      },
    ];
    for (const change of steps) {
      const next = rec.next(isBook('BTC/USD'));
      fake.publicHub.updateBook('BTC/USD', change);
      const b = await next;
      expect({ bids: b.bids, asks: b.asks }).toEqual(fakeView(fake, 'BTC/USD', 10));
      expect(b.bids.length).toBeLessThanOrEqual(10);
    }
    const b = s.book('BTC/USD')!;
    expect(b.bids[0]).toEqual({ price: '45000.7', qty: '2' });
    expect(b.bids[1]).toEqual({ price: '45000.5', qty: '0.12345678' });
    expect(b.asks[0]).toEqual({ price: '45004.2', qty: '4.10000001' });
    expect(s.resyncs).toBe(0);
  });

  it('a wrong checksum drops the book, resubscribes for a fresh snapshot, and counts it', async () => {
    const { s, rec } = open(['BTC/USD']);
    const first = rec.next(isBook('BTC/USD'));
    s.start();
    await first;
    expect(fake.publicHub.bookSubscribes.get('BTC/USD')).toBe(1);
    fake.publicHub.corruptNextChecksum();
    const resync = rec.next((e) => e.type === 'resync');
    const fresh = rec.next(isBook('BTC/USD'));
    fake.publicHub.updateBook('BTC/USD', { bids: [['45000.6', '1']] });
    const r = await resync;
    expect(r).toMatchObject({ type: 'resync', symbol: 'BTC/USD' });
    expect(s.book('BTC/USD')).toBeNull(); // nothing stale is served meanwhile
    const b = await fresh;
    expect(s.resyncs).toBe(1);
    expect(fake.publicHub.bookSubscribes.get('BTC/USD')).toBe(2);
    expect(fake.publicHub.received.some((m) => m.method === 'unsubscribe')).toBe(true);
    expect({ bids: b.bids, asks: b.asks }).toEqual(fakeView(fake, 'BTC/USD', 10));
    expect(b.bids[0]).toEqual({ price: '45000.6', qty: '1' });
    // Consistent again: later updates apply and verify.
    const after = rec.next(isBook('BTC/USD'));
    fake.publicHub.updateBook('BTC/USD', { asks: [['45001.2', '0.5']] });
    expect((await after).asks[0]).toEqual({ price: '45001.2', qty: '0.5' });
    expect(s.resyncs).toBe(1);
  });

  it('a book that fails again right after its resync is re-requested again and recovers', async () => {
    const { s, rec } = open(['BTC/USD']);
    const first = rec.next(isBook('BTC/USD'));
    s.start();
    await first;
    fake.publicHub.corruptNextChecksum(2);
    for (const [i, price] of [
      [1, '45000.6'],
      [2, '45000.7'],
    ] as const) {
      const fresh = rec.next(isBook('BTC/USD'));
      fake.publicHub.updateBook('BTC/USD', { bids: [[price, '1']] });
      expect((await fresh).bids[0]).toEqual({ price, qty: '1' });
      expect(s.resyncs).toBe(i);
    }
    expect(fake.publicHub.bookSubscribes.get('BTC/USD')).toBe(3);
    const ok = rec.next(isBook('BTC/USD'));
    fake.publicHub.updateBook('BTC/USD', { bids: [['45000.8', '1']] });
    expect((await ok).bids[0]).toEqual({ price: '45000.8', qty: '1' });
    expect(s.resyncs).toBe(2);
  });

  it('emits trades with exact decimals', async () => {
    const { s, rec } = open(['BTC/USD', 'ETH/BTC']);
    const up = rec.next(isState('up'));
    s.start();
    await up;
    const t = rec.next((e) => e.type === 'trade');
    fake.publicHub.trade('ETH/BTC', 'sell', '0.0513', '0.10000001');
    expect(await t).toMatchObject({
      type: 'trade',
      symbol: 'ETH/BTC',
      side: 'sell',
      price: '0.0513',
      qty: '0.10000001',
      tradeId: 1,
      ordType: 'limit',
    });
  });

  it('a dropped connection goes down, reconnects, resubscribes and gets a new snapshot', async () => {
    const { s, rec } = open(['BTC/USD']);
    const first = rec.next(isBook('BTC/USD'));
    s.start();
    await first;
    const down = rec.next(isState('down'));
    const up = rec.next(isState('up'));
    const snap = rec.next(isBook('BTC/USD'));
    fake.publicHub.dropAll();
    await down;
    // Changed while the client was away: only a new snapshot can know.
    fake.publicHub.updateBook('BTC/USD', { bids: [['45000.9', '3']] });
    await up;
    const b = await snap;
    expect(b.bids[0]).toEqual({ price: '45000.9', qty: '3' });
    expect({ bids: b.bids, asks: b.asks }).toEqual(fakeView(fake, 'BTC/USD', 10));
    expect(s.connections).toBe(2);
    expect(fake.publicHub.bookSubscribes.get('BTC/USD')).toBe(2);
    const kinds = rec.events.filter((e) => e.type === 'connection').map((e) => e.state);
    expect(kinds).toEqual(['connecting', 'up', 'down', 'up']);
  });

  it('an unknown symbol is refused (not retried); the others still stream', async () => {
    const { s, rec } = open(['BTC/USD', 'NOPE/USD']);
    const up = rec.next(isState('up'));
    const refused = rec.next((e) => e.type === 'refused');
    s.start();
    expect(await refused).toMatchObject({ symbol: 'NOPE/USD' });
    await up;
    expect(s.book('BTC/USD')).not.toBeNull();
  });

  it('rejects depths Kraken does not offer', () => {
    expect(() => conn.marketStream(['BTC/USD'], 50 as 10)).toThrow(RangeError);
  });
});

describe('the fake public host is strict', () => {
  let fake: FakeKraken;
  let ws: WebSocket;
  const frames: Record<string, unknown>[] = [];
  let waiting: ((m: Record<string, unknown>) => void) | null = null;
  const next = () =>
    new Promise<Record<string, unknown>>((r) => {
      const m = frames.shift();
      if (m) r(m);
      else waiting = r;
    });
  const send = (m: unknown) => ws.send(JSON.stringify(m));

  beforeEach(async () => {
    fake = await FakeKraken.start({ heartbeatMs: 10_000 });
    frames.length = 0;
    ws = new WebSocket(fake.settings.publicWsUrl!);
    ws.on('message', (d) => {
      const m = JSON.parse(String(d)) as Record<string, unknown>;
      if (waiting) {
        const w = waiting;
        waiting = null;
        w(m);
      } else frames.push(m);
    });
    await new Promise((r) => ws.once('open', r));
  });

  afterEach(async () => {
    ws.close();
    await fake.close();
  });

  it('pushes status first, refuses unknown channels, symbols, depths and duplicates', async () => {
    expect(await next()).toMatchObject({ channel: 'status', type: 'update' });
    send({ method: 'subscribe', params: { channel: 'books', symbol: ['BTC/USD'] }, req_id: 1 });
    expect(await next()).toMatchObject({ method: 'subscribe', success: false, req_id: 1 });
    send({ method: 'subscribe', params: { channel: 'book', symbol: ['BTC/XYZ'] }, req_id: 2 });
    expect(await next()).toMatchObject({
      method: 'subscribe',
      success: false,
      symbol: 'BTC/XYZ',
      error: expect.stringContaining('Currency pair not supported') as unknown,
    });
    const bad = { channel: 'book', symbol: ['BTC/USD'], depth: 50 };
    send({ method: 'subscribe', params: bad, req_id: 3 });
    expect(await next()).toMatchObject({ success: false, req_id: 3 });
    send({ method: 'subscribe', params: { channel: 'book', symbol: ['BTC/USD'] }, req_id: 4 });
    expect(await next()).toMatchObject({ success: true, result: { depth: 10, symbol: 'BTC/USD' } });
    const snap = await next();
    expect(snap).toMatchObject({ channel: 'book', type: 'snapshot' });
    send({ method: 'subscribe', params: { channel: 'book', symbol: ['BTC/USD'] }, req_id: 5 });
    expect(await next()).toMatchObject({ success: false, req_id: 5 });
    send({ method: 'unsubscribe', params: { channel: 'trade', symbol: ['BTC/USD'] }, req_id: 6 });
    expect(await next()).toMatchObject({ success: false, req_id: 6 });
  });

  it('sends prices and quantities as JSON numbers with all their decimals', async () => {
    fake.publicHub.setBook('BTC/USD', [['45000', '0.001']], []);
    await next(); // status
    ws.removeAllListeners('message');
    const raw = new Promise<string>((r) => {
      ws.on('message', (d) => {
        if (String(d).includes('"type":"snapshot"')) r(String(d));
      });
    });
    send({ method: 'subscribe', params: { channel: 'book', symbol: ['BTC/USD'] }, req_id: 1 });
    expect(await raw).toContain('{"price":45000.0,"qty":0.00100000}');
  });
});
