import type { Command } from './commands';
import type { EngineEvent } from './events';
import type { ResultCode } from './result-codes';
import type { BookSnapshot, DepthLevel, OpenOrder } from './snapshot';
import type { MarketStatus, Side } from './types';

/** What a command produced: its result code and a copy of its events in order. */
export interface CommandResult {
  code: ResultCode;
  events: EngineEvent[];
}

/** A resting order to load without matching (replay of a feed, or recovery). */
export interface RestingOrderInput {
  orderId: number;
  userId: string;
  side: Side;
  price: number;
  qty: number;
  clientOrderId?: string;
  filledQty?: number;
  postOnly?: boolean;
  stp?: OpenOrder['stp'];
}

/** A fill read back from the journal on recovery. */
export interface FillInput {
  tradeId: number;
  orderId: number;
  /** Trade price in ticks; becomes the last trade price. */
  price: number;
  qty: number;
}

/**
 * The command interface both books implement: the fast {@link OrderBook} and the naive
 * {@link ReferenceBook} oracle. One market per instance; single-threaded; deterministic.
 */
export interface MatchingEngine {
  /** Events of the last `execute`, in order. Reused: copy it before the next command. */
  readonly events: EngineEvent[];
  /** Applies one command; its events are in `events`. */
  execute(cmd: Command): ResultCode;
  /** `execute`, returning a copy of the events. */
  run(cmd: Command): CommandResult;
  /** The open order (resting or stop) of this user with this client order id. */
  findByClientId(userId: string, clientOrderId: string): OpenOrder | undefined;
  /** The open order (resting or stop) with this id. */
  getOrder(orderId: number): OpenOrder | undefined;
  /** Reference price of the band for a market order of this side arriving now (0: none). */
  marketReference(side: Side): number;
  /** Best bid / best ask price in ticks, 0 when that side is empty. */
  bestBid(): number;
  bestAsk(): number;
  /** The first `levels` levels of a side, best first. */
  depth(side: Side, levels: number): DepthLevel[];
  /** Last trade price in ticks, 0 when nothing has traded. */
  readonly lastPrice: number;
  readonly status: MarketStatus;
  /** Resting orders in priority order plus stops and counters (see {@link BookSnapshot}). */
  snapshot(): BookSnapshot;
  /** {@link restingChecksum} of the resting book. */
  checksum(): number;
  /** Internal-consistency problems; empty when sound. Crossed books pass with allowCrossed. */
  checkInvariants(opts?: { allowCrossed?: boolean }): string[];
  /** Replay/recovery: inserts at the back of its level, never matches, emits nothing. */
  restOrder(order: RestingOrderInput): ResultCode;
  /** Replay: sets price and open qty with CME priority rules (decrease keeps the place). */
  modifyResting(orderId: number, price: number, qty: number): ResultCode;
  /** Replay: takes qty lots off a resting order, removing it at 0. */
  reduceResting(orderId: number, qty: number): ResultCode;
  /** Recovery: applies a journaled fill once; a tradeId at or below the last is refused. */
  applyFill(fill: FillInput): ResultCode;
  /** Removes every open order (feed `R` / clear), emits nothing. */
  clear(): void;
}
