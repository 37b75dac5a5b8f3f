// Every route of the Binance facade, REST and WebSocket API, sent seeded random parameter
// sets (Binance's parameter names with valid, malformed and hostile values), signed with a
// valid key: each answer is a success or Binance's error shape with a 4xx status — never a
// 5xx, a stack trace or a body of another shape.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, createOwner, createUser, type TestApiKey } from '../helpers/auth';
import { startTestBackend, type TestBackend } from '../helpers/backend';
import { fund, limit as limitOrder, place } from '../helpers/exchange';
import { openSocket, until } from '../helpers/ws-client';
import { API_ROUTES, WALLET_ROUTES } from '../../src-main/transports/binance/facade';

const PER_ROUTE = 80;
const NAMES = [
  'side',
  'type',
  'timeInForce',
  'quantity',
  'quoteOrderQty',
  'price',
  'stopPrice',
  'newClientOrderId',
  'orderId',
  'origClientOrderId',
  'limit',
  'fromId',
  'startTime',
  'endTime',
  'interval',
  'timeZone',
  'windowSize',
  'symbols',
  'permissions',
  'symbolStatus',
  'newOrderRespType',
  'selfTradePreventionMode',
  'cancelReplaceMode',
  'cancelOrderId',
  'cancelOrigClientOrderId',
  'cancelRestrictions',
  'listClientOrderId',
  'aboveType',
  'belowType',
  'abovePrice',
  'belowPrice',
  'belowStopPrice',
  'aboveStopPrice',
  'belowTimeInForce',
  'orderListId',
  'computeCommissionRates',
  'recvWindow',
  'stopLimitPrice',
  'stopLimitTimeInForce',
  'limitClientOrderId',
  'stopClientOrderId',
  'cancelNewClientOrderId',
  'icebergQty',
  'type',
];
const VALUES = [
  '',
  '-1',
  '0',
  '1',
  '1e309',
  'NaN',
  '99999999999999999999',
  '9007199254740993',
  'BTCUSDT',
  'ETHBTC',
  '["BTCUSDT"]',
  '["BTCUSDT","BTCUSDT"]',
  '[1]',
  '[]',
  '{"a":1}',
  'x'.repeat(300),
  '0.0100',
  '0.00000001',
  '30000.00',
  '29000',
  '31000.00',
  '-30000',
  'LIMIT',
  'MARKET',
  'STOP_LOSS',
  'STOP_LOSS_LIMIT',
  'LIMIT_MAKER',
  'GTC',
  'IOC',
  'FOK',
  'BUY',
  'SELL',
  'true',
  'ACK',
  'RESULT',
  'FULL',
  'STOP_ON_FAILURE',
  'ALLOW_FAILURE',
  'ONLY_NEW',
  '1m',
  '1M',
  '3d',
  '+8',
  '-14:00',
  '7d',
  'EXPIRE_TAKER',
  'NONE',
  'ǅ',
  '\u0000',
  '1.5',
  '1e3',
  '0x10',
  ' 1',
  '60001',
];

/** mulberry32: the same parameter sets on every run, so a failure can be replayed. */
function prng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function paramSets(seed: number): Array<Record<string, string>> {
  const random = prng(seed);
  const pick = <T>(a: readonly T[]) => a[Math.floor(random() * a.length)]!;
  return Array.from({ length: PER_ROUTE }, () => {
    const params: Record<string, string> = {};
    if (random() < 0.8) params.symbol = pick(['BTCUSDT', 'BTCUSDT', 'ETHBTC', 'X']);
    const n = Math.floor(random() * 7);
    for (let k = 0; k < n; k++) params[pick(NAMES)] = pick(VALUES);
    return params;
  });
}

const ROUTES = [
  ...API_ROUTES.map((route) => ({ route, prefix: '/api/v3' })),
  ...WALLET_ROUTES.map((route) => ({ route, prefix: '/sapi/v1' })),
];

let backend: TestBackend;
let key: TestApiKey;
beforeAll(async () => {
  backend = await startTestBackend({ rateLimitPerMinute: false });
  await createOwner(backend);
  const a = await createUser(backend, 'trader');
  const b = await createUser(backend, 'trader');
  key = await createApiKey(backend, a, { scopes: ['read', 'trade'] });
  await fund(backend, a.userId, 'USDT', '100000');
  await fund(backend, a.userId, 'BTC', '10');
  await fund(backend, b.userId, 'BTC', '10');
  await place(backend, b.userId, limitOrder('sell', '30000.00', '0.0100'));
  await place(backend, a.userId, limitOrder('buy', '30000.00', '0.0100'));
}, 60_000);
afterAll(async () => backend?.cleanup());

/** Why an answer is wrong, or undefined when it is a success or a Binance error. */
function wrong(status: number, body: unknown): string | undefined {
  if (status >= 500) return `status ${status}`;
  if (status === 200) return undefined;
  const e = body as { code?: unknown; msg?: unknown } | null;
  if (typeof e?.code !== 'number' || typeof e.msg !== 'string') return 'not {code, msg}';
  if (/\bat .*\(.*:\d+:\d+\)/.test(e.msg)) return 'a stack trace';
  return undefined;
}

describe('the Binance facade under random parameters', () => {
  it('answers every REST route with a success or a Binance error, never a 5xx', async () => {
    const bad: string[] = [];
    for (const [i, { route, prefix }] of ROUTES.entries()) {
      for (const params of paramSets(i + 1)) {
        const all = route.signed ? { ...params, timestamp: String(Date.now()) } : params;
        let query = new URLSearchParams(all).toString();
        const headers: Record<string, string> = {};
        if (route.signed) {
          const sig = crypto.sign(null, Buffer.from(query), key.privateKey).toString('base64');
          query = `${query}&signature=${encodeURIComponent(sig)}`;
          headers['x-mbx-apikey'] = key.id;
        }
        const url = `${prefix}${route.path}?${query}`;
        const res = await backend.http.inject({ method: route.method, url, headers });
        let body: unknown = res.body;
        try {
          body = res.json();
        } catch {
          // kept as text: `wrong` reports it
        }
        const why = wrong(res.statusCode, body);
        if (why) bad.push(`${route.method} ${url}: ${why} ${res.body.slice(0, 200)}`);
      }
    }
    expect(bad).toEqual([]);
  }, 120_000);

  it('answers every WebSocket API request the same way, whatever the JSON types sent', async () => {
    const wsApi = `${(await backend.listen()).replace('http', 'ws')}/binance/ws-api/v3`;
    const { ws, messages } = await openSocket<Record<string, unknown>>(wsApi);
    const methods = [
      'depth',
      'klines',
      'ticker',
      'exchangeInfo',
      'order.place',
      'order.cancelReplace',
    ];
    const random = prng(99);
    const oddly = (v: string): unknown =>
      [v, Number(v), [v], { v }, v === 'true', null][Math.floor(random() * 6)];
    const bad: string[] = [];
    let id = 0;
    for (const method of methods) {
      // 15 per method: the 90 requests stay within a connection's burst of messages.
      for (const params of paramSets(1000 + id).slice(0, 15)) {
        id += 1;
        const sent = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, oddly(v)]));
        ws.send(JSON.stringify({ id, method, params: sent }));
        // One at a time, so each answer is read before the next request.
        await until(() => messages.some((m) => m.id === id));
        const answer = messages.find((m) => m.id === id)!;
        const why = wrong(answer.status as number, answer.error ?? null);
        if (why) bad.push(`${method} ${JSON.stringify(sent)}: ${why} ${JSON.stringify(answer)}`);
      }
    }
    ws.close();
    expect(bad).toEqual([]);
  }, 120_000);
});
