import { describe, expect, it } from 'vitest';
import type { BrokerAttachedClose } from '../../../../src-main/connectors/broker/port';
import {
  CloseMemory,
  closeOfRequest,
  readCloseText,
} from '../../../../src-main/connectors/kraken/conditional-close';
import { ExecutionMapper, type Execution } from '../../../../src-main/connectors/kraken/executions';
import { toBrokerOrder, type KrakenOrder } from '../../../../src-main/connectors/kraken/orders';
import closed from '../../../fakes/kraken/fixtures/closed-orders.json';
import open from '../../../fakes/kraken/fixtures/open-orders.json';
import { btcIndex } from './instruments';

const none = { price: null, offset: null, limitPrice: null, trailPercent: null, trailAmount: null };
const close = (
  c: Partial<BrokerAttachedClose> & Pick<BrokerAttachedClose, 'type'>,
): BrokerAttachedClose => ({
  ...none,
  ...c,
});

/**
 * Kraken's `descr.close`: text only. The spec's AddOrder example is the one form Kraken's
 * reference prints; the others are the same form with the other `close[ordertype]` values, as
 * Kraken words order types in `descr.order`.
 */
describe("Kraken's conditional close text", () => {
  it.each([
    // add.yaml's answer example, the form Kraken documents.
    [
      'close position @ stop loss 22000.0 -> limit 21000.0',
      close({ type: 'stop_loss', price: '22000', limitPrice: '21000' }),
    ],
    ['close position @ stop loss 58000.0', close({ type: 'stop_loss', price: '58000' })],
    ['close position @ take profit 66000.0', close({ type: 'take_profit', price: '66000' })],
    [
      'close position @ take profit 27000.0 -> limit 26800.0',
      close({ type: 'take_profit', price: '27000', limitPrice: '26800' }),
    ],
    [
      'close position @ trailing stop +2.0000%',
      close({ type: 'trailing_stop', trailPercent: '2' }),
    ],
    [
      'close position @ trailing stop +1.5000%',
      close({ type: 'trailing_stop', trailPercent: '1.5' }),
    ],
    [
      'close position @ trailing stop +250.5',
      close({ type: 'trailing_stop', trailAmount: '250.5' }),
    ],
    // A trailing-stop-limit's limit is an offset from the trigger: no level to show.
    [
      'close position @ trailing stop +5.0000% -> limit -100.0',
      close({ type: 'trailing_stop', trailPercent: '5' }),
    ],
    ['close position @ limit 66000.0', close({ type: 'limit', price: '66000' })],
    ['close position @ iceberg 66000.0', close({ type: 'limit', price: '66000' })],
    // A relative price (`#`, `+`, `-`, `%`): the type is known, the level is not.
    ['close position @ take profit #2.5000%', close({ type: 'take_profit' })],
    ['close position @ stop loss -500.0', close({ type: 'stop_loss' })],
    [
      'close position @ stop loss 22000.0 -> limit 21000.0 with 2:1 leverage',
      close({ type: 'stop_loss', price: '22000', limitPrice: '21000' }),
    ],
    // The parameter's spelling reads the same.
    ['close position @ stop-loss 58000', close({ type: 'stop_loss', price: '58000' })],
  ])('reads %j', (text, expected) => {
    expect(readCloseText(text)).toEqual({ ok: true, close: expected });
  });

  it('reads "" as no close (the spec examples of orders without one)', () => {
    expect(readCloseText('')).toEqual({ ok: true, close: null });
  });

  it.each([
    [undefined],
    [null],
    ['close position'],
    ['close position @ settle position'],
    ['close position @ stop loss'],
    ['close position @ stop loss 0.0'],
    ['close position @ stop loss abc'],
    // A trailing stop is always relative with `+`.
    ['close position @ trailing stop 58000.0'],
    ['close position @ trailing stop +0%'],
    ['close position @ stop loss 58000.0 -> limit soon'],
    ['stop loss 58000.0'],
  ])('cannot read %j (the connector falls back to what Bourse sent)', (text) => {
    expect(readCloseText(text)).toEqual({ ok: false });
  });

  it('is part of the order read from OpenOrders/ClosedOrders/QueryOrders', () => {
    const o: KrakenOrder = {
      status: 'open',
      cl_ord_id: 'bourse-1',
      opentm: 1_700_000_000,
      descr: {
        pair: 'XBTUSD',
        type: 'buy',
        ordertype: 'limit',
        price: '30000.0',
        close: 'close position @ trailing stop +250.5',
      },
      vol: '0.00100000',
      vol_exec: '0.00000000',
    };
    // Kraken's one conditional close: a list of one.
    expect(toBrokerOrder('OL-1', o, btcIndex()).closes).toEqual([
      close({ type: 'trailing_stop', trailAmount: '250.5' }),
    ]);
    // "" is Kraken saying there is none; no field at all says nothing (the key is absent).
    const plain = toBrokerOrder('OL-2', { ...o, descr: { ...o.descr, close: '' } }, btcIndex());
    expect(plain.closes).toEqual([]);
    const [cid, c] = Object.entries(closed.result.closed)[0]!;
    expect(toBrokerOrder(cid, c as unknown as KrakenOrder, btcIndex()).closes).toEqual([]);
    const [oid, oo] = Object.entries(open.result.open)[0]!;
    expect('closes' in toBrokerOrder(oid, oo as unknown as KrakenOrder, btcIndex())).toBe(false);
  });
});

