import { useEffect, useRef, useState } from 'react';
import {
  badgeText,
  bellLabel,
  exactTime,
  formatWhen,
  type AppNotification,
  type NotificationLevel,
} from '../stores/notifications-model';
import { useNotifications } from '../stores/notifications';
import './notifications.css';

/** While the window is shown, the list is read again this often (a dropped socket misses some). */
const RESYNC_MS = 60_000;

const LEVEL_LABEL: Record<NotificationLevel, string> = {
  info: 'Info',
  warning: 'Warning',
  error: 'Error',
};

const LEVEL_PATH: Record<NotificationLevel, string> = {
  info: 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM12 11v5M12 8h.01',
  warning: 'M12 3l10 18H2L12 3zM12 10v5M12 18h.01',
  error: 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM9 9l6 6M15 9l-6 6',
};

function Icon(props: { d: string; size?: number }) {
  const size = props.size ?? 16;
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.9"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
    >
      <path d={props.d} />
    </svg>
  );
}

const BELL = 'M6 16V11a6 6 0 1 1 12 0v5l2 2H4l2-2zM10 20a2 2 0 0 0 4 0';

/** The level, as an icon and a word (colour is never the only cue). */
function Level(props: { level: NotificationLevel }) {
  return (
    <span className={`notif-level notif-level-${props.level}`}>
      <Icon d={LEVEL_PATH[props.level]} size={14} />
      {LEVEL_LABEL[props.level]}
    </span>
  );
}

/** The current time, ticking while shown, so "5 min ago" stays true. */
function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/**
 * Keeps the center live while someone is signed in: subscribes and reads the list, reads it
 * again when the window is shown again and every minute, and forgets it all at sign-out.
 */
export function useNotificationsCenter(active: boolean): void {
  useEffect(() => {
    if (!active) return undefined;
    const stop = useNotifications.getState().start();
    const resync = () => {
      if (document.visibilityState === 'visible') void useNotifications.getState().load();
    };
    const timer = setInterval(resync, RESYNC_MS);
    document.addEventListener('visibilitychange', resync);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', resync);
      stop();
    };
  }, [active]);
}

function NotificationItem(props: { n: AppNotification; unread: boolean; now: number }) {
  const { n, unread, now } = props;
  const markRead = useNotifications((s) => s.markRead);
  return (
    <li className={`notif-item notif-${n.level}${unread ? ' unread' : ''}`}>
      <div className="notif-line">
        <Level level={n.level} />
        {unread ? (
          <span className="notif-unread-dot" title="Unread">
            <span className="visually-hidden">Unread</span>
          </span>
        ) : null}
        <span className="spacer" />
        <time
          className="notif-time"
          dateTime={new Date(n.tsCreated).toISOString()}
          title={exactTime(n.tsCreated)}
        >
          {formatWhen(n.tsCreated, now)}
        </time>
      </div>
      <p className="notif-title">{n.title || 'Bourse'}</p>
      {n.body ? <p className="notif-body">{n.body}</p> : null}
      {unread ? (
        <button
          className="btn-link notif-mark"
          onClick={() => void markRead(n.id)}
          aria-label={`Mark "${n.title}" as read`}
        >
          Mark as read
        </button>
      ) : null}
    </li>
  );
}

