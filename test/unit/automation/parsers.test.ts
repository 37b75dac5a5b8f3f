import { describe, expect, it } from 'vitest';
import { parseAlert } from '../../../src-main/domain/automation';

function intentOf(raw: string) {
  const r = parseAlert(raw);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}
function errorOf(raw: string): string {
  const r = parseAlert(raw);
  if (r.ok) throw new Error(`expected a refusal for ${raw}`);
  expect(r.error.code).toBe('alert_unreadable');
  return r.error.message;
}

describe('unify.v1 intent', () => {
  it('reads a market buy with brackets and an id', () => {
    const p = intentOf(
      JSON.stringify({
        version: 'unify.v1',
        id: 'a-1',
        token: 'tok-secret',
        intent: {
          side: 'buy',
          type: 'market',
          symbol: 'BTC/USDT',
          qty: '0.010',
          takeProfit: 70000,
          stopLoss: { percent: 2 },
        },
      }),
    );
    expect(p.secret).toBe('tok-secret');
    expect(p.intent).toEqual({
      format: 'unify',
      action: 'entry',
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'market',
      qty: '0.01',
      takeProfit: { price: '70000' },
      stopLoss: { percent: '2' },
      alertId: 'a-1',
    });
  });
  it('infers limit from a price and reads exponent numbers exactly', () => {
    const p = intentOf(
      '{"version":"unify.v1","intent":{"side":"sell","symbol":"ETH/USDT","qty":1e-7,"price":"2500.50"}}',
    );
    expect(p.intent).toMatchObject({ type: 'limit', qty: '0.0000001', price: '2500.5' });
  });
  it('reads exits with a position side', () => {
    expect(
      intentOf('{"version":"unify.v1","intent":{"action":"exit","side":"long","symbol":"X/Y"}}')
        .intent,
    ).toMatchObject({ action: 'exit', exitSide: 'long' });
  });
  it.each([
    ['{"version":"unify.v2","intent":{}}', 'version must be "unify.v1"'],
    ['{"version":"unify.v1","intent":[]}', 'intent must be an object'],
    ['{"version":"unify.v1","intent":{"side":"hold","symbol":"A/B"}}', 'intent.side "hold"'],
    ['{"version":"unify.v1","intent":{"side":"buy","symbol":"A/B","qty":"-1"}}', 'greater than 0'],
    ['{"version":"unify.v1","intent":{"side":"buy","symbol":"A/B","qty":"abc"}}', 'not a number'],
    [
      '{"version":"unify.v1","intent":{"side":"buy","symbol":"A/B","sise":1}}',
      'unknown field(s) in intent: sise',
    ],
    [
      '{"version":"unify.v1","intent":{"side":"buy","symbol":"A/B","type":"limit"}}',
      'needs intent.price',
    ],
    [
      '{"version":"unify.v1","intent":{"side":"buy","symbol":"A/B","type":"stop_limit","price":1}}',
      'needs intent.stopPrice',
    ],
    ['{"version":"unify.v1","intent":{"side":"buy"}}', 'intent.symbol is missing'],
    [
      '{"version":"unify.v1","intent":{"side":"buy","symbol":"A/B","qty":"{{strategy.order.contracts}}"}}',
      'placeholder',
    ],
    ['{"version":"unify.v1",', 'not valid'],
  ])('refuses %s', (raw, message) => {
    expect(errorOf(raw)).toContain(message);
  });
});

describe('TradersPost-style JSON', () => {
  it('reads the documented example (signalPrice, takeProfit percent, stopLoss stop)', () => {
    const p = intentOf(
      '{"ticker":"AMD","action":"buy","signalPrice":143.12,"quantity":1,"takeProfit":{"percent":10},"stopLoss":{"type":"stop","percent":5}}',
    );
    expect(p.intent).toEqual({
      format: 'traderspost',
      action: 'entry',
      symbol: 'AMD',
      side: 'buy',
      type: 'market',
      qty: '1',
      takeProfit: { percent: '10' },
      stopLoss: { percent: '5' },
    });
  });
  it('reads a limit order and a stop limit', () => {
    expect(
      intentOf('{"ticker":"TSLA","action":"buy","orderType":"limit","limitPrice":120.12}').intent,
    ).toMatchObject({ type: 'limit', price: '120.12' });
    expect(
      intentOf(
        '{"ticker":"TSLA","action":"sell","orderType":"stop_limit","limitPrice":"99","stopPrice":"100"}',
      ).intent,
    ).toMatchObject({ type: 'stop_limit', price: '99', stopPrice: '100', side: 'sell' });
  });
  it('maps exit, cancel, flat sentiment and add', () => {
    expect(intentOf('{"ticker":"BTCUSDT","action":"exit"}').intent).toMatchObject({
      action: 'exit',
      exitSide: 'both',
    });
    expect(intentOf('{"ticker":"BTCUSDT","action":"cancel"}').intent.action).toBe('cancel');
    expect(
      intentOf('{"ticker":"BTCUSDT","action":"sell","sentiment":"flat"}').intent,
    ).toMatchObject({ action: 'exit', exitSide: 'long' });
    expect(
      intentOf('{"ticker":"BTCUSDT","action":"add","sentiment":"bearish","quantity":"2"}').intent,
    ).toMatchObject({ action: 'entry', side: 'sell', qty: '2' });
  });
  it.each([
    ['{"ticker":"AMD","action":"hold"}', 'action "hold" must be buy, sell, exit, cancel or add'],
    ['{"action":"buy"}', 'ticker is missing'],
    ['{"ticker":"AMD","action":"buy","quantity":0}', 'quantity must be greater than 0'],
    ['{"ticker":"AMD","action":"add"}', 'needs sentiment'],
    ['{"ticker":"AMD","action":"buy","orderType":"iceberg"}', 'is not an order type'],
    ['{"ticker":"AMD","action":"buy","orderType":"limit"}', 'needs limitPrice'],
    ['{"ticker":"AMD","action":"buy","takeProfit":{"percent":1,"price":2}}', 'exactly one of'],
    ['{"ticker":"AMD","action":"buy","qty":1}', 'unknown field(s): qty'],
    ['{"ticker":"{{ticker}}","action":"buy"}', 'placeholder'],
  ])('refuses %s', (raw, message) => {
    expect(errorOf(raw)).toContain(message);
  });
});

