import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestBackend, tempDataDir, type TestBackend } from '../../helpers/backend';
import { createUser } from '../../helpers/auth';
import { exchangeOf } from '../../helpers/exchange';
import { setUpTrading, type TradingSetup } from './setup';

/**
 * An alert's stop-loss trailing by an amount in price units (TradersPost's
 * `stopLoss: {"type": "trailing_stop", "trailAmount": 600}`) on a local-exchange account: the
 * exit is a stop trailing 600 behind the best price — not a percent —, for each part a resting
 * entry fills, and put back trailing by 600 after a partial exit or a restart that interrupted
 * one. The market maker asks 30,000 and bids 29,900 (ticks of 0.01: 600 is 60,000 ticks).
 */
let backend: TestBackend;
let t: TradingSetup;

afterEach(async () => {
  await backend.cleanup();
});

async function start(dataDir?: string, base?: string): Promise<void> {
  backend = await startTestBackend(dataDir ? { dataDir } : {});
  const user = await createUser(backend, 'trader');
  t = await setUpTrading(backend, user.userId, base ? { base } : {});
}

const alert = (body: Record<string, unknown>) =>
  backend.http.inject({
    method: 'POST',
    url: `/hooks/tv/${t.token}`,
    payload: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });

const trailing600 = { type: 'trailing_stop', trailAmount: 600 };

/** The user's open orders as the exchange holds them: their trail in ticks. */
const legs = (userId = t.userId) =>
  exchangeOf(backend)
    .openOrders({ userId })
    .map((o) => ({
      kind: o.kind,
      side: o.side,
      openQty: o.openQty,
      stopPrice: o.stopPrice,
      trail: o.trail ? { bps: o.trail.bps, amount: o.trail.amount } : null,
      clientOrderId: o.clientOrderId,
    }));

const planResult = () => {
  const row = backend.store.sqlite.prepare('SELECT result FROM exchange_brackets').get() as {
    result: string;
  };
  return JSON.parse(row.result) as Record<string, unknown>;
};

describe('a stop-loss trailing by an amount on the local exchange', () => {
  it('a sell entry’s stop-loss is a buy stop trailing 600 above the price it sold at', async () => {
    await start(undefined, '1');
    const res = await alert({
      ticker: 'BTCUSDT',
      action: 'sell',
      quantity: 0.5,
      stopLoss: trailing600,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().orders).toMatchObject([
      { role: 'entry', side: 'sell', status: 'filled' },
      { role: 'stop_loss', side: 'buy', type: 'stop_market', price: '30500.00', qty: '0.5000' },
    ]);
    // Sold into the 29,900 bid: 600 above it, trailing by ticks, not basis points.
    expect(legs()).toMatchObject([
      { kind: 'stop_market', side: 'buy', stopPrice: 3_050_000, trail: { bps: 0, amount: 60_000 } },
    ]);
    expect(planResult()).toMatchObject({ stopLossTrailAmount: '600.00' });
  });

  it('covers the part a resting entry filled with a stop trailing 600 behind', async () => {
    await start();
    // The maker's 10 at 30,000 fill 10 of the 10.1; 0.1 rests at 30,000.
    const res = await alert({
      ticker: 'BTCUSDT',
      action: 'buy',
      quantity: 10.1,
      orderType: 'limit',
      limitPrice: 30000,
      stopLoss: trailing600,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().orders).toMatchObject([
      { role: 'entry', status: 'partially_filled' },
      { role: 'stop_loss', side: 'sell', qty: '10.0000' },
    ]);
    const stop = legs().find((o) => o.kind === 'stop_market');
    expect(stop).toMatchObject({
      openQty: 100_000,
      stopPrice: 2_940_000,
      trail: { bps: 0, amount: 60_000 },
    });
    const partial = planResult().partial as Record<string, unknown>;
    expect(partial).toMatchObject({ qty: '10.0000', stopLossTrailAmount: '600.00' });
    expect(partial).not.toHaveProperty('stopLossTrailBps');
  });

  it('a partial exit puts it back trailing 600 behind, from the price then, for what is left', async () => {
    await start();
    const buy = await alert({
      ticker: 'BTCUSDT',
      action: 'buy',
      quantity: 0.1,
      takeProfit: { limitPrice: 31000 },
      stopLoss: trailing600,
    });
    expect(buy.statusCode, buy.body).toBe(200);
    // All 0.1 bought is held by its exits: they come off, 0.06 is sold into the 29,900 bid,
    // and the 0.04 left gets them again.
    const exit = await alert({ ticker: 'BTCUSDT', action: 'exit', quantity: 0.06 });
    expect(exit.statusCode, exit.body).toBe(200);
    expect(exit.json().orders).toMatchObject([
      { side: 'sell', filledQty: '0.0600', note: expect.stringMatching(/placed again/) },
      { role: 'take_profit', price: '31000.00', qty: '0.0400', status: 'new' },
      { role: 'stop_loss', qty: '0.0400', status: 'new' },
    ]);
    const stop = legs().find((o) => o.kind === 'stop_market');
    // Trailing by the amount again, from the 29,900 the exit sold at: 29,300.
    expect(stop).toMatchObject({
      openQty: 400,
      stopPrice: 2_930_000,
      trail: { bps: 0, amount: 60_000 },
      clientOrderId: expect.stringMatching(/^brk-\d+-r[0-9a-z]+-sl$/),
    });
    expect(planResult()).toMatchObject({ qty: '0.0400', stopLossTrailAmount: '600.00' });
    expect(planResult()).not.toHaveProperty('stopLossTrailBps');
  });

  it('a restart between an exit taking it off and putting it back puts it back trailing 600', async () => {
    const dataDir = tempDataDir();
    try {
      await start(dataDir);
      const buy = await alert({
        ticker: 'BTCUSDT',
        action: 'buy',
        quantity: 0.1,
        stopLoss: trailing600,
      });
      expect(buy.statusCode, buy.body).toBe(200);
      // An exit alert takes the exit off… and Bourse stops before it sells or puts it back.
      const released = await backend.features.exitPlans.releaseExits(t.userId, 'BTC/USDT', 'c1');
      expect(released).toMatchObject([{ lots: 1000, stopLossTrailAmount: '600.00' }]);
      expect(released[0]).not.toHaveProperty('stopLossTrailBps');
      const userId = t.userId;
      expect(legs(userId)).toEqual([]);
      await backend.close();
      backend = await startTestBackend({ dataDir });
      expect(legs(userId)).toMatchObject([
        {
          kind: 'stop_market',
          side: 'sell',
          openQty: 1000,
          stopPrice: 2_940_000,
          trail: { bps: 0, amount: 60_000 },
          clientOrderId: expect.stringMatching(/^brk-\d+-rc1-sl$/),
        },
      ]);
      expect(planResult()).not.toHaveProperty('released');
    } finally {
      await backend.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
      backend = await startTestBackend();
    }
  });
});
