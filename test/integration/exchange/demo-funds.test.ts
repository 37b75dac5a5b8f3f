import { afterEach, describe, expect, it } from 'vitest';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import { createUser } from '../../helpers/auth';
import { admin, balances, fund, place, rejects, trader } from '../../helpers/exchange';

let backend: TestBackend | undefined;
afterEach(async () => {
  await backend?.cleanup();
  backend = undefined;
});

interface TopUp {
  credited: Array<{ asset: string; amount: string }>;
  items: Array<{ asset: string; available: string; held: string }>;
}
const topUp = (b: TestBackend, userId: string) =>
  b.invoke('balances.demoTopUp', {}, trader(userId)) as Promise<TopUp>;

async function reconciles(b: TestBackend) {
  const r = (await b.invoke('admin.ledger.reconcile', {}, admin())) as { ok: boolean };
  expect(r.ok).toBe(true);
}

describe('demo funds', () => {
  it('tops a new user up to the allowance once, as funding entries that say so', async () => {
    backend = await startTestBackend();
    const first = await topUp(backend, 'newbie');
    expect(first.credited).toEqual([
      { asset: 'USDT', amount: '10000.000000' },
      { asset: 'BTC', amount: '0.15000000' },
      { asset: 'ETH', amount: '3.00000000' },
      { asset: 'EUR', amount: '10000.00' },
      { asset: 'USD', amount: '10000.00' },
    ]);
    expect(first.items).toContainEqual({
      asset: 'USDT',
      available: '10000.000000',
      held: '0.000000',
    });
    expect(await balances(backend, 'newbie')).toMatchObject({
      BTC: { available: '0.15000000', held: '0.00000000' },
    });
    // Already at the allowance: nothing more.
    expect((await topUp(backend, 'newbie')).credited).toEqual([]);
    const entries = (await backend.invoke('ledger.entries', {}, trader('newbie'))) as {
      items: Array<{ kind: string; reason: string | null }>;
    };
    expect(entries.items).toHaveLength(5);
    expect(entries.items.every((e) => e.kind === 'funding' && e.reason === 'demo funds')).toBe(
      true,
    );
    // One audit event for the top-up that credited something, none for the empty one.
    const trail = (await backend.invoke(
      'admin.audit.list',
      { action: 'ledger.demoTopUp' },
      admin(),
    )) as { items: Array<{ actor: string; target: string; details: { credited: unknown[] } }> };
    expect(trail.items).toHaveLength(1);
    expect(trail.items[0]).toMatchObject({ actor: 'newbie', target: 'newbie' });
    expect(trail.items[0]?.details.credited).toEqual(first.credited);
    await reconciles(backend);
  });

  it('counts held funds, and refills only what was spent', async () => {
    backend = await startTestBackend();
    await topUp(backend, 'alice');
    await topUp(backend, 'bob');
    // Alice's resting buy holds USDT: held counts toward the allowance, so no refill.
    await place(backend, 'alice', {
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'limit',
      price: '50000',
      qty: '0.1',
    });
    expect((await topUp(backend, 'alice')).credited).toEqual([]);
    // Bob sells her 0.1 BTC: he is refilled the BTC, she the USDT she paid (and fees).
    await place(backend, 'bob', { symbol: 'BTC/USDT', side: 'sell', type: 'market', qty: '0.1' });
    expect((await topUp(backend, 'bob')).credited).toEqual([
      { asset: 'BTC', amount: '0.10000000' },
    ]);
    expect((await topUp(backend, 'alice')).credited).toEqual([
      { asset: 'USDT', amount: '5005.000000' },
    ]);
    await reconciles(backend);
  });

  it('is a clear refusal when turned off, and leaves balances alone', async () => {
    backend = await startTestBackend({ demoFunds: false });
    await fund(backend, 'carol', 'USDT', '5');
    await rejects(topUp(backend, 'carol'), 'demo_funds_disabled');
    expect((await balances(backend, 'carol')).USDT).toEqual({
      available: '5.000000',
      held: '0.000000',
    });
  });

  it('over HTTP: needs a signed-in trader and refuses unknown fields with a problem', async () => {
    backend = await startTestBackend();
    const user = await createUser(backend, 'trader');
    const post = (payload: object, headers: Record<string, string> = {}) =>
      backend!.http.inject({
        method: 'POST',
        url: '/api/v1/balances/demo-top-up',
        payload,
        headers,
      });
    const anonymous = await post({});
    expect(anonymous.statusCode).toBe(401);
    const extra = await post({ amount: '1000000' }, user.headers);
    expect(extra.statusCode).toBe(400);
    expect(extra.headers['content-type']).toContain('application/problem+json');
    expect(extra.json()).toMatchObject({ code: 'validation_failed' });
    expect((await balances(backend, user.userId)).USDT).toBeUndefined();
    const ok = await post({}, user.headers);
    expect(ok.statusCode).toBe(200);
    expect(ok.json().credited).toHaveLength(5);
    // The public market-source list refuses unknown query fields the same way.
    const sources = await backend.http.inject({
      method: 'GET',
      url: '/api/v1/simulator/sources?symbol=BTC%2FUSDT',
    });
    expect(sources.statusCode).toBe(400);
    expect(sources.json()).toMatchObject({ code: 'validation_failed' });
  });
});
