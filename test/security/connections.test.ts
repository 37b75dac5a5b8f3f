/**
 * Open TCP connections are bounded per peer address and in all (docs/security.md, "Connection
 * limits"): counted on arrival, before a byte is read, so sockets that never send a request —
 * which no request budget sees — cannot pile up until they take every file descriptor.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestBackend, type TestBackend } from '../helpers/backend';

let backend: TestBackend | undefined;
let port = 0;
const sockets: net.Socket[] = [];

async function start(overrides: Parameters<typeof startTestBackend>[0]): Promise<TestBackend> {
  backend = await startTestBackend(overrides);
  port = Number(new URL(await backend.listen()).port);
  return backend;
}

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await backend?.cleanup();
  backend = undefined;
});

/** A connection from `from` that sends nothing, once connected. */
function idle(from: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port, localAddress: from }, () => resolve(s));
    s.once('error', reject);
    sockets.push(s);
  });
}

/** One request on a fresh connection from `from`: answered, or closed before any answer. */
function ask(from: string): Promise<'served' | 'closed'> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port, localAddress: from }, () =>
      s.write(`GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`),
    );
    sockets.push(s);
    s.once('data', (d) => resolve(d.toString().startsWith('HTTP/1.1 200') ? 'served' : 'closed'));
    s.once('close', () => resolve('closed'));
    s.once('error', () => resolve('closed'));
  });
}

/** Waits until the server holds `n` connections (it counts a close a moment after the client). */
async function serverHolds(n: number): Promise<void> {
  const count = () =>
    new Promise<number>((resolve, reject) =>
      backend!.http.server.getConnections((err, c) => (err ? reject(err) : resolve(c))),
    );
  const end = Date.now() + 5_000;
  while ((await count()) !== n) {
    if (Date.now() > end) throw new Error(`the server never held ${n} connections`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const refused = async (scope: string) =>
  (await backend!.metrics.connectionsRefused.get()).values.find((v) => v.labels.scope === scope)
    ?.value ?? 0;

describe('open TCP connections per peer address and in all', () => {
  it('counts connections that never send a byte, and closes the one past the bound', async () => {
    await start({ connections: { perAddress: 3, total: 10 } });
    for (let i = 0; i < 3; i++) await idle('127.0.0.1');
    await serverHolds(3);
    expect(await ask('127.0.0.1')).toBe('closed');
    expect(await refused('address')).toBe(1);
    // Another address is served meanwhile.
    expect(await ask('127.0.0.2')).toBe('served');
  });

  it('gives the slot back when a connection closes', async () => {
    await start({ connections: { perAddress: 2, total: 10 } });
    const first = await idle('127.0.0.1');
    await idle('127.0.0.1');
    await serverHolds(2);
    expect(await ask('127.0.0.1')).toBe('closed');
    first.destroy();
    await serverHolds(1);
    expect(await ask('127.0.0.1')).toBe('served');
  });

  it('drops connections past the server-wide bound, whatever their address', async () => {
    await start({ connections: { perAddress: 3, total: 4 } });
    for (const from of ['127.0.0.1', '127.0.0.1', '127.0.0.2', '127.0.0.3']) await idle(from);
    await serverHolds(4);
    expect(await ask('127.0.0.4')).toBe('closed');
    expect(await refused('server')).toBe(1);
  });

  it('exempts a trusted proxy: every client behind it arrives from its address', async () => {
    await start({ connections: { perAddress: 1, total: 10 }, trustedProxies: ['127.0.0.5'] });
    for (let i = 0; i < 3; i++) await idle('127.0.0.5');
    await serverHolds(3);
    expect(await ask('127.0.0.5')).toBe('served');
    await idle('127.0.0.1');
    await serverHolds(5);
    expect(await ask('127.0.0.1')).toBe('closed');
  });

  it('cuts a request that trickles in at the request timeout (408), and serves whole ones', async () => {
    await start({ requestTimeoutMs: 1_000 });
    // A WebSocket opened first must outlive the timeout: its upgrade request arrived whole.
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const answer = await new Promise<string>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port }, () =>
        // The headers promise 100 bytes of body; one comes, the rest never does.
        s.write(
          `POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n` +
            'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{',
        ),
      );
      sockets.push(s);
      let text = '';
      s.on('data', (d) => (text += d.toString()));
      s.once('close', () => resolve(text));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(await ask('127.0.0.1')).toBe('served');
    const pong = new Promise((resolve) =>
      ws.once('message', (d) => resolve(JSON.parse(String(d)))),
    );
    ws.send(JSON.stringify({ op: 'ping' }));
    expect(await pong).toEqual({ op: 'pong' });
    ws.close();
  });
});
