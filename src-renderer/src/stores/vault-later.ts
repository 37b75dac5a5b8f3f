import type { SessionStatus } from './session';

/**
 * "Later" on the secret store's forms (choose the passphrase, unlock it), remembered for the
 * sign-in it was chosen in: kept in `sessionStorage` beside the tab's refresh token, so a
 * reload of the tab does not ask again, and forgotten when that sign-in ends (sign-out, an
 * expired or revoked session, a closed tab, the desktop window reloaded). The next sign-in
 * reminds again: a store without a passphrase means two-factor authentication cannot be on.
 */
export const LATER_KEY = 'bourse.secrets.later';

/** The part of `Storage` used here (tests pass a map). */
export type LaterStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** The tab's storage when there is one (absent in tests and some sandboxes). */
export function tabStorage(): LaterStorage | undefined {
  try {
    return globalThis.sessionStorage;
  } catch {
    return undefined;
  }
}

export function readLater(storage: LaterStorage | undefined): boolean {
  try {
    return storage?.getItem(LATER_KEY) === '1';
  } catch {
    return false;
  }
}

export function writeLater(storage: LaterStorage | undefined, later: boolean): void {
  try {
    if (later) storage?.setItem(LATER_KEY, '1');
    else storage?.removeItem(LATER_KEY);
  } catch {
    // Storage refused (quota, privacy mode): "Later" then lasts until the page reloads.
  }
}

/**
 * True when the sign-in "Later" belonged to is over: the session moved to a state where
 * someone must sign in (or set up) again. A reload passes through `loading` back to
 * `signed-in` and keeps it.
 */
export function signInEnded(prev: SessionStatus, next: SessionStatus): boolean {
  return prev !== next && (next === 'signed-out' || next === 'setup');
}
