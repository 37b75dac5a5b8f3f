import { describe, expect, it } from 'vitest';
import {
  LATER_KEY,
  readLater,
  signInEnded,
  writeLater,
  type LaterStorage,
} from '../../../src-renderer/src/stores/vault-later';
import type { SessionStatus } from '../../../src-renderer/src/stores/session';

function memoryStorage(): LaterStorage & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
  };
}

describe('"Later" on the secret store forms', () => {
  it('is remembered in the tab across a reload, and forgotten when asked again', () => {
    const tab = memoryStorage();
    expect(readLater(tab)).toBe(false);
    writeLater(tab, true);
    // A reload reads the same tab storage.
    expect(readLater(tab)).toBe(true);
    expect(tab.map.get(LATER_KEY)).toBe('1');
    writeLater(tab, false);
    expect(readLater(tab)).toBe(false);
  });

  it('survives a storage that refuses (privacy mode): remembered in memory only', () => {
    const refusing: LaterStorage = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
      removeItem: () => undefined,
    };
    expect(() => writeLater(refusing, true)).not.toThrow();
    expect(readLater(refusing)).toBe(false);
    expect(readLater(undefined)).toBe(false);
  });

  it('lasts one sign-in: a reload keeps it, a sign-out or an ended session resets it', () => {
    const path = (...steps: SessionStatus[]) =>
      steps.slice(1).some((next, i) => signInEnded(steps[i]!, next));
    // Browser reload: loading, then the refresh token signs in again.
    expect(path('signed-in', 'loading', 'signed-in')).toBe(false);
    // Signing out, or a refresh token refused at reload (expired, revoked).
    expect(path('signed-in', 'signed-out')).toBe(true);
    expect(path('signed-in', 'loading', 'signed-out')).toBe(true);
    // The desktop app keeps no token: a reload means signing in again.
    expect(path('loading', 'signed-out', 'two-factor', 'signed-in')).toBe(true);
    // "Continue without unlocking" before sign-in carries into that sign-in.
    expect(path('signed-out', 'two-factor', 'signed-in')).toBe(false);
  });
});
