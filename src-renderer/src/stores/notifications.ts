import { create } from 'zustand';
import { client } from '../client/client';
import { notificationsStore } from './notifications-model';
import { call, messageOf } from './session';

/**
 * The notifications center (the bell, its panel and the toasts) for the signed-in user, in
 * the desktop app and in a browser alike: the same `notifications.list` / `markRead` calls
 * and `notifications` stream over IPC or HTTP + WebSocket.
 */
export const useNotifications = create(
  notificationsStore({
    list: (input) => call('notifications.list', input),
    markRead: (input) => call('notifications.markRead', input),
    subscribe: (handler) => client.subscribe('notifications', handler),
    now: () => Date.now(),
    later(fn, ms) {
      const timer = setTimeout(fn, ms);
      return () => clearTimeout(timer);
    },
    messageOf,
  }),
);
