import type { StateCreator } from 'zustand';
import type { OperationInput, OperationOutput, StreamPayloads } from '../../../src-shared/contract';

export type AppNotification = StreamPayloads['notifications'];
export type NotificationLevel = AppNotification['level'];

/** How many notifications the panel keeps (the newest); older ones stay on the server. */
export const KEEP = 100;
/** The most ids one `notifications.markRead` takes, and the unread ids one read returns. */
export const PAGE = 500;
/** How long live arrivals gather before they are applied together (a burst of fills). */
export const APPLY_EVERY_MS = 100;
/** How long a toast stays: a warning, and an error (longer: something failed). */
export const TOAST_MS: Record<Exclude<NotificationLevel, 'info'>, number> = {
  warning: 8_000,
  error: 15_000,
};
/** Toasts shown at once; an older one gives way to a newer one. */
export const MAX_TOASTS = 3;

/** A live warning or error shown for a while; repeats of the same one are counted on it. */
export interface Toast {
  key: string;
  notification: AppNotification;
  /** How many arrived while it was shown (a bot refused every bar shows one toast, ×N). */
  count: number;
}

/** What the store needs from the outside: the backend, the stream, the clock and timers. */
export interface NotificationsDeps {
  list(input: OperationInput<'notifications.list'>): Promise<OperationOutput<'notifications.list'>>;
  markRead(
    input: OperationInput<'notifications.markRead'>,
  ): Promise<OperationOutput<'notifications.markRead'>>;
  subscribe(handler: (n: AppNotification) => void): () => void;
  now(): number;
  /** Runs `fn` after `ms`; answers a function that cancels it. */
  later(fn: () => void, ms: number): () => void;
  messageOf(err: unknown): string;
}

export interface NotificationsState {
  /** Newest first (by id: the order the backend created them), at most KEEP. */
  items: AppNotification[];
  /** Ids known to be unread: the server's (up to PAGE) and those arrived since. */
  unreadIds: number[];
  /** The server had more unread than one read returns: the count is a floor. */
  unreadMore: boolean;
  loaded: boolean;
  error?: string;
  toasts: Toast[];
  /** The panel is open. */
  open: boolean;
  /** Subscribes and reads the list (signed in); answers the function that stops and forgets. */
  start(): () => void;
  /** Reads the newest notifications and the unread ones again. */
  load(): Promise<void>;
  markRead(id: number): Promise<void>;
  markAllRead(): Promise<void>;
  dismissToast(key: string): void;
  setOpen(open: boolean): void;
}

/** The newest first by id, each once (a live copy replaces the listed one). */
export function mergeNewestFirst(
  incoming: readonly AppNotification[],
  current: readonly AppNotification[],
  keep = KEEP,
): AppNotification[] {
  const byId = new Map<number, AppNotification>();
  for (const n of current) byId.set(n.id, n);
  for (const n of incoming) byId.set(n.id, n);
  return [...byId.values()].sort((a, b) => b.id - a.id).slice(0, keep);
}

/** What the bell's badge says: nothing at zero, the number, then "99+". */
export function badgeText(count: number, more = false): string {
  if (count <= 0) return '';
  if (count > 99) return '99+';
  return more ? `${count}+` : String(count);
}

/** The bell's accessible name, with the unread count in words. */
export function bellLabel(count: number, more = false): string {
  if (count <= 0) return 'Notifications, none unread';
  return `Notifications, ${more ? 'at least ' : ''}${count} unread`;
}

/** Warnings and errors interrupt with a toast; information waits in the panel. */
export const toastsFor = (n: AppNotification): boolean => n.level !== 'info';

/** The same thing said again (kind and title): one toast, counted. */
const toastKey = (n: AppNotification) => `${n.kind}\u0000${n.title}`;

/** The toasts after `arrived` (oldest first): repeats counted, at most MAX_TOASTS, newest last. */
export function withToasts(
  current: readonly Toast[],
  arrived: readonly AppNotification[],
): Toast[] {
  let toasts = [...current];
  for (const n of arrived) {
    if (!toastsFor(n)) continue;
    const key = toastKey(n);
    const same = toasts.find((t) => t.key === key);
    toasts = toasts.filter((t) => t.key !== key);
    toasts.push({ key, notification: n, count: (same?.count ?? 0) + 1 });
  }
  return toasts.slice(-MAX_TOASTS);
}

/**
 * When a notification was made, as the panel says it: "just now", minutes and hours ago
 * today, then the date and time. `ts` and `now` are epoch milliseconds; `locale` and `timeZone`
 * default to the user's.
 */
export function formatWhen(
  ts: number,
  now: number,
  opts: { locale?: string; timeZone?: string } = {},
): string {
  const seconds = Math.max(0, Math.round((now - ts) / 1000));
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 12) return `${hours} h ago`;
  const { locale, timeZone } = opts;
  const day = (t: number) => new Date(t).toLocaleDateString(locale, { timeZone });
  const time = new Date(ts).toLocaleTimeString(locale, {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
  });
  if (day(ts) === day(now)) return `today ${time}`;
  return `${new Date(ts).toLocaleDateString(locale, { timeZone, day: 'numeric', month: 'short' })} ${time}`;
}

/** The exact time, for a tooltip and the `datetime` attribute's readers. */
export const exactTime = (ts: number): string => new Date(ts).toLocaleString();

