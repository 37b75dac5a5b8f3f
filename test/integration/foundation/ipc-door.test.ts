import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IpcDoor } from '../../../src-main/transports/ipc';
import type { FromBackend } from '../../../src-shared/ipc';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import { samplePublicTrade } from '../../helpers/stream-payloads';

const notice = (text: string) => ({ text });

let backend: TestBackend;
const posted: FromBackend[] = [];
let door: IpcDoor;
const nextTurn = () => new Promise((r) => setImmediate(r));
beforeAll(async () => {
  backend = await startTestBackend();
  door = new IpcDoor(backend, (m) => posted.push(m));
});
afterAll(async () => {
  door.close();
  await backend.cleanup();
});

describe('IPC door (backend side)', () => {
  it('answers calls through the same catalogue, validation and permissions', async () => {
    await door.handle({ kind: 'call', id: 1, name: 'system.version', input: {} });
    await door.handle({ kind: 'call', id: 2, name: 'jobs.list', input: {} });
    await door.handle({ kind: 'call', id: 3, name: 'system.version', input: { extra: 1 } });
    await door.handle({ kind: 'call', id: 4, name: 'no.such', input: {} });
    expect(posted[0]).toMatchObject({ kind: 'result', id: 1, ok: true, value: { name: 'Bourse' } });
    expect(posted[1]).toMatchObject({ id: 2, ok: false, error: { code: 'unauthenticated' } });
    expect(posted[2]).toMatchObject({ id: 3, ok: false, error: { code: 'validation_failed' } });
    expect(posted[3]).toMatchObject({ id: 4, ok: false, error: { code: 'unknown_operation' } });
  });

  it('pushes only subscribed, permitted events to each window', async () => {
    posted.length = 0;
    await door.handle({ kind: 'subscribe', connId: 9, streams: ['system.notice'] });
    backend.hub.publish('system.notice', notice('hello'));
    backend.hub.publish('tape:OTHER/TEST', samplePublicTrade());
    backend.hub.publish('system.notice', notice('private'), { kind: 'user', userId: 'u1' });
    await nextTurn();
    expect(posted).toEqual([
      {
        kind: 'events',
        connId: 9,
        messages: [{ stream: 'system.notice', seq: 1, data: notice('hello') }],
      },
    ]);
    backend.hub.publish('system.notice', notice('queued'));
    await door.handle({ kind: 'disconnect', connId: 9 });
    backend.hub.publish('system.notice', notice('after'));
    await nextTurn();
    expect(posted).toHaveLength(1);
  });

  it("posts a turn's events as one message per window, in order, each read when published", async () => {
    posted.length = 0;
    const [a, b] = ['tape:A/TEST', 'tape:B/TEST'] as const;
    const trade = (tradeId: number) => samplePublicTrade({ tradeId });
    await door.handle({ kind: 'subscribe', connId: 1, streams: [a, b] });
    await door.handle({ kind: 'subscribe', connId: 2, streams: [b] });
    let state = 1;
    backend.hub.publishLazy(a, () => trade(state));
    state = 2;
    backend.hub.publish(b, trade(9));
    backend.hub.publishLazy(a, () => trade(state));
    expect(posted).toEqual([]); // nothing until the turn ends
    await nextTurn();
    expect(posted).toEqual([
      {
        kind: 'events',
        connId: 1,
        messages: [
          { stream: a, seq: 1, data: trade(1) },
          { stream: b, seq: 1, data: trade(9) },
          { stream: a, seq: 2, data: trade(2) },
        ],
      },
      { kind: 'events', connId: 2, messages: [{ stream: b, seq: 1, data: trade(9) }] },
    ]);
    await door.handle({ kind: 'disconnect', connId: 1 });
    await door.handle({ kind: 'disconnect', connId: 2 });
  });

  it("posts the events waiting for a window before a call's result", async () => {
    posted.length = 0;
    await door.handle({ kind: 'subscribe', connId: 3, streams: ['system.notice'] });
    backend.hub.publish('system.notice', notice('before the answer'));
    await door.handle({ kind: 'call', id: 7, name: 'system.version', input: {} });
    expect(posted.map((m) => m.kind)).toEqual(['events', 'result']);
    await nextTurn();
    expect(posted).toHaveLength(2); // flushed once, not again at the end of the turn
    await door.handle({ kind: 'disconnect', connId: 3 });
  });
});
