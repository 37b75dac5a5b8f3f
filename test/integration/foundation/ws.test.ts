import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import { openSocket, until } from '../../helpers/ws-client';
import { sampleNotification } from '../../helpers/stream-payloads';

let backend: TestBackend;
let base: string;
beforeAll(async () => {
  backend = await startTestBackend();
  base = (await backend.listen()).replace('http', 'ws');
});
afterAll(async () => backend.cleanup());

const open = (headers: Record<string, string> = {}) => openSocket<unknown>(`${base}/ws`, headers);

describe('WebSocket streams', () => {
  it('closes connections from foreign origins', async () => {
    const { ws } = await open({ origin: 'https://evil.example' });
    const code = await new Promise<number>((r) => ws.once('close', (c) => r(c)));
    expect(code).toBe(4003);
  });

  it('delivers public events in sequence and hides other users’ events', async () => {
    const { ws, messages } = await open();
    ws.send(JSON.stringify({ op: 'subscribe', streams: ['system.notice', 'notifications'] }));
    await until(() => messages.length === 1);
    expect(messages[0]).toMatchObject({
      op: 'subscribed',
      streams: ['system.notice', 'notifications'],
    });
    backend.hub.publish('system.notice', { text: 'a' });
    const note = (title: string) => sampleNotification({ title });
    backend.hub.publish('notifications', note('secret'), { kind: 'user', userId: 'u1' });
    backend.hub.publish('notifications', note('admin'), { kind: 'admins' });
    backend.hub.publish('system.notice', { text: 'b' });
    await until(() => messages.length === 3);
    await new Promise((r) => setTimeout(r, 50));
    expect(messages.slice(1)).toEqual([
      { stream: 'system.notice', seq: 1, data: { text: 'a' } },
      { stream: 'system.notice', seq: 2, data: { text: 'b' } },
    ]);
    ws.close();
  });

  it('answers malformed messages with an error and stays open', async () => {
    const { ws, messages } = await open();
    ws.send('not json');
    ws.send(JSON.stringify({ op: 'dance' }));
    ws.send(JSON.stringify({ op: 'ping' }));
    await until(() => messages.length === 3);
    expect(messages).toEqual([
      { op: 'error', code: 'bad_request', message: 'Messages are JSON objects' },
      { op: 'error', code: 'validation_failed', message: 'Unknown or malformed op "dance"' },
      { op: 'pong' },
    ]);
    ws.close();
  });

  it('refuses tokens while no accounts exist', async () => {
    const { ws, messages } = await open();
    ws.send(JSON.stringify({ op: 'auth', token: 'forged' }));
    await until(() => messages.length === 1);
    expect(messages[0]).toMatchObject({ op: 'error', code: 'unauthenticated' });
    ws.close();
  });
});
