import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../src-shared/contract';
import type { BrokerOrderJournal } from '../../../../src-main/connectors/broker/journal';
import {
  NO_TRAILING,
  type BrokerConnector,
  type BrokerOrder,
  type BrokerOrderRequest,
  type BrokerTrailing,
} from '../../../../src-main/connectors/broker/port';
import { BrokerSession } from '../../../../src-main/connectors/broker/session';
import { BrokerVenue } from '../../../../src-main/connectors/broker/venue';
import type { ResolvedIntent } from '../../../../src-main/connectors/venue';
import { metatraderDefinition, type BridgeHub } from '../../../../src-main/connectors/metatrader';
import { projectxDefinition } from '../../../../src-main/connectors/projectx';
import { tradelockerDefinition } from '../../../../src-main/connectors/tradelocker';

/** A connector that records what it is asked to place and says what it trails. */
function stub(venue: string, trailing?: BrokerTrailing) {
  const placed: BrokerOrderRequest[] = [];
  const c = {
    venue,
    ...(trailing ? { trailing } : {}),
    place: (r: BrokerOrderRequest): Promise<BrokerOrder> => {
      placed.push(r);
      return Promise.resolve({
        orderId: `O-${placed.length}`,
        clientOrderId: r.clientOrderId,
        symbol: r.symbol,
        side: r.side,
        type: r.type,
        qty: r.qty,
        filledQty: '0',
        price: null,
        stopPrice: null,
        ...(r.trailAmount ? { trailAmount: r.trailAmount } : {}),
        avgPrice: null,
        status: 'open',
      });
    },
  } as unknown as BrokerConnector;
  return { c, placed };
}

const journal: BrokerOrderJournal = {
  begin: () => Promise.resolve(),
  settle: () => undefined,
  unsettled: () => [],
};

const venueOf = (c: BrokerConnector) =>
  new BrokerVenue(new BrokerSession(c, { now: () => 1, onChange: () => undefined }), journal, {
    accountId: 'a-1',
    currency: 'USD',
    now: () => 1,
    outageQueueMs: () => 0,
  });

const intent = (over: Partial<ResolvedIntent>): ResolvedIntent => ({
  format: 'traderspost',
  action: 'entry',
  symbol: 'BTC/USD',
  market: 'BTC/USD',
  side: 'sell',
  type: 'stop_market',
  qty: '0.001',
  ...over,
});

/** The AppError an execute refuses with (fails the test when it places instead). */
async function refusal(v: BrokerVenue, i: ResolvedIntent): Promise<AppError> {
  const e: unknown = await v.execute(i).then(
    () => null,
    (x: unknown) => x,
  );
  expect(e, JSON.stringify(i)).toBeInstanceOf(AppError);
  return e as AppError;
}

const KRAKEN_LIKE: BrokerTrailing = { entry: true, stopLoss: true, amount: true };

/**
 * Alerts that trail by an amount in price units at broker accounts: mapped to the request
 * where the connector trails by amount, refused by name (nothing placed) where it does not.
 */
