// Binance's WebSocket API (/binance/ws-api/v3). The user data stream
// (userDataStream.subscribe.signature): a subscription must be signed by the key it names, is
// refused when replayed, and carries only the key owner's orders, trades and balances. Its
// requests (order.place, order.cancel…): signed by the key they name, run for that key's
// owner with its permissions, a captured signature never serving a change twice nor a read
// replayed as a change, and the request weight counted before the signature is checked.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOwner, createUser, type TestSession, createApiKey } from '../helpers/auth';
import { startTestBackend, type TestBackend } from '../helpers/backend';
import { fund, limit, place, trader } from '../helpers/exchange';
import { openSocket, until } from '../helpers/ws-client';

type Msg = Record<string, unknown>;
let backend: TestBackend;
let wsApi: string;
beforeAll(async () => {
  backend = await startTestBackend();
  wsApi = `${(await backend.listen()).replace('http', 'ws')}/binance/ws-api/v3`;
  await createOwner(backend);
});
afterAll(async () => backend.cleanup());

async function newKey(user: TestSession) {
  const { id: apiKey, privateKey } = await createApiKey(backend, user, {
    label: 'user-data',
    scopes: ['read', 'trade'],
  });
  return { apiKey, privateKey };
}

/** Binance's WebSocket API signature: Ed25519 over the sorted `name=value` parameters. */
function signed(apiKey: string, key: crypto.KeyObject) {
  const timestamp = Date.now();
  const payload = `apiKey=${apiKey}&timestamp=${timestamp}`;
  return {
    apiKey,
    timestamp,
    signature: crypto.sign(null, Buffer.from(payload), key).toString('base64'),
  };
}

async function connect() {
  const { ws, messages } = await openSocket<Msg>(wsApi);
  const ask = async (id: number, params: Msg) => {
    ws.send(JSON.stringify({ id, method: 'userDataStream.subscribe.signature', params }));
    await until(() => messages.some((m) => m.id === id));
    return messages.find((m) => m.id === id);
  };
  return { ws, messages, ask };
}

/** A WebSocket API request's params signed as Binance signs them (sorted `name=value`). */
function signedParams(apiKey: string, key: crypto.KeyObject, params: Msg): Msg {
  const all: Msg = { ...params, apiKey, timestamp: Date.now() };
  const payload = Object.keys(all)
    .sort()
    .map((k) => `${k}=${String(all[k])}`)
    .join('&');
  return { ...all, signature: crypto.sign(null, Buffer.from(payload), key).toString('base64') };
}

/** A resting GTC buy of 0.01 BTC at 20000, in Binance's parameters. */
const BID = {
  symbol: 'BTCUSDT',
  side: 'BUY',
  type: 'LIMIT',
  timeInForce: 'GTC',
  quantity: '0.0100',
  price: '20000.00',
};

/** How many orders the user has open (read in the exchange, not through the door under test). */
async function openOrders(userId: string): Promise<number> {
  const open = (await backend.invoke('orders.list', { scope: 'open' }, trader(userId))) as {
    items: unknown[];
  };
  return open.items.length;
}

/** A new trader with 10,000 USDT and a read-and-trade key. */
async function fundedTrader() {
  const user = await createUser(backend, 'trader');
  await fund(backend, user.userId, 'USDT', '10000');
  return { user, ...(await newKey(user)) };
}

async function requester() {
  const { ws, messages } = await openSocket<Msg>(wsApi);
  let next = 100;
  const request = async (method: string, params: Msg) => {
    const id = next++;
    ws.send(JSON.stringify({ id, method, params }));
    await until(() => messages.some((m) => m.id === id));
    return messages.find((m) => m.id === id)!;
  };
  return { ws, request };
}

