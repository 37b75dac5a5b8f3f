/**
 * The exchange's one public face. Every other feature and every connector takes an
 * `ExchangeApi` (a type-only import of this file) and nothing else of the exchange: the
 * books, the ledger and the open orders stay private to `features/exchange`, and commands
 * are typed values, never closures over the exchange's state.
 *
 * Reads are synchronous and see the state as the command queue left it; commands resolve
 * once their batch is committed (group commit), so an answer means the effects are on disk.
 */
import type { CompactionOptions, CompactionReport } from './history';
import type { AppError, OperationInput, OperationOutput } from '../../../src-shared/contract';
import type { EngineEvent, OrderBook } from '../../domain/exchange';
import type { JournalEntry } from '../../domain/ledger';
import type { Asset, MarketSpec } from '../../domain/markets';
import type { OrderState } from './types';

/** An order as `orders.place` takes it: the operation's TypeBox input. */
export type PlaceInput = OperationInput<'orders.place'>;

/** An order as the API answers it: the contract's order view (decimal strings). */
export type OrderView = OperationOutput<'orders.place'>;

/** Names an open order of a user by its id or by the client order id it was placed with. */
export type OrderRef = OperationInput<'orders.cancel'>;

/** A one-cancels-the-other pair as `orders.placeOco` takes it. */
export type PlaceOcoInput = OperationInput<'orders.placeOco'>;

/** The ids an OCO placement made: the list and its two legs (the limit leg first). */
export interface PlacedList {
  orderListId: number;
  limitOrderId: number;
  stopOrderId: number;
}

/** What a cancel-all ends: the user's own request or the dead-man switch firing. */
export type CancelAllReason = 'user' | 'dead_man_switch';

/** The read-only part of a market's book (no command can be sent through it). */
export type BookReader = Pick<
  OrderBook,
  'lastPrice' | 'status' | 'bestBid' | 'bestAsk' | 'depth' | 'levelQty' | 'getOrder' | 'config'
>;

/** One market as a reader sees it: its compiled rules, its book, its last seq and trade id. */
export interface MarketReading {
  readonly spec: MarketSpec;
  readonly engine: BookReader;
  readonly lastSeq: number;
  readonly lastTradeId: number;
}

/** What an owner holds of one asset, in its minor units: free and reserved by open orders. */
export interface Holding {
  available: bigint;
  held: bigint;
}

/**
 * An open order as readers see it (engine integers: ticks and lots). The exchange's own
 * record, typed read-only and not copied: read it now, do not keep it across commands.
 */
export type OpenOrderReading = Readonly<
  Pick<
    OrderState,
    | 'id'
    | 'userId'
    | 'symbol'
    | 'clientOrderId'
    | 'side'
    | 'kind'
    | 'price'
    | 'stopPrice'
    | 'openQty'
    | 'filledQty'
    | 'status'
    | 'waiting'
    | 'trail'
  >
>;

/** Listener for the engine events of a committed batch (market data builds on it). */
export type EngineEventsListener = (symbol: string, events: readonly EngineEvent[]) => void;

/** One command of a {@link ExchangeApi.batch}. */
export type ExchangeCommand =
  | { type: 'place'; userId: string; order: PlaceInput }
  | { type: 'cancel'; userId: string; orderId: number }
  | { type: 'cancel_all'; userId: string; symbol: string };

/**
 * How one command of a batch ended: the id of the order placed or cancelled, for a
 * cancel-all how many orders it ended, or the refusal. A refused command changed nothing;
 * the others of the batch still ran.
 */
export type CommandOutcome =
  { ok: true; orderId: number } | { ok: true; cancelled: number } | { ok: false; error: AppError };

/**
 * A ledger change run inside the command queue, for features that keep their own books on
 * top of the exchange's ledger (the paper broker, the simulator's funding). Reads made
 * through the API while it runs see the same state the change applies to.
 */
export interface LedgerTx {
  // Valid only while the change runs: the queue reuses it for the next batch.
  /** The batch's time (every entry and row of the batch carries it). */
  readonly ts: number;
  /** Applies a balanced journal entry (refused with an AppError when it does not fit). */
  record(entry: JournalEntry): number;
  /** A write of the caller's own tables, committed in the same transaction as the entries. */
  alsoWrite(write: () => void): void;
}

/**
 * Money another feature keeps on users' held balances besides open orders (a withdrawal's
 * hold): reconciliation adds it to what open orders reserve before comparing with `held`.
 * Read from the database at the moment of the check, so it matches the stored balances.
 */
export type HoldSource = () => Iterable<{ owner: string; asset: string; remaining: bigint }>;

/** The exchange as other features use it. */
export interface ExchangeApi {
  /** Every market's symbol, in listing order. */
  symbols(): string[];
  hasMarket(symbol: string): boolean;
  /** A market's rules (throws `unknown_market`). */
  spec(symbol: string): MarketSpec;
  /** A market's rules and a read-only view of its book (throws `unknown_market`). */
  market(symbol: string): MarketReading;
  asset(code: string): Asset | undefined;
  /** What `owner` holds of `asset` now. */
  holdings(owner: string, asset: string): Holding;
  /** Open orders, of one user and optionally one market. */
  openOrders(filter: { userId: string; symbol?: string }): OpenOrderReading[];
  /** Subscribes to the engine events of each committed batch; returns the unsubscribe. */
  onEngineEvents(listener: EngineEventsListener): () => void;
  /** Declares holds kept outside open orders, so reconciliation counts them (see HoldSource). */
  addHoldSource(source: HoldSource): void;
  /**
   * Adds a reason demo top-ups must stop (answered as the refusal's message), or null while
   * they may go on: real money coming in must never mix with play money.
   */
  addDemoFundsGate(gate: () => string | null): void;

  /**
   * Places an order as `orders.place` does (the same checks, holds, fills and fees). A
   * repeated clientOrderId answers with the open order it named.
   */
  place(userId: string, input: PlaceInput): Promise<OrderView>;
  /**
   * Places a one-cancels-the-other pair as `orders.placeOco` does (both legs or neither); a
   * repeated listClientOrderId answers with the list it named.
   */
  placeOco(userId: string, input: PlaceOcoInput): Promise<PlacedList>;
  /** Cancels one open order of the user. */
  cancel(userId: string, ref: OrderRef): Promise<OrderView>;
  /** Cancels every open order of the user on a market; resolves with how many ended. */
  cancelAll(userId: string, symbol: string, reason?: CancelAllReason): Promise<number>;
  /** Runs the commands in order in ONE commit; each is refused or done on its own. */
  batch(commands: readonly ExchangeCommand[]): Promise<CommandOutcome[]>;
  /** Runs a ledger change in the queue; resolves with its result once committed. */
  post<T>(change: (tx: LedgerTx) => T): Promise<T>;
  /**
   * Compacts the history of one family of system accounts (the simulator's) older than
   * `before`, through the queue; balances do not change (history.ts says how).
   */
  compactSystemHistory(opts: CompactionOptions): Promise<CompactionReport>;
}
