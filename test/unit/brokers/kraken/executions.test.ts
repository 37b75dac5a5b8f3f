import { describe, expect, it } from 'vitest';
import { ExecutionMapper } from '../../../../src-main/connectors/kraken/executions';
import { decimalOf, parseKrakenJson } from '../../../../src-main/connectors/kraken/json';

describe('WebSocket v2 execution reports', () => {
  it('merges updates into the order described on `new`, and reports trades as fills', () => {
    const m = new ExecutionMapper();
    const text = `{"channel":"executions","type":"update","data":[
      {"exec_type":"new","order_status":"new","order_id":"OAAA-1","cl_ord_id":"b-1","symbol":"BTC/USD","side":"buy","order_type":"limit","order_qty":0.5,"limit_price":30000.1,"cum_qty":0,"timestamp":"2026-12-06T03:00:00.000Z"},
      {"exec_type":"trade","order_status":"partially_filled","order_id":"OAAA-1","exec_id":"TX-1","last_qty":0.2,"last_price":30000.1,"cum_qty":0.2,"fees":[{"asset":"USD","qty":15.6000052}],"timestamp":"2026-12-06T03:00:01.000Z"},
      {"exec_type":"canceled","order_status":"canceled","order_id":"OAAA-1","reason":"User requested","timestamp":"2026-12-06T03:00:02.000Z"}]}`;
    const msg = parseKrakenJson(text) as { data: Parameters<ExecutionMapper['map']>[0][] };
    const events = msg.data.flatMap((x) => m.map(x));
    expect(events.map((e) => e.type)).toEqual(['order', 'fill', 'order', 'order']);
    expect(events[0]).toMatchObject({
      order: {
        orderId: 'OAAA-1',
        clientOrderId: 'b-1',
        qty: '0.5',
        price: '30000.1',
        status: 'open',
      },
    });
    expect(events[1]).toMatchObject({
      fill: {
        orderId: 'OAAA-1',
        clientOrderId: 'b-1',
        symbol: 'BTC/USD',
        qty: '0.2',
        price: '30000.1',
        fee: '15.6000052',
        feeAsset: 'USD',
        time: Date.parse('2026-12-06T03:00:01.000Z'),
      },
    });
    expect(events[3]).toMatchObject({
      order: { status: 'cancelled', filledQty: '0.2', qty: '0.5', reason: 'User requested' },
    });
  });

  it('turns JSON numbers into exact decimal strings', () => {
    expect(decimalOf(0.0001)).toBe('0.0001');
    expect(decimalOf(1e-8)).toBe('0.00000001');
    expect(decimalOf('3.00000000')).toBe('3');
    expect(decimalOf(undefined)).toBeNull();
    const v = (parseKrakenJson('{"q":0.30000000000000004441}') as { q: unknown }).q;
    // With the reviver's source text (Node ≥ 21, Electron) every digit survives; Node 20
    // keeps the double's shortest text.
    expect(['0.30000000000000004441', '0.30000000000000004']).toContain(decimalOf(v));
  });
});
