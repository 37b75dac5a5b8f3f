/** Rows the live ledger list grows to before it starts again from the newest page. */
export const LIVE_ROWS_MAX = 1000;

/**
 * The live ledger list after the newest page was read again: what is newer than the list goes
 * on top, and the pages already read stay (so "Older entries" keeps its place). It starts
 * over from the newest page (with that page's cursor) when more arrived than a page holds —
 * rather than show a list with a hole in it — or when the list would outgrow `max`, which a
 * screen left open beside a trading bot otherwise would, a few rows at a time. Undefined:
 * nothing new.
 */
export function takeNewest<T extends { id: number }>(
  shown: readonly T[],
  page: { items: T[]; nextCursor?: string },
  max = LIVE_ROWS_MAX,
): { items: T[]; restart: boolean; cursor?: string } | undefined {
  const newest = shown[0]?.id ?? 0;
  const fresh = page.items.filter((e) => e.id > newest);
  if (fresh.length === 0) return undefined;
  const hole = fresh.length === page.items.length && page.nextCursor !== undefined;
  if (hole || shown.length + fresh.length > max) {
    return { items: page.items, restart: true, cursor: page.nextCursor };
  }
  return { items: [...fresh, ...shown], restart: false };
}
