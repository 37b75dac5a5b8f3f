import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveAssumptions } from '../../../src-main/domain/backtest/assumptions';
import { createUser } from '../../helpers/auth';
import { startTestBackend, tempDataDir, type TestBackend } from '../../helpers/backend';
import { admin, exchangeOf, fund, trader } from '../../helpers/exchange';

// A restart keeps what was charged (no second funding for the same period), the admin's
// instrument edits (seeding only adds what is missing) and the simulated index's level.

const MAKER = 'futures-restart-maker';
const dataDir = tempDataDir('bourse-futures-');
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

let clock = Date.UTC(2026, 11, 6, 7, 0, 0);
const start = () => startTestBackend({ dataDir, now: () => clock });

describe('paper futures across a restart', () => {
  it('never charges a period twice, keeps edits and the index level', async () => {
    let backend: TestBackend = await start();
    const user = await createUser(backend, 'trader');
    const me = trader(user.userId);
    await fund(backend, MAKER, 'BTC', '100');
    await fund(backend, MAKER, 'USDT', '10000000');
    for (const [side, price] of [
      ['buy', '64990.00'],
      ['sell', '65010.00'],
    ] as const) {
      await backend.invoke(
        'orders.place',
        { symbol: 'BTC/USDT', side, type: 'limit', price, qty: '5' },
        trader(MAKER),
      );
    }
    const { account } = (await backend.invoke(
      'accounts.create',
      { venue: 'paper', name: 'Restart', initialBalance: '1000' },
      me,
    )) as { account: { id: string } };
    await backend.invoke(
      'accounts.placeOrder',
      { id: account.id, symbol: 'BTC-FUT', side: 'buy', qty: '1' },
      me,
    );
    // An admin halves BTC-FUT's funding rate.
    const list = (await backend.invoke('paper.instruments.list', {}, me)) as {
      items: Array<Record<string, unknown>>;
    };
    const btc = list.items.find((i) => i.symbol === 'BTC-FUT')!;
    const {
      nextFinancingAt: _n,
      indexPrice: _i,
      bid: _b,
      ask: _a,
      backtestInstrument,
      ...spec
    } = btc;
    await backend.invoke(
      'admin.paper.instruments.save',
      { ...spec, financingRatePpm: 50 },
      admin(),
    );
    // The backtester takes the same terms as they are listed.
    expect(resolveAssumptions({ instrument: backtestInstrument as never })).toMatchObject({
      contractMultiplier: 0.01,
    });

    clock = Date.UTC(2026, 11, 6, 8, 0, 5);
    expect(await backend.features.accounts.chargeFinancing()).toBe(1);
    const paid = exchangeOf(backend).holdings(`paper:${account.id}`, 'USDT').available;
    // SPX's simulated level takes a step to now (here, or on the feature's timer) and is stored.
    backend.features.accounts.instruments.stepIndexes();
    const row = () =>
      backend.store.sqlite
        .prepare("SELECT level, ts FROM paper_indexes WHERE name = 'SPX'")
        .get() as {
        level: string;
        ts: number;
      };
    expect(row().ts).toBe(clock);
    const spx = backend.features.accounts.instruments.indexLevel('SPX', 2);
    expect(spx).toBe(BigInt(row().level.replace('.', '')));
    await backend.close();

    clock += 60_000;
    backend = await start();
    try {
      expect(await backend.features.accounts.chargeFinancing()).toBe(0);
      expect(exchangeOf(backend).holdings(`paper:${account.id}`, 'USDT').available).toBe(paid);
      const count = backend.store.sqlite
        .prepare("SELECT COUNT(*) AS n FROM ledger_entries WHERE kind = 'paper_financing'")
        .get() as { n: number };
      expect(count.n).toBe(1);
      expect(backend.features.accounts.instruments.instrument('BTC-FUT')).toMatchObject({
        financingRatePpm: 50,
      });
      expect(backend.features.accounts.instruments.indexLevel('SPX', 2)).toBe(spx);
    } finally {
      await backend.close();
    }
  });
});