describe('Binance WebSocket API requests', () => {
  it('runs a signed request for the signing key only, once for a change, never a read replayed as a change', async () => {
    const { user: henry, apiKey, privateKey } = await fundedTrader();
    const { ws, request } = await requester();
    const openCount = () => openOrders(henry.userId);

    // Another key's signature: refused, nothing placed.
    const forged = signedParams(apiKey, crypto.generateKeyPairSync('ed25519').privateKey, BID);
    expect(await request('order.place', forged)).toMatchObject({
      status: 400,
      error: { code: -1022 },
    });
    expect(await openCount()).toBe(0);
    // Signed: placed, answered with the weight used and the order counts.
    const place1 = signedParams(apiKey, privateKey, BID);
    const placed = await request('order.place', place1);
    expect(placed).toMatchObject({ status: 200, result: { status: 'NEW', price: '20000.00' } });
    expect((placed.rateLimits as Msg[]).map((l) => [l.rateLimitType, l.interval])).toEqual([
      ['REQUEST_WEIGHT', 'MINUTE'],
      ['ORDERS', 'SECOND'],
      ['ORDERS', 'DAY'],
    ]);
    // The same signed placement again (captured and re-sent): refused, still one order.
    expect(await request('order.place', place1)).toMatchObject({ error: { code: -1021 } });
    expect(await openCount()).toBe(1);

    // A signed status read, replayed as a cancel with the same parameters: refused.
    const orderId = (placed.result as { orderId: number }).orderId;
    const read = signedParams(apiKey, privateKey, { symbol: 'BTCUSDT', orderId });
    expect(await request('order.status', read)).toMatchObject({ status: 200 });
    expect(await request('order.cancel', read)).toMatchObject({ error: { code: -1021 } });
    expect(await openCount()).toBe(1);
    // Another user's key cannot read or cancel Henry's order.
    const ivy = await createUser(backend, 'trader');
    const ivyKey = await newKey(ivy);
    const theirs = signedParams(ivyKey.apiKey, ivyKey.privateKey, { symbol: 'BTCUSDT', orderId });
    expect(await request('order.cancel', theirs)).toMatchObject({ error: { code: -2011 } });
    expect(await openCount()).toBe(1);
    ws.close();
  });

  it('keeps the key’s permissions, and counts the weight before the signature is checked', async () => {
    const jack = await createUser(backend, 'trader');
    await fund(backend, jack.userId, 'USDT', '10000');
    const { id: apiKey, privateKey } = await createApiKey(backend, jack, {
      label: 'read-only',
      scopes: ['read'],
    });
    const { ws, request } = await requester();
    const refused = await request('order.place', signedParams(apiKey, privateKey, BID));
    expect(refused.status).not.toBe(200);
    expect(await openOrders(jack.userId)).toBe(0);
    // A read it may do.
    expect(await request('account.status', signedParams(apiKey, privateKey, {}))).toMatchObject({
      status: 200,
      result: { accountType: 'SPOT' },
    });
    // Unsigned junk is weighed like any request (account.status: 20), then refused.
    const before = await request('time', {});
    const junk = await request('account.status', {
      apiKey,
      timestamp: Date.now(),
      signature: 'AA==',
    });
    expect(junk).toMatchObject({ error: { code: -1022 } });
    const weightOf = (m: Msg) => (m.rateLimits as Array<{ count: number }>)[0]!.count;
    expect(weightOf(junk) - weightOf(before)).toBe(20);
    // What it does not serve, and parameters that are not values, are refused plainly.
    expect(await request('sor.order.place', {})).toMatchObject({ error: { code: -1000 } });
    expect(await request('depth', { symbol: { $ne: 1 } })).toMatchObject({
      error: { code: -1100 },
    });
    ws.close();
  });
});

