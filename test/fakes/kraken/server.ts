import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebSocket } from 'ws';
import { WebSocketServer } from 'ws';
import type { FakeBrokerHandle } from '../../helpers/broker-conformance';
import assetsFixture from './fixtures/assets.json';
import ohlcFixture from './fixtures/ohlc.json';
import { FakeBook, KrakenRefusal, PAIRS } from './book';
import { FakeCounter, fakeRestCost, FAKE_REST_LIMITS, FAKE_TRADING_LIMITS } from './limits';
import { privateMethod } from './private-api';
import { PublicHub, WsHub, type PublicPair } from './ws-hub';

/** The public v2 symbols of the fake's pairs (`XBT/USD` → `BTC/USD`) and their decimals. */
function publicPairs(): Record<string, PublicPair> {
  return Object.fromEntries(
    Object.values(PAIRS).map((p) => [
      (p.wsname ?? '').replace(/\bXBT\b/g, 'BTC'),
      { price: p.pair_decimals, qty: p.lot_decimals },
    ]),
  );
}

/** What a key may do (Kraken's key permission checkboxes). */
export type Permission =
  | 'query_funds'
  | 'withdraw'
  | 'query_open'
  | 'query_closed'
  | 'create_orders'
  | 'cancel_orders'
  | 'websocket';

export const ALL_PERMISSIONS: Permission[] = [
  'query_funds',
  'withdraw',
  'query_open',
  'query_closed',
  'create_orders',
  'cancel_orders',
  'websocket',
];

/** Permissions each private method needs: every listed group, each satisfied by any of its members. */
const NEEDS: Record<string, Permission[][]> = {
  Balance: [['query_funds']],
  BalanceEx: [['query_funds']],
  TradeBalance: [['query_open']],
  OpenOrders: [['query_open']],
  ClosedOrders: [['query_closed']],
  QueryOrders: [['query_open', 'query_closed']],
  TradesHistory: [['query_closed']],
  AddOrder: [['create_orders']],
  AmendOrder: [['create_orders', 'cancel_orders']],
  CancelOrder: [['create_orders', 'cancel_orders']],
  CancelAll: [['create_orders', 'cancel_orders']],
  CancelAllOrdersAfter: [['create_orders', 'cancel_orders']],
  GetWebSocketsToken: [['websocket']],
  WithdrawMethods: [['query_funds'], ['withdraw']],
};

export interface FakeKrakenOptions {
  /** The fake's clock (counters, nonces' lockout, tokens); tests inject one to avoid sleeping. */
  clock?: () => number;
  tier?: keyof typeof FAKE_REST_LIMITS;
  restLimit?: { max: number; decayPerSec: number };
  tradingLimit?: { max: number; decayPerSec: number };
  /** Default nonce window of new keys (0 = strictly increasing). */
  nonceWindow?: number;
  /** Kraken shows both `{"error":[…],"result":{}}` and `{"error":[…]}`; pick one. */
  errorEnvelope?: 'with-result' | 'without-result';
  /** Whether private calls may have JSON bodies (the 2025 spec says so; unverified live). */
  acceptJson?: boolean;
  /** Refused auth calls in a row before `EGeneral:Temporary lockout` (about 15 min). */
  lockoutAfter?: number;
  /** (unverified) Kraken's answer to a wrong or missing `otp`. */
  otpError?: string;
  heartbeatMs?: number;
}

interface FakeKey {
  secret: string;
  permissions: Set<Permission>;
  otp?: string;
  nonceWindow: number;
  lastNonce: bigint;
  seen: Set<bigint>;
  counter: FakeCounter;
}

/** One request as received (for assertions on what the connector sent). */
export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

const LOCKOUT_MS = 15 * 60_000;

/**
 * A strict fake of Kraken's Spot REST API and the private WebSocket v2 `executions` channel,
 * on 127.0.0.1 with a random port. It recomputes every signature over the raw body as
 * received, keeps a nonce counter (and optional window) per key, enforces key permissions,
 * the REST call counter and the per-pair trading counter, and answers with Kraken's own
 * error strings inside HTTP 200 envelopes.
 */
