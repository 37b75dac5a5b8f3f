import type { Backend } from '../../../src-main/backend';
import type { Principal } from '../../../src-main/operations/principal';
import type { Permission } from '../../../src-shared/contract';
import { formatDecimal } from '../../../src-main/domain/money';
import { exchangeOf, fund, trader } from '../../helpers/exchange';

export interface TradingSetup {
  userId: string;
  accountId: string;
  accountName: string;
  token: string;
  /** A second account of the same user (emergency stop covers every account). */
  secondAccountId: string;
  secondToken: string;
  paperAccountId?: string;
  paperToken?: string;
  /** A limit price far from the market (rests, never fills). */
  farBelow: string;
  /** Decimal text as the venue reports quantities. */
  normalize(qty: string): string;
  /** The user's BTC holding on the local-exchange account. */
  baseBalance(): Promise<string>;
  /** What `baseBalance` is after buying `qty` from the start. */
  afterBuy(qty: string): string;
}

const MAKER = 'market-maker';

/** Resting liquidity on BTC/USDT from another user, so market orders fill. */
async function provideLiquidity(backend: Backend, depth: string) {
  await fund(backend, MAKER, 'BTC', String(Number(depth) * 2));
  await fund(backend, MAKER, 'USDT', '100000000');
  for (const [side, price] of [
    ['sell', '30000.00'],
    ['buy', '29900.00'],
  ] as const) {
    await backend.invoke(
      'orders.place',
      { symbol: 'BTC/USDT', side, type: 'limit', price, qty: depth },
      trader(MAKER),
    );
  }
}

/**
 * A funded trading setup for automation tests: liquidity on BTC/USDT and the user's accounts
 * (two on the local exchange, optionally one on the paper broker) with their webhook tokens.
 */
export async function setUpTrading(
  backend: Backend,
  userId: string,
  opts: { paper?: boolean; depth?: string; base?: string } = {},
): Promise<TradingSetup> {
  await provideLiquidity(backend, opts.depth ?? '10');
  await fund(backend, userId, 'USDT', '1000000');
  if (opts.base) await fund(backend, userId, 'BTC', opts.base);
  // The real accounts service: accounts created through the catalogue, tokens as issued.
  const create = async (input: Record<string, unknown>) =>
    (await backend.invoke('accounts.create', input, trader(userId))) as {
      account: { id: string; name: string };
      webhookToken: string;
    };
  const spot = await create({ venue: 'local', name: 'Spot' });
  const second = await create({ venue: 'local', name: 'Spot 2' });
  const paper = opts.paper ? await create({ venue: 'paper', name: 'Paper' }) : null;
  const balance = async () => {
    const h = exchangeOf(backend).holdings(userId, 'BTC');
    const units = h.available + h.held;
    return formatDecimal(units, 8);
  };
  return {
    userId,
    accountId: spot.account.id,
    accountName: spot.account.name,
    token: spot.webhookToken,
    secondAccountId: second.account.id,
    secondToken: second.webhookToken,
    ...(paper ? { paperAccountId: paper.account.id, paperToken: paper.webhookToken } : {}),
    farBelow: '28000.00',
    normalize: (q) => pad(q, 4),
    baseBalance: balance,
    afterBuy: (q) => pad(q, 8),
  };
}

/** `0.01` → `0.0100` (decimal text at a fixed scale, no floats). */
function pad(q: string, scale: number): string {
  const [w = '0', f = ''] = q.split('.');
  return `${w}.${f.padEnd(scale, '0')}`;
}

/** Open orders of the setup's user on the exchange. */
export async function openOrders(backend: Backend, t: TradingSetup): Promise<number> {
  return exchangeOf(backend).openOrders({ userId: t.userId }).length;
}

/** The setup's user as a trader principal holding these permissions (automation tests' `me`). */
export function traderWith(userId: string, permissions: readonly Permission[]): Principal {
  return { kind: 'user', userId, role: 'trader', permissions: new Set(permissions) };
}
