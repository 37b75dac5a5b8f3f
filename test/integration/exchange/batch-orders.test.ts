import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ORDER_BATCH_MAX } from '../../../src-shared/contract';
import { reconcile } from '../../../src-main/features/exchange/reconcile';
import { createApiKey, createOwner, signedHeaders } from '../../helpers/auth';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import {
  balances,
  exchangeOf,
  fund,
  limit,
  place,
  rejects,
  trader,
  type OrderOut,
} from '../../helpers/exchange';

let backend: TestBackend;
beforeEach(async () => {
  backend = await startTestBackend();
});
afterEach(async () => {
  await backend.cleanup();
});

type Result =
  | { ok: true; order: OrderOut & { price: string } }
  | { ok: false; code: string; message: string; details?: unknown };

async function placeBatch(userId: string, orders: object[]): Promise<Result[]> {
  const out = (await backend.invoke('orders.placeBatch', { orders }, trader(userId))) as {
    results: Result[];
  };
  return out.results;
}

const orderRows = () =>
  (backend.store.sqlite.prepare('SELECT count(*) AS n FROM orders').get() as { n: number }).n;

describe('orders.placeBatch', () => {
  it('places each order on its own, in the order given, and answers per order', async () => {
    await fund(backend, 'alice', 'USDT', '1000');
    await fund(backend, 'bob', 'BTC', '1');
    await place(backend, 'bob', limit('sell', '30000.00', '0.01'));
    const results = await placeBatch('alice', [
      limit('buy', '29000.00', '0.01', { clientOrderId: 'ladder-1' }),
      limit('buy', '29000.005', '0.01'), // off the tick
      limit('buy', '30000.00', '0.01'), // takes bob's ask
      limit('buy', '28000.00', '1'), // 28,000 USDT: more than alice has left
      { symbol: 'BTC/USDT', side: 'buy', type: 'market', price: '1.00', qty: '0.01' },
      limit('buy', '28500.00', '0.01', { postOnly: true }),
    ]);
    expect(results.map((r) => (r.ok ? r.order.status : r.code))).toEqual([
      'new',
      'tick_size',
      'filled',
      'insufficient_funds',
      'invalid_order',
      'new',
    ]);
    const [first, offTick] = results;
    expect(first).toMatchObject({
      ok: true,
      order: { clientOrderId: 'ladder-1', price: '29000.00' },
    });
    expect(offTick).toMatchObject({ ok: false, message: expect.stringContaining('price') });
    // Ids follow the order given (refused orders use an id too, as with orders.place).
    const placed = results.flatMap((r) => (r.ok ? [r.order.orderId] : []));
    expect(placed).toEqual([...placed].sort((a, b) => a - b));
    // 300 + 0.60 taker fee paid; 290 + 285 held, plus the 0.2 % taker fee each may pay.
    expect(await balances(backend, 'alice')).toEqual({
      USDT: { available: '123.250000', held: '576.150000' },
      BTC: { available: '0.01000000', held: '0.00000000' },
    });
    const ex = exchangeOf(backend);
    expect((await reconcile(backend.store.sqlite, ex.ledgerBalances())).problems).toEqual([]);
  });

  it('answers a retried batch with the original orders and places nothing twice', async () => {
    await fund(backend, 'alice', 'USDT', '10000');
    const orders = [
      limit('buy', '29000.00', '0.01', { clientOrderId: 'a' }),
      limit('buy', '28000.00', '0.01', { clientOrderId: 'b' }),
    ];
    const first = await placeBatch('alice', orders);
    const rows = orderRows();
    const again = await placeBatch('alice', [
      ...orders,
      limit('buy', '27000.00', '0.01', { clientOrderId: 'c' }),
    ]);
    expect(again.slice(0, 2)).toEqual(first);
    expect(again[2]).toMatchObject({ ok: true, order: { clientOrderId: 'c', status: 'new' } });
    expect(orderRows()).toBe(rows + 1);
  });

  it('refuses the whole call when one clientOrderId appears twice', async () => {
    await fund(backend, 'alice', 'USDT', '10000');
    const e = await rejects(
      placeBatch('alice', [
        limit('buy', '29000.00', '0.01', { clientOrderId: 'x' }),
        limit('buy', '28000.00', '0.01'),
        limit('buy', '27000.00', '0.01', { clientOrderId: 'x' }),
      ]),
      'duplicate_client_order_id',
    );
    expect(e.message).toBe(
      'orders[2] repeats the clientOrderId of orders[0] (x); nothing was placed',
    );
    expect(orderRows()).toBe(0);
  });

  it('validates the call against its schema: empty, too many, unknown fields', async () => {
    await rejects(placeBatch('alice', []), 'validation_failed');
    const many = Array.from({ length: ORDER_BATCH_MAX + 1 }, () =>
      limit('buy', '29000.00', '0.01'),
    );
    await rejects(placeBatch('alice', many), 'validation_failed');
    const e = await rejects(
      placeBatch('alice', [limit('buy', '29000.00', '0.01', { colour: 'red' })]),
      'validation_failed',
    );
    expect((e as { details?: unknown }).details).toEqual({
      fields: [{ field: 'orders.0.colour', message: 'unknown field' }],
    });
    expect(orderRows()).toBe(0);
  });

  it('commits the batch in one transaction: a failed commit leaves none of it', async () => {
    await fund(backend, 'alice', 'USDT', '10000');
    const ex = exchangeOf(backend);
    const before = ex.market('BTC/USDT').engine.snapshot();
    ex.injectCommitFailure();
    await rejects(
      placeBatch('alice', [limit('buy', '29000.00', '0.01'), limit('buy', '28000.00', '0.01')]),
      'unavailable',
    );
    expect(orderRows()).toBe(0);
    expect(ex.market('BTC/USDT').engine.snapshot()).toEqual(before);
    expect(await balances(backend, 'alice')).toEqual({
      USDT: { available: '10000.000000', held: '0.000000' },
    });
  });

  it('needs the trade permission, like orders.place', async () => {
    const reader = { ...trader('alice'), permissions: new Set(['orders.read'] as const) };
    await rejects(
      backend.invoke('orders.placeBatch', { orders: [limit('buy', '1.00', '0.01')] }, reader),
      'forbidden',
    );
  });

  it('works over REST for a bot with a signed API key, with problem+json errors', async () => {
    const owner = await createOwner(backend);
    const key = await createApiKey(backend, owner, { scopes: ['read', 'trade'] });
    await fund(backend, owner.userId, 'USDT', '1000');
    const url = '/api/v1/orders/placeBatch';
    const send = (orders: object[]) => {
      const payload = JSON.stringify({ orders });
      return backend.http.inject({
        method: 'POST',
        url,
        payload,
        headers: signedHeaders(key, 'POST', url, payload),
      });
    };
    const ok = await send([
      limit('buy', '29000.00', '0.01', { clientOrderId: 'bot-1' }),
      limit('buy', '29000.00', '5'),
    ]);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({
      results: [
        { ok: true, order: expect.objectContaining({ clientOrderId: 'bot-1', status: 'new' }) },
        {
          ok: false,
          code: 'insufficient_funds',
          message: expect.any(String),
          details: expect.any(Object),
        },
      ],
    });
    const repeated = await send([
      limit('buy', '29000.00', '0.01', { clientOrderId: 'bot-2' }),
      limit('buy', '29000.00', '0.01', { clientOrderId: 'bot-2' }),
    ]);
    expect(repeated.statusCode).toBe(400);
    expect(repeated.headers['content-type']).toContain('application/problem+json');
    expect(repeated.json()).toMatchObject({
      code: 'duplicate_client_order_id',
      details: { index: 1, firstIndex: 0, clientOrderId: 'bot-2' },
    });
    const doc = (await backend.http.inject({ method: 'GET', url: '/docs/json' })).json() as {
      paths: Record<string, { post?: { summary?: string } }>;
    };
    expect(doc.paths[url]?.post?.summary).toMatch(/^Place up to 100 orders/);
  });
});

