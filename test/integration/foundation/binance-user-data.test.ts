// The Binance user data stream's order-list events: a placed OCO is announced with `listStatus`
// EXEC_STARTED after its two legs' executionReports, and its end with `listStatus` ALL_DONE
// after the fill and the sibling's end, as Binance's user data stream documents them. The
// native `orderLists` stream carries the same lists.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Published } from '../../../src-main/events/hub';
import { createApiKey, createOwner, createUser, type TestSession } from '../../helpers/auth';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import { fund, limit, place, trader } from '../../helpers/exchange';
import { openSocket, until } from '../../helpers/ws-client';

type Msg = Record<string, unknown>;
let backend: TestBackend;
let wsApi: string;
let alice: TestSession;
let bob: TestSession;
const lists: Published[] = [];

beforeAll(async () => {
  backend = await startTestBackend();
  wsApi = `${(await backend.listen()).replace('http', 'ws')}/binance/ws-api/v3`;
  await createOwner(backend);
  alice = await createUser(backend, 'trader');
  bob = await createUser(backend, 'trader');
  await fund(backend, alice.userId, 'BTC', '1');
  await fund(backend, bob.userId, 'USDT', '100000');
  backend.hub.subscribe(
    (m) => {
      if (m.stream === 'orderLists') lists.push(m);
    },
    (stream) => stream === 'orderLists',
  );
});
afterAll(() => backend.cleanup());

async function subscribed(user: TestSession) {
  const { id: apiKey, privateKey } = await createApiKey(backend, user, {
    label: 'user-data',
    scopes: ['read', 'trade'],
  });
  const { ws, messages } = await openSocket<Msg>(wsApi);
  const timestamp = Date.now();
  const signature = crypto
    .sign(null, Buffer.from(`apiKey=${apiKey}&timestamp=${timestamp}`), privateKey)
    .toString('base64');
  ws.send(
    JSON.stringify({
      id: 1,
      method: 'userDataStream.subscribe.signature',
      params: { apiKey, timestamp, signature },
    }),
  );
  await until(() => messages.some((m) => m.id === 1));
  const events = () => messages.map((m) => m.event as Msg | undefined).filter((e) => e);
  return { ws, events: events as () => Msg[] };
}

describe('order lists on the user data stream', () => {
  it('announces a placed OCO after its legs, and its end after the fill', async () => {
    const stream = await subscribed(alice);
    const oco = (await backend.invoke(
      'orders.placeOco',
      {
        symbol: 'BTC/USDT',
        side: 'sell',
        qty: '0.0100',
        price: '31000.00',
        stopPrice: '29000.00',
        stopLimitPrice: '28900.00',
        listClientOrderId: 'my-oco-1',
        limitClientOrderId: 'tp-1',
        stopClientOrderId: 'sl-1',
      },
      trader(alice.userId),
    )) as { orderListId: number; orders: Array<{ orderId: number }> };
    const [limitId, stopId] = oco.orders.map((o) => o.orderId) as [number, number];

    const reportsOf = (events: Msg[]) => events.filter((e) => e.e !== 'outboundAccountPosition');
    await until(() => stream.events().some((e) => e.e === 'listStatus'));
    const placed = reportsOf(stream.events());
    expect(placed.map((e) => [e.e, e.i ?? e.l])).toEqual([
      ['executionReport', limitId],
      ['executionReport', stopId],
      ['listStatus', 'EXEC_STARTED'],
    ]);
    expect(placed[2]).toMatchObject({
      s: 'BTCUSDT',
      g: oco.orderListId,
      c: 'OCO',
      L: 'EXECUTING',
      r: 'NONE',
      C: 'my-oco-1',
      // Stop leg first, as Binance lists an OCO's orders.
      O: [
        { s: 'BTCUSDT', i: stopId, c: 'sl-1' },
        { s: 'BTCUSDT', i: limitId, c: 'tp-1' },
      ],
    });
    expect(placed.slice(0, 2).map((e) => e.g)).toEqual([oco.orderListId, oco.orderListId]);

    // Bob lifts the take profit: the limit leg fills, the stop leg ends, the list is done —
    // announced after both legs' reports.
    await place(backend, bob.userId, limit('buy', '31000.00', '0.0100'));
    await until(() => stream.events().filter((e) => e.e === 'listStatus').length === 2);
    const reports = reportsOf(stream.events()).slice(3);
    expect(reports).toHaveLength(3);
    const byId = (a: unknown[], b: unknown[]) => Number(a[0]) - Number(b[0]);
    expect(
      reports
        .slice(0, 2)
        .map((e) => [e.i, e.x])
        .sort(byId),
    ).toEqual([
      [limitId, 'TRADE'],
      // Binance ends an OCO's other leg as EXPIRED (a cancelled list's legs are CANCELED).
      [stopId, 'EXPIRED'],
    ]);
    expect(reports[2]).toMatchObject({ e: 'listStatus', l: 'ALL_DONE', L: 'ALL_DONE' });
    expect(reports[2]).toMatchObject({ g: oco.orderListId, C: 'my-oco-1' });
    stream.ws.close();
  });

  it('publishes the same lists, legs in full, on the native orderLists stream', () => {
    const mine = lists.filter((m) => m.audience.kind === 'user');
    expect(mine.map((m) => (m.data as { status: string }).status)).toEqual([
      'executing',
      'all_done',
    ]);
    expect(mine.every((m) => m.audience.kind === 'user' && m.audience.userId === alice.userId));
    const done = mine[1]!.data as {
      orders: Array<{ status: string; cancelReason: string | null }>;
      listClientOrderId: string;
    };
    expect(done.listClientOrderId).toBe('my-oco-1');
    expect(done.orders.map((o) => [o.status, o.cancelReason])).toEqual([
      ['filled', null],
      ['cancelled', 'oco'],
    ]);
  });
});
