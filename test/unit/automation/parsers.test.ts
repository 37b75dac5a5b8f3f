import { describe, expect, it } from 'vitest';
import {
  FX_LOT,
  bracketPrice,
  lotSize,
  parseAlert,
  pipSize,
  resolveUnits,
  type MarketUnits,
} from '../../../src-main/domain/automation';

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
  it('reads intent.broker as TradeFlow writes it', () => {
    expect(
      intentOf(
        '{"version":"unify.v1","intent":{"broker":"Paper","side":"buy","type":"market","symbol":"BTC/USDT","qty":"0.01"}}',
      ).intent,
    ).toMatchObject({ broker: 'paper', side: 'buy', qty: '0.01' });
  });
  it('reads trailing stops (percent or amount, stopPrice as where it starts) and trailing stop-losses', () => {
    expect(
      intentOf(
        '{"version":"unify.v1","intent":{"side":"sell","symbol":"BTC/USDT","qty":"0.1","trailPercent":"1.5"}}',
      ).intent,
    ).toMatchObject({ type: 'stop_market', trailPercent: '1.5' });
    expect(
      intentOf(
        '{"version":"unify.v1","intent":{"side":"buy","type":"stop_market","symbol":"BTC/USDT","qty":"0.1","trailAmount":"250","stopPrice":"31000"}}',
      ).intent,
    ).toMatchObject({ type: 'stop_market', trailAmount: '250', stopPrice: '31000' });
    expect(
      intentOf(
        '{"version":"unify.v1","intent":{"side":"buy","symbol":"BTC/USDT","qty":"0.1","stopLoss":{"type":"trailing_stop","trailAmount":"300"}}}',
      ).intent,
    ).toMatchObject({ type: 'market', stopLoss: { trailAmount: '300' } });
  });
  it('reads cancelOrders on an exit (TradersPost-style: cancel what would reopen it)', () => {
    expect(
      intentOf(
        '{"version":"unify.v1","intent":{"action":"exit","symbol":"BTC/USDT","cancelOrders":true}}',
      ).intent,
    ).toMatchObject({ action: 'exit', exitSide: 'both', cancelOrders: true });
    expect(
      intentOf(
        '{"version":"unify.v1","intent":{"action":"exit","symbol":"BTC/USDT","cancelOrders":false}}',
      ).intent,
    ).not.toHaveProperty('cancelOrders');
  });
  it.each([
    [
      '{"version":"unify.v1","intent":{"side":"sell","symbol":"A/B","trailPercent":"1","trailAmount":"2"}}',
      'not both',
    ],
    [
      '{"version":"unify.v1","intent":{"side":"sell","symbol":"A/B","type":"limit","price":"9","trailPercent":"1"}}',
      'type "stop_market"',
    ],
    [
      '{"version":"unify.v1","intent":{"side":"sell","symbol":"A/B","price":"9","trailAmount":"1"}}',
      'takes no intent.price',
    ],
    [
      '{"version":"unify.v1","intent":{"action":"exit","symbol":"A/B","trailAmount":"1"}}',
      'is for an entry',
    ],
    [
      '{"version":"unify.v1","intent":{"side":"sell","symbol":"A/B","trailAmount":"-1"}}',
      'greater than 0',
    ],
    [
      '{"version":"unify.v1","intent":{"side":"buy","symbol":"A/B","cancelOrders":true}}',
      'cancelOrders is for an exit',
    ],
    [
      '{"version":"unify.v1","intent":{"action":"exit","symbol":"A/B","cancelOrders":"yes"}}',
      'must be true or false',
    ],
    ['{"version":"unify.v2","intent":{}}', 'version must be "unify.v1"'],
    [
      '{"version":"unify.v1","intent":{"broker":"a b","side":"buy","symbol":"A/B"}}',
      'not a venue name',
    ],
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
  it('reads orderType trailing_stop with trailPercent, and stopPrice as where it starts', () => {
    expect(
      intentOf(
        '{"ticker":"AAPL","action":"sell","orderType":"trailing_stop","trailPercent":"5","quantity":1}',
      ).intent,
    ).toEqual({
      format: 'traderspost',
      action: 'entry',
      symbol: 'AAPL',
      side: 'sell',
      type: 'stop_market',
      qty: '1',
      trailPercent: '5',
    });
    expect(
      intentOf(
        '{"ticker":"AAPL","action":"buy","orderType":"Trailing_Stop","trailPercent":1.25,"stopPrice":110}',
      ).intent,
    ).toMatchObject({ type: 'stop_market', side: 'buy', trailPercent: '1.25', stopPrice: '110' });
  });
  it('reads a trailing stop-loss: stopLoss {type: "trailing_stop", trailPercent}', () => {
    expect(
      intentOf(
        '{"ticker":"AAPL","action":"buy","quantity":1,"takeProfit":{"percent":10},"stopLoss":{"type":"trailing_stop","trailPercent":2}}',
      ).intent,
    ).toMatchObject({ takeProfit: { percent: '10' }, stopLoss: { trailPercent: '2' } });
  });
  it('reads trailAmount (a distance in price units) on a trailing stop and a trailing stop-loss', () => {
    expect(
      intentOf(
        '{"ticker":"AAPL","action":"sell","orderType":"trailing_stop","trailAmount":2.5,"quantity":1}',
      ).intent,
    ).toEqual({
      format: 'traderspost',
      action: 'entry',
      symbol: 'AAPL',
      side: 'sell',
      type: 'stop_market',
      qty: '1',
      trailAmount: '2.5',
    });
    expect(
      intentOf(
        '{"ticker":"AAPL","action":"buy","quantity":1,"stopLoss":{"type":"trailing_stop","trailAmount":"1.5"}}',
      ).intent,
    ).toMatchObject({ stopLoss: { trailAmount: '1.5' } });
  });
  it('maps exit, cancel, flat sentiment and add', () => {
    // TradersPost's exit cancels the ticker's open orders, then flattens.
    expect(intentOf('{"ticker":"BTCUSDT","action":"exit"}').intent).toMatchObject({
      action: 'exit',
      exitSide: 'both',
      cancelOrders: true,
    });
    expect(intentOf('{"ticker":"BTCUSDT","action":"cancel"}').intent.action).toBe('cancel');
    expect(
      intentOf('{"ticker":"BTCUSDT","action":"sell","sentiment":"flat"}').intent,
    ).toMatchObject({ action: 'exit', exitSide: 'long', cancelOrders: true });
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
    ['{"ticker":"AMD","action":"sell","trailPercent":1}', 'is read only with orderType'],
    ['{"ticker":"AMD","action":"buy","stopLoss":{"trailPercent":2}}', 'with type "trailing_stop"'],
    [
      '{"ticker":"AMD","action":"buy","stopLoss":{"type":"trailing_stop","trailAmount":2,"trailPercent":1}}',
      'not both',
    ],
    ['{"ticker":"AMD","action":"buy","stopLoss":{"trailAmount":2}}', 'with type "trailing_stop"'],
    ['{"ticker":"AMD","action":"buy","stopLoss":{"type":"trailing_stop"}}', 'needs trailPercent'],
    [
      '{"ticker":"AMD","action":"buy","stopLoss":{"type":"trailing_stop","trailPercent":2,"percent":1}}',
      'takes trailPercent or trailAmount only',
    ],
    [
      '{"ticker":"AMD","action":"buy","takeProfit":{"type":"trailing_stop","trailPercent":2}}',
      'takeProfit cannot trail',
    ],
    ['{"ticker":"AMD","action":"sell","orderType":"trailing_stop"}', 'needs trailPercent'],
    [
      '{"ticker":"AMD","action":"sell","orderType":"trailing_stop","trailAmount":2,"trailPercent":1}',
      'not both',
    ],
    ['{"ticker":"AMD","action":"sell","orderType":"trailing_stop","trailAmount":0}', 'trailAmount'],
    [
      '{"ticker":"AMD","action":"sell","orderType":"trailing_stop","trailPercent":-1}',
      'greater than 0',
    ],
    [
      '{"ticker":"AMD","action":"sell","orderType":"trailing_stop","trailPercent":1,"limitPrice":9}',
      'takes no limitPrice',
    ],
    [
      '{"ticker":"AMD","action":"cancel","orderType":"trailing_stop","trailPercent":1}',
      'buy or sell',
    ],
    ['{"ticker":"{{ticker}}","action":"buy"}', 'placeholder'],
  ])('refuses %s', (raw, message) => {
    expect(errorOf(raw)).toContain(message);
  });
});

