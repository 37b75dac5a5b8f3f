import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Principal } from '../../../src-main/operations/principal';
import { createUser } from '../../helpers/auth';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import { exchangeOf, fund, rejects, trader } from '../../helpers/exchange';

/**
 * Trailing stops on the paper broker: a stop entry whose trigger follows the quote it would
 * execute against (a sell's bid, a buy's ask), started now or at an activation price, and a
 * trailing stop-loss on a position; from the ticket's API and from TradersPost alerts.
 */

let backend: TestBackend;
let me: Principal;
const MAKER = 'paper-trail-maker';

interface Order {
  id: number;
  status: string;
  price: string;
  trailPercent: string | null;
  trailAmount: string | null;
  trailTracking: boolean;
  stopLossTrailPercent: string | null;
  stopLossTrailAmount: string | null;
}
interface Position {
  side: string;
  qty: string;
  stopLoss: string | null;
  trailPercent: string | null;
  trailAmount: string | null;
}
interface Fill {
  reason: string;
  side: string;
  price: string;
}

const invoke = <T>(name: string, input: unknown, who: Principal = me) =>
  backend.invoke(name, input, who) as Promise<T>;

/** The maker's resting bid and ask on BTC/USDT (order ids and prices). */
let book: { bid: { id: string; price: string }; ask: { id: string; price: string } } | null = null;

/**
 * Moves the maker's quotes on BTC/USDT to one bid and one ask, never leaving a side empty
 * (an empty side falls back to the other, and trailing stops follow every quote they see):
 * moving down, the bid is replaced first, then the ask; moving up, the other way round.
 */
async function quote(bid: string, ask: string) {
  const place = async (side: 'buy' | 'sell', price: string) => {
    const r = await invoke<{ orderId: string }>(
      'orders.place',
      { symbol: 'BTC/USDT', side, type: 'limit', price, qty: '20' },
      trader(MAKER),
    );
    return { id: r.orderId, price };
  };
  const cancel = (o: { id: string }) =>
    invoke('orders.cancel', { symbol: 'BTC/USDT', orderId: o.id }, trader(MAKER));
  if (!book) {
    book = { bid: await place('buy', bid), ask: await place('sell', ask) };
  } else if (Number(bid) < Number(book.bid.price)) {
    const b = await place('buy', bid);
    await cancel(book.bid);
    const a = await place('sell', ask);
    await cancel(book.ask);
    book = { bid: b, ask: a };
  } else {
    const a = await place('sell', ask);
    await cancel(book.ask);
    const b = await place('buy', bid);
    await cancel(book.bid);
    book = { bid: b, ask: a };
  }
  await exchangeOf(backend).flush();
}

const exact = { spreadPpm: 0, slippagePpmPer10k: 0, commissionPpm: 0 };
const createPaper = async () =>
  (
    await invoke<{ account: { id: string }; webhookToken: string }>('accounts.create', {
      venue: 'paper',
      name: 'Paper',
      paperConfig: exact,
    })
  ).account.id;
const orders = async (id: string) =>
  (await invoke<{ items: Order[] }>('accounts.orders', { id })).items;
const positions = async (id: string) =>
  (await invoke<{ items: Position[] }>('accounts.positions', { id })).items;
const fills = async (id: string) =>
  (await invoke<{ items: Fill[] }>('accounts.fills', { id })).items;

/** A paper account that takes alerts, and a poster of JSON bodies to its webhook. */
async function alertAccount() {
  const { webhookToken, account } = await invoke<{
    account: { id: string };
    webhookToken: string;
  }>('accounts.create', { venue: 'paper', name: 'Alerts', paperConfig: exact });
  const post = (body: Record<string, unknown>) =>
    backend.http.inject({
      method: 'POST',
      url: `/hooks/tv/${webhookToken}`,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });
  return { id: account.id, post };
}

beforeEach(async () => {
  book = null;
  backend = await startTestBackend();
  me = trader((await createUser(backend, 'trader')).userId);
  await fund(backend, MAKER, 'BTC', '1000');
  await fund(backend, MAKER, 'USDT', '100000000');
  await quote('29990.00', '30000.00');
});
afterEach(async () => {
  await backend.cleanup();
});

