import { OrderBook, defaultMarketConfig } from '../../../src-main/domain/exchange';
import type { Command, Side } from '../../../src-main/domain/exchange';
import type { MboRows } from './cme-mbo';

/** What an operation does; both contenders translate the same list into their own calls. */
export const OpKind = {
  limit: 0,
  ioc: 1,
  market: 2,
  cancel: 3,
  move: 4,
  replayAdd: 5,
  replayCancel: 6,
  replayModify: 7,
} as const;

/** One neutral operation (prices in ticks, quantities in lots). */
export interface Op {
  k: number;
  id: number;
  side: Side;
  price: number;
  qty: number;
  user: string;
}

/** A benchmark stream: `setup` builds the starting book (untimed), `ops` are measured. */
export interface Stream {
  name: string;
  what: string;
  setup: Op[];
  ops: Op[];
}

/** Mulberry32: a tiny seeded PRNG, so every run measures the same inputs. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MID = 100_000;
// Buyers and sellers never share a user, so self-trade prevention never fires and both
// engines (the other one has no STP configured) do exactly the same matching.
const USERS_B = Array.from({ length: 64 }, (_, i) => `b${i}`);
const USERS_S = Array.from({ length: 64 }, (_, i) => `s${i}`);
const userFor = (side: Side, id: number): string =>
  (side === 'buy' ? USERS_B : USERS_S)[id % 64] as string;

function op(k: number, id: number, side: Side, price: number, qty: number): Op {
  return { k, id, side, price, qty, user: userFor(side, id) };
}

/** Converts ops to our commands (for tracking which orders are still open while generating). */
export function toCommand(o: Op, ts: number): Command {
  if (o.k === OpKind.cancel) return { type: 'cancel', ts, orderId: o.id };
  if (o.k === OpKind.move) return { type: 'amend', ts, orderId: o.id, price: o.price };
  if (o.k === OpKind.market) {
    return {
      type: 'place',
      ts,
      orderId: o.id,
      userId: o.user,
      side: o.side,
      kind: 'market',
      qty: o.qty,
    };
  }
  const tif = o.k === OpKind.ioc ? 'IOC' : 'GTC';
  return {
    type: 'place',
    ts,
    orderId: o.id,
    userId: o.user,
    side: o.side,
    kind: 'limit',
    price: o.price,
    qty: o.qty,
    tif,
  };
}

/** Keeps a live book while generating, so cancels and moves target orders that still rest. */
class Tracker {
  readonly book = new OrderBook({ ...defaultMarketConfig('BENCH'), bandBps: 0 });
  private readonly live: number[] = [];
  private readonly side = new Map<number, Side>();
  constructor(private readonly rand: () => number) {}
  apply(o: Op): void {
    this.book.execute(toCommand(o, 0));
    if ((o.k === OpKind.limit || o.k === OpKind.move) && this.book.getOrder(o.id) !== undefined) {
      if (o.k === OpKind.limit) this.live.push(o.id);
      this.side.set(o.id, o.side);
    }
  }
  /** A random order that still rests, or undefined. */
  pick(): { id: number; side: Side } | undefined {
    while (this.live.length > 0) {
      const i = Math.floor(this.rand() * this.live.length);
      const id = this.live[i] as number;
      if (this.book.getOrder(id) !== undefined) return { id, side: this.side.get(id) as Side };
      this.live[i] = this.live[this.live.length - 1] as number;
      this.live.pop();
    }
    return undefined;
  }
}

/** S1: adds only, every one at a price no order has used (a new level each time). */
export function s1AddOnly(n: number, seed = 1): Stream {
  const rand = prng(seed);
  const half = Math.ceil(n / 2);
  const offsets = [
    Array.from({ length: half }, (_, i) => i + 1),
    Array.from({ length: half }, (_, i) => i + 1),
  ];
  for (const list of offsets) {
    for (let i = list.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [list[i], list[j]] = [list[j] as number, list[i] as number];
    }
  }
  const ops: Op[] = [];
  for (let i = 0; i < n; i++) {
    const side: Side = i % 2 === 0 ? 'buy' : 'sell';
    const off = (offsets[i % 2] as number[])[i >> 1] as number;
    ops.push(
      op(
        OpKind.limit,
        i + 1,
        side,
        side === 'buy' ? MID - off : MID + off,
        1 + Math.floor(rand() * 10),
      ),
    );
  }
  return { name: 'S1', what: `${n} adds, each at a new price`, setup: [], ops };
}

/** S2: limit buys and sells over ±5 ticks around the middle: most orders trade. */
export function s2Crossing(n: number, seed = 2): Stream {
  const rand = prng(seed);
  const ops: Op[] = [];
  for (let i = 0; i < n; i++) {
    const side: Side = rand() < 0.5 ? 'buy' : 'sell';
    ops.push(
      op(OpKind.limit, i + 1, side, MID - 5 + Math.floor(rand() * 11), 1 + Math.floor(rand() * 10)),
    );
  }
  return { name: 'S2', what: `${n} crossing limits over 11 ticks`, setup: [], ops };
}

