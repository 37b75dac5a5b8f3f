import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Principal } from '../../../src-main/operations/principal';
import { createUser } from '../../helpers/auth';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import { trader } from '../../helpers/exchange';
import { ALL_PERMISSIONS, FakeKraken } from '../../fakes/kraken/server';

/**
 * Broker fills from a real connector: Kraken's private WebSocket `executions` (its strict fake)
 * report each trade with its `exec_id` and fee; the fills are stored once (a dropped and
 * re-opened stream stores nothing again) and make a round trip attributed to its alerts.
 */

let backend: TestBackend;
let fake: FakeKraken;
let me: Principal;

const invoke = <T>(name: string, input: unknown, who: Principal = me) =>
  backend.invoke(name, input, who) as Promise<T>;

async function alert(token: string, body: Record<string, unknown>) {
  const res = await backend.http.inject({
    method: 'POST',
    url: `/hooks/tv/${token}`,
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  });
  expect(res.statusCode, res.body).toBeLessThan(300);
}

const stored = (accountId: string) =>
  backend.store.sqlite
    .prepare(
      'SELECT fill_id, side, qty, price, fee, fee_asset, currency, multiplier, client_order_id FROM broker_fills WHERE account_id = ? ORDER BY ts, fill_id',
    )
    .all(accountId) as Array<Record<string, string | null>>;

beforeEach(async () => {
  fake = await FakeKraken.start();
  backend = await startTestBackend();
  me = trader((await createUser(backend, 'trader')).userId);
});
afterEach(async () => {
  // The backend first: its session stops before the fake goes away.
  await backend.cleanup();
  await fake.close();
});

describe('Kraken fills', () => {
  it('are stored with their exec id and fee, once, and make a round trip', async () => {
    const key = fake.addKey(ALL_PERMISSIONS.filter((p) => p !== 'withdraw'));
    const { account, webhookToken } = await invoke<{
      account: { id: string };
      webhookToken: string;
    }>('accounts.create', {
      venue: 'kraken',
      name: 'Kraken spot',
      // The form's fields only (the public stream address is the fake's, for market data).
      settings: { baseUrl: fake.settings.baseUrl!, wsUrl: fake.settings.wsUrl!, tier: 'starter' },
      credentials: key,
    });
    // A limit buy of 0.001 BTC at 30000 rests; Kraken fills it: cost 30, fee 0.26 % = 0.078.
    await alert(webhookToken, {
      ticker: 'BTC/USD',
      action: 'buy',
      quantity: '0.001',
      orderType: 'limit',
      limitPrice: '30000',
    });
    const buy = [...fake.book.orders.values()][0]!;
    await fake.fill(buy.txid);
    await vi.waitFor(() => expect(stored(account.id)).toHaveLength(1), { interval: 5 });
    const [first] = stored(account.id);
    expect(first).toMatchObject({
      side: 'buy',
      qty: '0.001',
      price: '30000',
      fee: '0.078',
      fee_asset: 'USD',
      currency: 'USD',
      multiplier: '1',
    });
    expect(first!.fill_id).toMatch(/-FAKE-TRADE$/);
    expect(first!.client_order_id).toMatch(/^b[0-9a-f]{16}$/);

    // The stream drops; while it is down a limit sell at 31000 fills at once against the
    // fake's market price 60000 (cost 60, fee 0.156): no execution reaches Bourse over the
    // stream. The re-sync reads Kraken's trade history: the sell is stored, the buy not again.
    fake.dropStreams();
    await alert(webhookToken, {
      ticker: 'BTC/USD',
      action: 'sell',
      quantity: '0.001',
      orderType: 'limit',
      limitPrice: '31000',
    });
    // The session re-syncs by itself when the stream is back.
    await vi.waitFor(() => expect(stored(account.id)).toHaveLength(2), {
      interval: 5,
      timeout: 5_000,
    });
    const rows = stored(account.id);
    expect(rows[0]).toEqual(first);
    // From the history: Kraken's trade id; the client id found in the order journal.
    expect(rows[1]).toMatchObject({ side: 'sell', qty: '0.001', price: '60000', fee: '0.156' });

    // Gross 0.001 × (60000 − 30000) = 30; fees 0.078 + 0.156 = 0.234; net 29.766.
    const trades = await invoke<{ roundTrips: Array<Record<string, unknown>> }>(
      'analytics.trades',
      { accountId: account.id },
    );
    expect(trades.roundTrips).toEqual([
      expect.objectContaining({
        venue: 'kraken',
        market: 'BTC/USD',
        currency: 'USD',
        side: 'long',
        grossPnl: '30',
        fees: '0.234',
        netPnl: '29.766',
        source: 'alert:tv',
        closeSource: 'alert:tv',
      }),
    ]);
  });
});
