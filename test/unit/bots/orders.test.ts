import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src-shared/contract';
import {
  alertBody,
  botAlertId,
  fillsOf,
  sendOrder,
  type BotAutomation,
} from '../../../src-main/features/bots/orders';
import { readAlert } from '../../../src-main/features/automation/read-alert';
import type { AlertOutcome } from '../../../src-main/features/automation/delivery';

const order = (o: Partial<Record<string, string | null>> & { status: string }) => ({
  orderId: 'o',
  symbol: 'BTC/USDT',
  side: 'buy',
  type: 'market',
  qty: '1',
  filledQty: null,
  avgPrice: null,
  ...o,
});

describe('fillsOf', () => {
  it('weights the average price by filled quantity', () => {
    const f = fillsOf([
      order({ qty: '1', filledQty: '1', avgPrice: '100', status: 'filled' }),
      order({ qty: '3', filledQty: '3', avgPrice: '104', status: 'filled' }),
    ]);
    // (100 + 312) / 4 = 103
    expect(f).toEqual({ qty: '4', avg: '103', unconfirmed: '0' });
  });

  it('counts what was accepted but not reported filled as unconfirmed', () => {
    expect(
      fillsOf([order({ qty: '2', filledQty: '0.5', avgPrice: '10', status: 'open' })]),
    ).toEqual({ qty: '0.5', avg: '10', unconfirmed: '1.5' });
    expect(fillsOf([order({ qty: '2', status: 'pending' })])).toEqual({
      qty: '0',
      avg: null,
      unconfirmed: '2',
    });
  });

  it('takes a final status as final: a cancelled remainder is not held', () => {
    expect(
      fillsOf([order({ qty: '2', filledQty: '0.5', avgPrice: '10', status: 'cancelled' })]),
    ).toEqual({ qty: '0.5', avg: '10', unconfirmed: '0' });
  });
});

describe('the alert a bot sends', () => {
  it('reads as a unify.v1 market entry tagged with the bot', () => {
    const body = alertBody({
      alertId: botAlertId(7, 1_767_604_260_000),
      symbol: 'BTC/USDT',
      side: 'sell',
      qty: '0.0332',
      comment: 'bot 7: cross-down',
    });
    const r = readAlert(body);
    expect(r.status).toBe('read');
    expect(r.status === 'read' && r.intent).toMatchObject({
      format: 'unify',
      action: 'entry',
      side: 'sell',
      type: 'market',
      symbol: 'BTC/USDT',
      qty: '0.0332',
      alertId: 'bot:7:1767604260000',
    });
    expect(botAlertId(7, 5, 'stop')).toBe('bot:7:stop:5');
  });
});

describe('sendOrder: what became of the order', () => {
  const account = { id: 'a1', userId: 'u1', name: 'Paper', enabled: true, venue: 'paper' };
  const automation = (answer: AlertOutcome, log?: ReturnType<BotAutomation['getLog']>) => {
    const asked: number[] = [];
    const a: BotAutomation = {
      pipeline: { read: readAlert, handle: async () => answer },
      getLog: (_u, id) => {
        asked.push(id);
        if (!log) throw new AppError('not_found', 'no log');
        return log;
      },
    };
    return { a, asked };
  };
  const body = alertBody({
    alertId: 'bot:1:1',
    symbol: 'BTC/USDT',
    side: 'buy',
    qty: '1',
    comment: '',
  });

  it('a duplicate answers the first delivery: its fill, read from its log row', async () => {
    const { a, asked } = automation(
      {
        httpStatus: 200,
        answer: {
          success: true,
          orderId: null,
          status: 'duplicate',
          logId: 9,
          message: '',
          duplicateOf: 4,
        },
      },
      {
        status: 'accepted',
        errorCode: null,
        errorMessage: null,
        orders: [order({ qty: '1', filledQty: '1', avgPrice: '50', status: 'filled' })],
      },
    );
    expect(await sendOrder(a, account, body)).toEqual({
      outcome: 'accepted',
      logId: 4,
      errorCode: null,
      error: null,
      filledQty: '1',
      avgPrice: '50',
      unconfirmed: '0',
    });
    expect(asked).toEqual([4]);
  });

  it('a duplicate of a refused delivery is that refusal', async () => {
    const { a } = automation(
      {
        httpStatus: 200,
        answer: {
          success: true,
          orderId: null,
          status: 'duplicate',
          logId: 9,
          message: '',
          duplicateOf: 4,
        },
      },
      {
        status: 'rejected',
        errorCode: 'risk_rejected',
        errorMessage: 'emergency stop',
        orders: [],
      },
    );
    expect(await sendOrder(a, account, body)).toMatchObject({
      outcome: 'rejected',
      errorCode: 'risk_rejected',
      error: 'emergency stop',
      filledQty: '0',
    });
  });

  it('a duplicate without a first log row (a crash inside the pipeline) is unknown', async () => {
    const { a } = automation({
      httpStatus: 200,
      answer: { success: true, orderId: null, status: 'duplicate', logId: 9, message: '' },
    });
    expect(await sendOrder(a, account, body)).toMatchObject({
      outcome: 'unknown',
      logId: null,
      filledQty: '0',
    });
  });

  it('a refusal keeps its code and log row; a venue failure is failed', async () => {
    const refused = new AppError('risk_rejected', 'max position', { logId: 3 }, 422);
    expect(
      await sendOrder(automation({ httpStatus: 422, error: refused }).a, account, body),
    ).toMatchObject({
      outcome: 'rejected',
      logId: 3,
      errorCode: 'risk_rejected',
    });
    const down = new AppError('broker_unavailable', 'down', { logId: 5 }, 503);
    expect(
      await sendOrder(automation({ httpStatus: 503, error: down }).a, account, body),
    ).toMatchObject({
      outcome: 'failed',
      logId: 5,
    });
  });
});
