// The Binance user data stream (/binance/ws-api/v3, userDataStream.subscribe.signature): a
// subscription must be signed by the key it names, is refused when replayed, and carries
// only the key owner's orders, trades and balances.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOwner, createUser, type TestSession, createApiKey } from '../helpers/auth';
import { startTestBackend, type TestBackend } from '../helpers/backend';
import { fund, limit, place } from '../helpers/exchange';
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
