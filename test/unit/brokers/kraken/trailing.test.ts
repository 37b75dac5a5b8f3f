import { describe, expect, it } from 'vitest';
import { ExecutionMapper } from '../../../../src-main/connectors/kraken/executions';
import { parseKrakenJson } from '../../../../src-main/connectors/kraken/json';
import {
  addOrderParams,
  amountOf,
  percentOf,
  toBrokerOrder,
  type KrakenOrder,
} from '../../../../src-main/connectors/kraken/orders';
import { BTCUSD, btcIndex } from './instruments';
import { BrokerError } from '../../../../src-main/connectors/broker/errors';

const idx = btcIndex();
const base = {
  clientOrderId: 'bourse-1',
  symbol: 'BTC/USD',
  side: 'sell' as const,
  qty: '0.5',
};

/** Kraken's trailing stops (add.yaml): a relative price with `+`, `%` for a percentage. */
describe('Kraken trailing stops', () => {
  it('sends a trailing stop as trailing-stop with a +percent price and no stop price', () => {
    const p = addOrderParams({ ...base, type: 'stop', trailPercent: '2.5' }, BTCUSD);
    expect(p).toMatchObject({ ordertype: 'trailing-stop', price: '+2.5%', type: 'sell' });
    expect(p.price2).toBeUndefined();
    // Form encoding keeps the sign: a bare `+` in a form body would read as a space.
    expect(new URLSearchParams(p as Record<string, string>).toString()).toContain(
      'price=%2B2.5%25',
    );
  });

  it('attaches a trailing stop-loss as the conditional close', () => {
    const p = addOrderParams(
      { ...base, side: 'buy', type: 'market', stopLossTrailPercent: '1' },
      BTCUSD,
    );
    expect(p).toMatchObject({
      ordertype: 'market',
      'close[ordertype]': 'trailing-stop',
      'close[price]': '+1%',
    });
  });

  it('refuses what Kraken cannot express, before sending', () => {
    const bad = [
      { ...base, type: 'limit' as const, price: '1', trailPercent: '2' },
      { ...base, type: 'stop' as const, trailPercent: '0' },
      { ...base, type: 'stop' as const, trailPercent: '-1' },
      { ...base, type: 'market' as const, stopLossTrailPercent: '1', takeProfit: '70000' },
      { ...base, type: 'market' as const, stopLossTrailPercent: '1', stopLoss: '50000' },
    ];
    for (const r of bad) {
      expect(() => addOrderParams(r, BTCUSD), JSON.stringify(r)).toThrow(BrokerError);
    }
  });

  it('reads a trailing stop back: its distance from the relative price, its trigger from stopprice', () => {
    const o: KrakenOrder = {
      status: 'open',
      cl_ord_id: 'bourse-1',
      opentm: 1_700_000_000,
      descr: { pair: 'XBTUSD', type: 'sell', ordertype: 'trailing-stop', price: '+2.0000%' },
      vol: '0.50000000',
      vol_exec: '0.00000000',
      stopprice: '58800.0',
    };
    expect(toBrokerOrder('OT-1', o, idx)).toMatchObject({
      type: 'stop',
      stopPrice: '58800',
      trailPercent: '2',
      price: null,
    });
    // A plain stop has no trailing distance.
    const plain = toBrokerOrder(
      'OS-1',
      { ...o, descr: { ...o.descr, ordertype: 'stop-loss', price: '50000.0' } },
      idx,
    );
    expect(plain).toMatchObject({ stopPrice: '50000' });
    expect(plain.trailPercent).toBeUndefined();
  });

  it('reads only percentages as a trailing percent', () => {
    expect(percentOf('+2.5000%')).toBe('2.5');
    expect(percentOf('+150')).toBeNull(); // a price distance, not a percent
    expect(percentOf('-2%')).toBeNull();
    expect(percentOf(undefined)).toBeNull();
  });

  it('takes the moving trigger from triggers.actual_price, never the percent', () => {
    const m = new ExecutionMapper();
    const text = `{"data":[
      {"exec_type":"new","order_status":"new","order_id":"OT-1","symbol":"BTC/USD","side":"sell","order_type":"trailing-stop","order_qty":0.5,"cum_qty":0,"stop_price":0.0,
       "triggers":{"reference":"last","price":2.0,"price_type":"pct","actual_price":58800.0,"peak_price":60000.0,"status":"untriggered"}},
      {"exec_type":"restated","order_status":"new","order_id":"OT-1",
       "triggers":{"reference":"last","price":2.0,"price_type":"pct","actual_price":60760.0,"peak_price":62000.0,"status":"untriggered"}},
      {"exec_type":"new","order_status":"new","order_id":"OS-1","symbol":"BTC/USD","side":"sell","order_type":"stop-loss","order_qty":0.5,"cum_qty":0,
       "triggers":{"reference":"last","price":50000.0,"price_type":"static","status":"untriggered"}}]}`;
    const msg = parseKrakenJson(text) as { data: Parameters<ExecutionMapper['map']>[0][] };
    const orders = msg.data
      .flatMap((x) => m.map(x))
      .map((e) => (e.type === 'order' ? e.order : null));
    expect(orders[0]).toMatchObject({ stopPrice: '58800', trailPercent: '2' });
    expect(orders[1]).toMatchObject({ stopPrice: '60760', trailPercent: '2' });
    expect(orders[2]).toMatchObject({ stopPrice: '50000' });
    expect(orders[2]!.trailPercent).toBeUndefined();
  });
});