describe('Binance WebSocket API sessions (session.logon)', () => {
  it('lets a logged-on connection send signed requests unsigned, for its key only, while the key lives', async () => {
    const { user: kate, apiKey, privateKey } = await fundedTrader();
    const { ws, request } = await requester();
    const unsigned = (params: Msg) => ({ ...params, timestamp: Date.now() });

    // Before logging on, an unsigned request is refused; a forged logon leaves no session.
    expect(await request('order.place', unsigned(BID))).toMatchObject({ error: { code: -1102 } });
    const forged = signedParams(apiKey, crypto.generateKeyPairSync('ed25519').privateKey, {});
    expect(await request('session.logon', forged)).toMatchObject({ error: { code: -1022 } });
    expect(await request('session.status', {})).toMatchObject({ result: { apiKey: null } });

    const logon = await request('session.logon', signedParams(apiKey, privateKey, {}));
    expect(logon).toMatchObject({ status: 200, result: { apiKey, userDataStream: false } });
    // Signed endpoints without a signature now, the timestamp still checked.
    const placed = await request('order.place', unsigned(BID));
    expect(placed).toMatchObject({ status: 200, result: { status: 'NEW' } });
    expect(await request('order.place', { ...BID, timestamp: Date.now() - 120_000 })).toMatchObject(
      { error: { code: -1021 } },
    );
    // Naming another key without its signature gets nothing of it.
    const lee = await createUser(backend, 'trader');
    const leeKey = await newKey(lee);
    expect(
      await request('account.status', { apiKey: leeKey.apiKey, timestamp: Date.now() }),
    ).toMatchObject({ error: { code: -1102 } });
    // The user data stream of the logged-on key, without a signature either.
    expect(await request('userDataStream.subscribe', {})).toMatchObject({
      result: { subscriptionId: 0 },
    });

    // Logged out: unsigned requests are refused again.
    await request('session.logout', {});
    expect(await request('account.status', unsigned({}))).toMatchObject({ error: { code: -1102 } });
    // Revoked while logged on: the session ends with the key.
    await request('session.logon', signedParams(apiKey, privateKey, {}));
    const revoked = await backend.http.inject({
      method: 'POST',
      url: `/api/v1/api-keys/${apiKey}/revoke`,
      headers: { ...kate.headers, 'content-type': 'application/json' },
      payload: '{}',
    });
    expect(revoked.statusCode).toBe(200);
    expect(await request('order.place', unsigned(BID))).toMatchObject({
      status: 401,
      error: { code: -1002 },
    });
    expect(await request('session.status', {})).toMatchObject({ result: { apiKey: null } });
    expect(await openOrders(kate.userId)).toBe(1);
    ws.close();
  });

  it('never logs a session on with a signature captured from a read', async () => {
    const mia = await createUser(backend, 'trader');
    const { apiKey, privateKey } = await newKey(mia);
    // userDataStream.subscribe.signature signs the same parameters session.logon takes.
    const captured = signed(apiKey, privateKey);
    const { ws, ask } = await connect();
    expect(await ask(1, captured)).toMatchObject({ status: 200 });
    const thief = await requester();
    expect(await thief.request('session.logon', captured)).toMatchObject({
      error: { code: -1021 },
    });
    expect(await thief.request('session.status', {})).toMatchObject({ result: { apiKey: null } });
    ws.close();
    thief.ws.close();
  });
});

describe('Binance user data stream', () => {
  it('refuses a subscription signed by another key, or replayed', async () => {
    const erin = await createUser(backend, 'trader');
    const { apiKey, privateKey } = await newKey(erin);
    const { ws, ask } = await connect();
    const forged = signed(apiKey, crypto.generateKeyPairSync('ed25519').privateKey);
    expect(await ask(1, forged)).toMatchObject({ status: 400, error: { code: -1022 } });
    const good = signed(apiKey, privateKey);
    expect(await ask(2, good)).toEqual({ id: 2, status: 200, result: { subscriptionId: 0 } });
    // The same signed request again (captured and re-sent) is a replay, refused.
    const { ws: other, ask: askOther } = await connect();
    expect(await askOther(3, good)).toMatchObject({ status: 400, error: { code: -1021 } });
    ws.close();
    other.close();
  });

  it("carries only the key owner's events", async () => {
    const frank = await createUser(backend, 'trader');
    const grace = await createUser(backend, 'trader');
    await fund(backend, frank.userId, 'USDT', '10000');
    await fund(backend, grace.userId, 'USDT', '10000');
    const keyF = await newKey(frank);
    const keyG = await newKey(grace);
    const f = await connect();
    const g = await connect();
    expect(await f.ask(1, signed(keyF.apiKey, keyF.privateKey))).toMatchObject({ status: 200 });
    expect(await g.ask(1, signed(keyG.apiKey, keyG.privateKey))).toMatchObject({ status: 200 });

    const frankOrder = await place(backend, frank.userId, limit('buy', '20000.00', '0.0100'));
    const graceOrder = await place(backend, grace.userId, limit('buy', '20001.00', '0.0100'));
    const reportOf = (messages: Msg[], orderId: number) =>
      messages.some((m) => (m.event as Msg | undefined)?.i === orderId);
    await until(() => reportOf(f.messages, frankOrder.orderId));
    await until(() => reportOf(g.messages, graceOrder.orderId));
    // Grace's own report came after Frank's order was committed: his would have come first.
    expect(reportOf(g.messages, frankOrder.orderId)).toBe(false);
    const balances = g.messages
      .map((m) => m.event as Msg | undefined)
      .filter((e) => e?.e === 'outboundAccountPosition');
    expect(balances.length).toBeGreaterThan(0);
    expect(
      f.messages.find((m) => (m.event as Msg | undefined)?.i === frankOrder.orderId),
    ).toMatchObject({
      subscriptionId: 0,
      event: { e: 'executionReport', x: 'NEW', X: 'NEW', S: 'BUY', s: 'BTCUSDT', p: '20000.00' },
    });
    f.ws.close();
    g.ws.close();
  });
});
