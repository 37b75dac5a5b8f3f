import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createUser, type TestSession } from '../../helpers/auth';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import { fund, place, trader } from '../../helpers/exchange';
import { until } from '../../helpers/ws-client';

let backend: TestBackend;
let wsBase = '';
let alice: TestSession;
let bob: TestSession;

beforeAll(async () => {
  backend = await startTestBackend();
  wsBase = (await backend.listen()).replace('http', 'ws');
  alice = await createUser(backend, 'trader');
  bob = await createUser(backend, 'trader');
  await fund(backend, alice.userId, 'USDT', '10000');
  await fund(backend, bob.userId, 'BTC', '1');
});
afterAll(async () => backend.cleanup());

interface Frame {
  op?: string;
  stream?: string;
  seq?: number;
  data?: Record<string, unknown>;
}

async function privateSocket(
  token?: string,
  streams = ['orders', 'fills', 'balances'],
): Promise<{ ws: WebSocket; frames: Frame[] }> {
  const ws = new WebSocket(`${wsBase}/ws`);
  const frames: Frame[] = [];
  ws.on('message', (d) => frames.push(JSON.parse(d.toString()) as Frame));
  await new Promise((r, j) => ws.once('open', r).once('error', j));
  if (token) {
    ws.send(JSON.stringify({ op: 'auth', token }));
    await until(() => frames.some((f) => f.op === 'auth'));
  }
  ws.send(JSON.stringify({ op: 'subscribe', streams }));
  await until(() => frames.some((f) => f.op === 'subscribed'));
  return { ws, frames };
}

describe('private streams: own orders, fills and balances', () => {
  it('delivers each user only their own events, and nothing to anonymous sockets', async () => {
    const a = await privateSocket(alice.accessToken);
    const b = await privateSocket(bob.accessToken);
    const anon = await privateSocket();
    const order = await place(backend, alice.userId, {
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'limit',
      price: '60000',
      qty: '0.1',
    });
    await place(backend, bob.userId, {
      symbol: 'BTC/USDT',
      side: 'sell',
      type: 'market',
      qty: '0.1',
    });
    const of = (frames: Frame[], stream: string) =>
      frames.filter((f) => f.stream === stream).map((f) => f.data ?? {});
    await until(() => of(a.frames, 'fills').length === 1 && of(b.frames, 'fills').length === 1);
    expect(of(a.frames, 'orders').map((o) => [o.orderId, o.status])).toEqual([
      [order.orderId, 'new'],
      [order.orderId, 'filled'],
    ]);
    expect(of(a.frames, 'fills')[0]).toMatchObject({ side: 'buy', role: 'maker', qty: '0.1000' });
    expect(of(b.frames, 'fills')[0]).toMatchObject({ side: 'sell', role: 'taker' });
    await until(() => of(a.frames, 'balances').some((x) => x.asset === 'BTC'));
    expect(of(a.frames, 'balances').find((x) => x.asset === 'BTC')).toMatchObject({
      available: '0.10000000',
    });
    expect(of(b.frames, 'orders').every((o) => o.orderId !== order.orderId)).toBe(true);
    await new Promise((r) => setTimeout(r, 50));
    expect(anon.frames.filter((f) => f.stream)).toEqual([]);
    for (const s of [a, b, anon]) s.ws.close();
  });

  it('delivers order lists (OCO) on orderLists to their owner only', async () => {
    const [a, b, anon] = await Promise.all([
      privateSocket(alice.accessToken, ['orderLists']),
      privateSocket(bob.accessToken, ['orderLists']),
      privateSocket(undefined, ['orderLists']),
    ]);
    const oco = (userId: string, input: Record<string, string>) =>
      backend.invoke(
        'orders.placeOco',
        { symbol: 'BTC/USDT', qty: '0.0100', ...input },
        trader(userId),
      );
    await oco(bob.userId, { side: 'sell', price: '65000', stopPrice: '55000' });
    await oco(alice.userId, { side: 'buy', price: '55000', stopPrice: '65000' });
    const lists = (frames: Frame[]) =>
      frames.filter((f) => f.stream === 'orderLists').map((f) => f.data ?? {});
    await until(() => lists(a.frames).length === 1 && lists(b.frames).length === 1);
    // Bob's list was committed first: had it been sent to Alice, it would be there before hers.
    expect(lists(a.frames).map((l) => [l.status, (l.orders as unknown[]).length])).toEqual([
      ['executing', 2],
    ]);
    expect(lists(b.frames)[0]).toMatchObject({ status: 'executing', contingencyType: 'oco' });
    // Anything sent to the anonymous socket came before the answer to this ping.
    anon.ws.send(JSON.stringify({ op: 'ping' }));
    await until(() => anon.frames.some((f) => f.op === 'pong'));
    expect(anon.frames.filter((f) => f.stream)).toEqual([]);
    for (const s of [a, b, anon]) s.ws.close();
  });
});