export class FakeKraken implements FakeBrokerHandle {
  readonly book: FakeBook;
  readonly keys = new Map<string, FakeKey>();
  readonly requests: SeenRequest[] = [];
  settings: Record<string, string> = {};
  secrets: Record<string, string> = {};
  badSecrets: Record<string, string> = {};
  readonly symbol = 'BTC/USD';
  readonly qty = '0.001';
  readonly restingBuyPrice = '30000';
  readonly clock: () => number;
  private readonly hub: WsHub;
  /** The public WebSocket v2 host (books, trades): tests drive it directly. */
  readonly publicHub: PublicHub;
  private readonly badAuth = new Map<string, { count: number; lockedUntil: number }>();
  private readonly hung: ServerResponse[] = [];
  private loseAnswer = false;
  private failNext: null | 'EService:Unavailable' | 'http503' = null;
  private throttleUntil: number | null = null;
  systemStatus = 'online';

  private constructor(
    private readonly server: Server,
    private readonly o: FakeKrakenOptions,
  ) {
    this.clock = o.clock ?? Date.now;
    const tier = o.tier ?? 'starter';
    this.hub = new WsHub(this.clock, o.heartbeatMs ?? 1000);
    this.publicHub = new PublicHub(publicPairs(), o.heartbeatMs ?? 1000);
    this.book = new FakeBook(this.clock, o.tradingLimit ?? FAKE_TRADING_LIMITS[tier], (item) =>
      this.hub.push(item),
    );
    this.hub.snapshot = () =>
      [...this.book.orders.values()]
        .filter((x) => x.status === 'open')
        .map((x) => ({ exec_type: 'new', order_status: 'new', ...this.book.execOrder(x) }));
  }

