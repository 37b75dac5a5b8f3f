/**
 * What every facade route handler works with: the request's parameters, the caller, the
 * catalogue, and the parameter readers Binance's endpoints share (limits, time windows, ids,
 * symbol lists) with Binance's error codes for each.
 */
import type { OperationInput, OperationName, OperationOutput } from '../../../src-shared/contract';
import type { Principal } from '../../operations/principal';
import type { SymbolMap } from './mapping';
import { BinanceError, type Market } from './mapping';
import type { PlacedState } from './order-count';

export type Params = Record<string, string>;
export type Order = OperationOutput<'orders.get'>;

export interface Call {
  params: Params;
  now: number;
  principal: Principal;
  /** `rateLimits` as exchangeInfo publishes them. */
  rateLimits: Array<Record<string, unknown>>;
  invoke: <N extends OperationName>(name: N, input: object) => Promise<OperationOutput<N>>;
  symbols: () => Promise<SymbolMap>;
  /** The request's `symbol` and its market (-1121 when it names none). */
  market: () => Promise<{ symbol: string; market: Market }>;
  /** The caller's unfilled order count (`order-count.ts`). */
  orderCount: {
    /** What a placement placed: counted, and answered in the order count headers. */
    placed: (orders: ReadonlyArray<{ orderId: number; state: PlacedState }>) => void;
    /** `GET rateLimit/order`'s answer. */
    usage: () => Array<Record<string, unknown>>;
  };
}

export type Handler = (c: Call) => Promise<unknown>;

export interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  signed: boolean;
  /** Binance's request weight for these parameters (its spot API documentation). */
  weight: number | ((p: Params) => number);
  /**
   * How many orders a successful call places (an OCO two): checked against the unfilled
   * order count before the handler runs.
   */
  places?: number;
  handler: Handler;
}

export function limitOf(p: Params, fallback: number, max: number): number {
  if (p.limit === undefined) return fallback;
  const n = Number(p.limit);
  if (!Number.isInteger(n) || n < 1)
    throw new BinanceError(-1100, "Illegal characters found in parameter 'limit'.");
  return Math.min(n, max);
}

/** A positive integer id parameter (`fromId`, `orderId`), or undefined when not sent. */
export function idParam(p: Params, name: string): number | undefined {
  const v = p[name];
  if (v === undefined) return undefined;
  if (!/^[0-9]{1,16}$/.test(v) || !Number.isSafeInteger(Number(v))) {
    throw new BinanceError(-1100, `Illegal characters found in parameter '${name}'.`);
  }
  return Number(v);
}

/** `startTime`/`endTime` (Unix ms) as the catalogue's inclusive `from`/`to`. */
export function timeWindow(p: Params): { from?: number; to?: number } {
  const from = idParam(p, 'startTime');
  const to = idParam(p, 'endTime');
  return { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) };
}

/**
 * A list parameter as Binance writes it: a JSON array of strings (`["BTCUSDT","ETHBTC"]`), or
 * undefined when not sent.
 */
export function listParam(p: Params, name: string): string[] | undefined {
  const raw = p[name];
  if (raw === undefined) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    v = undefined;
  }
  if (!Array.isArray(v) || v.length === 0 || !v.every((x) => typeof x === 'string')) {
    throw new BinanceError(-1100, `Illegal characters found in parameter '${name}'.`);
  }
  return v as string[];
}

/**
 * The markets a request names: `symbol` (one), `symbols` (a JSON list), or neither (every
 * market). Naming both is refused, as on Binance.
 */
export function namedSymbols(p: Params): { one: string } | { list: string[] } | null {
  const list = listParam(p, 'symbols');
  if (p.symbol !== undefined && list) {
    throw new BinanceError(-1128, 'Combination of optional parameters invalid.');
  }
  if (p.symbol !== undefined) return { one: p.symbol };
  return list ? { list } : null;
}

/**
 * The tickers' rule: with `symbol`, that market's answer (an object); with `symbols` or
 * without either, an array (every market for the latter).
 */
export async function oneOrEach<T>(
  c: Call,
  map: SymbolMap,
  answer: (symbol: string) => T | Promise<T>,
): Promise<T | T[]> {
  const named = namedSymbols(c.params);
  if (named && 'one' in named) return answer(named.one);
  const list = named ? named.list : map.all().map(([s]) => s);
  for (const s of list) map.market(s); // an unknown name refuses the whole request (-1121)
  return Promise.all(list.map((s) => answer(s)));
}

/** The list operations the facade pages through, and what each lists. */
interface PagedItems {
  'orders.list': Order;
  'trades.list': OperationOutput<'trades.list'>['items'][number];
}

/**
 * Pages through a cursor-paged list operation (500 per call), keeping the items `keep`
 * accepts, until `max` are kept or the list ends.
 */
export async function scan<N extends keyof PagedItems>(
  c: Call,
  name: N,
  input: Omit<OperationInput<N>, 'cursor' | 'limit'>,
  max: number,
  keep: (item: PagedItems[N]) => boolean = () => true,
): Promise<Array<PagedItems[N]>> {
  const out: Array<PagedItems[N]> = [];
  let cursor: string | undefined;
  do {
    const page = (await c.invoke(name, {
      ...input,
      limit: 500,
      ...(cursor ? { cursor } : {}),
    })) as { items: Array<PagedItems[N]>; nextCursor?: string };
    for (const item of page.items) if (keep(item)) out.push(item);
    cursor = page.nextCursor;
  } while (cursor && out.length < max);
  return out.slice(0, max);
}

/**
 * A listing read as Binance's allOrders and myTrades answer: with `startTime`, the first
 * `limit` rows from it; otherwise the latest `limit` (up to `endTime`). Oldest first either way.
 */
export async function oldestFirstInWindow<N extends 'orders.list' | 'trades.list'>(
  c: Call,
  name: N,
  input: Omit<OperationInput<N>, 'cursor' | 'limit' | 'from' | 'to' | 'order'>,
): Promise<Array<PagedItems[N]>> {
  const window = timeWindow(c.params);
  const fromStart = window.from !== undefined;
  const rows = await scan(
    c,
    name,
    { ...input, ...window, order: fromStart ? 'asc' : 'desc' } as Omit<
      OperationInput<N>,
      'cursor' | 'limit'
    >,
    limitOf(c.params, 500, 1000),
  );
  return fromStart ? rows : rows.reverse();
}
