/**
 * Live smoke test of the TradeLocker connector against the real service (not part of CI).
 *
 *   TL_EMAIL=… TL_PASSWORD=… TL_SERVER=KOT-DEMO [TL_ENV=demo] [TL_ACCOUNT_ID=…] \
 *   [TL_SYMBOL=EURUSD] [TL_PLACE_ORDER=1] npx tsx scripts/live/tradelocker.ts
 *
 * Read-only by default: login, account, clock skew, instruments with their rules, a quote,
 * balances, positions, open orders and three polls of the stream. With TL_PLACE_ORDER=1 it
 * also places a minimum-size buy limit at half the bid (far from the market), finds it by its
 * client id, and cancels it. On a live account that needs TL_ALLOW_LIVE_ORDER=yes as well.
 * Nothing secret is printed.
 */
import {
  tradelockerDefinition,
  type TradelockerConnector,
} from '../../src-main/connectors/tradelocker';
import type { BrokerEvent } from '../../src-main/connectors/broker/port';
import { floorToStep, mulDecimal } from '../../src-shared/decimal';

function env(name: string, fallback?: string): string {
  const v = process.env[name] ?? fallback;
  if (v === undefined || v === '') {
    console.error(`missing ${name}; see docs/brokers/tradelocker.md`);
    process.exit(2);
  }
  return v;
}

async function check<T>(label: string, run: () => Promise<T>, show: (v: T) => string): Promise<T> {
  const started = Date.now();
  try {
    const v = await run();
    console.log(`ok   ${label} (${Date.now() - started} ms): ${show(v)}`);
    return v;
  } catch (e) {
    console.log(`FAIL ${label}: ${e instanceof Error ? e.message : String(e)}`);
    throw e;
  }
}

async function main(): Promise<void> {
  const environment = env('TL_ENV', 'demo');
  const symbol = env('TL_SYMBOL', 'EURUSD');
  const settings: Record<string, string> = {
    email: env('TL_EMAIL'),
    server: env('TL_SERVER'),
    environment,
    ...(process.env.TL_ACCOUNT_ID ? { accountId: process.env.TL_ACCOUNT_ID } : {}),
    ...(process.env.TL_BASE_URL ? { baseUrl: process.env.TL_BASE_URL } : {}),
  };
  const c = tradelockerDefinition.create(
    settings,
    { password: env('TL_PASSWORD') },
    {
      now: Date.now,
    },
  ) as TradelockerConnector;
  try {
    await check(
      'login and account',
      () => c.testConnection(),
      (r) =>
        `${r.account.id} "${r.account.name}" ${r.account.currency ?? ''}, trade=${r.permissions.trade}, skew ${r.skewMs} ms; ${r.notes.join('; ')}`,
    );
    const list = await check(
      'instruments',
      () => c.instruments(),
      (l) => `${l.length} instruments`,
    );
    const inst = list.find((i) => i.symbol === symbol);
    if (!inst) throw new Error(`${symbol} is not in this account's instruments`);
    console.log(`     ${symbol}: ${JSON.stringify(inst)}`);
    const quote = await check(
      'quote (INFO route)',
      () => c.quote(symbol),
      (q) => `bid ${q.bid} ask ${q.ask}`,
    );
    await check(
      'balances',
      () => c.balances(),
      (b) => JSON.stringify(b),
    );
    await check(
      'positions',
      () => c.positions(),
      (p) => `${p.length} open`,
    );
    await check(
      'open orders',
      () => c.openOrders(),
      (o) => `${o.length} working`,
    );
    await check(
      'stream (3 polls)',
      () => pollThrice(c),
      (n) => `${n} events, connection up`,
    );

    if (process.env.TL_PLACE_ORDER !== '1') {
      console.log(
        'skip order test (set TL_PLACE_ORDER=1 to place and cancel a far-from-market order)',
      );
      return;
    }
    if (environment === 'live' && process.env.TL_ALLOW_LIVE_ORDER !== 'yes') {
      console.log('skip order test on a live account (set TL_ALLOW_LIVE_ORDER=yes to allow it)');
      return;
    }
    const price = floorToStep(mulDecimal(quote.bid ?? '0', '0.5'), inst.tickSize);
    if (!price || price === '0') throw new Error('no usable bid to price the test order');
    const clientOrderId = `bourse-smoke-${Date.now().toString(36)}`;
    const placed = await check(
      `place buy limit ${inst.minQty} @ ${price}`,
      () => c.place({ clientOrderId, symbol, side: 'buy', type: 'limit', qty: inst.minQty, price }),
      (o) => `order ${o.orderId} ${o.status}`,
    );
    await check(
      'find by client id (strategyId)',
      () => c.findOrder(clientOrderId),
      (o) => (o ? `order ${o.orderId} ${o.status} price ${o.price}` : 'NOT FOUND'),
    );
    await check(
      'cancel',
      () => c.cancel(placed.orderId),
      () => 'cancelled',
    );
    await check(
      'status after cancel',
      () => c.findOrder(clientOrderId),
      (o) => `${o?.status ?? 'not found'}`,
    );
  } finally {
    await c.close();
  }
}

function pollThrice(c: TradelockerConnector): Promise<number> {
  return new Promise((resolve, reject) => {
    const events: BrokerEvent[] = [];
    const stop = c.subscribe((e) => {
      events.push(e);
      if (e.type === 'connection' && e.state === 'down') {
        stop();
        reject(new Error(`stream down: ${e.reason ?? ''}`));
      }
    });
    setTimeout(() => {
      stop();
      resolve(events.length);
    }, 3_500);
  });
}

main().catch(() => process.exit(1));
