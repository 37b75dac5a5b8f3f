import { ROLE_PERMISSIONS } from '../../../src-shared/contract';
import type { BotViewType } from '../../../src-shared/contract';
import type { Backend } from '../../../src-main/backend';
import type { Principal } from '../../../src-main/operations/principal';
import { ensureUser, fund, trader } from '../../helpers/exchange';

export const MIN = 60_000;
/** A minute boundary: bar n of the tests opens at T0 + n minutes. */
export const T0 = Date.UTC(2026, 0, 5, 9, 0);

/** A clock the tests step by hand (the backend reads it through `config.now`). */
export class Clock {
  constructor(public t: number) {}
  readonly now = () => this.t;
}

/** A trader as the role table makes one (automation.manage, backtest.custom included). */
export function user(userId: string): Principal {
  return { kind: 'user', userId, role: 'trader', permissions: new Set(ROLE_PERMISSIONS.trader) };
}

export const call = <T>(backend: Backend, who: Principal, name: string, input: unknown) =>
  backend.invoke(name, input, who) as Promise<T>;

/**
 * Stores closed 1-minute BTC/USDT bars (flat at their close) as the market-data feature keeps
 * them: prices in ticks of 0.01. `closes[i]` is the bar opening at T0 + (first + i) minutes.
 */
export function seedBars(backend: Backend, first: number, closes: readonly number[]): void {
  const insert = backend.store.sqlite.prepare(
    `INSERT OR REPLACE INTO market_candles (symbol, interval, open_time, open, high, low, close, volume, quote_volume, trades)
     VALUES ('BTC/USDT', '1m', ?, ?, ?, ?, ?, 100, ?, 1)`,
  );
  closes.forEach((c, i) => {
    const ticks = Math.round(c * 100);
    insert.run(T0 + (first + i) * MIN, ticks, ticks, ticks, ticks, String(ticks * 100));
  });
}

/** Quotes BTC/USDT from a market maker so paper market orders have a price. */
export async function quote(backend: Backend, bid: string, ask: string) {
  const maker = 'bots-maker';
  await fund(backend, maker, 'BTC', '100');
  await fund(backend, maker, 'USDT', '10000000');
  for (const [side, price] of [
    ['buy', bid],
    ['sell', ask],
  ] as const) {
    await backend.invoke(
      'orders.place',
      { symbol: 'BTC/USDT', side, type: 'limit', price, qty: '10' },
      trader(maker),
    );
  }
}

/** A paper account of `userId`. */
export async function paperAccount(backend: Backend, userId: string): Promise<string> {
  ensureUser(backend, userId);
  const r = await call<{ account: { id: string } }>(backend, user(userId), 'accounts.create', {
    venue: 'paper',
    name: `Paper ${userId}`,
  });
  return r.account.id;
}

/** ma-crossover on 2/3-bar SMAs: a cross up as soon as a close rises above flat bars. */
export const CROSSOVER = {
  strategyId: 'ma-crossover',
  params: { fast: 2, slow: 3 },
  symbol: 'BTC/USDT',
  interval: '1m',
  capital: '1000',
  warmupBars: 5,
} as const;

export type Bot = BotViewType;