describe('orders.cancelBatch', () => {
  async function cancelBatch(userId: string, orders: object[]): Promise<Result[]> {
    const out = (await backend.invoke('orders.cancelBatch', { orders }, trader(userId))) as {
      results: Result[];
    };
    return out.results;
  }

  it('cancels by id or client id, each on its own, and releases what they held', async () => {
    await fund(backend, 'alice', 'USDT', '10000');
    await fund(backend, 'bob', 'BTC', '1');
    const placed = await placeBatch('alice', [
      limit('buy', '29000.00', '0.01', { clientOrderId: 'q1' }),
      limit('buy', '28900.00', '0.01', { clientOrderId: 'q2' }),
      limit('buy', '28800.00', '0.01'),
    ]);
    const ids = placed.map((r) => (r.ok ? r.order.orderId : 0));
    const bobs = await place(backend, 'bob', limit('sell', '31000.00', '0.01'));
    const results = await cancelBatch('alice', [
      { clientOrderId: 'q1' },
      { orderId: ids[2] },
      { orderId: bobs.orderId }, // not hers
      { orderId: ids[2] }, // already cancelled above
      { clientOrderId: 'nope' },
    ]);
    expect(results.map((r) => (r.ok ? `${r.order.orderId} ${r.order.status}` : r.code))).toEqual([
      `${ids[0]} cancelled`,
      `${ids[2]} cancelled`,
      'unknown_order',
      'unknown_order',
      'unknown_order',
    ]);
    // Only q2 still holds: 289 + the 0.2 % taker fee it may pay.
    expect(await balances(backend, 'alice')).toEqual({
      USDT: { available: '9710.422000', held: '289.578000' },
    });
    expect((await place(backend, 'bob', limit('sell', '28900.00', '0.01'))).status).toBe('filled');
  });

  it('commits the cancellations together: a failed commit cancels none', async () => {
    await fund(backend, 'alice', 'USDT', '10000');
    const placed = await placeBatch('alice', [
      limit('buy', '29000.00', '0.01'),
      limit('buy', '28000.00', '0.01'),
    ]);
    const ex = exchangeOf(backend);
    ex.injectCommitFailure();
    await rejects(
      cancelBatch(
        'alice',
        placed.map((r) => ({ orderId: r.ok ? r.order.orderId : 0 })),
      ),
      'unavailable',
    );
    const open = (await backend.invoke('orders.list', { scope: 'open' }, trader('alice'))) as {
      items: unknown[];
    };
    expect(open.items).toHaveLength(2);
  });

  it('refuses an entry that names no order, and more than 100 entries', async () => {
    const e = await rejects(cancelBatch('alice', [{ orderId: 1 }, {}]), 'validation_failed');
    expect(e.message).toBe('orders[1] needs orderId or clientOrderId');
    await rejects(
      cancelBatch(
        'alice',
        Array.from({ length: ORDER_BATCH_MAX + 1 }, (_, i) => ({ orderId: i + 1 })),
      ),
      'validation_failed',
    );
  });
});
