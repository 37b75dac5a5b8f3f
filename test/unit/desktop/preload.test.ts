import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { BourseBridge } from '../../../src-preload/index';

// The preload with `electron` stubbed: what the sandboxed renderer gets through the bridge.
const state = vi.hoisted(() => ({
  bridge: undefined as unknown,
  listeners: new Map<string, (event: unknown, ...args: unknown[]) => void>(),
  sent: [] as unknown[][],
}));

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, api: unknown) => {
      if (key === 'bourse') state.bridge = api;
    },
  },
  ipcRenderer: {
    on: (channel: string, fn: (event: unknown, ...args: unknown[]) => void) =>
      state.listeners.set(channel, fn),
    send: (...args: unknown[]) => state.sent.push(args),
    invoke: vi.fn(),
  },
}));

beforeAll(async () => {
  await import('../../../src-preload/index');
});

describe('preload bridge (electron stubbed)', () => {
  it('hands each stream message of one IPC message to every subscriber, in order', () => {
    const bridge = state.bridge as BourseBridge;
    const seen: Array<[string, unknown]> = [];
    const stop1 = bridge.subscribe(['orders'], (m) => seen.push(['one', m.seq]), 'tok');
    const stop2 = bridge.subscribe(['fills'], (m) => seen.push(['two', m.seq]));
    expect(state.sent).toEqual([
      ['bourse:subscribe', ['orders'], 'tok'],
      ['bourse:subscribe', ['fills'], undefined],
    ]);
    const deliver = state.listeners.get('bourse:event')!;
    deliver({}, [
      { stream: 'orders', seq: 1, data: null },
      { stream: 'fills', seq: 2, data: null },
    ]);
    expect(seen).toEqual([
      ['one', 1],
      ['two', 1],
      ['one', 2],
      ['two', 2],
    ]);
    // Anything but a list is not a delivery.
    deliver({}, { stream: 'orders', seq: 3, data: null });
    expect(seen).toHaveLength(4);
    stop1();
    stop2();
    deliver({}, [{ stream: 'orders', seq: 4, data: null }]);
    expect(seen).toHaveLength(4);
    expect(state.sent.slice(2)).toEqual([
      ['bourse:unsubscribe', ['orders']],
      ['bourse:unsubscribe', ['fills']],
    ]);
  });
  it('unsubscribes a stream only when its last subscriber leaves (two screens, one stream)', () => {
    const bridge = state.bridge as BourseBridge;
    state.sent.length = 0;
    const seen: string[] = [];
    const stopA = bridge.subscribe(['notifications'], () => seen.push('a'));
    const stopB = bridge.subscribe(['notifications', 'orders'], () => seen.push('b'));
    stopA();
    stopA(); // a second call is a no-op, not a second unsubscribe
    expect(state.sent.filter((m) => m[0] === 'bourse:unsubscribe')).toEqual([]);
    state.listeners.get('bourse:event')!({}, [{ stream: 'notifications', seq: 1, data: null }]);
    expect(seen).toEqual(['b']);
    stopB();
    expect(state.sent.filter((m) => m[0] === 'bourse:unsubscribe')).toEqual([
      ['bourse:unsubscribe', ['notifications', 'orders']],
    ]);
  });
});