describe('the close Bourse sent', () => {
  const req = {
    clientOrderId: 'b-1',
    symbol: 'BTC/USD',
    side: 'buy' as const,
    type: 'limit' as const,
    qty: '0.001',
    price: '30000',
  };

  it("is the request's stop-loss, take-profit or trailing stop-loss, canonical", () => {
    expect(closeOfRequest(req)).toBeNull();
    expect(closeOfRequest({ ...req, stopLoss: '29000.0' })).toEqual(
      close({ type: 'stop_loss', price: '29000' }),
    );
    expect(closeOfRequest({ ...req, takeProfit: '35000' })).toEqual(
      close({ type: 'take_profit', price: '35000' }),
    );
    expect(closeOfRequest({ ...req, stopLossTrailPercent: '1.50' })).toEqual(
      close({ type: 'trailing_stop', trailPercent: '1.5' }),
    );
    expect(closeOfRequest({ ...req, stopLossTrailAmount: '300' })).toEqual(
      close({ type: 'trailing_stop', trailAmount: '300' }),
    );
  });
});

describe('the closes a connector keeps', () => {
  const sl = [close({ type: 'stop_loss', price: '29000' })];
  const trail = [close({ type: 'trailing_stop', trailPercent: '2' })];

  it('finds closes by txid, else by the client id they were sent under', () => {
    const m = new CloseMemory();
    expect(m.recall('O-1', 'b-1')).toBeUndefined();
    m.sending('b-1', sl);
    expect(m.recall('O-1', 'b-1')).toEqual(sl);
    expect(m.recall('O-1', null)).toBeUndefined();
    // Kraken's report for the txid wins over what was sent, "none" included.
    m.known('O-1', trail);
    expect(m.recall('O-1', 'b-1')).toEqual(trail);
    m.known('O-1', []);
    expect(m.recall('O-1', 'b-1')).toEqual([]);
  });

  it('forgets the oldest beyond its size', () => {
    const m = new CloseMemory(2);
    m.known('O-1', sl);
    m.known('O-2', sl);
    m.known('O-3', sl);
    expect(m.recall('O-1', null)).toBeUndefined();
    expect(m.recall('O-3', null)).toEqual(sl);
  });

  it('gives the stream its closes: the executions channel never carries one', () => {
    const m = new CloseMemory();
    m.sending('b-1', trail);
    const mapper = new ExecutionMapper((id, cl) => m.recall(id, cl));
    const report = (x: Partial<Execution>): Execution => ({
      exec_type: 'new',
      order_id: 'O-1',
      ...x,
    });
    const [first] = mapper.map(
      report({ cl_ord_id: 'b-1', order_type: 'limit', limit_price: 30000, order_status: 'new' }),
    );
    expect(first).toMatchObject({ type: 'order', order: { closes: trail } });
    // A later report of the order (no client id) still knows it, now by txid from Kraken's report.
    m.known('O-1', sl);
    const [later] = mapper.map(report({ exec_type: 'status', order_status: 'new' }));
    expect(later).toMatchObject({ type: 'order', order: { clientOrderId: 'b-1', closes: sl } });
    // An order nothing is known about says nothing.
    const [other] = mapper.map(report({ order_id: 'O-9', order_type: 'limit' }));
    expect(other).toMatchObject({ type: 'order', order: { orderId: 'O-9' } });
    expect(other).not.toHaveProperty('order.closes');
  });
});
