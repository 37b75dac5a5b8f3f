import { describe, expect, it } from 'vitest';
import {
  closeText,
  closeTitle,
  type AttachedClose,
} from '../../../src-renderer/src/screens/accounts/attached-close';

const none = { price: null, limitPrice: null, trailPercent: null, trailAmount: null };
const c = (x: Partial<AttachedClose> & Pick<AttachedClose, 'type'>): AttachedClose => ({
  ...none,
  ...x,
});

/** The broker orders table's words for an order's attached close (its "SL / TP" column). */
describe('attached close in the broker orders table', () => {
  it.each([
    [null, '—'],
    [c({ type: 'stop_loss', price: '58000' }), 'SL 58000'],
    [c({ type: 'take_profit', price: '66000' }), 'TP 66000'],
    [c({ type: 'trailing_stop', trailPercent: '2' }), 'SL trail 2 %'],
    [c({ type: 'trailing_stop', trailPercent: '1.5' }), 'SL trail 1.5 %'],
    [c({ type: 'trailing_stop', trailAmount: '250.5' }), 'SL trail 250.5'],
    [c({ type: 'stop_loss', price: '22000', limitPrice: '21000' }), 'SL 22000 → limit 21000'],
    [c({ type: 'take_profit' }), 'TP (relative)'],
    [c({ type: 'limit', price: '66000' }), 'limit 66000'],
  ])('%j reads %j', (close, words) => {
    expect(closeText(close)).toBe(words);
  });

  it('says in its tooltip what the broker does, and when', () => {
    expect(closeTitle(null)).toBeUndefined();
    expect(closeTitle(c({ type: 'trailing_stop', trailAmount: '250.5' }), 'USD')).toBe(
      'When it fills, the broker places a stop-loss trailing 250.5 USD behind the best price for the same quantity, the other way.',
    );
    expect(closeTitle(c({ type: 'stop_loss', price: '22000', limitPrice: '21000' }))).toBe(
      'When it fills, the broker places a stop-loss at 22000, then a limit at 21000 for the same quantity, the other way.',
    );
  });
});
