import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../../src-main/operations/principal';
import { createUser } from '../../helpers/auth';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import { trader } from '../../helpers/exchange';
import { MemoryBroker } from '../../fakes/memory-broker';

/**
 * Broker fills in the analytics: each fill the venue's stream reports is stored once (a
 * replay, a reconnect and a fill without an id included), becomes round trips valued with the
 * instrument's multiplier, and is attributed to the alert whose order it filled.
 */

/** Fills reported in a turn are stored together at its end (one commit per turn). */
const fillsStored = () => new Promise<void>((resolve) => setImmediate(resolve));

let backend: TestBackend;
let broker: MemoryBroker;
let me: Principal;
// 2026-12-06 10:00 UTC; the clock moves only when a test moves it.
let clock = Date.UTC(2026, 11, 6, 10);

const invoke = <T>(name: string, input: unknown, who: Principal = me) =>
  backend.invoke(name, input, who) as Promise<T>;

const alert = async (token: string, body: Record<string, unknown>) => {
  const res = await backend.http.inject({
    method: 'POST',
    url: `/hooks/tv/${token}`,
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  });
  expect(res.statusCode, res.body).toBeLessThan(300);
};

const stored = (accountId: string) =>
  backend.store.sqlite
    .prepare(
      'SELECT fill_id, currency, multiplier, client_order_id FROM broker_fills WHERE account_id = ? ORDER BY ts, fill_id',
    )
    .all(accountId) as Array<{
    fill_id: string;
    currency: string;
    multiplier: string;
    client_order_id: string | null;
  }>;

beforeEach(async () => {
  clock = Date.UTC(2026, 11, 6, 10);
  broker = new MemoryBroker();
  broker.clock = () => clock;
  backend = await startTestBackend({ now: () => clock }, { extraBrokers: [broker.definition()] });
  me = trader((await createUser(backend, 'trader')).userId);
});
afterEach(async () => {
  await backend.cleanup();
});

async function brokerAccount() {
  const created = await invoke<{ account: { id: string }; webhookToken: string }>(
    'accounts.create',
    {
      venue: 'memory',
      name: 'Futures',
      baseCurrency: 'USD',
      settings: { server: 'DEMO-1' },
      credentials: { apiKey: 'good' },
    },
  );
  await invoke('brokers.state', { id: created.account.id }); // the session is up
  return { id: created.account.id, token: created.webhookToken };
}