describe('BrokerVenue: trailing by an amount', () => {
  it('maps trailAmount and stopLoss.trailAmount to the request', async () => {
    const { c, placed } = stub('kraken', KRAKEN_LIKE);
    const v = venueOf(c);
    await v.execute(intent({ trailAmount: '50' }));
    expect(placed[0]).toMatchObject({ type: 'stop', trailAmount: '50' });
    expect(placed[0]!.trailPercent).toBeUndefined();
    expect(placed[0]!.stopPrice).toBeUndefined();

    await v.execute(intent({ side: 'buy', type: 'market', stopLoss: { trailAmount: '120.5' } }));
    expect(placed[1]).toMatchObject({ type: 'market', stopLossTrailAmount: '120.5' });
    expect(placed[1]!.stopLoss).toBeUndefined();
    expect(placed[1]!.stopLossTrailPercent).toBeUndefined();

    // The percent path is unchanged.
    await v.execute(intent({ trailPercent: '2' }));
    expect(placed[2]).toMatchObject({ type: 'stop', trailPercent: '2' });
    expect(placed[2]!.trailAmount).toBeUndefined();
  });

  it('refuses an amount by name where the broker trails by percent only', async () => {
    const { c, placed } = stub('percentonly', { entry: true, stopLoss: true, amount: false });
    const v = venueOf(c);
    for (const [i, field] of [
      [intent({ trailAmount: '50' }), 'trailAmount'],
      [intent({ type: 'market', stopLoss: { trailAmount: '50' } }), 'stopLoss.trailAmount'],
    ] as const) {
      const e = await refusal(v, i);
      expect(e.code).toBe('unsupported_order_type');
      expect(e.message).toContain('this percentonly account');
      expect(e.message).toContain('trailing by an amount');
      expect(e.details).toMatchObject({ field });
    }
    // A percent is still placed there.
    await v.execute(intent({ trailPercent: '1.5' }));
    expect(placed).toHaveLength(1);
  });

  it('refuses percent and amount together, and an amount that is not positive', async () => {
    const { c, placed } = stub('kraken', KRAKEN_LIKE);
    const v = venueOf(c);
    const both = await refusal(v, intent({ trailPercent: '2', trailAmount: '50' }));
    expect(both).toMatchObject({ code: 'validation_failed', details: { field: 'trailAmount' } });
    const bothSl = await refusal(
      v,
      intent({ type: 'market', stopLoss: { trailPercent: '1', trailAmount: '50' } }),
    );
    expect(bothSl).toMatchObject({
      code: 'validation_failed',
      details: { field: 'stopLoss.trailAmount' },
    });
    const zero = await refusal(v, intent({ trailAmount: '0' }));
    expect(zero).toMatchObject({ code: 'validation_failed', details: { field: 'trailAmount' } });
    // Kraken's trailing stops have no activation price, by amount as by percent.
    const activation = await refusal(v, intent({ trailAmount: '50', stopPrice: '65000' }));
    expect(activation).toMatchObject({ details: { field: 'stopPrice' } });
    expect(placed).toHaveLength(0);
  });

  it('TradeLocker, ProjectX and MetaTrader refuse a trailing amount by name, placing nothing', async () => {
    const deps = { now: Date.now, accountId: 'a-1' };
    const real = [
      tradelockerDefinition.create({ email: 'e', server: 's' }, { password: 'p' }, deps),
      projectxDefinition.create({ userName: 'u' }, { apiKey: 'k' }, deps),
      metatraderDefinition({ release: () => undefined } as unknown as BridgeHub).create(
        {},
        {},
        deps,
      ),
    ];
    for (const c of real) {
      expect(c.trailing ?? NO_TRAILING, c.venue).toEqual(NO_TRAILING);
      const v = venueOf(c);
      for (const [i, field] of [
        [intent({ trailAmount: '50' }), 'trailAmount'],
        [intent({ type: 'market', stopLoss: { trailAmount: '50' } }), 'trailAmount'],
        [intent({ trailPercent: '2' }), 'trailPercent'],
      ] as const) {
        const e = await refusal(v, i);
        expect(e.code).toBe('unsupported_order_type');
        expect(e.message).toContain(`this ${c.venue} account does not take trailing stops`);
        expect(e.details).toMatchObject({ field });
      }
      await c.close();
    }
  });

  it('a session answers the connector trailing, or none at all', () => {
    const s = (c: BrokerConnector) => new BrokerSession(c, { now: () => 1, onChange: () => {} });
    expect(s(stub('kraken', KRAKEN_LIKE).c).trailing).toEqual(KRAKEN_LIKE);
    expect(s(stub('plain').c).trailing).toEqual({ entry: false, stopLoss: false, amount: false });
  });
});
