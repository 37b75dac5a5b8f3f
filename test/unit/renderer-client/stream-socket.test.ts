import { describe, expect, it } from 'vitest';
import { StreamSocket } from '../../../src-renderer/src/client/transport';

/** A WebSocket stand-in that records what the page sends. */
function fakeSocket() {
  const sent: unknown[] = [];
  const socket = {
    OPEN: 1,
    readyState: 0,
    send: (text: string) => sent.push(JSON.parse(text)),
    onopen: null as null | (() => void),
    onmessage: null as null | ((e: { data: string }) => void),
    onclose: null as null | (() => void),
  };
  const open = () => {
    queueMicrotask(() => {
      socket.readyState = 1;
      socket.onopen?.();
    });
    return socket as unknown as WebSocket;
  };
  return { sent, socket, open };
}

describe('StreamSocket (the page’s one WebSocket)', () => {
  it('unsubscribes a stream only when no subscriber of the page still wants it', async () => {
    const f = fakeSocket();
    const ws = new StreamSocket('ws://x/ws', f.open);
    const got: string[] = [];
    const offA = ws.subscribe(['notifications'], () => got.push('a'));
    const offB = ws.subscribe(['notifications', 'orders'], () => got.push('b'));
    await Promise.resolve();
    f.sent.length = 0;
    offA();
    offA();
    expect(f.sent).toEqual([]);
    f.socket.onmessage?.({ data: JSON.stringify({ stream: 'notifications', seq: 1, data: null }) });
    expect(got).toEqual(['b']);
    offB();
    expect(f.sent).toEqual([{ op: 'unsubscribe', streams: ['notifications', 'orders'] }]);
  });
});