/**
 * Trailing by an amount in quote currency (add.yaml: a relative price "rather than an absolute
 * price difference" without `%`; WS v2 `price_type: quote`, "a notional offset from the
 * reference price in the quote currency").
 */
describe('Kraken trailing stops by an amount', () => {
  it('sends a trailing stop by an amount as +amount, without %', () => {
    const p = addOrderParams({ ...base, type: 'stop', trailAmount: '50' }, BTCUSD);
    expect(p).toMatchObject({ ordertype: 'trailing-stop', price: '+50', type: 'sell' });
    expect(p.price2).toBeUndefined();
    expect(new URLSearchParams(p as Record<string, string>).toString()).toContain('price=%2B50&');
    // Within the pair's price decimals (XBT/USD: 1), written canonically.
    expect(addOrderParams({ ...base, type: 'stop', trailAmount: '50.50' }, BTCUSD).price).toBe(
      '+50.5',
    );
  });

  it('attaches a trailing stop-loss by an amount as the conditional close', () => {
    const p = addOrderParams(
      { ...base, side: 'buy', type: 'market', stopLossTrailAmount: '120.5' },
      BTCUSD,
    );
    expect(p).toMatchObject({
      ordertype: 'market',
      'close[ordertype]': 'trailing-stop',
      'close[price]': '+120.5',
    });
  });

  it('refuses an amount finer than the pair prices, or both units, before sending', () => {
    const bad = [
      [{ ...base, type: 'stop' as const, trailAmount: '50.05' }, 'more decimals than BTC/USD'],
      [
        { ...base, type: 'market' as const, stopLossTrailAmount: '0.01' },
        'more decimals than BTC/USD',
      ],
      [{ ...base, type: 'stop' as const, trailAmount: '0' }, 'positive'],
      [{ ...base, type: 'stop' as const, trailAmount: '-50' }, 'positive'],
      [{ ...base, type: 'stop' as const, trailAmount: '5e1' }, 'positive'],
      [{ ...base, type: 'stop' as const, trailPercent: '2', trailAmount: '50' }, 'not both'],
      [
        { ...base, type: 'market' as const, stopLossTrailPercent: '1', stopLossTrailAmount: '50' },
        'not both',
      ],
      [{ ...base, type: 'limit' as const, price: '1', trailAmount: '50' }, 'trailing-stop'],
      [
        { ...base, type: 'market' as const, stopLossTrailAmount: '50', takeProfit: '70000' },
        'one conditional close',
      ],
    ] as const;
    for (const [r, text] of bad) {
      let err: unknown;
      try {
        addOrderParams(r, BTCUSD);
      } catch (e) {
        err = e;
      }
      expect(err, JSON.stringify(r)).toBeInstanceOf(BrokerError);
      expect((err as BrokerError).kind).toBe('invalid');
      expect((err as Error).message, JSON.stringify(r)).toContain(text);
    }
    // A form shows the decimals refusal at its field.
    const fieldOf = (r: Parameters<typeof addOrderParams>[0]) => {
      try {
        addOrderParams(r, BTCUSD);
      } catch (e) {
        return ((e as BrokerError).details as { field?: string } | undefined)?.field;
      }
    };
    expect(fieldOf({ ...base, type: 'stop', trailAmount: '50.05' })).toBe('trailAmount');
    expect(fieldOf({ ...base, type: 'market', stopLossTrailAmount: '0.01' })).toBe(
      'stopLossTrailAmount',
    );
  });

  it('reads an amount trailing stop back from OpenOrders: +50.0 is trailAmount, stopprice the trigger', () => {
    const o: KrakenOrder = {
      status: 'open',
      cl_ord_id: 'bourse-2',
      opentm: 1_700_000_000,
      descr: { pair: 'XBTUSD', type: 'sell', ordertype: 'trailing-stop', price: '+50.0' },
      vol: '0.50000000',
      vol_exec: '0.00000000',
      stopprice: '59950.0',
    };
    const read = toBrokerOrder('OT-2', o, idx);
    expect(read).toMatchObject({
      type: 'stop',
      stopPrice: '59950',
      trailAmount: '50',
      price: null,
    });
    expect(read.trailPercent).toBeUndefined();
    // The human text alone (older answers) says the same.
    const text = toBrokerOrder(
      'OT-2',
      { ...o, descr: { order: 'sell 0.50000000 XBTUSD @ trailing-stop +50.0' } },
      idx,
    );
    expect(text).toMatchObject({ side: 'sell', stopPrice: '59950', trailAmount: '50' });
    // A closed one (ClosedOrders) reads the same way.
    const closed = toBrokerOrder('OT-2', { ...o, status: 'closed', closetm: 1_700_000_100 }, idx);
    expect(closed).toMatchObject({ status: 'filled', trailAmount: '50' });
  });

  it('reads only a +amount without % as a trailing amount', () => {
    expect(amountOf('+50.0')).toBe('50');
    expect(amountOf('+0.5')).toBe('0.5');
    expect(amountOf('+2%')).toBeNull();
    expect(amountOf('-50')).toBeNull();
    expect(amountOf('+0.0')).toBeNull();
    expect(amountOf('50')).toBeNull();
    expect(amountOf(undefined)).toBeNull();
  });

  it('reads triggers with price_type quote as trailAmount, keeps actual_price as the trigger', () => {
    const m = new ExecutionMapper();
    const text = `{"data":[
      {"exec_type":"new","order_status":"new","order_id":"OA-1","symbol":"BTC/USD","side":"sell","order_type":"trailing-stop","order_qty":0.5,"cum_qty":0,"stop_price":0.0,
       "triggers":{"reference":"last","price":50.0,"price_type":"quote","actual_price":59950.0,"peak_price":60000.0,"status":"untriggered"}},
      {"exec_type":"restated","order_status":"new","order_id":"OA-1",
       "triggers":{"reference":"last","price":50.0,"price_type":"quote","actual_price":61950.0,"peak_price":62000.0,"status":"untriggered"}},
      {"exec_type":"trade","order_status":"filled","order_id":"OA-1","exec_id":"T-1","last_qty":0.5,"last_price":61900.0,"cum_qty":0.5},
      {"exec_type":"new","order_status":"new","order_id":"OA-2","symbol":"BTC/USD","side":"buy","order_type":"trailing-stop","order_qty":0.5,"cum_qty":0,
       "triggers":{"reference":"last","price":-75.5,"price_type":"quote","actual_price":60075.5,"status":"untriggered"}}]}`;
    const msg = parseKrakenJson(text) as { data: Parameters<ExecutionMapper['map']>[0][] };
    const orders = msg.data
      .flatMap((x) => m.map(x))
      .flatMap((e) => (e.type === 'order' ? [e.order] : []));
    expect(orders[0]).toMatchObject({ stopPrice: '59950', trailAmount: '50' });
    expect(orders[0]!.trailPercent).toBeUndefined();
    expect(orders[1]).toMatchObject({ stopPrice: '61950', trailAmount: '50' });
    expect(orders[2]).toMatchObject({ status: 'filled', trailAmount: '50', stopPrice: '61950' });
    // A distance written as a negative offset still reads as its size.
    expect(orders[3]).toMatchObject({ side: 'buy', stopPrice: '60075.5', trailAmount: '75.5' });
  });
});
