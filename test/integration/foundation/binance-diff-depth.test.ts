// The Binance diff-depth stream (<symbol>@depth, @depth@100ms) joined to REST /api/v3/depth as
// Binance documents it ("How to manage a local order book correctly"): buffer the stream,
// fetch a snapshot, drop events with u <= lastUpdateId, check the first one spans it, apply
// the rest checking U == previous u + 1. After a burst of trading with the snapshot taken in
// the middle of it, the local book must equal a fresh REST snapshot, level for level.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import { fund, limit, place, trader } from '../../helpers/exchange';
import { openSocket, until } from '../../helpers/ws-client';

let backend: TestBackend;
let base: string;
beforeAll(async () => {
  backend = await startTestBackend();
  base = (await backend.listen()).replace('http', 'ws');
  for (const user of ['carol', 'dave']) {
    await fund(backend, user, 'BTC', '100');
    await fund(backend, user, 'USDT', '10000000');
  }
});
afterAll(async () => backend.cleanup());

interface DepthUpdate {
  e: string;
  s: string;
  U: number;
  u: number;
  b: [string, string][];
  a: [string, string][];
}
interface RestDepth {
  lastUpdateId: number;
  bids: [string, string][];
  asks: [string, string][];
}

async function restDepth(): Promise<RestDepth> {
  const res = await backend.http.inject({
    method: 'GET',
    url: '/api/v3/depth?symbol=BTCUSDT&limit=500',
  });
  expect(res.statusCode).toBe(200);
  return res.json() as RestDepth;
}

/** A local book kept exactly as Binance's documentation says; throws where it says to resync. */
class LocalBook {
  private readonly bids = new Map<string, string>();
  private readonly asks = new Map<string, string>();
  updateId = 0;

  constructor(snapshot: RestDepth, buffered: readonly DepthUpdate[]) {
    for (const [p, q] of snapshot.bids) this.bids.set(p, q);
    for (const [p, q] of snapshot.asks) this.asks.set(p, q);
    this.updateId = snapshot.lastUpdateId;
    const kept = buffered.filter((e) => e.u > snapshot.lastUpdateId);
    const first = kept[0];
    if (first && !(first.U <= snapshot.lastUpdateId + 1 && first.u >= snapshot.lastUpdateId + 1)) {
      throw new Error(
        `first event [${first.U}, ${first.u}] does not span ${snapshot.lastUpdateId}`,
      );
    }
    for (const e of kept) this.apply(e);
  }

  apply(e: DepthUpdate): void {
    if (e.u <= this.updateId) return;
    if (e.U !== this.updateId + 1) throw new Error(`gap: U ${e.U} after u ${this.updateId}`);
    for (const [p, q] of e.b) setLevel(this.bids, p, q);
    for (const [p, q] of e.a) setLevel(this.asks, p, q);
    this.updateId = e.u;
  }

  levels(): { bids: [string, string][]; asks: [string, string][] } {
    const sorted = (m: Map<string, string>, dir: number) =>
      [...m].sort((x, y) => dir * (Number(x[0]) - Number(y[0])));
    return { bids: sorted(this.bids, -1), asks: sorted(this.asks, 1) };
  }
}

function setLevel(side: Map<string, string>, price: string, qty: string): void {
  if (Number(qty) === 0) side.delete(price);
  else side.set(price, qty);
}

/** A deterministic stream of numbers in [0, 1) (the burst is the same on every run). */
function lcg(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

/**
 * `n` limit orders around 30000, carol buying and dave selling (about half cross and trade),
 * placed concurrently so commits carry several at once; then every fourth order is cancelled
 * (refused when it filled meanwhile, which is fine).
 */
async function burst(n: number, rand: () => number): Promise<void> {
  const orders = Array.from({ length: n }, () => {
    const side = rand() < 0.5 ? ('buy' as const) : ('sell' as const);
    const price = (29_990 + Math.floor(rand() * 21)).toFixed(2);
    const qty = (0.001 * (1 + Math.floor(rand() * 20))).toFixed(4);
    return { user: side === 'buy' ? 'carol' : 'dave', input: limit(side, price, qty) };
  });
  const placed = await Promise.all(orders.map((o) => place(backend, o.user, o.input)));
  await Promise.all(
    placed.map((o, i) =>
      i % 4 !== 0 || o.status === 'filled'
        ? undefined
        : backend
            .invoke('orders.cancel', { orderId: o.orderId }, trader(orders[i]!.user))
            .catch(() => undefined),
    ),
  );
}

describe('Binance diff depth joined to the REST snapshot', () => {
  it('rebuilds the book from a mid-burst snapshot plus buffered diffs, equal to REST depth', async () => {
    const { ws, messages } = await openSocket<DepthUpdate>(
      `${base}/binance/ws/btcusdt@depth@100ms`,
    );
    const rand = lcg(27);
    const first = burst(40, rand);
    await until(() => messages.length > 0);
    // Binance: a snapshot older than the first buffered event is fetched again.
    let snapshot = await restDepth();
    while (snapshot.lastUpdateId < (messages[0] as DepthUpdate).U) snapshot = await restDepth();
    const book = new LocalBook(snapshot, [...messages]);
    let applied = messages.length;
    await first;
    await burst(60, rand);

    const finalDepth = await restDepth();
    await until(() => messages.at(-1)!.u >= finalDepth.lastUpdateId);
    for (const e of messages.slice(applied)) book.apply(e);
    applied = messages.length;

    expect(book.updateId).toBe(finalDepth.lastUpdateId);
    expect(book.levels()).toEqual({ bids: finalDepth.bids, asks: finalDepth.asks });
    expect(finalDepth.bids.length + finalDepth.asks.length).toBeGreaterThan(5);
    expect(messages.every((m) => m.e === 'depthUpdate' && m.s === 'BTCUSDT')).toBe(true);
    ws.close();
  });
});