/** A non-crossing price for a side, 1..spread ticks away from the middle. */
const passive = (side: Side, rand: () => number, spread: number): number =>
  side === 'buy' ? MID - 1 - Math.floor(rand() * spread) : MID + 1 + Math.floor(rand() * spread);

/** S3: 9 % GTC, 3 % IOC, 6 % cancel, 82 % move, around ~1,000 orders on ~750 levels. */
export function s3Classic(n: number, seed = 3): Stream {
  const rand = prng(seed);
  const t = new Tracker(rand);
  const setup: Op[] = [];
  let id = 1;
  for (let i = 0; i < 1000; i++, id++) {
    const side: Side = i % 2 === 0 ? 'buy' : 'sell';
    const o = op(OpKind.limit, id, side, passive(side, rand, 375), 1 + Math.floor(rand() * 10));
    setup.push(o);
    t.apply(o);
  }
  const ops: Op[] = [];
  while (ops.length < n) {
    const r = rand();
    let o: Op | undefined;
    if (r < 0.09 || r >= 0.18) {
      const target = r < 0.09 ? undefined : t.pick();
      if (target === undefined) {
        const side: Side = rand() < 0.5 ? 'buy' : 'sell';
        o = op(OpKind.limit, id++, side, passive(side, rand, 375), 1 + Math.floor(rand() * 10));
      } else {
        // A move: mostly passive re-pricing; 2 % of moves cross and trade. A move always
        // changes the price (the other engine re-queues even an unchanged order).
        const cross = rand() < 0.02;
        const current = t.book.getOrder(target.id)?.price;
        let price = cross
          ? target.side === 'buy'
            ? MID + 3
            : MID - 3
          : passive(target.side, rand, 375);
        if (price === current) price += target.side === 'buy' ? -1 : 1;
        o = op(OpKind.move, target.id, target.side, price, 0);
      }
    } else if (r < 0.12) {
      const side: Side = rand() < 0.5 ? 'buy' : 'sell';
      o = op(
        OpKind.ioc,
        id++,
        side,
        side === 'buy' ? MID + 2 : MID - 2,
        1 + Math.floor(rand() * 10),
      );
    } else {
      const target = t.pick();
      if (target !== undefined) o = op(OpKind.cancel, target.id, target.side, 0, 0);
    }
    if (o === undefined) continue;
    t.apply(o);
    ops.push(o);
  }
  return { name: 'S3', what: `${n} ops: 9% GTC, 3% IOC, 6% cancel, 82% move`, setup, ops };
}

/** S4: 5 levels a side with 1,000+ orders each; random cancels inside queues, adds, takers. */
export function s4DeepQueues(n: number, seed = 4): Stream {
  const rand = prng(seed);
  const t = new Tracker(rand);
  const setup: Op[] = [];
  let id = 1;
  const deep = (side: Side): number =>
    side === 'buy' ? MID - 1 - Math.floor(rand() * 5) : MID + 1 + Math.floor(rand() * 5);
  for (let i = 0; i < 10_000; i++, id++) {
    const side: Side = i % 2 === 0 ? 'buy' : 'sell';
    const o = op(OpKind.limit, id, side, deep(side), 1 + Math.floor(rand() * 5));
    setup.push(o);
    t.apply(o);
  }
  const ops: Op[] = [];
  while (ops.length < n) {
    const r = rand();
    let o: Op | undefined;
    if (r < 0.45) {
      const target = t.pick();
      if (target !== undefined) o = op(OpKind.cancel, target.id, target.side, 0, 0);
    } else if (r < 0.95) {
      const side: Side = rand() < 0.5 ? 'buy' : 'sell';
      o = op(OpKind.limit, id++, side, deep(side), 1 + Math.floor(rand() * 5));
    } else {
      const side: Side = rand() < 0.5 ? 'buy' : 'sell';
      o = op(OpKind.market, id++, side, 0, 1 + Math.floor(rand() * 20));
    }
    if (o === undefined) continue;
    t.apply(o);
    ops.push(o);
  }
  return {
    name: 'S4',
    what: `${n} ops on 10k orders in 10 levels: 45% cancel, 50% add, 5% market`,
    setup,
    ops,
  };
}

/** S5: the CME ESH4 file's book operations (A/C/M rows; T/F are reports and skipped). */
export function s5Cme(rows: MboRows): Stream {
  const ops: Op[] = [];
  const kinds: Record<number, number> = {
    65: OpKind.replayAdd,
    67: OpKind.replayCancel,
    77: OpKind.replayModify,
  };
  for (let i = 0; i < rows.length; i++) {
    const k = kinds[rows.action[i] as number];
    if (k === undefined) continue;
    const side: Side = rows.side[i] === 0 ? 'buy' : 'sell';
    ops.push({
      k,
      id: rows.orderId[i] as number,
      side,
      price: rows.priceTicks[i] as number,
      qty: rows.size[i] as number,
      user: 'cme',
    });
  }
  return { name: 'S5', what: `CME ESH4 replay, ${ops.length} A/C/M rows`, setup: [], ops };
}
