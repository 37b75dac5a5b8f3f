import { describe, expect, it } from 'vitest';
import {
  closeParts,
  closesText,
  closesTitle,
  type AttachedClose,
} from '../../../src-renderer/src/screens/accounts/attached-close';

const none = { price: null, offset: null, limitPrice: null, trailPercent: null, trailAmount: null };
const c = (x: Partial<AttachedClose> & Pick<AttachedClose, 'type'>): AttachedClose => ({
  ...none,
  ...x,
});

/** The broker orders table's words for an order's attached closes (its "SL / TP" column). */
describe('attached closes in the broker orders table', () => {
  it.each([
    [[c({ type: 'stop_loss', price: '58000' })], 'SL 58000'],
    [[c({ type: 'take_profit', price: '66000' })], 'TP 66000'],
    [[c({ type: 'trailing_stop', trailPercent: '2' })], 'SL trail 2 %'],
    [[c({ type: 'trailing_stop', trailPercent: '1.5' })], 'SL trail 1.5 %'],
    [[c({ type: 'trailing_stop', trailAmount: '250.5' })], 'SL trail 250.5'],
    [[c({ type: 'stop_loss', price: '22000', limitPrice: '21000' })], 'SL 22000 → limit 21000'],
    [[c({ type: 'take_profit' })], 'TP (relative)'],
    [[c({ type: 'limit', price: '66000' })], 'limit 66000'],
    // A stop-loss and a take-profit on one order (TradeLocker, MetaTrader): both, SL first.
    [
      [c({ type: 'stop_loss', price: '29000' }), c({ type: 'take_profit', price: '33000' })],
      'SL 29000 · TP 33000',
    ],
    [
      [
        c({ type: 'trailing_stop', trailAmount: '0.0025' }),
        c({ type: 'take_profit', price: '1.08' }),
      ],
      'SL trail 0.0025 · TP 1.08',
    ],
    [[], '—'],
    [null, '—'],
  ])('%j on a buy reads %j', (closes, words) => {
    expect(closesText(closes, 'buy')).toBe(words);
  });

  it('writes a distance from the order price on the side it lies: a buy loses below', () => {
    const offsets = [
      c({ type: 'stop_loss', offset: '0.005' }),
      c({ type: 'take_profit', offset: '0.01' }),
    ];
    expect(closesText(offsets, 'buy')).toBe('SL 0.005 below · TP 0.01 above');
    expect(closesText(offsets, 'sell')).toBe('SL 0.005 above · TP 0.01 below');
    // Each close is one phrase the cell keeps on a line.
    expect(closeParts(offsets, 'sell')).toEqual(['SL 0.005 above', 'TP 0.01 below']);
    expect(closeParts(null, 'buy')).toEqual([]);
  });

  it('says in its tooltip what the broker does, and when', () => {
    expect(closesTitle([], 'buy')).toBeUndefined();
    expect(closesTitle(null, 'buy')).toBe(
      "This broker's orders do not say what closes they carry.",
    );
    expect(closesTitle([c({ type: 'trailing_stop', trailAmount: '250.5' })], 'buy', 'USD')).toBe(
      'When it fills, the broker places a stop-loss trailing 250.5 USD behind the best price, for the same quantity, the other way.',
    );
    expect(
      closesTitle([c({ type: 'stop_loss', price: '22000', limitPrice: '21000' })], 'buy'),
    ).toBe(
      'When it fills, the broker places a stop-loss at 22000, then a limit at 21000, for the same quantity, the other way.',
    );
    expect(
      closesTitle(
        [c({ type: 'stop_loss', price: '29000' }), c({ type: 'take_profit', price: '33000' })],
        'buy',
      ),
    ).toBe(
      'When it fills, the broker places a stop-loss at 29000 and a take-profit at 33000, for the same quantity, the other way.',
    );
    expect(
      closesTitle(
        [c({ type: 'stop_loss', offset: '0.005' }), c({ type: 'take_profit', offset: '0.01' })],
        'sell',
      ),
    ).toBe(
      "When it fills, the broker places a stop-loss 0.005 above the order's price and a take-profit 0.01 below the order's price, for the same quantity, the other way.",
    );
  });
});
