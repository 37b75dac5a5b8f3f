/**
 * Live smoke test of the Kraken Spot connector against the real api.kraken.com (NOT run in CI).
 *
 *   KRAKEN_API_KEY=… KRAKEN_API_SECRET=… npx tsx scripts/live/kraken.ts
 *
 * Optional: KRAKEN_OTP (2FA password on the key), KRAKEN_TIER (starter|intermediate|pro),
 * KRAKEN_PAIR (default BTC/USD), KRAKEN_BASE_URL / KRAKEN_WS_URL (another host, e.g. the fake), KRAKEN_LIVE_ORDER=1 to also place ONE real limit buy at half
 * the last price (the pair minimum size), amend it, and cancel it. Without KRAKEN_LIVE_ORDER
 * nothing is placed: the order check uses validate=true. Prints what it checked; no secrets.
 */
import type { KrakenConnector } from '../../src-main/connectors/kraken';
import { krakenDefinition } from '../../src-main/connectors/kraken';
import type { BrokerEvent } from '../../src-main/connectors/broker/port';
import { divDecimal, floorToStep } from '../../src-shared/decimal';

const env = (k: string): string | undefined => process.env[k] || undefined;
const step = (what: string, detail: unknown) =>
  console.log(`✓ ${what}${detail === undefined ? '' : `: ${JSON.stringify(detail)}`}`);

async function main(): Promise<void> {
  const apiKey = env('KRAKEN_API_KEY');
  const apiSecret = env('KRAKEN_API_SECRET');
  if (!apiKey || !apiSecret) {
    console.error('Set KRAKEN_API_KEY and KRAKEN_API_SECRET (and KRAKEN_OTP if the key has 2FA).');
    process.exit(2);
  }
  const c = krakenDefinition.create(
    {
      tier: env('KRAKEN_TIER') ?? 'starter',
      baseUrl: env('KRAKEN_BASE_URL') ?? '',
      wsUrl: env('KRAKEN_WS_URL') ?? '',
    },
    { apiKey, apiSecret, otp: env('KRAKEN_OTP') ?? '' },
    { now: Date.now, log: { warn: (o, m) => console.warn(m, o), info: () => undefined } },
  ) as KrakenConnector;
  const symbol = env('KRAKEN_PAIR') ?? 'BTC/USD';
  try {
    step('server time and skew', await c.serverTime());
    step('system status', await c.systemStatus());
    const report = await c.testConnection();
    step('connection test', { permissions: report.permissions, notes: report.notes });
    const list = await c.instruments();
    const i = list.find((x) => x.symbol === symbol || x.aliases?.includes(symbol));
    if (!i) throw new Error(`no instrument ${symbol} among ${list.length}`);
    step(`instruments (${list.length}); ${symbol}`, i);
    step(
      'balances (assets held)',
      (await c.balances()).map((b) => b.asset),
    );
    step('open orders', (await c.openOrders()).length);
    step('closed orders (first page)', (await c.closedOrders()).length);
    step('trades (first page)', (await c.trades()).length);
    const bars = await c.ohlc(symbol, 60);
    step('OHLC 1h bars', { count: bars.length, last: bars.at(-1) });

    const ticker = await c.rest.public<Record<string, { c: string[] }>>('Ticker', {
      pair: i.venueId,
    });
    const last = Object.values(ticker)[0]!.c[0]!;
    const far = floorToStep(divDecimal(last, '2', 12, 'floor')!, i.tickSize)!;
    const order = {
      clientOrderId: `smoke${Date.now().toString(36)}`,
      symbol,
      side: 'buy' as const,
      type: 'limit' as const,
      qty: i.minQty,
      price: far,
    };
    step('validate-only order (nothing placed)', await c.place({ ...order, validateOnly: true }));

    const events: BrokerEvent[] = [];
    const stop = c.subscribe((e) => events.push(e));
    await new Promise((r) => setTimeout(r, 5_000));
    step(
      'executions stream (5 s)',
      events.map((e) => (e.type === 'connection' ? `connection:${e.state}` : e.type)),
    );

    if (env('KRAKEN_LIVE_ORDER') === '1') {
      const placed = await c.place(order);
      step(`REAL limit buy at ${far} (half of ${last})`, placed.orderId);
      step('found by client id', await c.findOrder(order.clientOrderId));
      const lower = floorToStep(divDecimal(far, '1.01', 12, 'floor')!, i.tickSize)!;
      step('amended price', (await c.amend({ orderId: placed.orderId, price: lower })).price);
      step('dead-man switch armed (60 s)', await c.cancelAllOrdersAfter(60));
      await c.cancel(placed.orderId);
      step('cancelled', (await c.findOrder(order.clientOrderId))?.status);
      step('dead-man switch off', await c.cancelAllOrdersAfter(0));
    }
    stop();
  } finally {
    await c.close();
  }
}

main().catch((e: unknown) => {
  console.error('✗', e instanceof Error ? e.message : e);
  process.exit(1);
});
