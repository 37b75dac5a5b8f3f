import { useNotifications } from '../stores/notifications';
import { client } from './client';

/** Kinds worth interrupting the user for, even when the window is in the background. */
const DESKTOP_KINDS = /^(automation\.|paper\.)/;

/**
 * In the desktop app, fills, risk refusals, margin calls and emergency stops also appear as
 * system notifications (the main process grants the permission to the app's pages only);
 * clicking one brings the window forward with the notifications panel open. In a browser tab
 * nothing is asked: the in-app notifications center (the bell, its panel and the toasts)
 * shows them there, as it does in the desktop app.
 */
export function showDesktopNotifications(): () => void {
  if (!window.bourse || typeof Notification === 'undefined') return () => undefined;
  if (Notification.permission === 'default') void Notification.requestPermission();
  return client.subscribe('notifications', (n) => {
    if (Notification.permission !== 'granted' || !DESKTOP_KINDS.test(n.kind)) return;
    const shown = new Notification(n.title || 'Bourse', { body: n.body, tag: n.kind });
    shown.onclick = () => {
      window.focus();
      useNotifications.getState().setOpen(true);
    };
  });
}