function Panel(props: { onClose(): void }) {
  const { items, unreadIds, unreadMore, loaded, error, markAllRead } = useNotifications();
  const now = useNow(30_000);
  const unread = new Set(unreadIds);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <div
      ref={ref}
      id="notifications-panel"
      className="notif-panel"
      role="dialog"
      aria-labelledby="notif-heading"
      tabIndex={-1}
      onKeyDown={(e) => {
        if (e.key === 'Escape') props.onClose();
      }}
    >
      <header className="notif-head">
        <h2 id="notif-heading">Notifications</h2>
        {items.length > 0 ? (
          <span className="notif-count muted">
            {unreadIds.length > 0
              ? `${unreadIds.length}${unreadMore ? '+' : ''} unread`
              : 'All read'}
          </span>
        ) : null}
        <span className="spacer" />
        <button
          className="btn small"
          onClick={() => void markAllRead()}
          disabled={unreadIds.length === 0}
        >
          Mark all as read
        </button>
        <button className="notif-close" onClick={props.onClose} aria-label="Close notifications">
          <Icon d="M6 6l12 12M18 6L6 18" />
        </button>
      </header>
      {error ? (
        <p className="error-text notif-problem" role="alert">
          {error}
        </p>
      ) : null}
      {items.length === 0 ? (
        <p className="muted notif-empty">
          {loaded
            ? 'Nothing yet. Risk refusals, emergency stops, exits not placed, margin calls and bot problems show up here.'
            : 'Loading…'}
        </p>
      ) : (
        <ol className="notif-list" aria-label="Newest first">
          {items.map((n) => (
            <NotificationItem key={n.id} n={n} unread={unread.has(n.id)} now={now} />
          ))}
        </ol>
      )}
    </div>
  );
}

/** The bell with the unread count, and the panel it opens. */
export function NotificationsBell() {
  const count = useNotifications((s) => s.unreadIds.length);
  const more = useNotifications((s) => s.unreadMore);
  const open = useNotifications((s) => s.open);
  const setOpen = useNotifications((s) => s.setOpen);
  const bell = useRef<HTMLButtonElement>(null);
  const wrap = useRef<HTMLDivElement>(null);
  const close = () => {
    setOpen(false);
    bell.current?.focus();
  };
  useEffect(() => {
    if (!open) return undefined;
    const outside = (e: MouseEvent) => {
      if (wrap.current && !wrap.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', outside);
    return () => document.removeEventListener('mousedown', outside);
  }, [open, setOpen]);
  const badge = badgeText(count, more);
  return (
    <div className="notif-anchor" ref={wrap}>
      <button
        ref={bell}
        className={`notif-bell${open ? ' open' : ''}`}
        aria-label={bellLabel(count, more)}
        aria-expanded={open}
        aria-controls={open ? 'notifications-panel' : undefined}
        aria-haspopup="dialog"
        title="Notifications"
        onClick={() => setOpen(!open)}
      >
        <Icon d={BELL} size={18} />
        {badge ? (
          <span className="notif-badge" data-testid="notifications-unread" aria-hidden="true">
            {badge}
          </span>
        ) : null}
      </button>
      {open ? <Panel onClose={close} /> : null}
    </div>
  );
}

/** New warnings and errors for a few seconds, above the status bar. */
export function NotificationToasts() {
  const toasts = useNotifications((s) => s.toasts);
  const dismiss = useNotifications((s) => s.dismissToast);
  const setOpen = useNotifications((s) => s.setOpen);
  return (
    <section className="notif-toasts" aria-label="New notifications" aria-live="polite">
      {toasts.map(({ key, notification: n, count }) => (
        <div
          key={key}
          className={`notif-toast notif-${n.level}`}
          role={n.level === 'error' ? 'alert' : undefined}
        >
          <div className="notif-line">
            <Level level={n.level} />
            {count > 1 ? <span className="badge notif-repeat">×{count}</span> : null}
            <span className="spacer" />
            <button
              className="notif-close"
              onClick={() => dismiss(key)}
              aria-label={`Dismiss "${n.title}"`}
            >
              <Icon d="M6 6l12 12M18 6L6 18" size={14} />
            </button>
          </div>
          <p className="notif-title">{n.title || 'Bourse'}</p>
          {n.body ? <p className="notif-body notif-clamp">{n.body}</p> : null}
          <button
            className="btn-link notif-mark"
            onClick={() => {
              dismiss(key);
              setOpen(true);
            }}
          >
            Open notifications
          </button>
        </div>
      ))}
    </section>
  );
}
