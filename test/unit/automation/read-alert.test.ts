import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { AlertIntentSchema, WEBHOOK_MAX_BYTES } from '../../../src-shared/contract';
import { readAlert } from '../../../src-main/features/automation/read-alert';

/** One body per format and action, as docs/guide/automation.md shows them. */
const BODIES: Record<string, string> = {
  unify: JSON.stringify({
    version: 'unify.v1',
    id: 'u-1',
    token: 'tok',
    intent: {
      side: 'buy',
      type: 'limit',
      symbol: 'BTC/USDT',
      qty: 0.01,
      price: '29000',
      takeProfit: { percent: 2 },
      stopLoss: 28000,
      leverage: 3,
      comment: 'breakout',
      broker: 'Local',
    },
  }),
  'unify exit':
    '{"version":"unify.v1","intent":{"action":"exit","side":"long","symbol":"ETHUSDT"}}',
  traderspost: '{"ticker":"BINANCE:BTCUSDT","action":"sell","quantity":"0.5","passphrase":"p"}',
  'traderspost cancel': '{"ticker":"BTCUSDT","action":"cancel"}',
  pineconnector: '60123456789,buy,EURUSD,risk=0.01,sl=20,tp_pct=1.5,comment=x,id=p-1',
  'pineconnector close': '60123456789,closelong,EURUSD',
  keyvalue: 'action=buy\nsymbol=BTCUSDT\nqty=0.01\ntype=stop\nstop=31000\ntoken=tok',
  octobot: 'SIGNAL=SELL\nSYMBOL=BTCUSDT\nVOLUME=0.2\nPRICE=31000\nSTOP_PRICE=32000\nTAG=t',
};

describe('readAlert: every format reads as an intent the contract schema accepts', () => {
  for (const [name, body] of Object.entries(BODIES)) {
    it(name, () => {
      const r = readAlert(body);
      if (r.status !== 'read') throw new Error(`${name}: ${r.error.message}`);
      // An independent check of the same schema (TypeBox's own, not the door's Ajv).
      expect([...Value.Errors(AlertIntentSchema, r.intent)]).toEqual([]);
    });
  }

  it('keeps the secret the body carried', () => {
    expect(readAlert(BODIES.unify!)).toMatchObject({ status: 'read', secret: 'tok' });
    expect(readAlert(BODIES.pineconnector!)).toMatchObject({ secret: '60123456789' });
  });
});

describe('readAlert refusals', () => {
  it('names what no format reads, with no secret', () => {
    const r = readAlert('{"version":"unify.v1","token":"tok","intent":{"side":"up"}}');
    expect(r.status).toBe('unreadable');
    if (r.status !== 'unreadable') return;
    expect(r.error.code).toBe('alert_unreadable');
    expect(r.error.status).toBe(400);
    expect(r.secret).toBeUndefined();
  });

  it('refuses an intent outside the schema as validation_failed, keeping the secret', () => {
    const r = readAlert('{"ticker":"BTCUSDT","action":"buy","quantity":"1e25","token":"tok"}');
    expect(r.status).toBe('unreadable');
    if (r.status !== 'unreadable') return;
    expect(r.error.code).toBe('validation_failed');
    expect(r.error.details).toEqual({
      fields: [{ field: 'qty', message: expect.stringContaining('pattern') }],
    });
    expect(r.secret).toBe('tok');
  });

  it('takes 20 digits either side of the point, not 21', () => {
    const qty = (q: string) => readAlert(`action=buy\nsymbol=BTCUSDT\nqty=${q}`).status;
    expect(qty('9'.repeat(20))).toBe('read');
    expect(qty(`0.${'0'.repeat(19)}1`)).toBe('read');
    expect(qty('1' + '0'.repeat(20))).toBe('unreadable');
    expect(qty(`0.${'0'.repeat(20)}1`)).toBe('unreadable');
  });

  it('refuses a body over the byte cap before parsing it: no intent, no secret', () => {
    const body = BODIES.keyvalue + `\ncomment=${'x'.repeat(WEBHOOK_MAX_BYTES)}`;
    const r = readAlert(body);
    expect(r).toMatchObject({ status: 'too_large', error: { code: 'payload_too_large' } });
    expect('secret' in r).toBe(false);
  });

  it('counts the cap in UTF-8 bytes, not characters', () => {
    const euros = '€'.repeat(Math.ceil(WEBHOOK_MAX_BYTES / 3) + 1); // 3 bytes each
    expect(euros.length).toBeLessThan(WEBHOOK_MAX_BYTES);
    expect(readAlert(`comment=${euros}`).status).toBe('too_large');
  });
});
