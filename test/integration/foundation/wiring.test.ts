import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { BackendFeatures } from '../../../src-main/backend';
import { defineFeature, type FeatureContext } from '../../../src-main/features/feature';
import { startTestBackend, type TestBackend } from '../../helpers/backend';

const open: TestBackend[] = [];
afterEach(async () => {
  for (const b of open.splice(0)) await b.cleanup();
});
const start = async (...args: Parameters<typeof startTestBackend>) => {
  const b = await startTestBackend(...args);
  open.push(b);
  return b;
};

/** A test-only feature that records what the root handed it and when it ran. */
function recorder() {
  const seen: {
    events: string[];
    deps?: BackendFeatures;
    ctx?: FeatureContext;
    urlAtStart?: string | null;
    closedDuringSetup?: number;
  } = { events: [] };
  const feature = defineFeature({
    name: 'recorder',
    setup(ctx, deps: BackendFeatures) {
      seen.ctx = ctx;
      seen.deps = deps;
      seen.closedDuringSetup = ctx.connections().closeWhere(() => true, 'test');
      seen.events.push('setup');
      return {
        provides: {},
        start() {
          seen.urlAtStart = ctx.listeningUrl();
          seen.events.push('start');
        },
        stop() {
          // Stopped before the database closes: it can still be read.
          ctx.store.sqlite.prepare('SELECT 1').get();
          seen.events.push('stop');
        },
      };
    },
  });
  return { feature, seen };
}

describe('typed feature wiring (backend.ts)', () => {
  it('hands an extra feature the services the built-in ones provide, then starts and stops it', async () => {
    const { feature, seen } = recorder();
    const b = await start({}, { extraFeatures: [feature] });
    expect(seen.deps).toBe(b.features);
    expect(seen.deps!.exchange).toBe(b.features.exchange);
    expect(seen.deps!.identity).toBe(b.features.identity);
    expect(seen.events).toEqual(['setup', 'start']);
    await b.close();
    expect(seen.events).toEqual(['setup', 'start', 'stop']);
  });

  it('gives each backend its own feature services: closing one leaves the other working', async () => {
    const a = await start();
    const b = await start();
    expect(a.features.exchange).not.toBe(b.features.exchange);
    expect(a.features.simulator).not.toBe(b.features.simulator);
    await a.close();
    const res = await b.http.inject({ method: 'GET', url: '/api/v1/markets' });
    expect(res.statusCode).toBe(200);
  });

  it('tells features the base URL from the context: configured before listening, real after', async () => {
    const { feature, seen } = recorder();
    const b = await start({ host: '127.0.0.1', port: 0 }, { extraFeatures: [feature] });
    const ctx = seen.ctx!;
    expect(seen.urlAtStart).toBeNull();
    expect(ctx.listeningUrl()).toBeNull();
    expect(ctx.baseUrl()).toBe('http://127.0.0.1:0');
    const url = await b.listen();
    expect(ctx.listeningUrl()).toBe(url);
    expect(ctx.baseUrl()).toBe(url);
    expect(url).not.toBe('http://127.0.0.1:0');
  });

  it('lets a feature close live connections before the transports exist (nothing to close)', async () => {
    const { feature, seen } = recorder();
    await start({}, { extraFeatures: [feature] });
    expect(seen.closedDuringSetup).toBe(0);
  });

  it('stops the features before the database closes though a client holds a connection open', async () => {
    // The HTTP server's close waits for every connection; before the grace-then-cut close, a
    // WebSocket client that never answered the close frame held it past the shutdown timeout,
    // and the database closed with every feature still running (their timers then wrote to a
    // closed database: seen in the e2e runs, where the browser held its connections).
    const { feature, seen } = recorder();
    const b = await startTestBackend({ host: '127.0.0.1', port: 0 }, { extraFeatures: [feature] });
    const url = new URL(await b.listen());
    const socket = net.connect(Number(url.port), url.hostname);
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    socket.on('error', () => undefined);
    const cut = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    // A WebSocket that never answers the close frame (a frozen window, a bot that stopped
    // reading): the upgraded socket stays open until the client goes away.
    socket.write(
      'GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    );
    const upgraded = await new Promise<string>((resolve) =>
      socket.once('data', (d: Buffer) => resolve(String(d))),
    );
    expect(upgraded).toMatch(/^HTTP\/1\.1 101/);
    socket.resume(); // read what the server sends (its close frame), never answer it
    await b.close(3_000);
    expect(seen.events).toEqual(['setup', 'start', 'stop']);
    await cut; // the held connection was cut, not left open
  });
});
