/**
 * Live smoke check of the ProjectX / TopstepX connector against the real gateway. Not part
 * of CI. Read-only unless PROJECTX_PLACE=yes, which places ONE buy limit far below the
 * market (20 % under the last 1-minute close) and cancels it at once.
 *
 *   PROJECTX_USERNAME=… PROJECTX_API_KEY=… npx tsx scripts/live/projectx.ts
 *
 * Optional: PROJECTX_ACCOUNT_ID, PROJECTX_SYMBOL (default MNQ), PROJECTX_BASE_URL,
 * PROJECTX_HUB_URL, PROJECTX_LIVE_DATA=true, PROJECTX_PLACE=yes. See docs/brokers/projectx.md.
 */
import { divDecimal, mulDecimal } from '../../src-shared/decimal';
import type { BrokerEvent } from '../../src-main/connectors/broker/port';
import { projectxDefinition, type ProjectxConnector } from '../../src-main/connectors/projectx';

const env = process.env;
let failures = 0;

async function check<T>(label: string, run: () => Promise<T>, show: (v: T) => string) {
  try {
    const v = await run();
    console.log(`ok   ${label}: ${show(v)}`);
    return v;
  } catch (e) {
    failures++;
    console.log(`FAIL ${label}: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
}

async function streamCheck(c: ProjectxConnector): Promise<string> {
  const events: BrokerEvent[] = [];
  const stop = c.subscribe((e) => events.push(e));
  try {
    const end = Date.now() + 15_000;
    while (Date.now() < end) {
      if (events.some((e) => e.type === 'connection' && e.state === 'up')) {
        return 'user hub connected and subscribed (accounts, orders, positions, trades)';
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no 'up' within 15 s: ${JSON.stringify(events)}`);
  } finally {
    stop();
  }
}

async function placeAndCancel(c: ProjectxConnector, symbol: string, tick: string) {
  const [bar] = (
    await c.bars({
      symbol,
      startMs: Date.now() - 3 * 86_400_000,
      endMs: Date.now(),
      unit: 2,
      unitNumber: 1,
      limit: 1,
    })
  ).slice(-1);
  if (!bar) throw new Error('no recent bar to price a far order from');
  const far = mulDecimal(divDecimal(mulDecimal(bar.close, '0.8'), tick, 0, 'floor')!, tick);
  const clientOrderId = `bourse-smoke-${Date.now().toString(36)}`;
  const placed = await c.place({
    clientOrderId,
    symbol,
    side: 'buy',
    type: 'limit',
    qty: '1',
    price: far,
  });
  const found = await c.findOrder(clientOrderId);
  if (found?.orderId !== placed.orderId)
    throw new Error('findOrder did not find the order by customTag');
  await c.cancel(placed.orderId);
  const after = await c.findOrder(clientOrderId);
  return `placed ${placed.orderId} at ${far} (last close ${bar.close}), found by customTag, cancelled (now ${after?.status ?? 'not found'})`;
}

async function main() {
  if (!env.PROJECTX_USERNAME || !env.PROJECTX_API_KEY) {
    console.error('Set PROJECTX_USERNAME and PROJECTX_API_KEY (see docs/brokers/projectx.md).');
    process.exit(2);
  }
  const settings: Record<string, string> = { userName: env.PROJECTX_USERNAME };
  if (env.PROJECTX_ACCOUNT_ID) settings.accountId = env.PROJECTX_ACCOUNT_ID;
  if (env.PROJECTX_BASE_URL) settings.baseUrl = env.PROJECTX_BASE_URL;
  if (env.PROJECTX_HUB_URL) settings.hubUrl = env.PROJECTX_HUB_URL;
  if (env.PROJECTX_LIVE_DATA) settings.liveData = env.PROJECTX_LIVE_DATA;
  const symbol = env.PROJECTX_SYMBOL ?? 'MNQ';
  const c = projectxDefinition.create(
    settings,
    { apiKey: env.PROJECTX_API_KEY },
    { now: Date.now, log: { warn: (o, m) => console.log('warn', m, o), info: () => undefined } },
  ) as ProjectxConnector;
  try {
    await check(
      'login and account',
      () => c.testConnection(),
      (r) =>
        `${r.account.name} (${r.account.id}), trade ${r.permissions.trade}, skew ${r.skewMs} ms, ${r.notes.join('; ')}`,
    );
    const list = await check(
      'contracts',
      () => c.instruments(),
      (l) => `${l.length} active`,
    );
    const inst = list?.find((i) => i.symbol === symbol);
    await check(
      `contract ${symbol}`,
      async () => inst ?? Promise.reject(new Error('not listed')),
      (i) =>
        `${i.venueId}, tick ${i.tickSize}, tick value ${String(i.tickValue)}, aliases ${(i.aliases ?? []).join(' ')}`,
    );
    await check(
      'balance',
      () => c.balances(),
      (b) => b.map((x) => `${x.total} ${x.asset}`).join(', '),
    );
    await check(
      'positions',
      () => c.positions(),
      (p) => `${p.length} open`,
    );
    await check(
      'open orders',
      () => c.openOrders(),
      (o) => `${o.length} open`,
    );
    const midnight = new Date().setUTCHours(0, 0, 0, 0);
    await check(
      'realised P&L today (net of fees)',
      () => c.dayPnl(midnight),
      (v) => `${v} USD`,
    );
    await check(
      'user hub',
      () => streamCheck(c),
      (s) => s,
    );
    if (env.PROJECTX_PLACE === 'yes' && inst) {
      await check(
        'far limit order',
        () => placeAndCancel(c, symbol, inst.tickSize),
        (s) => s,
      );
    } else {
      console.log('skip far limit order (set PROJECTX_PLACE=yes to place and cancel one)');
    }
  } finally {
    await c.close();
  }
  console.log(failures ? `${failures} check(s) failed` : 'all checks passed');
  process.exit(failures ? 1 : 0);
}

void main();