  static async start(o: FakeKrakenOptions = {}): Promise<FakeKraken> {
    const server = createServer();
    const fake = new FakeKraken(server, o);
    server.on('request', (req, res) => fake.onRequest(req, res));
    // Two hosts in one: the private `ws-auth.kraken.com/v2` at `/v2`, the public
    // `ws.kraken.com/v2` at `/public/v2`.
    const wss = new WebSocketServer({ noServer: true });
    const pub = new WebSocketServer({ noServer: true });
    wss.on('connection', (ws: WebSocket) => fake.hub.attach(ws));
    pub.on('connection', (ws: WebSocket) => fake.publicHub.attach(ws));
    server.on('upgrade', (req, socket, head) => {
      const target = req.url === '/v2' ? wss : req.url === '/public/v2' ? pub : null;
      if (!target) {
        socket.destroy();
        return;
      }
      target.handleUpgrade(req, socket, head, (ws) => target.emit('connection', ws, req));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const main = fake.addKey(ALL_PERMISSIONS);
    const tier = o.tier ?? 'starter';
    fake.settings = {
      baseUrl: `http://127.0.0.1:${port}`,
      wsUrl: `ws://127.0.0.1:${port}/v2`,
      publicWsUrl: `ws://127.0.0.1:${port}/public/v2`,
      tier,
      timeoutMs: '300',
      pingMs: '1000',
    };
    fake.secrets = main;
    fake.badSecrets = { apiKey: main.apiKey, apiSecret: randomBytes(64).toString('base64') };
    return fake;
  }

  /** Registers a key with these permissions; returns its credentials. */
  addKey(
    permissions: Permission[],
    opts: { otp?: string; nonceWindow?: number } = {},
  ): { apiKey: string; apiSecret: string } {
    const apiKey = randomBytes(42).toString('base64');
    const apiSecret = randomBytes(64).toString('base64');
    const lim = this.o.restLimit ?? FAKE_REST_LIMITS[this.o.tier ?? 'starter'];
    this.keys.set(apiKey, {
      secret: apiSecret,
      permissions: new Set(permissions),
      otp: opts.otp,
      nonceWindow: opts.nonceWindow ?? this.o.nonceWindow ?? 0,
      lastNonce: 0n,
      seen: new Set(),
      counter: new FakeCounter(lim.max, lim.decayPerSec, this.clock),
    });
    return { apiKey, apiSecret };
  }

  setPermissions(apiKey: string, permissions: Permission[]): void {
    this.keys.get(apiKey)!.permissions = new Set(permissions);
  }

  /** The REST counter of a key, full (another program used the key). */
  exhaustRestCounter(apiKey: string): void {
    this.keys.get(apiKey)!.counter.fill();
  }

  setPrice(pairKey: string, price: string): void {
    this.book.prices.set(pairKey, price);
  }

  /**
   * A trade on the pair at `price`: trailing stops follow it, and the stops it reaches
   * trigger and fill at it (their executions are pushed; a trailing move alone is not).
   */
  tradeAt(pairKey: string, price: string): void {
    this.book.tradeAt(pairKey, price);
  }

  fill(orderId: string): Promise<void> {
    this.book.fill(orderId);
    return Promise.resolve();
  }

  partialFill(orderId: string, qty: string): void {
    this.book.fill(orderId, qty);
  }

  loseNextPlaceAnswer(): void {
    this.loseAnswer = true;
  }

  failNextRequest(how: 'EService:Unavailable' | 'http503' = 'EService:Unavailable'): void {
    this.failNext = how;
  }

  /** The next request answers `EService: Throttled: <untilSec>`. */
  throttleNext(untilSec: number): void {
    this.throttleUntil = untilSec;
  }

  dropStreams(): void {
    this.hub.dropAll();
  }

  /** Open streams stop answering (no pong, heartbeat or push) but stay connected. */
  muteStreams(): void {
    this.hub.muteAll();
  }

  orderCount(): number {
    return this.book.orders.size;
  }

  /** Tokens handed out by GetWebSocketsToken (for the WebSocket hub). */
  private issueToken(): { token: string; expires: number } {
    const token = randomBytes(24).toString('base64');
    this.hub.tokens.set(token, this.clock() + 900_000);
    return { token, expires: 900 };
  }

  async close(): Promise<void> {
    for (const r of this.hung) r.destroy();
    this.hub.close();
    this.publicHub.close();
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private send(res: ServerResponse, body: unknown): void {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  private error(res: ServerResponse, e: string): void {
    const env = this.o.errorEnvelope ?? 'with-result';
    this.send(res, env === 'with-result' ? { error: [e], result: {} } : { error: [e] });
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = (req.url ?? '').split('?')[0]!;
      this.requests.push({ method: req.method ?? '', path, headers: req.headers, body });
      if (this.failNext) {
        const how = this.failNext;
        this.failNext = null;
        if (how === 'http503') {
          res.writeHead(503, { 'content-type': 'text/html' });
          res.end('<html><body>503 Service Temporarily Unavailable</body></html>');
        } else this.error(res, 'EService:Unavailable');
        return;
      }
      if (this.throttleUntil !== null) {
        const ts = this.throttleUntil;
        this.throttleUntil = null;
        return this.error(res, `EService: Throttled: ${ts}`);
      }
      try {
        if (path.startsWith('/0/public/') && req.method === 'GET') {
          return this.send(res, { error: [], result: this.publicCall(path.slice(10), req.url!) });
        }
        if (path.startsWith('/0/private/') && req.method === 'POST') {
          return this.privateCall(path, path.slice(11), req, body, res);
        }
        res.writeHead(404).end();
      } catch (e) {
        if (e instanceof KrakenRefusal) return this.error(res, e.message);
        res.writeHead(500).end();
      }
    });
  }

  private publicCall(method: string, url: string): unknown {
    const q = new URL(url, 'http://x').searchParams;
    switch (method) {
      case 'Time': {
        const t = this.clock();
        return { unixtime: Math.floor(t / 1000), rfc1123: new Date(t).toUTCString() };
      }
      case 'SystemStatus':
        return { status: this.systemStatus, timestamp: new Date(this.clock()).toISOString() };
      case 'Assets':
        return assetsFixture.result;
      case 'AssetPairs': {
        const want = q.get('pair');
        if (!want) return PAIRS;
        return Object.fromEntries(want.split(',').map((n) => this.book.pairOf(n)));
      }
      case 'Ticker': {
        const [key] = this.book.pairOf(q.get('pair') ?? undefined);
        const last = this.book.prices.get(key)!;
        return { [key]: { a: [last, '1', '1.000'], b: [last, '1', '1.000'], c: [last, '0.1'] } };
      }
      case 'OHLC': {
        const [key] = this.book.pairOf(q.get('pair') ?? undefined);
        const interval = q.get('interval') ?? '1';
        if (!['1', '5', '15', '30', '60', '240', '1440', '10080', '21600'].includes(interval)) {
          throw new KrakenRefusal('EGeneral:Invalid arguments:interval');
        }
        return { [key]: ohlcFixture.result.XXBTZUSD, last: ohlcFixture.result.last };
      }
      default:
        throw new KrakenRefusal('EGeneral:Unknown method');
    }
  }

  /** Counts a refused auth call and answers it (lockout after repeated ones). */
  private authFail(apiKey: string, res: ServerResponse, e: string): void {
    const b = this.badAuth.get(apiKey) ?? { count: 0, lockedUntil: 0 };
    b.count++;
    if (b.count >= (this.o.lockoutAfter ?? 5)) b.lockedUntil = this.clock() + LOCKOUT_MS;
    this.badAuth.set(apiKey, b);
    this.error(res, e);
  }

  private privateCall(
    path: string,
    method: string,
    req: IncomingMessage,
    raw: string,
    res: ServerResponse,
  ): void {
    const apiKey = String(req.headers['api-key'] ?? '');
    const locked = this.badAuth.get(apiKey);
    if (locked && locked.lockedUntil > this.clock())
      return this.error(res, 'EGeneral:Temporary lockout');
    const key = this.keys.get(apiKey);
    if (!key) return this.authFail(apiKey, res, 'EAPI:Invalid key');
    const params = this.parseBody(req, raw);
    if (!params) return this.error(res, 'EGeneral:Invalid arguments');
    const nonceText = params.nonce ?? '';
    if (!/^\d{1,20}$/.test(nonceText) || BigInt(nonceText) > 2n ** 64n - 1n) {
      return this.authFail(apiKey, res, 'EAPI:Invalid nonce');
    }
    const expected = createHmac('sha512', Buffer.from(key.secret, 'base64'))
      .update(
        Buffer.concat([
          Buffer.from(path),
          createHash('sha256')
            .update(nonceText + raw)
            .digest(),
        ]),
      )
      .digest();
    const given = Buffer.from(String(req.headers['api-sign'] ?? ''), 'base64');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return this.authFail(apiKey, res, 'EAPI:Invalid signature');
    }
    const nonce = BigInt(nonceText);
    const fresh =
      nonce > key.lastNonce ||
      (key.nonceWindow > 0 &&
        nonce > key.lastNonce - BigInt(key.nonceWindow) &&
        !key.seen.has(nonce));
    if (!fresh) return this.authFail(apiKey, res, 'EAPI:Invalid nonce');
    if (nonce > key.lastNonce) key.lastNonce = nonce;
    key.seen.add(nonce);
    if (key.otp !== undefined && params.otp !== key.otp) {
      return this.authFail(apiKey, res, this.o.otpError ?? 'EAPI:Invalid key');
    }
    this.badAuth.delete(apiKey);
    if (!key.counter.take(fakeRestCost(method))) return this.error(res, 'EAPI:Rate limit exceeded');
    const needs = NEEDS[method];
    if (!needs) return this.error(res, 'EGeneral:Unknown method');
    if (!needs.every((group) => group.some((p) => key.permissions.has(p)))) {
      return this.error(res, 'EGeneral:Permission denied');
    }
    this.deadManCheck();
    try {
      const result = privateMethod(this.book, method, params, this.clock, () => this.issueToken());
      if (method === 'AddOrder' && this.loseAnswer && (result as { txid?: unknown }).txid) {
        this.loseAnswer = false;
        this.hung.push(res);
        return;
      }
      this.send(res, { error: [], result });
    } catch (e) {
      if (e instanceof KrakenRefusal) return this.error(res, e.message);
      throw e;
    }
  }

  private parseBody(req: IncomingMessage, raw: string): Record<string, string> | null {
    const type = String(req.headers['content-type'] ?? '');
    if (type.startsWith('application/x-www-form-urlencoded')) {
      return Object.fromEntries(new URLSearchParams(raw));
    }
    if (type.startsWith('application/json') && (this.o.acceptJson ?? true)) {
      try {
        const v = JSON.parse(raw) as Record<string, unknown>;
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)]));
      } catch {
        return null;
      }
    }
    return null;
  }

  private deadManCheck(): void {
    if (this.book.deadManAt !== null && this.clock() >= this.book.deadManAt) {
      this.book.deadManAt = null;
      this.book.cancelAll();
    }
  }
}
