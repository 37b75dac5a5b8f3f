import { describe, expect, it } from 'vitest';
import { shrinkToHeld } from '../../../src-main/domain/bots';

describe('shrinkToHeld: what a bot may believe against what the account holds', () => {
  it.each([
    // belief, held, next (null: unchanged)
    ['0', '5', null], // a flat bot adopts nothing
    ['0', '-5', null],
    ['2', '2', null], // all there
    ['2', '7.5', null], // more is someone else's: never adopted
    ['2', '0.5', '0.5'], // part closed outside
    ['2', '0', '0'], // all closed outside
    ['2', '-1', '0'], // closed and reversed by someone else: the short is not the bot's
    ['-3', '-1', '-1'], // a short partly covered
    ['-3', '-4', null],
    ['-3', '0', '0'],
    ['-3', '2', '0'],
  ])('believes %s, account holds %s → %s', (belief, held, next) => {
    expect(shrinkToHeld(belief, held)).toBe(next);
  });
});
