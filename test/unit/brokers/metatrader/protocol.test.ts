import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  COMMENT_MAX,
  commentFor,
  failureKind,
  type CommandResult,
} from '../../../../src-main/connectors/metatrader/protocol';
import { hashBridgeToken, newBridgeToken } from '../../../../src-main/connectors/metatrader/token';
import {
  SymbolMap,
  orderFromResult,
  toOrder,
} from '../../../../src-main/connectors/metatrader/mapping';

const failed = (retcode: number, bridgeError?: CommandResult['bridgeError']): CommandResult => ({
  ok: false,
  retcode,
  message: 'x',
  executedAt: 0,
  ...(bridgeError ? { bridgeError } : {}),
});

describe('MetaTrader result codes → broker error kinds', () => {
  it.each([
    [10019, 'rejected'], // NO_MONEY
    [10018, 'rejected'], // MARKET_CLOSED
    [10006, 'rejected'], // REJECT
    [10004, 'rejected'], // REQUOTE
    [10014, 'invalid'], // INVALID_VOLUME
    [10015, 'invalid'], // INVALID_PRICE
    [10016, 'invalid'], // INVALID_STOPS
    [10024, 'rate_limited'], // TOO_MANY_REQUESTS
    [10031, 'unavailable'], // CONNECTION
    [10027, 'permission'], // CLIENT_DISABLES_AT
    [10012, 'unknown_outcome'], // TIMEOUT
  ])('MT5 retcode %i is %s', (code, kind) => {
    expect(failureKind('MT5', failed(code))).toBe(kind);
  });

  it.each([
    [134, 'rejected'], // NOT_ENOUGH_MONEY
    [138, 'rejected'], // REQUOTE
    [131, 'invalid'], // INVALID_TRADE_VOLUME
    [130, 'invalid'], // INVALID_STOPS
    [141, 'rate_limited'],
    [6, 'unavailable'], // NO_CONNECTION
    [146, 'unavailable'], // TRADE_CONTEXT_BUSY
    [4109, 'permission'], // TRADE_NOT_ALLOWED
    [128, 'unknown_outcome'], // TRADE_TIMEOUT
  ])('MT4 error %i is %s', (code, kind) => {
    expect(failureKind('MT4', failed(code))).toBe(kind);
  });

  it('the EA refusing before OrderSend is invalid, whatever the code', () => {
    expect(failureKind('MT5', failed(0, 'unknown_symbol'))).toBe('invalid');
    expect(failureKind('MT4', failed(0, 'unsupported'))).toBe('invalid');
    // The same number means different things per platform.
    expect(failureKind('MT5', failed(6))).toBe('rejected');
  });
});

describe('order comments', () => {
  it('keeps a short client id and hashes a long one to 31 characters', () => {
    expect(commentFor('abc-123')).toBe('abc-123');
    const long = 'x'.repeat(40);
    const c = commentFor(long);
    expect(c).toHaveLength(COMMENT_MAX);
    expect(c).toBe(`B${createHash('sha256').update(long).digest('hex').slice(0, 30)}`);
    expect(commentFor('y'.repeat(40))).not.toBe(c);
  });
});

describe('bridge tokens', () => {
  it('are random, prefixed, and stored as their SHA-256', () => {
    const a = newBridgeToken();
    const b = newBridgeToken();
    expect(a.token).toMatch(/^mtb_[A-Za-z0-9_-]{43}$/);
    expect(a.token).not.toBe(b.token);
    expect(a.hash).toBe(createHash('sha256').update(a.token).digest('hex'));
    expect(hashBridgeToken(a.token)).toBe(a.hash);
  });
});

describe('symbol and order mapping', () => {
  it('adds and strips the broker suffix', () => {
    const m = new SymbolMap('.r');
    expect(m.toTerminal('EURUSD')).toBe('EURUSD.r');
    expect(m.toTerminal('EURUSD.r')).toBe('EURUSD.r');
    expect(m.fromTerminal('EURUSD.r')).toBe('EURUSD');
    expect(m.fromTerminal('XAUUSD')).toBe('XAUUSD');
    expect(new SymbolMap('').toTerminal('EURUSD')).toBe('EURUSD');
  });

  it('a pending stop reports its price as the trigger; a stop-limit has both', () => {
    const base = {
      ticket: '1',
      symbol: 'EURUSD',
      side: 'buy' as const,
      volume: '0.10',
      sl: null,
      tp: null,
      comment: '',
      magic: 0,
      setupTime: 10,
    };
    const m = new SymbolMap('');
    expect(
      toOrder({ ...base, type: 'stop', price: '1.2', stopPrice: null }, m, null),
    ).toMatchObject({
      price: null,
      stopPrice: '1.2',
      updatedAt: 10_000,
    });
    expect(
      toOrder({ ...base, type: 'stop_limit', price: '1.21', stopPrice: '1.2' }, m, 'c'),
    ).toMatchObject({ price: '1.21', stopPrice: '1.2', clientOrderId: 'c' });
  });

  it('an open result reads as the order it made, a refusal as rejected with the reason', () => {
    const cmd = {
      action: 'open' as const,
      clientOrderId: 'c1',
      comment: 'c1',
      symbol: 'EURUSD.r',
      side: 'sell' as const,
      type: 'market' as const,
      volume: '1.00',
    };
    const m = new SymbolMap('.r');
    expect(
      orderFromResult(
        cmd,
        {
          ok: true,
          retcode: 10009,
          message: '',
          ticket: '77',
          status: 'filled',
          price: '1.1',
          executedAt: 5,
        },
        m,
      ),
    ).toMatchObject({
      orderId: '77',
      symbol: 'EURUSD',
      status: 'filled',
      filledQty: '1.00',
      avgPrice: '1.1',
    });
    expect(orderFromResult(cmd, failed(10019), m)).toMatchObject({
      status: 'rejected',
      reason: 'x',
    });
  });
});