describe('paper trailing stops', () => {
  it('a sell trailing stop follows the bid up, never down, and sells when the bid falls back', async () => {
    const id = await createPaper();
    const placed = await invoke<{ order: Order }>('accounts.placeOrder', {
      id,
      symbol: 'BTC/USDT',
      side: 'sell',
      type: 'stop',
      qty: '0.2',
      trailPercent: '1',
    });
    // 1 % under the bid of 29,990, on the 0.01 tick.
    expect(placed.order).toMatchObject({
      price: '29690.10',
      trailPercent: '1',
      trailTracking: true,
      status: 'open',
    });

    await quote('30990.00', '31000.00');
    await vi.waitFor(async () => expect((await orders(id))[0]!.price).toBe('30680.10'));
    await quote('30800.00', '30810.00'); // lower, above the stop: it stays
    expect((await orders(id))[0]!.price).toBe('30680.10');

    await quote('30600.00', '30610.00');
    await vi.waitFor(async () =>
      expect(await positions(id)).toMatchObject([{ side: 'short', qty: '0.20000000' }]),
    );
    expect((await fills(id))[0]).toMatchObject({ reason: 'stop', side: 'sell', price: '30600.00' });
    expect((await orders(id))[0]!.status).toBe('filled');
  });

  it('with a start price it waits, starts trailing there, then triggers on the way back', async () => {
    const id = await createPaper();
    await invoke('accounts.placeOrder', {
      id,
      symbol: 'BTC/USDT',
      side: 'sell',
      type: 'stop',
      qty: '0.1',
      price: '29500',
      trailPercent: '1',
    });
    expect((await orders(id))[0]).toMatchObject({ price: '29500.00', trailTracking: false });

    // The bid reaches 29,500: it activates, trailing 1 % under the bid there (not a fill).
    await quote('29400.00', '29410.00');
    await vi.waitFor(async () =>
      expect((await orders(id))[0]).toMatchObject({ price: '29106.00', trailTracking: true }),
    );
    expect(await positions(id)).toEqual([]);
    await quote('29800.00', '29810.00');
    await vi.waitFor(async () => expect((await orders(id))[0]!.price).toBe('29502.00'));
    await quote('29450.00', '29460.00');
    await vi.waitFor(async () => expect(await positions(id)).toHaveLength(1));
    expect((await fills(id))[0]).toMatchObject({ reason: 'stop', price: '29450.00' });
  });

  it('a buy trailing stop follows the ask down', async () => {
    const id = await createPaper();
    await invoke('accounts.placeOrder', {
      id,
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'stop',
      qty: '0.1',
      trailPercent: '0.5',
    });
    expect((await orders(id))[0]!.price).toBe('30150.00'); // 30,000 × 1.005
    await quote('28990.00', '29000.00');
    await vi.waitFor(async () => expect((await orders(id))[0]!.price).toBe('29145.00'));
    await quote('29140.00', '29150.00');
    await vi.waitFor(async () =>
      expect(await positions(id)).toMatchObject([{ side: 'long', qty: '0.10000000' }]),
    );
  });

  it('a trailing stop-loss follows a long position up and closes it on the way back', async () => {
    const id = await createPaper();
    const opened = await invoke<{ position: Position }>('accounts.placeOrder', {
      id,
      symbol: 'BTC/USDT',
      side: 'buy',
      qty: '0.5',
      stopLossTrailPercent: '0.5',
      takeProfit: '35000',
    });
    // 0.5 % under the bid of 29,990 (floored to the tick).
    expect(opened.position).toMatchObject({ stopLoss: '29840.05', trailPercent: '0.5' });
    await quote('30490.00', '30500.00');
    await vi.waitFor(async () => expect((await positions(id))[0]!.stopLoss).toBe('30337.55'));
    await quote('30400.00', '30410.00');
    expect((await positions(id))[0]!.stopLoss).toBe('30337.55');
    await quote('30300.00', '30310.00');
    await vi.waitFor(async () => expect(await positions(id)).toEqual([]));
    expect((await fills(id))[0]).toMatchObject({ reason: 'stop_loss', price: '30300.00' });
  });

  it('setting a different stop-loss fixes it; the same one, or none, keeps it trailing', async () => {
    const id = await createPaper();
    await invoke('accounts.placeOrder', {
      id,
      symbol: 'BTC/USDT',
      side: 'buy',
      qty: '0.5',
      stopLossTrailPercent: '1',
    });
    const sl = (await positions(id))[0]!.stopLoss!;
    const kept = await invoke<Position>('accounts.modifyPosition', {
      id,
      symbol: 'BTC/USDT',
      stopLoss: sl,
      takeProfit: '32000',
    });
    expect(kept).toMatchObject({ stopLoss: sl, trailPercent: '1' });
    const untouched = await invoke<Position>('accounts.modifyPosition', {
      id,
      symbol: 'BTC/USDT',
      takeProfit: '32500',
    });
    expect(untouched).toMatchObject({ stopLoss: sl, trailPercent: '1', takeProfit: '32500.00' });
    const fixed = await invoke<Position>('accounts.modifyPosition', {
      id,
      symbol: 'BTC/USDT',
      stopLoss: '29000',
      takeProfit: '32000',
    });
    expect(fixed).toMatchObject({ stopLoss: '29000.00', trailPercent: null });
    // Absent keeps: a take-profit alone leaves the stop-loss as it is.
    const tpOnly = await invoke<Position>('accounts.modifyPosition', {
      id,
      symbol: 'BTC/USDT',
      takeProfit: '33000',
    });
    expect(tpOnly).toMatchObject({ stopLoss: '29000.00' });
    await quote('30990.00', '31000.00');
    await quote('30980.00', '30990.00');
    expect((await positions(id))[0]!.stopLoss).toBe('29000.00');
  });

  it.each([
    [
      'percent',
      { stopLossTrailPercent: '2' },
      { stopLossTrailPercent: '2' },
      { trailPercent: '2', stopLoss: '29184.40' },
    ],
    [
      'amount',
      { stopLossTrailAmount: '400' },
      { stopLossTrailAmount: '400.00' },
      { trailAmount: '400.00', stopLoss: '29380.00' },
    ],
  ] as const)(
    'a limit order carries a trailing stop-loss (by %s) to the position it opens',
    async (_unit, trail, shown, position) => {
      const id = await createPaper();
      const placed = await invoke<{ order: Order }>('accounts.placeOrder', {
        id,
        symbol: 'BTC/USDT',
        side: 'buy',
        type: 'limit',
        price: '29800',
        qty: '0.3',
        ...trail,
      });
      expect(placed.order).toMatchObject({ ...shown, trailPercent: null, trailAmount: null });
      await quote('29780.00', '29790.00');
      await vi.waitFor(async () => expect(await positions(id)).toMatchObject([position]));
    },
  );

  it('refuses what it cannot do, placing nothing', async () => {
    const id = await createPaper();
    const base = { id, symbol: 'BTC/USDT', side: 'sell', qty: '0.1' };
    for (const [extra, field] of [
      [{ type: 'limit', price: '31000', trailPercent: '1' }, 'type'],
      [{ type: 'stop', trailPercent: '0.001' }, 'trailPercent'],
      [{ type: 'stop', trailPercent: '50.5' }, 'trailPercent'],
      [{ stopLoss: '31000', stopLossTrailPercent: '1' }, 'stopLossTrailPercent'],
    ] as const) {
      const e = (await rejects(
        invoke('accounts.placeOrder', { ...base, ...extra }),
        'validation_failed',
      )) as { details?: { field?: string } };
      expect(e.details?.field, JSON.stringify(extra)).toBe(field);
    }
    // Not a positive decimal string: the schema refuses it before anything is read.
    for (const extra of [
      { type: 'stop', trailPercent: 'abc' },
      { type: 'stop', trailPercent: 1 },
      { type: 'stop', trailPercent: '-1' },
      { stopLossTrailPercent: '1e1' },
      { stopLossTrailPercent: null },
    ]) {
      await rejects(invoke('accounts.placeOrder', { ...base, ...extra }), 'validation_failed');
    }
    await rejects(
      invoke('accounts.modifyPosition', { id, symbol: 'BTC/USDT', stopLoss: 'abc' }),
      'validation_failed',
    );
    expect(await orders(id)).toEqual([]);
    expect(await positions(id)).toEqual([]);
  });
});