describe('PineConnector lines', () => {
  it('reads the documented examples', () => {
    expect(intentOf('60123456789,buy,AUDUSD,risk=0.1')).toEqual({
      secret: '60123456789',
      intent: {
        format: 'pineconnector',
        action: 'entry',
        symbol: 'AUDUSD',
        side: 'buy',
        type: 'market',
        qty: '0.1',
      },
    });
    expect(intentOf('60123456789,sell,GBPJPY,sl=150.25,risk=1').intent).toMatchObject({
      side: 'sell',
      stopLoss: { price: '150.25' },
      qty: '1',
    });
    expect(intentOf('60123456789, closelong , GBPUSD').intent).toMatchObject({
      action: 'exit',
      exitSide: 'long',
    });
  });
  it('reads pending orders, secrets, comments and vol_lots', () => {
    const p = intentOf(
      'tok123,buylimit,EURUSD,vol_lots=2,price=1.0850,tp=1.0950,comment="strategy 1",secret=HappyTrader501',
    );
    expect(p.secret).toBe('HappyTrader501');
    expect(p.intent).toMatchObject({
      type: 'limit',
      price: '1.085',
      qty: '2',
      takeProfit: { price: '1.095' },
      comment: 'strategy 1',
    });
    expect(intentOf('id,sellstop,EURUSD,risk=1,price=1.05').intent).toMatchObject({
      type: 'stop_market',
      stopPrice: '1.05',
    });
  });
  it.each([
    ['60123456789,buy', 'needs LicenseID,command,symbol'],
    ['60123456789,hodl,EURUSD,risk=1', '"hodl" is not a PineConnector command'],
    ['60123456789,buylimit,EURUSD,risk=1', 'needs price='],
    ['60123456789,buy,EURUSD,risk=1,sell', 'is not key=value'],
    ['60123456789,buy,EURUSD,risk=1,lots=2', 'unknown parameter "lots"'],
    ['60123456789,buy,EURUSD,risk=1,vol_lots=2', 'either risk= or vol_lots='],
    ['60123456789,buy,EURUSD,risk=0', 'risk must be greater than 0'],
    ['60123456789,newsltplong,EURUSD,sl=1', 'not supported'],
  ])('refuses %s', (raw, message) => {
    expect(errorOf(raw)).toContain(message);
  });
});

describe('KEY=VALUE lines', () => {
  it('reads lines and semicolon pairs, case-insensitive keys', () => {
    expect(intentOf('action=buy\nSYMBOL=BTCUSDT\nqty=0.5\nid=k1\ntoken=abc')).toEqual({
      secret: 'abc',
      intent: {
        format: 'keyvalue',
        action: 'entry',
        symbol: 'BTCUSDT',
        side: 'buy',
        type: 'market',
        qty: '0.5',
        alertId: 'k1',
      },
    });
    expect(
      intentOf('action=sell;symbol=ETHUSDT;type=limit;price=2500;sl=2600').intent,
    ).toMatchObject({ side: 'sell', type: 'limit', price: '2500', stopLoss: { price: '2600' } });
    expect(intentOf('action=close\nside=short\nsymbol=X').intent).toMatchObject({
      action: 'exit',
      exitSide: 'short',
    });
  });
  it.each([
    ['symbol=BTCUSDT\nqty=1', 'action is missing'],
    ['action=buy\nsymbol=BTCUSDT\nfoo=1', 'unknown key "foo"'],
    ['action=buy\nsymbol=BTCUSDT\nqty=1\nqty=2', 'given twice'],
    ['action=buy\nsymbol=BTCUSDT\nqty=-2', 'qty must be greater than 0'],
    ['action=buy\nsymbol BTCUSDT', 'is not KEY=VALUE'],
  ])('refuses %s', (raw, message) => {
    expect(errorOf(raw)).toContain(message);
  });
});

describe('format detection', () => {
  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['hello there', 'alert not recognised'],
    ['[1,2]', 'must be an object'],
    ['{"foo":1}', 'JSON alert not recognised'],
    ['60123456789,buy,EURUSD,risk=1\n60123456789,sell,EURUSD,risk=1', 'single line'],
  ])('refuses %j', (raw, message) => {
    expect(errorOf(raw)).toContain(message);
  });
  it('ignores a byte order mark and surrounding whitespace', () => {
    expect(intentOf('\uFEFF  {"ticker":"A","action":"buy"}\n').intent.symbol).toBe('A');
  });
});
