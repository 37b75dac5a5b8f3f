import type { Permission } from '../../src-shared/contract';
import type { Backend } from '../../src-main/backend';
import type { Principal } from '../../src-main/operations/principal';
import type { ExchangeService } from '../../src-main/features/exchange/service';

const TRADER: Permission[] = ['orders.trade', 'orders.read', 'wallet.read', 'market.read'];
const ADMIN: Permission[] = [
  ...TRADER,
  'admin.markets',
  'admin.ledger',
  'admin.system',
  'audit.read',
];

/** A signed-in trader principal (no identity round trip needed for exchange tests). */
export function trader(userId: string): Principal {
  return { kind: 'user', userId, role: 'trader', permissions: new Set(TRADER) };
}

export function admin(userId = 'admin'): Principal {
  return { kind: 'user', userId, role: 'admin', permissions: new Set(ADMIN) };
}

/** A market beyond the default set (its SOL asset must be created first), for admin tests. */
export const SOL_USDT = {
  symbol: 'SOL/USDT',
  base: 'SOL',
  quote: 'USDT',
  tickSize: '0.01',
  lotSize: '0.01',
  minQty: '0.01',
  minNotional: '1',
  makerFeePpm: 500,
  takerFeePpm: 1000,
  status: 'trading',
  priceBandBps: 1000,
} as const;

export function exchangeOf(backend: Backend): ExchangeService {
  return backend.features.exchange;
}

/**
 * Makes sure a users row exists for an id: funding refuses unknown owners, and exchange tests
 * name their traders (`alice`, `bob`) without an identity round trip. The row cannot sign in
 * (its password hash is not a hash); call it before anything looks the id up.
 */
export function ensureUser(backend: Backend, userId: string): void {
  backend.store.sqlite
    .prepare(
      `INSERT OR IGNORE INTO users (id, email, password_hash, role, ts_created, ts_password_changed)
       VALUES (?, ?, '!', 'trader', 0, 0)`,
    )
    .run(userId, `${userId}@fixture.invalid`);
}

/** Credits a user's available balance through the admin operation (creating the user row). */
export async function fund(backend: Backend, userId: string, asset: string, amount: string) {
  ensureUser(backend, userId);
  return backend.invoke(
    'admin.ledger.fund',
    { userId, asset, amount, direction: 'credit', reason: 'test funding' },
    admin(),
  );
}

/** A BTC/USDT limit order's input (`extra` adds options such as clientOrderId or tif). */
export const limit = (side: 'buy' | 'sell', price: string, qty: string, extra: object = {}) => ({
  symbol: 'BTC/USDT',
  side,
  type: 'limit',
  price,
  qty,
  ...extra,
});

export interface OrderOut {
  orderId: number;
  status: string;
  filledQty: string;
  openQty: string;
  held: string;
  fees: string;
  filledQuote: string;
  clientOrderId: string | null;
}

export async function place(backend: Backend, userId: string, input: Record<string, unknown>) {
  return (await backend.invoke('orders.place', input, trader(userId))) as OrderOut;
}

/**
 * The last price of BTC/USDT moved to `price` by a trade between two funded users of their
 * own: carol sells dave 0.1 BTC there (`fundTape` gives them what many such trades need).
 */
export async function tradeAt(backend: Backend, price: string): Promise<void> {
  await place(backend, 'carol', limit('sell', price, '0.1'));
  await place(backend, 'dave', limit('buy', price, '0.1', { tif: 'IOC' }));
}

/** Funds carol and dave for `tradeAt`, and makes the first trade at `price`. */
export async function fundTape(backend: Backend, price = '100.00'): Promise<void> {
  await fund(backend, 'carol', 'BTC', '10');
  await fund(backend, 'dave', 'USDT', '100000');
  await tradeAt(backend, price);
}

export async function balances(backend: Backend, userId: string) {
  const out = (await backend.invoke('balances.get', {}, trader(userId))) as {
    items: Array<{ asset: string; available: string; held: string }>;
  };
  return Object.fromEntries(
    out.items.map((b) => [b.asset, { available: b.available, held: b.held }]),
  );
}

/** Whether the ledger reconciles (balances, holds and postings agree): admin.ledger.reconcile. */
export async function reconciled(backend: Backend): Promise<boolean> {
  const report = (await backend.invoke('admin.ledger.reconcile', {}, admin())) as { ok: boolean };
  return report.ok;
}

/** Expects a rejection with this code; returns the error. */
export async function rejects(promise: Promise<unknown>, code: string) {
  try {
    await promise;
  } catch (error) {
    const e = error as { code?: string; message?: string };
    if (e.code !== code) throw new Error(`expected ${code}, got ${e.code}: ${e.message}`);
    return e;
  }
  throw new Error(`expected ${code}, but it succeeded`);
}

/**
 * A maker funded to quote BTC/USDT, quoting `bid` / `ask` (10 BTC each): the price the paper
 * broker trades at in the screens' tests.
 */
export async function makerQuotesBtc(backend: Backend, maker: string, bid: string, ask: string) {
  await fund(backend, maker, 'BTC', '100');
  await fund(backend, maker, 'USDT', '10000000');
  await quoteAs(backend, maker, 'BTC/USDT', bid, ask, '10');
}

/**
 * Replaces `maker`'s quotes on a market with one bid and one ask of `qty` (a price for paper
 * fills and market orders), and waits for them to be written.
 */
export async function quoteAs(
  backend: Backend,
  maker: string,
  symbol: string,
  bid: string,
  ask: string,
  qty: string,
): Promise<void> {
  await backend.invoke('orders.cancelAll', { symbol }, trader(maker));
  for (const [side, price] of [
    ['buy', bid],
    ['sell', ask],
  ] as const) {
    await backend.invoke(
      'orders.place',
      { symbol, side, type: 'limit', price, qty },
      trader(maker),
    );
  }
  await exchangeOf(backend).flush();
}
