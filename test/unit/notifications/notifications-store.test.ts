import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import {
  APPLY_EVERY_MS,
  MAX_TOASTS,
  PAGE,
  TOAST_MS,
  badgeText,
  bellLabel,
  formatWhen,
  mergeNewestFirst,
  notificationsStore,
  type AppNotification,
  type NotificationsDeps,
} from '../../../src-renderer/src/stores/notifications-model';

const T0 = Date.UTC(2026, 11, 8, 12, 0, 0);

function note(id: number, over: Partial<AppNotification> = {}): AppNotification {
  return {
    id,
    level: 'info',
    kind: 'brokers.fill',
    title: `Note ${id}`,
    body: '',
    tsCreated: T0 + id * 1000,
    tsRead: null,
    ...over,
  };
}

/**
 * A backend holding notifications (newest first by id), a stream the test pushes into, and a
 * clock with timers the test moves by hand.
 */
function fakeBackend(initial: AppNotification[] = []) {
  const rows = new Map(initial.map((n) => [n.id, { ...n }]));
  const handlers = new Set<(n: AppNotification) => void>();
  const marked: number[][] = [];
  let now = T0;
  let timers: Array<{ at: number; fn: () => void; live: boolean }> = [];
  let failMark = false;
  const deps: NotificationsDeps = {
    list: async ({ unreadOnly, limit }) => {
      // The snapshot is taken when asked; the answer arrives later, as over a network.
      const items = [...rows.values()]
        .filter((n) => !unreadOnly || n.tsRead === null)
        .sort((a, b) => b.id - a.id)
        .slice(0, limit ?? 100)
        .map((n) => ({ ...n }));
      await Promise.resolve();
      return { items };
    },
    markRead: async ({ ids }) => {
      await Promise.resolve();
      if (failMark) throw new Error('backend down');
      if (ids.length > PAGE) throw new Error('too many ids');
      marked.push(ids);
      let updated = 0;
      for (const id of ids) {
        const row = rows.get(id);
        if (row && row.tsRead === null) {
          row.tsRead = now;
          updated += 1;
        }
      }
      return { updated };
    },
    subscribe(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    now: () => now,
    later(fn, ms) {
      const t = { at: now + ms, fn, live: true };
      timers.push(t);
      return () => {
        t.live = false;
      };
    },
    messageOf: (err) => (err instanceof Error ? err.message : String(err)),
  };
  return {
    deps,
    marked,
    subscribers: () => handlers.size,
    /** The backend creates a notification: stored, then pushed on the stream. */
    create(n: AppNotification) {
      rows.set(n.id, { ...n });
      for (const h of handlers) h({ ...n });
    },
    advance(ms: number) {
      now += ms;
      const due = timers.filter((t) => t.live && t.at <= now).sort((a, b) => a.at - b.at);
      timers = timers.filter((t) => !due.includes(t));
      for (const t of due) if (t.live) t.fn();
    },
    failMarking(on: boolean) {
      failMark = on;
    },
    unreadOnServer: () => [...rows.values()].filter((n) => n.tsRead === null).length,
  };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

async function started(initial: AppNotification[] = []) {
  const backend = fakeBackend(initial);
  const store = createStore(notificationsStore(backend.deps));
  const stop = store.getState().start();
  await settle();
  return { backend, store, stop };
}

describe('the notifications center store', () => {
  it('lists the newest first and counts the unread ones from the server', async () => {
    const { store } = await started([
      note(1, { tsRead: T0 }),
      note(3, { level: 'warning' }),
      note(2, { level: 'error' }),
    ]);
    const s = store.getState();
    expect(s.loaded).toBe(true);
    expect(s.items.map((n) => n.id)).toEqual([3, 2, 1]);
    expect([...s.unreadIds].sort()).toEqual([2, 3]);
    expect(s.unreadMore).toBe(false);
  });

  it('shows a live arrival on top and counts it unread, once even if the list read it too', async () => {
    const { backend, store } = await started([note(1)]);
    backend.create(note(2, { level: 'warning', kind: 'automation.rejected' }));
    expect(store.getState().items).toHaveLength(1); // gathered, not yet applied
    backend.advance(APPLY_EVERY_MS);
    expect(store.getState().items.map((n) => n.id)).toEqual([2, 1]);
    expect(store.getState().unreadIds).toHaveLength(2);
    await store.getState().load();
    expect(store.getState().items.map((n) => n.id)).toEqual([2, 1]);
    expect(store.getState().unreadIds).toHaveLength(2);
  });

  it('keeps what arrived while a read was running', async () => {
    const { backend, store } = await started([note(1)]);
    const reading = store.getState().load();
    backend.create(note(5));
    backend.advance(APPLY_EVERY_MS);
    await reading;
    // The read may have started before #5 existed: the stream's copy stays.
    expect(store.getState().items.map((n) => n.id)).toContain(5);
    expect(store.getState().unreadIds).toContain(5);
  });

  it('toasts warnings and errors, not information; repeats count on one toast; toasts go away', async () => {
    const { backend, store } = await started();
    backend.create(note(1, { level: 'info' }));
    backend.create(note(2, { level: 'warning', kind: 'bots.error', title: 'Bot refused' }));
    backend.advance(APPLY_EVERY_MS);
    expect(store.getState().toasts.map((t) => t.notification.id)).toEqual([2]);
    backend.advance(TOAST_MS.warning - 1_000);
    backend.create(note(3, { level: 'warning', kind: 'bots.error', title: 'Bot refused' }));
    backend.advance(APPLY_EVERY_MS);
    const [toast] = store.getState().toasts;
    expect(store.getState().toasts).toHaveLength(1);
    expect(toast!.count).toBe(2);
    expect(toast!.notification.id).toBe(3);
    // The repeat restarted its time: still shown past the first one's end.
    backend.advance(2_000);
    expect(store.getState().toasts).toHaveLength(1);
    backend.advance(TOAST_MS.warning);
    expect(store.getState().toasts).toHaveLength(0);
    backend.create(note(4, { level: 'error', title: 'Emergency stop failed' }));
    backend.advance(APPLY_EVERY_MS + TOAST_MS.warning);
    expect(store.getState().toasts).toHaveLength(1); // an error stays longer
    backend.advance(TOAST_MS.error);
    expect(store.getState().toasts).toHaveLength(0);
  });

  it(`shows at most ${MAX_TOASTS} toasts, the newest`, async () => {
    const { backend, store } = await started();
    for (let id = 1; id <= 5; id += 1) {
      backend.create(note(id, { level: 'warning', title: `Refused ${id}` }));
    }
    backend.advance(APPLY_EVERY_MS);
    expect(store.getState().toasts.map((t) => t.notification.id)).toEqual([3, 4, 5]);
    store.getState().dismissToast(store.getState().toasts[2]!.key);
    expect(store.getState().toasts.map((t) => t.notification.id)).toEqual([3, 4]);
  });

  it('marks one read on the server and here; a failure keeps it unread and says why', async () => {
    const { backend, store } = await started([note(1), note(2)]);
    backend.failMarking(true);
    await store.getState().markRead(2);
    expect(store.getState().error).toBe('backend down');
    expect(store.getState().unreadIds).toContain(2);
    backend.failMarking(false);
    await store.getState().markRead(2);
    expect(backend.marked).toEqual([[2]]);
    expect(store.getState().unreadIds).toEqual([1]);
    expect(store.getState().items.find((n) => n.id === 2)!.tsRead).not.toBeNull();
    expect(store.getState().error).toBeUndefined();
    // Read again from the server (a reload): still read.
    await store.getState().load();
    expect(store.getState().unreadIds).toEqual([1]);
  });

  it('marks all read in pages the server accepts, past the first page of unread', async () => {
    const many = Array.from({ length: PAGE + 20 }, (_, i) => note(i + 1));
    const { backend, store } = await started(many);
    expect(store.getState().unreadIds).toHaveLength(PAGE);
    expect(store.getState().unreadMore).toBe(true);
    expect(badgeText(store.getState().unreadIds.length, true)).toBe('99+');
    await store.getState().markAllRead();
    expect(backend.unreadOnServer()).toBe(0);
    expect(backend.marked.every((ids) => ids.length <= PAGE)).toBe(true);
    expect(store.getState().unreadIds).toEqual([]);
    expect(store.getState().unreadMore).toBe(false);
  });

  it('reads the list again when the panel opens', async () => {
    const { backend, store } = await started([note(1)]);
    // Created while the stream was down: no message came.
    backend.create(note(2));
    store.getState().setOpen(true);
    await settle();
    expect(store.getState().open).toBe(true);
    expect(store.getState().items.map((n) => n.id)).toContain(2);
  });

  it('forgets everything at sign-out and ignores what comes after', async () => {
    const { backend, store, stop } = await started([note(1, { level: 'warning' })]);
    backend.create(note(2, { level: 'warning' }));
    stop();
    expect(backend.subscribers()).toBe(0);
    backend.advance(APPLY_EVERY_MS);
    expect(store.getState().items).toEqual([]);
    expect(store.getState().unreadIds).toEqual([]);
    expect(store.getState().toasts).toEqual([]);
    expect(store.getState().loaded).toBe(false);
  });
});

describe('notification helpers', () => {
  it('merges newest first, each id once, the incoming copy winning', () => {
    const merged = mergeNewestFirst([note(2, { tsRead: 5 }), note(4)], [note(3), note(2)], 3);
    expect(merged.map((n) => n.id)).toEqual([4, 3, 2]);
    expect(merged[2]!.tsRead).toBe(5);
  });

  it('says the unread count on the badge and in words', () => {
    expect(badgeText(0)).toBe('');
    expect(badgeText(7)).toBe('7');
    expect(badgeText(7, true)).toBe('7+');
    expect(badgeText(120)).toBe('99+');
    expect(bellLabel(0)).toBe('Notifications, none unread');
    expect(bellLabel(3)).toBe('Notifications, 3 unread');
  });

  it('says when: just now, minutes, hours, then the time of day or the date', () => {
    const opts = { locale: 'en-GB', timeZone: 'UTC' };
    expect(formatWhen(T0 - 10_000, T0, opts)).toBe('just now');
    expect(formatWhen(T0 + 5_000, T0, opts)).toBe('just now'); // a clock slightly ahead
    expect(formatWhen(T0 - 5 * 60_000, T0, opts)).toBe('5 min ago');
    expect(formatWhen(T0 - 3 * 3_600_000, T0, opts)).toBe('3 h ago');
    const late = Date.UTC(2026, 11, 8, 23, 30);
    expect(formatWhen(Date.UTC(2026, 11, 8, 9, 5), late, opts)).toBe('today 09:05');
    expect(formatWhen(Date.UTC(2026, 11, 6, 9, 5), T0, opts)).toBe('6 Dec 09:05');
  });
});