describe('PineConnector lines (docs.pineconnector.com/syntax, EA defaults)', () => {
  it('reads the documented examples: risk= in lots, sl= in pips', () => {
    expect(intentOf('60123456789,buy,AUDUSD,risk=0.1')).toEqual({
      secret: '60123456789',
      intent: {
        format: 'pineconnector',
        action: 'entry',
        symbol: 'AUDUSD',
        side: 'buy',
        type: 'market',
        lots: '0.1',
      },
    });
    expect(intentOf('60123456789,sell,GBPJPY,sl=50,risk=1').intent).toMatchObject({
      side: 'sell',
      stopLoss: { pips: '50' },
      lots: '1',
    });
    expect(intentOf('60123456789, closelong , GBPUSD').intent).toMatchObject({
      action: 'exit',
      exitSide: 'long',
    });
  });
  it('reads the explicit parameters: vol_lots=, sl_pips=, sl_price=, tp_pct=, secret=', () => {
    const p = intentOf('60123456789,sell,EURUSD,vol_lots=1, secret=HappyTrader501');
    expect(p.secret).toBe('HappyTrader501');
    expect(p.intent).toMatchObject({ side: 'sell', lots: '1' });
    expect(
      intentOf('60123456789,buy,EURUSD,risk=1,sl_price=1.0650,tp_pct=2.5').intent,
    ).toMatchObject({ stopLoss: { price: '1.065' }, takeProfit: { percent: '2.5' } });
    expect(intentOf('60123456789,buy,EURUSD,risk=1,sl_pips=20,tp=40').intent).toMatchObject({
      stopLoss: { pips: '20' },
      takeProfit: { pips: '40' },
    });
  });
  it('reads pending orders (price= is the price), comments and partial closes', () => {
    const p = intentOf('tok123,buylimit,EURUSD,vol_lots=2,price=1.0850,tp=50,comment="strategy 1"');
    expect(p.intent).toMatchObject({
      type: 'limit',
      price: '1.085',
      lots: '2',
      takeProfit: { pips: '50' },
      comment: 'strategy 1',
    });
    expect(intentOf('id,sellstop,EURUSD,risk=1,price=1.05').intent).toMatchObject({
      type: 'stop_market',
      stopPrice: '1.05',
    });
    expect(intentOf('id,closeshort,EURUSD,risk=0.5').intent).toMatchObject({
      action: 'exit',
      exitSide: 'short',
      lots: '0.5',
    });
  });
  it.each([
    ['60123456789,buy', 'needs LicenseID,command,symbol'],
    ['60123456789,hodl,EURUSD,risk=1', '"hodl" is not a PineConnector command'],
    ['60123456789,buylimit,EURUSD,risk=1', 'needs price='],
    ['60123456789,buy,EURUSD,risk=1,sell', 'is not key=value'],
    ['60123456789,buy,EURUSD,risk=1,lots=2', 'unknown parameter "lots" (accepted: risk, vol_lots'],
    ['60123456789,buy,EURUSD,risk=1,vol_lots=2', 'either risk= or vol_lots='],
    ['60123456789,buy,EURUSD,risk=0', 'risk must be greater than 0'],
    ['60123456789,buy,EURUSD,risk=1,sl=20,sl_price=1.05', 'give one of sl=, sl_price='],
    ['60123456789,sell,GBPJPY,vol_dollar=50,sl_pips=20', 'vol_dollar= sizes from the MetaTrader'],
    ['60123456789,buy,EURUSD,risk=1,betrigger=10', 'betrigger= (breakeven) is a feature'],
    ['60123456789,buy,EURUSD,risk=1,spread=2', 'spread filter'],
    ['60123456789,newsltplong,EURUSD,sl=1', 'not supported'],
    ['60123456789,closelongbuy,EURUSD,risk=1', 'not supported'],
  ])('refuses %s', (raw, message) => {
    expect(errorOf(raw)).toContain(message);
  });
});