const chunks = <T>(all: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < all.length; i += size) out.push(all.slice(i, i + size));
  return out;
};

type Empty = Pick<
  NotificationsState,
  'items' | 'unreadIds' | 'unreadMore' | 'loaded' | 'error' | 'toasts' | 'open'
>;
const EMPTY: Empty = {
  items: [],
  unreadIds: [],
  unreadMore: false,
  loaded: false,
  error: undefined,
  toasts: [],
  open: false,
};

/**
 * The notifications center's state: the newest notifications and the unread ones, kept
 * current by the `notifications` stream. Arrivals gather for APPLY_EVERY_MS and are applied
 * together; a warning or an error also shows a toast for a while. The stream does not replay
 * what a dropped connection missed, so the list is read again on `load` (the panel opening,
 * the window shown again, a timer).
 */
export function notificationsStore(deps: NotificationsDeps): StateCreator<NotificationsState> {
  return (set, get) => {
    let running = false;
    let inbox: AppNotification[] = [];
    let cancelApply: (() => void) | undefined;
    const toastTimers = new Map<string, () => void>();
    // A read started before a stop, or before a newer read, must not land.
    let generation = 0;

    function armToast(t: Toast): void {
      toastTimers.get(t.key)?.();
      const level = t.notification.level === 'error' ? 'error' : 'warning';
      toastTimers.set(
        t.key,
        deps.later(() => get().dismissToast(t.key), TOAST_MS[level]),
      );
    }

    function apply(): void {
      cancelApply = undefined;
      const arrived = inbox;
      inbox = [];
      if (!running || arrived.length === 0) return;
      const s = get();
      const unread = new Set(s.unreadIds);
      for (const n of arrived) if (n.tsRead === null) unread.add(n.id);
      const toasts = withToasts(s.toasts, arrived);
      const kept = new Set(toasts.map((t) => t.key));
      for (const [key, cancel] of toastTimers) {
        if (kept.has(key)) continue;
        cancel();
        toastTimers.delete(key);
      }
      const before = new Map(s.toasts.map((t) => [t.key, t.notification.id]));
      for (const t of toasts) if (before.get(t.key) !== t.notification.id) armToast(t);
      set({ items: mergeNewestFirst(arrived, s.items), unreadIds: [...unread], toasts });
    }

    function onArrival(n: AppNotification): void {
      if (!running) return;
      inbox.push(n);
      cancelApply ??= deps.later(apply, APPLY_EVERY_MS);
    }

    /** Marks `ids` read on the server, then here. */
    async function markOnServer(ids: number[]): Promise<void> {
      for (const part of chunks(ids, PAGE)) await deps.markRead({ ids: part });
      const done = new Set(ids);
      const at = deps.now();
      set((s) => ({
        items: s.items.map((n) => (done.has(n.id) && n.tsRead === null ? { ...n, tsRead: at } : n)),
        unreadIds: s.unreadIds.filter((id) => !done.has(id)),
        error: undefined,
      }));
    }

    return {
      ...EMPTY,
      start() {
        running = true;
        generation += 1;
        const off = deps.subscribe(onArrival);
        void get().load();
        return () => {
          off();
          running = false;
          generation += 1;
          inbox = [];
          cancelApply?.();
          cancelApply = undefined;
          for (const cancel of toastTimers.values()) cancel();
          toastTimers.clear();
          set({ ...EMPTY });
        };
      },
      async load() {
        const mine = ++generation;
        try {
          const [latest, unread] = await Promise.all([
            deps.list({ limit: KEEP }),
            deps.list({ unreadOnly: true, limit: PAGE }),
          ]);
          if (mine !== generation || !running) return;
          // Newer than the newest read: arrived while the read ran, known from the stream.
          const newest = latest.items.reduce((m, n) => Math.max(m, n.id), 0);
          set((s) => {
            const unreadIds = new Set(unread.items.map((n) => n.id));
            for (const id of s.unreadIds) if (id > newest) unreadIds.add(id);
            return {
              items: mergeNewestFirst(
                latest.items,
                s.items.filter((n) => n.id > newest),
              ),
              unreadIds: [...unreadIds],
              unreadMore: unread.items.length >= PAGE,
              loaded: true,
              error: undefined,
            };
          });
        } catch (err) {
          if (mine === generation && running) set({ error: deps.messageOf(err), loaded: true });
        }
      },
      async markRead(id) {
        try {
          await markOnServer([id]);
        } catch (err) {
          set({ error: deps.messageOf(err) });
        }
      },
      async markAllRead() {
        try {
          // The unread beyond one page are read after the first ones are marked.
          for (let round = 0; round < 20; round += 1) {
            const ids = get().unreadIds;
            if (ids.length > 0) await markOnServer(ids);
            if (!get().unreadMore) break;
            await get().load();
          }
          set({ unreadMore: false });
        } catch (err) {
          set({ error: deps.messageOf(err) });
        }
      },
      dismissToast(key) {
        toastTimers.get(key)?.();
        toastTimers.delete(key);
        set((s) => ({ toasts: s.toasts.filter((t) => t.key !== key) }));
      },
      setOpen(open) {
        set({ open });
        if (open && running) void get().load();
      },
    };
  };
}
