import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IpcDoor } from '../../../src-main/transports/ipc';
import type { FromBackend } from '../../../src-main/transports/ipc-protocol';
import { startTestBackend, type TestBackend } from '../../helpers/backend';

let backend: TestBackend;
const posted: FromBackend[] = [];
let door: IpcDoor;
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
    backend.hub.publish('system.notice', 'hello');
    backend.hub.publish('other', 'nope');
    backend.hub.publish('system.notice', 'private', { kind: 'user', userId: 'u1' });
    expect(posted).toEqual([
      { kind: 'event', connId: 9, message: { stream: 'system.notice', seq: 1, data: 'hello' } },
    ]);
    await door.handle({ kind: 'disconnect', connId: 9 });
    backend.hub.publish('system.notice', 'after');
    expect(posted).toHaveLength(1);
  });
});
