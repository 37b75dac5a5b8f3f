import fs from 'node:fs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { Principal } from '../../../src-main/operations/principal';
import { createUser } from '../../helpers/auth';
import { startTestBackend, tempDataDir, type TestBackend } from '../../helpers/backend';
import { exchangeOf, fund, trader } from '../../helpers/exchange';

// A paper trailing stop and a trailing stop-loss keep where they moved to across a restart,
// and go on trailing from there (their state is rows, written on each move).

const MAKER = 'paper-trail-restart-maker';
const dataDir = tempDataDir('bourse-paper-trail-');
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('paper trailing stops across a restart', () => {
  it('keep their levels and go on trailing', async () => {
    let backend: TestBackend = await startTestBackend({ dataDir });
    const me: Principal = trader((await createUser(backend, 'trader')).userId);
    await fund(backend, MAKER, 'BTC', '1000');
    await fund(backend, MAKER, 'USDT', '100000000');
    const ids: Record<'bid' | 'ask', string | null> = { bid: null, ask: null };
    /** Replaces one side of the maker's book (the other stays, so no side is ever empty). */
    const side = async (which: 'bid' | 'ask', price: string) => {
      const placed = (await backend.invoke(
        'orders.place',
        {
          symbol: 'BTC/USDT',
          side: which === 'bid' ? 'buy' : 'sell',
          type: 'limit',
          price,
          qty: '20',
        },
        trader(MAKER),
      )) as { orderId: string };
      if (ids[which]) {
        await backend.invoke(
          'orders.cancel',
          { symbol: 'BTC/USDT', orderId: ids[which] },
          trader(MAKER),
        );
      }
      ids[which] = placed.orderId;
      await exchangeOf(backend).flush();
    };
    await side('bid', '29990.00');
    await side('ask', '30000.00');
    const { account } = (await backend.invoke(
      'accounts.create',
      {
        venue: 'paper',
        name: 'Trail restart',
        paperConfig: { spreadPpm: 0, slippagePpmPer10k: 0, commissionPpm: 0 },
      },
      me,
    )) as { account: { id: string } };
    const id = account.id;
    await backend.invoke(
      'accounts.placeOrder',
      { id, symbol: 'BTC/USDT', side: 'buy', qty: '0.5', stopLossTrailPercent: '1' },
      me,
    );
    await backend.invoke(
      'accounts.placeOrder',
      { id, symbol: 'BTC/USDT', side: 'sell', type: 'stop', qty: '0.1', trailPercent: '2' },
      me,
    );
    await backend.invoke(
      'accounts.placeOrder',
      { id, symbol: 'BTC/USDT', side: 'sell', type: 'stop', qty: '0.1', trailAmount: '700' },
      me,
    );
    const state = async () => ({
      sl: (
        (await backend.invoke('accounts.positions', { id }, me)) as {
          items: Array<{ stopLoss: string; trailPercent: string | null }>;
        }
      ).items[0],
      stops: (
        (await backend.invoke('accounts.orders', { id, openOnly: true }, me)) as {
          items: Array<{ price: string; trailTracking: boolean; trailAmount: string | null }>;
        }
      ).items,
    });
    // The bid rises to 30,490 (the ask first, so the book never crosses).
    await side('ask', '30500.00');
    await side('bid', '30490.00');
    await vi.waitFor(async () =>
      expect(await state()).toMatchObject({
        sl: { stopLoss: '30185.10', trailPercent: '1' },
        stops: [
          { price: '29880.20', trailTracking: true },
          { price: '29790.00', trailTracking: true, trailAmount: '700.00' },
        ],
      }),
    );

    await backend.close();
    backend = await startTestBackend({ dataDir });
    expect(await state()).toMatchObject({
      sl: { stopLoss: '30185.10', trailPercent: '1' },
      stops: [
        { price: '29880.20', trailTracking: true },
        { price: '29790.00', trailTracking: true, trailAmount: '700.00' },
      ],
    });
    // It goes on trailing from where it was: the bid rises to 30,990.
    await side('ask', '31000.00');
    await side('bid', '30990.00');
    await vi.waitFor(async () =>
      expect(await state()).toMatchObject({
        sl: { stopLoss: '30680.10' },
        stops: [{ price: '30370.20' }, { price: '30290.00' }],
      }),
    );
    await backend.close();
  });
});
