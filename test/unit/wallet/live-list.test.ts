import { describe, expect, it } from 'vitest';
import { takeNewest } from '../../../src-renderer/src/screens/wallet/live-list';

const rows = (from: number, to: number) =>
  Array.from({ length: from - to + 1 }, (_, i) => ({ id: from - i }));

describe('the live ledger list', () => {
  it('puts what is newer on top and keeps the older pages already read', () => {
    const shown = rows(10, 1);
    const next = takeNewest(shown, { items: rows(12, 8), nextCursor: 'c' }, 100);
    expect(next?.restart).toBe(false);
    expect(next?.items.map((r) => r.id)).toEqual([12, 11, ...shown.map((r) => r.id)]);
    expect(takeNewest(shown, { items: rows(10, 6), nextCursor: 'c' }, 100)).toBeUndefined();
  });

  it('starts over from the newest page rather than leave a hole', () => {
    const next = takeNewest(rows(10, 1), { items: rows(20, 16), nextCursor: 'after16' }, 100);
    expect(next).toEqual({ items: rows(20, 16), restart: true, cursor: 'after16' });
    // A whole page of news with nothing older behind it is not a hole.
    expect(takeNewest([], { items: rows(3, 1) }, 100)?.restart).toBe(false);
  });

  it('starts over from the newest page once the list would outgrow its bound', () => {
    const shown = rows(98, 1);
    expect(takeNewest(shown, { items: rows(100, 96), nextCursor: 'c' }, 100)?.restart).toBe(false);
    const next = takeNewest(shown, { items: rows(101, 96), nextCursor: 'c96' }, 100);
    expect(next).toEqual({ items: rows(101, 96), restart: true, cursor: 'c96' });
  });
});
