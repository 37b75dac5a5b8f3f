import { describe, expect, it, vi } from 'vitest';
import { BackendHost } from '../../../src-main/desktop/backend-host';
import { isTrustedSender, registerIpc, type BackendLink } from '../../../src-main/desktop/ipc-main';
import { isAppUrl } from '../../../src-main/desktop/security';
import { IPC_CHANNELS, type FromBackend } from '../../../src-shared/ipc';

const isApp = (url: string) => isAppUrl(url);
const APP = 'app://bourse/index.html';

function fakeIpc() {
  const handlers = new Map<string, (...args: unknown[]) => unknown>();
  return {
    handlers,
    handle: (ch: string, fn: (...args: unknown[]) => unknown) => handlers.set(ch, fn),
    on: (ch: string, fn: (...args: unknown[]) => unknown) => handlers.set(ch, fn),
  };
}

type FakeFrame = {
  url: string;
  parent: FakeFrame | null;
  detached: boolean;
  processId: number;
  routingId: number;
  isDestroyed(): boolean;
};

function frame(url: string, routingId: number, parent: FakeFrame | null = null): FakeFrame {
  return { url, parent, detached: false, processId: 11, routingId, isDestroyed: () => false };
}

/**
 * An IPC event as Electron 41 builds it: the sending frame, and the WebContents with its main
 * frame. By default the sender is that main frame, showing `url`.
 */
function event(url: string | null, id = 7, sentBy?: (main: FakeFrame) => FakeFrame | null) {
  const mainFrame = frame(url ?? APP, 1);
  const senderFrame = url === null ? null : sentBy ? sentBy(mainFrame) : mainFrame;
  return { senderFrame, sender: { id, mainFrame, isDestroyed: () => false } };
}

describe('IPC sender check', () => {
  it('trusts only the main frame of our own UI', () => {
    expect(isTrustedSender(event(APP) as never, isApp)).toBe(true);
    expect(isTrustedSender(event('app://bourse/index.html#/trade') as never, isApp)).toBe(true);
    // The same frame reached through another WebFrameMain object.
    expect(isTrustedSender(event(APP, 7, (m) => ({ ...m })) as never, isApp)).toBe(true);
    expect(isTrustedSender(event('https://evil.example/') as never, isApp)).toBe(false);
    expect(isTrustedSender(event('file:///app/out/renderer/index.html') as never, isApp)).toBe(
      false,
    );
    expect(isTrustedSender(event(null) as never, isApp)).toBe(false);
  });

  it('refuses a subframe, even one showing the app, and a detached or destroyed frame', () => {
    const sub = (m: FakeFrame) => frame(APP, 2, m);
    expect(isTrustedSender(event(APP, 7, sub) as never, isApp)).toBe(false);
    const foreignSub = (m: FakeFrame) => frame('https://evil.example/', 2, m);
    expect(isTrustedSender(event(APP, 7, foreignSub) as never, isApp)).toBe(false);
    // A top-level frame that is not this WebContents' main frame (e.g. a replaced document).
    const other = () => frame(APP, 3);
    expect(isTrustedSender(event(APP, 7, other) as never, isApp)).toBe(false);
    const detached = (m: FakeFrame) => ({ ...m, detached: true });
    expect(isTrustedSender(event(APP, 7, detached) as never, isApp)).toBe(false);
    const destroyed = (m: FakeFrame) => ({ ...m, isDestroyed: () => true });
    expect(isTrustedSender(event(APP, 7, destroyed) as never, isApp)).toBe(false);
    const gone = { ...event(APP), sender: { ...event(APP).sender, isDestroyed: () => true } };
    expect(isTrustedSender(gone as never, isApp)).toBe(false);
  });

  it('refuses calls and subscriptions from untrusted senders', async () => {
    const ipc = fakeIpc();
    const link: BackendLink = { call: vi.fn(async () => 'ok'), post: vi.fn() };
    registerIpc(ipc as never, link, isApp);
    const call = ipc.handlers.get(IPC_CHANNELS.call)!;
    await expect(call(event('https://evil.example/'), 'system.health', {})).rejects.toThrow(
      /Untrusted/,
    );
    expect(link.call).not.toHaveBeenCalled();
    await expect(call(event('app://bourse/x'), 'system.health', {}, 'tok')).resolves.toBe('ok');
    expect(link.call).toHaveBeenCalledWith('system.health', {}, 'tok');
    // A subframe of our own window is refused too.
    await expect(
      call(
        event(APP, 7, (m) => frame(APP, 2, m)),
        'system.health',
        {},
      ),
    ).rejects.toThrow(/Untrusted/);
    expect(link.call).toHaveBeenCalledTimes(1);
    await expect(call(event('app://bourse/x'), 42, {})).rejects.toThrow(/must be a string/);

    ipc.handlers.get(IPC_CHANNELS.subscribe)!(event('https://evil.example/'), ['x']);
    ipc.handlers.get(IPC_CHANNELS.subscribe)!(
      event(APP, 3, (m) => frame(APP, 2, m)),
      ['notifications'],
    );
    ipc.handlers.get(IPC_CHANNELS.unsubscribe)!(
      event(APP, 3, (m) => frame('https://evil.example/', 2, m)),
      ['notifications'],
    );
    ipc.handlers.get(IPC_CHANNELS.subscribe)!(event('app://bourse/x', 3), 'not-a-list');
    expect(link.post).not.toHaveBeenCalled();
    ipc.handlers.get(IPC_CHANNELS.subscribe)!(event('app://bourse/x', 3), ['notifications'], 'tok');
    expect(link.post).toHaveBeenCalledWith({
      kind: 'subscribe',
      connId: 3,
      streams: ['notifications'],
      token: 'tok',
    });
  });
});

