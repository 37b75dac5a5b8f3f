import { describe, expect, it } from 'vitest';
import {
  alertOrdersWords,
  answerText,
  logResult,
  testAlertEffect,
  type AlertOrder,
} from '../../../src-renderer/src/screens/automation/alert-words';
import type { TestAnswer } from '../../../src-renderer/src/stores/automation';

const entry: AlertOrder = { role: 'entry', status: 'filled' };
const tp: AlertOrder = { role: 'take_profit', status: 'new' };
const sl: AlertOrder = { role: 'stop_loss', status: 'new' };

const answer = (over: Partial<TestAnswer>): TestAnswer => ({
  success: true,
  orderId: '1',
  status: 'accepted',
  logId: 16,
  message: '3 order(s) on Spot bot',
  ...over,
});

const order = (o: AlertOrder) => ({
  orderId: '1',
  symbol: 'BTC/USDT',
  side: 'buy',
  type: 'market',
  qty: '0.01',
  filledQty: '0.01',
  avgPrice: '30000',
  ...o,
});

describe("an alert's orders in words", () => {
  it('names the take-profit / stop-loss exits apart from the order they protect', () => {
    expect(alertOrdersWords([entry, tp, sl])).toBe('1 order + 2 exits (take-profit and stop-loss)');
    expect(alertOrdersWords([entry, sl])).toBe('1 order + 1 exit (stop-loss)');
    expect(alertOrdersWords([{ status: 'filled' }])).toBe('1 order');
    expect(alertOrdersWords([{ status: 'filled' }, { status: 'new' }])).toBe('2 orders');
    expect(alertOrdersWords([])).toBe('no order');
  });

  it('says when exits were refused', () => {
    const refused = { ...sl, status: 'rejected' };
    expect(alertOrdersWords([entry, refused])).toBe('1 order + 1 exit (stop-loss, refused)');
    expect(alertOrdersWords([entry, tp, refused])).toBe(
      '1 order + 2 exits (take-profit and stop-loss, 1 refused)',
    );
  });

  it("the log row counts the orders as the answer and Details do, never 'order(s)'", () => {
    const row = { status: 'accepted', ordersPlaced: 1, errorMessage: null };
    expect(logResult(row)).toEqual({ text: '1 order', exitsKnown: false });
    // Once the list carries the exits too, the row says them.
    expect(logResult({ ...row, exitsPlaced: 2 } as typeof row)).toEqual({
      text: '1 order + 2 exits',
      exitsKnown: true,
    });
    expect(logResult({ ...row, status: 'rejected', errorMessage: 'max order qty' }).text).toBe(
      'max order qty',
    );
    expect(logResult({ ...row, status: 'duplicate' }).text).toBe('—');
    expect(logResult(row).text).not.toContain('order(s)');
  });

  it("the test alert's answer uses the same words, not the server's total", () => {
    const a = answer({ orders: [order(entry), order(tp), order(sl)] });
    expect(answerText(a, 'Spot bot')).toBe(
      'accepted: 1 order + 2 exits (take-profit and stop-loss) on Spot bot (log #16)',
    );
    expect(answerText(answer({ status: 'duplicate', message: 'duplicate of #3' }), 'X')).toBe(
      'duplicate: duplicate of #3 (log #16)',
    );
  });
});

describe('what a test alert does, said before it is sent', () => {
  it('says it places orders, and asks first unless the account is paper or a demo', () => {
    const paper = testAlertEffect({ name: 'Paper one', venue: 'paper' });
    expect(paper.warning).toMatch(/^Sends a real alert: it places orders on Paper one/);
    expect(paper.confirm).toBeUndefined();
    const local = testAlertEffect({ name: 'Spot bot', venue: 'local' });
    expect(local.warning).toContain('places orders on the local exchange through Spot bot');
    expect(local.confirm).toContain('Spot bot');
    expect(testAlertEffect({ name: 'K', venue: 'kraken', demo: true }).confirm).toBeUndefined();
    const live = testAlertEffect({ name: 'K', venue: 'kraken', demo: false });
    expect(live.warning).toContain('a live account');
    expect(live.confirm).toContain('live account');
    // Not known whether it is a demo: asked, as for a live one.
    expect(testAlertEffect({ name: 'K', venue: 'kraken' }).confirm).toBeDefined();
  });
});