describe('lots and pips per market (resolveUnits)', () => {
  const eurusd = { symbol: 'EUR/USD', base: 'EUR', quote: 'USD', tickSize: '0.0001' };
  const usdjpy = { symbol: 'USD/JPY', base: 'USD', quote: 'JPY', tickSize: '0.001' };
  const btc = { symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', tickSize: '0.01' };
  const resolved = (raw: string, m: MarketUnits) => {
    const r = resolveUnits(intentOf(raw).intent, m);
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  };
  it('FX: 1 lot = 100,000 base; a pip is 0.0001, 0.01 against JPY', () => {
    expect(pipSize(eurusd)).toBe('0.0001');
    expect(pipSize(usdjpy)).toBe('0.01');
    expect(lotSize(eurusd)).toBe(FX_LOT);
    expect(resolved('60123456789,buy,EURUSD,risk=0.01,sl=12,tp=25', eurusd)).toMatchObject({
      qty: '1000',
      lots: '0.01',
      stopLoss: { amount: '0.0012' },
      takeProfit: { amount: '0.0025' },
    });
    expect(resolved('60123456789,sell,USDJPY,sl=50,risk=1', usdjpy)).toMatchObject({
      qty: '100000',
      stopLoss: { amount: '0.5' },
    });
  });
  it('a pip entry with sl=12 at 1.0567 puts the stop at 1.0555 (the EA guide example)', () => {
    const i = resolved('60123456789,buy,EURUSD,risk=1,sl=12', eurusd);
    expect(bracketPrice(i.stopLoss!, 'stopLoss', 'buy', '1.0567', 4)).toBe('1.0555');
  });
  it('other markets: the pip is the tick, the lot the declared contract size', () => {
    expect(pipSize(btc)).toBe('0.01');
    expect(
      resolved('1,buy,BTCUSDT,risk=2,sl=500', { ...btc, contractSize: '0.001' }),
    ).toMatchObject({ qty: '0.002', stopLoss: { amount: '5' } });
  });
  it('refuses lots where Bourse cannot know the lot, and pips without a tick', () => {
    const r = resolveUnits(intentOf('1,buy,BTCUSDT,risk=0.02').intent, btc);
    expect(r.ok || r.error.code).toBe('lot_size_unknown');
    expect(r.ok || r.error.message).toContain('does not know the lot of BTC/USDT');
    const { tickSize: _t, ...noTick } = btc;
    const p = resolveUnits(intentOf('1,buy,BTCUSDT,sl=5').intent, noTick);
    expect(p.ok || p.error.code).toBe('pip_size_unknown');
  });
  it('leaves intents without lots or pips unchanged', () => {
    const i = intentOf('{"ticker":"BTCUSDT","action":"buy","quantity":"0.5"}').intent;
    expect(resolveUnits(i, btc)).toEqual({ ok: true, value: i });
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

describe('OctoBot KEY=VALUE alerts (octobot.cloud TradingView alert format)', () => {
  it('reads the minimal documented alert and the additional parameters', () => {
    expect(intentOf('EXCHANGE=binance\nSYMBOL=BTCUSDT\nSIGNAL=BUY').intent).toEqual({
      format: 'keyvalue',
      action: 'entry',
      symbol: 'BTCUSDT',
      side: 'buy',
      type: 'market',
    });
    expect(
      intentOf(
        'EXCHANGE=binance\nSYMBOL=BTCUSDT\nSIGNAL=BUY\nORDER_TYPE=LIMIT\nVOLUME=0.01\nPRICE=42000\nSTOP_PRICE=38000\nTAKE_PROFIT_PRICE=55000\nTAG=swing',
      ).intent,
    ).toEqual({
      format: 'keyvalue',
      action: 'entry',
      symbol: 'BTCUSDT',
      side: 'buy',
      type: 'limit',
      qty: '0.01',
      price: '42000',
      stopLoss: { price: '38000' },
      takeProfit: { price: '55000' },
      comment: 'swing',
    });
  });
  it('separates with ";", reads STOP orders, REDUCE_ONLY exits and CANCEL', () => {
    expect(
      intentOf('SYMBOL=ETHUSDT;SIGNAL=SELL;ORDER_TYPE=STOP;STOP_PRICE=2000;VOLUME=1').intent,
    ).toMatchObject({ side: 'sell', type: 'stop_market', stopPrice: '2000', qty: '1' });
    expect(intentOf('SYMBOL=BTCUSDT;SIGNAL=SELL;VOLUME=0.5;REDUCE_ONLY=true').intent).toMatchObject(
      { action: 'exit', exitSide: 'long', qty: '0.5' },
    );
    expect(intentOf('EXCHANGE=binance\nSYMBOL=BTCUSDT\nSIGNAL=CANCEL').intent).toMatchObject({
      action: 'cancel',
    });
  });
  it.each([
    ['SYMBOL=BTCUSDT\nSIGNAL=HOLD', 'SIGNAL "HOLD" must be BUY, SELL or CANCEL'],
    ['SYMBOL=BTCUSDT\nSIGNAL=BUY\nVOLUME=2%', 'VOLUME=2% is a share of the portfolio'],
    ['SYMBOL=BTCUSDT\nSIGNAL=BUY\nVOLUME=12a%', 'share of the portfolio'],
    ['SYMBOL=BTCUSDT\nSIGNAL=BUY\nORDER_TYPE=ICEBERG', 'must be MARKET, LIMIT or STOP'],
    ['SYMBOL=BTCUSDT\nSIGNAL=BUY\nREDUCE_ONLY=maybe', 'REDUCE_ONLY must be true or false'],
    ['SYMBOL=BTCUSDT\nSIGNAL=BUY\nTAKE_PROFIT_PRICE_1=5', 'one take-profit'],
    ['SYMBOL=BTCUSDT\nSIGNAL=BUY\nACTION=buy', 'cannot be mixed with SIGNAL'],
    ['SYMBOL=BTCUSDT\nSIGNAL=BUY\nLEVERAGE_X=2', 'unknown key "leverage_x" (accepted: ACTION,'],
    ['SYMBOL=BTCUSDT\nVOLUME=1\nACTION=buy', 'VOLUME is an OctoBot key'],
    ['SYMBOL=BTCUSDT\nSIGNAL=BUY\nORDER_TYPE=LIMIT', 'needs price'],
  ])('refuses %j', (raw, message) => {
    expect(errorOf(raw)).toContain(message);
  });
  it('lists every accepted key with an unknown one', () => {
    const r = parseAlert('EXCHANGE=binance\nSYMBOL=BTCUSDT\nSIGNAL=BUY\nFOO=1');
    expect(r.ok || r.error.details).toMatchObject({
      field: 'foo',
      accepted: expect.arrayContaining(['EXCHANGE', 'SIGNAL', 'VOLUME', 'REDUCE_ONLY', 'TAG']),
    });
  });
});

describe('unknown JSON fields', () => {
  it.each([
    ['{"ticker":"BTCUSDT","action":"buy","quantity":"0.001","foo":1}', 'foo', 'quantity'],
    [
      '{"version":"unify.v1","intent":{"side":"buy","symbol":"A/B","sise":1}}',
      'intent.sise',
      'side',
    ],
    ['{"version":"unify.v1","bogus":1,"intent":{"side":"buy","symbol":"A/B"}}', 'bogus', 'intent'],
    ['{"ticker":"AMD","action":"buy","stopLoss":{"price":9,"pct":1}}', 'stopLoss.pct', 'percent'],
  ])('refuses %s, listing the accepted ones', (raw, field, oneAccepted) => {
    const r = parseAlert(raw);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.message).toMatch(/\(accepted: .+\)$/);
    expect(r.error.details).toMatchObject({
      field,
      accepted: expect.arrayContaining([oneAccepted]),
    });
  });
});

describe('TradingView placeholders left in the body', () => {
  it.each([
    [
      '{"ticker":"BTCUSDT","action":"buy","quantity":{{strategy.order.contracts}}}',
      '{{strategy.order.contracts}}',
    ],
    [
      '{"ticker":"{{ticker}}","action":"{{strategy.order.action}}"}',
      '{{ticker}}, {{strategy.order.action}}',
    ],
    ['1,buy,{{ticker}},risk=1', '{{ticker}}'],
    ['EXCHANGE={{exchange}}\nSYMBOL=BTCUSDT\nSIGNAL=BUY', '{{exchange}}'],
  ])('names them instead of failing to parse: %s', (raw, named) => {
    const r = parseAlert(raw);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('alert_unreadable');
    expect(r.error.message).toContain(`placeholder`);
    expect(r.error.message).toContain(named);
    expect(r.error.message).not.toContain('JSON');
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