describe('BackendHost', () => {
  function fakeChild() {
    const listeners = new Map<string, (arg: unknown) => void>();
    const sent: unknown[] = [];
    return {
      sent,
      emit: (ev: string, arg: unknown) => listeners.get(ev)!(arg),
      on: (ev: string, fn: (arg: unknown) => void) => listeners.set(ev, fn),
      postMessage: (m: unknown) => sent.push(m),
    };
  }

  it('correlates results, rejects with the error body and delivers events', async () => {
    const child = fakeChild();
    const deliver = vi.fn();
    const host = new BackendHost(child as never, deliver);
    child.emit('message', { kind: 'ready', url: 'http://127.0.0.1:8420' } satisfies FromBackend);
    await expect(host.ready).resolves.toBe('http://127.0.0.1:8420');
    const a = host.call('system.health', {}, undefined);
    const b = host.call('jobs.list', {}, 't');
    expect(child.sent).toHaveLength(2);
    child.emit('message', {
      kind: 'result',
      id: 2,
      ok: false,
      error: { code: 'forbidden', message: 'no' },
    });
    child.emit('message', { kind: 'result', id: 1, ok: true, value: { status: 'ok' } });
    await expect(a).resolves.toEqual({ status: 'ok' });
    await expect(b).rejects.toThrow('{"code":"forbidden","message":"no"}');
    const messages = [
      { stream: 's', seq: 1, data: 1 },
      { stream: 's', seq: 2, data: 2 },
    ];
    child.emit('message', { kind: 'events', connId: 4, messages } satisfies FromBackend);
    expect(deliver).toHaveBeenCalledWith(4, messages);
  });

  it('fails pending calls when the backend exits', async () => {
    const child = fakeChild();
    const host = new BackendHost(child as never, vi.fn());
    host.ready.catch(() => undefined);
    const pending = host.call('system.health', {}, undefined);
    child.emit('exit', 1);
    await expect(pending).rejects.toThrow(/unavailable/);
  });
});
