import { OrderBook as LobBook } from 'nodejs-order-book';
import type { IProcessOrder } from 'nodejs-order-book';
import type { Command, RestingOrderInput } from '../../../src-main/domain/exchange';
import { OrderBook, defaultMarketConfig, restingChecksum } from '../../../src-main/domain/exchange';
import type { Op, Stream } from './streams';
import { OpKind as ImportedOpKind, toCommand } from './streams';

// A local copy: under tsx every read of an imported binding is a getter call, and the step
// functions below read these on every operation of both contenders.
const OpKind = { ...ImportedOpKind };

/** What a contender did on a stream, to check both did the same work. */
export interface Work {
  trades: number;
  volume: number;
  resting: number;
  checksum: number;
}

/** A contender prepared for one stream: `fresh()` builds a book with the setup applied. */
export interface Runner {
  /** A new book with the stream's setup applied (untimed). */
  fresh(): void;
  /** Runs op i (timed). */
  step(i: number): void;
  /** Runs every op and counts trades and volume (untimed verification pass). */
  verify(): Work;
}

const market = () => ({ ...defaultMarketConfig('BENCH'), bandBps: 0, maxQty: 1_000_000 });

/** Our OrderBook: commands and replay inputs are built before timing. */
export function oursRunner(stream: Stream): Runner {
  const build = (o: Op, i: number): Command | RestingOrderInput | null =>
    o.k === OpKind.replayAdd
      ? { orderId: o.id, userId: o.user, side: o.side, price: o.price, qty: o.qty }
      : o.k >= OpKind.replayCancel
        ? null
        : toCommand(o, i);
  const inputs = stream.ops.map(build);
  const ops = stream.ops;
  let book = new OrderBook(market());
  const step = (i: number): void => {
    const o = ops[i] as Op;
    if (o.k === OpKind.replayAdd) book.restOrder(inputs[i] as RestingOrderInput);
    else if (o.k === OpKind.replayCancel) book.reduceResting(o.id, o.qty);
    else if (o.k === OpKind.replayModify) book.modifyResting(o.id, o.price, o.qty);
    else book.execute(inputs[i] as Command);
  };
  const fresh = (): void => {
    book = new OrderBook(market());
    stream.setup.forEach((o, i) => book.execute(toCommand(o, i)));
  };
  const verify = (): Work => {
    fresh();
    let trades = 0;
    let volume = 0;
    for (let i = 0; i < ops.length; i++) {
      step(i);
      for (const e of book.events) {
        if (e.type !== 'trade') continue;
        trades++;
        volume += e.qty;
      }
    }
    return { trades, volume, resting: book.snapshot().orders.length, checksum: book.checksum() };
  };
  return { fresh, step, verify };
}

type LobOp = { k: number; id: string; opts: Record<string, unknown> };

/** nodejs-order-book 10.1.1 driven with the same operations (limit/market/cancel/modify). */
export function lobRunner(stream: Stream): Runner {
  const toLob = (o: Op): LobOp => {
    const id = String(o.id);
    if (o.k === OpKind.market) return { k: o.k, id, opts: { side: o.side, size: o.qty } };
    if (o.k === OpKind.move) return { k: o.k, id, opts: { price: o.price } };
    if (o.k === OpKind.replayModify) return { k: o.k, id, opts: { price: o.price, size: o.qty } };
    const tif = o.k === OpKind.ioc ? 'IOC' : 'GTC';
    return {
      k: o.k,
      id,
      opts: { id, side: o.side, size: o.qty, price: o.price, timeInForce: tif },
    };
  };
  const ops = stream.ops.map(toLob);
  const setup = stream.setup.map(toLob);
  let book = new LobBook();
  const run = (o: LobOp): IProcessOrder | undefined => {
    switch (o.k) {
      case OpKind.market:
        return book.market(o.opts as never);
      case OpKind.cancel:
      case OpKind.replayCancel:
        book.cancel(o.id);
        return undefined;
      case OpKind.move:
      case OpKind.replayModify:
        return book.modify(o.id, o.opts as never);
      default:
        return book.limit(o.opts as never);
    }
  };
  const fresh = (): void => {
    book = new LobBook();
    for (const o of setup) run(o);
  };
  const verify = (): Work => {
    fresh();
    let trades = 0;
    let volume = 0;
    for (const o of ops) {
      const r = run(o);
      if (r === undefined || r.err !== null) continue;
      const taker = o.k === OpKind.market ? undefined : o.id;
      const makers = r.done.filter((d) => d.id !== taker);
      trades += makers.length;
      volume += makers.reduce((sum, d) => sum + d.size, 0);
      if (r.partial !== null && r.partial.id !== taker && r.partialQuantityProcessed > 0) {
        trades++;
        volume += r.partialQuantityProcessed;
      }
    }
    return { trades, volume, ...lobBook(book) };
  };
  return { fresh, step: (i) => void run(ops[i] as LobOp), verify };
}

/** Resting count and checksum of a nodejs-order-book book, in our priority order. */
function lobBook(book: LobBook): { resting: number; checksum: number } {
  const snap = book.snapshot();
  const orders: { side: 'buy' | 'sell'; orderId: number; price: number; qty: number }[] = [];
  const bids = [...snap.bids].sort((a, b) => b.price - a.price);
  const asks = [...snap.asks].sort((a, b) => a.price - b.price);
  for (const level of [...bids, ...asks]) {
    for (const o of level.orders) {
      orders.push({
        side: o.side as 'buy' | 'sell',
        orderId: Number(o.id),
        price: o.price,
        qty: o.size,
      });
    }
  }
  return { resting: orders.length, checksum: restingChecksum(orders) };
}