describe('paper trailing stops by an amount in price units', () => {
  it('a sell trailing stop keeps the same distance behind the bid, then sells on the way back', async () => {
    const id = await createPaper();
    const placed = await invoke<{ order: Order }>('accounts.placeOrder', {
      id,
      symbol: 'BTC/USDT',
      side: 'sell',
      type: 'stop',
      qty: '0.2',
      trailAmount: '250.5',
    });
    // 250.50 under the bid of 29,990.00.
    expect(placed.order).toMatchObject({
      price: '29739.50',
      trailAmount: '250.50',
      trailPercent: null,
      trailTracking: true,
    });
    // The same 250.50 under a bid 1,000 higher (a percent would have grown with the price).
    await quote('30990.00', '31000.00');
    await vi.waitFor(async () => expect((await orders(id))[0]!.price).toBe('30739.50'));
    await quote('30800.00', '30810.00');
    expect((await orders(id))[0]!.price).toBe('30739.50');
    await quote('30700.00', '30710.00');
    await vi.waitFor(async () =>
      expect((await fills(id))[0]).toMatchObject({ reason: 'stop', side: 'sell' }),
    );
  });

  it('a buy trailing stop with a start price waits for it, then follows the ask down', async () => {
    const id = await createPaper();
    await invoke('accounts.placeOrder', {
      id,
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'stop',
      qty: '0.1',
      price: '30500',
      trailAmount: '100',
    });
    expect((await orders(id))[0]).toMatchObject({ price: '30500.00', trailTracking: false });
    await quote('30490.00', '30500.00'); // the ask reaches 30,500: it tracks 100 above it
    await vi.waitFor(async () =>
      expect((await orders(id))[0]).toMatchObject({ price: '30600.00', trailTracking: true }),
    );
    await quote('30190.00', '30200.00');
    await vi.waitFor(async () => expect((await orders(id))[0]!.price).toBe('30300.00'));
    expect((await orders(id))[0]!.status).toBe('open');
  });

  it('a trailing stop-loss by amount follows a long up, keeps trailing through a modify, and closes it', async () => {
    const id = await createPaper();
    const opened = await invoke<{ position: Position }>('accounts.placeOrder', {
      id,
      symbol: 'BTC/USDT',
      side: 'buy',
      qty: '0.5',
      stopLossTrailAmount: '300',
    });
    expect(opened.position).toMatchObject({
      stopLoss: '29690.00',
      trailAmount: '300.00',
      trailPercent: null,
    });
    await quote('30490.00', '30500.00');
    await vi.waitFor(async () => expect((await positions(id))[0]!.stopLoss).toBe('30190.00'));
    // A take-profit alone keeps it trailing by the same amount.
    const kept = await invoke<Position>('accounts.modifyPosition', {
      id,
      symbol: 'BTC/USDT',
      takeProfit: '35000',
    });
    expect(kept).toMatchObject({ stopLoss: '30190.00', trailAmount: '300.00' });
    await quote('30180.00', '30190.00');
    await vi.waitFor(async () => expect(await positions(id)).toEqual([]));
    expect((await fills(id))[0]).toMatchObject({ reason: 'stop_loss' });
  });

  it('refuses what it cannot do, naming the field, placing nothing', async () => {
    const id = await createPaper();
    const base = { id, symbol: 'BTC/USDT', side: 'sell', qty: '0.1' };
    for (const [extra, field] of [
      [{ type: 'limit', price: '31000', trailAmount: '100' }, 'type'],
      [{ type: 'stop', trailAmount: '100', trailPercent: '1' }, 'trailAmount'],
      [{ type: 'stop', trailAmount: '0.001' }, 'trailAmount'],
      [{ type: 'stop', trailAmount: '29990' }, 'trailAmount'],
      [{ stopLoss: '31000', stopLossTrailAmount: '100' }, 'stopLossTrailAmount'],
      [{ stopLossTrailAmount: '100', stopLossTrailPercent: '1' }, 'stopLossTrailAmount'],
    ] as const) {
      const e = (await rejects(
        invoke('accounts.placeOrder', { ...base, ...extra }),
        'validation_failed',
      )) as { details?: { field?: string } };
      expect(e.details?.field, JSON.stringify(extra)).toBe(field);
    }
    // A long's stop-loss as far below the bid as the bid itself could never trigger.
    const e = (await rejects(
      invoke('accounts.placeOrder', { ...base, side: 'buy', stopLossTrailAmount: '30000' }),
      'validation_failed',
    )) as { message: string; details?: { field?: string } };
    expect(e.message).toContain('would never trigger');
    expect(e.details?.field).toBe('stopLossTrailAmount');
    // Nor a sell stop waiting for a start price at or below its distance.
    const waiting = (await rejects(
      invoke('accounts.placeOrder', { ...base, type: 'stop', price: '500', trailAmount: '500' }),
      'validation_failed',
    )) as { message: string; details?: { field?: string } };
    expect(waiting.message).toContain('would never trigger');
    expect(waiting.details?.field).toBe('trailAmount');
    for (const extra of [
      { type: 'stop', trailAmount: '-1' },
      { type: 'stop', trailAmount: 5 },
    ]) {
      await rejects(invoke('accounts.placeOrder', { ...base, ...extra }), 'validation_failed');
    }
    expect(await orders(id)).toEqual([]);
    expect(await positions(id)).toEqual([]); // A distance above half the bid, tracking from now, still starts above zero: placed.
    await invoke('accounts.placeOrder', { ...base, type: 'stop', trailAmount: '20000' });
    expect(await orders(id)).toMatchObject([{ price: '9990.00', trailAmount: '20000.00' }]);
  });

  it.each([
    ['percent', { trailPercent: 1.5 }, '29540.15', { trailPercent: 2 }, '29390.20'],
    ['amount', { trailAmount: 150 }, '29840.00', { trailAmount: 75.25 }, '29914.75'],
  ] as const)(
    'takes TradersPost trailing alerts by %s: a trailing stop entry and a trailing stop-loss',
    async (_unit, distance, stopAt, stopLossDistance, stopLossAt) => {
      const { id, post } = await alertAccount();
      const stop = await post({
        ticker: 'BTCUSDT',
        action: 'sell',
        orderType: 'trailing_stop',
        quantity: 0.1,
        ...distance,
      });
      expect(stop.statusCode, stop.body).toBe(200);
      expect((await orders(id))[0]).toMatchObject({ trailTracking: true, price: stopAt });
      const entry = await post({
        ticker: 'BTCUSDT',
        action: 'buy',
        quantity: 0.2,
        stopLoss: { type: 'trailing_stop', ...stopLossDistance },
      });
      expect(entry.statusCode, entry.body).toBe(200);
      expect(await positions(id)).toMatchObject([{ side: 'long', stopLoss: stopLossAt }]);
    },
  );

  it('refuses an alert amount finer than the prices; reads unify.v1 trailing and cancelOrders', async () => {
    const { id, post } = await alertAccount();
    const fine = await post({
      ticker: 'BTCUSDT',
      action: 'sell',
      orderType: 'trailing_stop',
      trailAmount: 0.001,
      quantity: 0.1,
    });
    expect(fine.statusCode, fine.body).toBe(400);
    expect(fine.body).toContain('trailAmount');
    // Bourse's own unify.v1 intent, and an exit that cancels the waiting orders.
    const unify = (intent: Record<string, unknown>) =>
      post({ version: 'unify.v1', intent: { symbol: 'BTC/USDT', ...intent } });
    await post({ ticker: 'BTCUSDT', action: 'buy', quantity: 0.2 });
    const u = await unify({ side: 'sell', qty: '0.1', trailAmount: '90' });
    expect(u.statusCode, u.body).toBe(200);
    expect(await orders(id)).toMatchObject([{ trailAmount: '90.00', price: '29900.00' }]);
    const exit = await unify({ action: 'exit', cancelOrders: true });
    expect(exit.statusCode, exit.body).toBe(200);
    expect(await positions(id)).toEqual([]);
    expect((await orders(id)).map((o) => o.status)).toEqual(['cancelled']);
  });
});
