/** The admin screens' data hooks: load, settle a typed value, page through a list. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { messageOf } from '../../stores/session';
import { latestLoad } from './latest-load';

/**
 * Loads once and on demand; answers [data, error, reload]. `reload` resolves once the
 * fresh data is in state, so a caller can report success only when the screen shows it
 * (a controlled <select> would otherwise snap back to the old value in between).
 */
export function useLoad<T>(
  load: () => Promise<T>,
): [T | undefined, string | undefined, () => Promise<void>] {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  const loadRef = useRef(load);
  useEffect(() => {
    loadRef.current = load;
  });
  const live = useRef(true);
  // Only the latest of overlapping loads lands (see latestLoad).
  const loader = useRef<() => Promise<void>>(undefined);
  const reload = useCallback((): Promise<void> => {
    loader.current ??= latestLoad(
      () => loadRef.current(),
      (outcome) => {
        if (!live.current) return;
        if (outcome.ok) {
          setData(outcome.value);
          setError(undefined);
        } else setError(messageOf(outcome.error));
      },
    );
    return loader.current();
  }, []);
  useEffect(() => {
    live.current = true;
    void reload();
    return () => {
      live.current = false;
    };
  }, [reload]);
  return [data, error, reload];
}

/** The latest value once it has stopped changing for `ms` (typing in a search box). */
export function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return settled;
}

/**
 * A cursor-paged list shown a page at a time. The first page follows `fetchPage` (a new
 * function — new filters — loads it again); older pages hang off the first page they extend,
 * so a new first page (filters changed, Refresh) drops them without an effect.
 */
export function usePages<P extends { items: unknown[]; nextCursor?: string }>(
  fetchPage: (cursor?: string) => Promise<P>,
) {
  const [first, firstError, reload] = useLoad(() => fetchPage());
  // useLoad loads on mount; this loads again only when the filters (fetchPage) change, so
  // opening a tab asks the backend once, not twice.
  const loadedWith = useRef(fetchPage);
  useEffect(() => {
    if (loadedWith.current === fetchPage) return;
    loadedWith.current = fetchPage;
    void reload();
  }, [fetchPage, reload]);
  const [more, setMore] = useState<{ of: P; items: P['items']; cursor?: string }>();
  const [moreError, setMoreError] = useState<string>();
  const [loading, setLoading] = useState(false);
  const extended = more && more.of === first ? more : undefined;
  const items: P['items'] | undefined = first
    ? [...first.items, ...(extended?.items ?? [])]
    : undefined;
  const cursor = extended ? extended.cursor : first?.nextCursor;

  /** The next page after what is shown. */
  const loadMore = async () => {
    if (!cursor || !first) return;
    setLoading(true);
    try {
      const page = await fetchPage(cursor);
      setMore({
        of: first,
        items: [...(extended?.items ?? []), ...page.items],
        cursor: page.nextCursor,
      });
      setMoreError(undefined);
    } catch (err) {
      setMoreError(messageOf(err));
    } finally {
      setLoading(false);
    }
  };
  return { first, items, cursor, error: firstError ?? moreError, loading, loadMore, reload };
}