describe('broker fills', () => {
  it('are stored once and become round trips in the account currency', async () => {
    const { id, token } = await brokerAccount();
    // An alert buys 2 MNQ at market: the broker fills it at 21000.25 (fee 0.5 USD).
    await alert(token, { ticker: 'MNQ', action: 'buy', quantity: '2' });
    const entry = broker.fills[0]!;
    expect(entry).toMatchObject({ symbol: 'MNQ', side: 'buy', qty: '2', price: '21000.25' });

    // An hour later the user sells them by hand at the broker, at 21010.25.
    clock += 3_600_000;
    const exit = broker.fill(
      {
        ...broker.orders.get(entry.orderId)!,
        orderId: 'HAND-1',
        clientOrderId: null,
        side: 'sell',
      },
      '2',
      '21010.25',
    );
    broker.net('MNQ', 'sell', '2', '21010.25');
    // The stream drops and comes back (a re-sync), and replays both fills.
    broker.emit({ type: 'connection', state: 'down', reason: 'test' });
    broker.emit({ type: 'connection', state: 'up' });
    broker.emit({ type: 'fill', fill: entry });
    broker.emit({ type: 'fill', fill: exit });
    await fillsStored();

    const rows = stored(id);
    // MNQ: tick value 0.5 USD per 0.25 tick, so 2 USD per point per contract.
    expect(rows).toEqual([
      { fill_id: 'F1', currency: 'USD', multiplier: '2', client_order_id: entry.clientOrderId },
      { fill_id: 'F2', currency: 'USD', multiplier: '2', client_order_id: null },
    ]);
    const notes = await invoke<{ items: Array<{ kind: string }> }>('notifications.list', {});
    expect(notes.items.filter((n) => n.kind === 'brokers.fill')).toHaveLength(2);

    // Gross (21010.25 − 21000.25) × 2 contracts × 2 USD = 40; fees 0.5 + 0.5 = 1; net 39.
    const trades = await invoke<{
      roundTrips: Array<Record<string, unknown>>;
      currencies: Array<{ currency: string; overall: { trades: number; netPnl: string } }>;
    }>('analytics.trades', { accountId: id });
    expect(trades.roundTrips).toEqual([
      expect.objectContaining({
        accountId: id,
        venue: 'memory',
        market: 'MNQ',
        currency: 'USD',
        side: 'long',
        qty: '2',
        entryPrice: '21000.25',
        exitPrice: '21010.25',
        grossPnl: '40',
        fees: '1',
        netPnl: '39',
        source: expect.stringMatching(/^alert:/),
        closeSource: 'manual',
      }),
    ]);
    expect(trades.currencies).toEqual([
      expect.objectContaining({
        currency: 'USD',
        overall: expect.objectContaining({ trades: 1, netPnl: '39' }),
      }),
    ]);

    const summary = await invoke<{ accounts: Array<Record<string, unknown>> }>(
      'analytics.summary',
      {},
    );
    expect(summary.accounts).toEqual([
      expect.objectContaining({
        accountId: id,
        currency: 'USD',
        realisedPeriod: '39',
        feesPeriod: '1',
        tradesPeriod: 1,
        openPositions: 0,
        coverage: 'fills',
      }),
    ]);

    const statement = await invoke<{ body: string }>('reports.pnl', {
      from: 0,
      to: clock,
      format: 'json',
    });
    const json = JSON.parse(statement.body) as { accounts: Array<Record<string, unknown>> };
    expect(json.accounts).toEqual([
      expect.objectContaining({ accountId: id, market: '', grossPnl: '40', netPnl: '39' }),
    ]);

    const equity = await invoke<{ accounts: Array<Record<string, unknown>> }>('analytics.equity', {
      interval: '1d',
      from: clock - 86_400_000,
      to: clock,
    });
    expect(equity.accounts).toEqual([
      expect.objectContaining({ accountId: id, currency: 'USD', startingEquity: null }),
    ]);
  });

  it('without a venue fill id: a deterministic key, so a replay is not counted twice', async () => {
    const { id } = await brokerAccount();
    const order = {
      orderId: 'V-9',
      clientOrderId: null,
      symbol: 'EURUSD',
      side: 'buy' as const,
      type: 'market' as const,
      qty: '1000',
      filledQty: '1000',
      price: null,
      stopPrice: null,
      avgPrice: '1.1',
      status: 'filled' as const,
    };
    broker.nextFillId = () => '';
    const f = broker.fill(order, '1000', '1.1');
    broker.emit({ type: 'fill', fill: f }); // replayed as is
    broker.fill(order, '500', '1.1'); // another execution of the order: a different key
    await fillsStored();
    const rows = stored(id);
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => /^derived:[0-9a-f]{32}$/.test(r.fill_id))).toBe(true);
    // EURUSD names no quote asset at this broker: valued in the account's currency at 1.
    expect(rows[0]).toMatchObject({ currency: 'USD', multiplier: '1' });
  });

  it('another user sees none of them', async () => {
    const { id, token } = await brokerAccount();
    await alert(token, { ticker: 'MNQ', action: 'buy', quantity: '1' });
    expect(stored(id)).toHaveLength(1);
    const bob = trader((await createUser(backend, 'trader')).userId);
    const summary = await invoke<{ accounts: unknown[] }>('analytics.summary', {}, bob);
    expect(summary.accounts).toEqual([]);
    await expect(invoke('analytics.trades', { accountId: id }, bob)).rejects.toMatchObject({
      code: 'not_found',
    });
  });
});
