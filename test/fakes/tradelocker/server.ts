import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Book, type FakeInstrument } from './book';
import { defaultInstruments } from './instruments';

export { defaultInstruments } from './instruments';
import { JwtIssuer } from './jwt';
import { placeOrder, Refusal } from './rules';
import { json, ok, tradeRoutes, type Reply } from './trade-routes';
import { type AmountStyle, type RateRule } from './tables';

/**
 * A strict fake of TradeLocker's public REST API (`/backend-api`) on 127.0.0.1: JWT login,
 * single-use refresh tokens, `accNum` required on `/trade/*` and refused on all-accounts,
 * `{s,d}` / `{s:'error',errmsg}` envelopes, positional tables named by `/trade/config`,
 * per-route rate limits, INFO routes that can be invalid, and an order state machine with
 * positions and SL/TP. Tests steer it through the public methods (never the connector).
 */
export interface FakeTradelockerOptions {
  now?: () => number;
  accessTtlMs?: number;
  refreshTtlMs?: number;
  rateLimits?: RateRule[];
  /** The HTTP status of a rate-limit refusal; TradeLocker's is (unverified) 429. */
  rateLimitStatus?: number;
  amountStyle?: AmountStyle;
  /** More instruments besides EURUSD and XAUUSD. */
  extraInstruments?: FakeInstrument[];
}

export const FAKE_USER = {
  email: 'trader@example.com',
  password: 'correct-horse-42',
  server: 'KOT-DEMO',
};

interface FakeAccount {
  id: string;
  accNum: string;
  name: string;
  currency: string;
  balance: string;
  book: Book;
}

const ROUTE_NAMES = [
  'GET_ACCOUNTS',
  'GET_EXECUTIONS',
  'GET_INSTRUMENTS',
  'GET_ORDERS',
  'GET_ORDERS_HISTORY',
  'GET_POSITIONS',
  'GET_ACCOUNTS_STATE',
  'GET_INSTRUMENT_DETAILS',
  'PLACE_ORDER',
  'MODIFY_ORDER',
  'MODIFY_POSITION',
  'QUOTES',
];

export class FakeTradelocker {
  private server: Server | null = null;
  private readonly jwt = new JwtIssuer();
  private readonly usedRefresh = new Set<string>();
  private readonly now: () => number;
  readonly accounts: FakeAccount[];
  private readonly rate = new Map<string, number[]>();
  private failNext = 0;
  private dropNext = 0;
  private loseNext = 0;
  private holdNext = 0;
  private rateLimitNextCount = 0;
  /** Tokens signed before this revocation count are refused (a server-side logout). */
  private revokedJti = new Set<string>();
  private issued: string[] = [];
  private rejectNextReason: string | null = null;
  /** Every request the fake saw, for protocol assertions. */
  readonly requests: Array<{
    method: string;
    path: string;
    query: string;
    accNum: string | undefined;
    body: string;
  }> = [];
  readonly stats = { logins: 0, refreshes: 0, rateLimited: 0 };
  baseUrl = '';

  constructor(readonly opts: FakeTradelockerOptions = {}) {
    this.now = opts.now ?? Date.now;
    const account = (id: string, accNum: string, name: string): FakeAccount => ({
      id,
      accNum,
      name,
      currency: 'USD',
      balance: '10000',
      book: new Book([...defaultInstruments(), ...(opts.extraInstruments ?? [])], this.now),
    });
    this.accounts = [account('712001', '1', 'Demo 1'), account('712002', '2', 'Demo 2')];
  }

  get rateLimits(): RateRule[] {
    return (
      this.opts.rateLimits ??
      ROUTE_NAMES.map((r) => ({
        rateLimitType: r,
        measure: 'SECONDS' as const,
        intervalNum: 1,
        limit: 200,
      }))
    );
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    const { port } = this.server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}/backend-api`;
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  // ---- controls -------------------------------------------------------------------------

  failNextRequest(n = 1): void {
    this.failNext += n;
  }
  /** The next `n` polling reads (orders, positions, executions) lose their connection. */
  dropPolls(n = 1): void {
    this.dropNext += n;
  }
  /** Every token issued so far is refused from now on (a password change, a server logout). */
  revokeSessions(): void {
    for (const jti of this.issued) this.revokedJti.add(jti);
  }
  /** The next request gets no answer at all (the connection stays open). */
  holdNextRequest(): void {
    this.holdNext++;
  }
  /** The next request answers the broker's rate-limit refusal. */
  rateLimitNext(): void {
    this.rateLimitNextCount++;
  }
  loseNextPlaceAnswer(): void {
    this.loseNext++;
  }
  rejectNext(reason: string): void {
    this.rejectNextReason = reason;
  }
  /**
   * An order placed outside Bourse (from TradeLocker's own platform) with the body the API
   * takes, under the same rules as `POST …/orders`: e.g. a stop-loss by `offset` or
   * `trailingOffset`, which Bourse never sends. Its id, or the refusal thrown.
   */
  placeOnPlatform(body: Record<string, unknown>, accountId = this.accounts[0]!.id): string {
    const placed = placeOrder(this.book(accountId), body, null);
    if (!placed.ok) throw new Error(placed.errmsg);
    return placed.orderId;
  }
  book(accountId = this.accounts[0]!.id): Book {
    return this.accounts.find((a) => a.id === accountId)!.book;
  }
  orderCount(): number {
    return this.accounts.reduce(
      (n, a) => n + [...a.book.orders.values()].filter((o) => !o.closes).length,
      0,
    );
  }

  /** Fills a working order at its own price (limit or stop), as if the market came to it. */
  fill(orderId: string, qty?: string): void {
    const book = this.accounts.find((a) => a.book.orders.has(orderId))?.book;
    const o = book?.orders.get(orderId);
    if (!book || !o) throw new Error(`no order ${orderId}`);
    const price = o.price ?? o.stopPrice ?? book.instrument(o.instrumentId)!.ask;
    book.fill(orderId, qty ?? o.qty, price);
  }

  setPrice(symbol: string, bid: string, ask: string): void {
    for (const a of this.accounts) {
      const i = a.book.instruments.find((x) => x.name === symbol)!;
      a.book.setPrice(i.id, bid, ask);
    }
  }

  // ---- HTTP ------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://fake');
    const accNum = req.headers['accnum'];
    this.requests.push({
      method: req.method ?? '',
      path: url.pathname,
      query: url.search,
      accNum: typeof accNum === 'string' ? accNum : undefined,
      body,
    });
    let reply: Reply;
    try {
      reply = this.route(req, url, body);
    } catch (e) {
      reply =
        e instanceof Refusal
          ? { status: e.status, body: { s: 'error', errmsg: e.message } }
          : { status: 500, body: { s: 'error', errmsg: 'Internal error' } };
    }
    if (reply === 'hold') return; // the answer is lost: the connection stays open until close()
    if (reply === 'drop') {
      req.socket.destroy();
      return;
    }
    res.writeHead(reply.status, {
      'content-type': 'application/json',
      date: new Date(this.now()).toUTCString(),
      ...reply.headers,
    });
    res.end(JSON.stringify(reply.body));
  }

  private route(req: IncomingMessage, url: URL, body: string): Reply {
    const method = req.method ?? 'GET';
    if (this.holdNext > 0) {
      this.holdNext--;
      return 'hold';
    }
    if (this.rateLimitNextCount > 0) {
      this.rateLimitNextCount--;
      return this.rateLimitReply(1);
    }
    if (this.failNext > 0) {
      this.failNext--;
      return { status: 503, body: { s: 'error', errmsg: 'Service Unavailable' } };
    }
    if (!url.pathname.startsWith('/backend-api/'))
      return { status: 404, body: { s: 'error', errmsg: 'Not found' } };
    const path = url.pathname.slice('/backend-api'.length);
    if (path === '/auth/jwt/token' && method === 'POST') return this.login(body);
    if (path === '/auth/jwt/refresh' && method === 'POST') return this.refresh(body);
    const user = this.bearer(req);
    if (path === '/auth/jwt/all-accounts' && method === 'GET') {
      if (req.headers['accnum'] !== undefined)
        throw new Refusal(400, 'accNum header is not allowed on all-accounts');
      return ok(
        {
          accounts: this.accounts.map((a) => ({
            id: a.id,
            name: a.name,
            currency: a.currency,
            accNum: a.accNum,
            accountBalance: a.balance,
            status: 'ACTIVE',
          })),
        },
        false,
      );
    }
    if (!path.startsWith('/trade/')) throw new Refusal(404, `no route ${method} ${path}`);
    void user;
    const accNum = req.headers['accnum'];
    if (typeof accNum !== 'string' || accNum === '')
      throw new Refusal(400, 'accNum header is required');
    const account = this.accounts.find((a) => a.accNum === accNum);
    if (!account) throw new Refusal(403, `accNum ${accNum} is not an account of this user`);
    return this.trade(method, path, url, body, account);
  }

  private login(body: string): Reply {
    const b = json(body) as Record<string, unknown>;
    const keys = Object.keys(b).sort().join(',');
    if (keys !== 'email,password,server' || Object.values(b).some((v) => typeof v !== 'string')) {
      throw new Refusal(400, 'email, password and server are required');
    }
    if (
      b.email !== FAKE_USER.email ||
      b.password !== FAKE_USER.password ||
      b.server !== FAKE_USER.server
    ) {
      throw new Refusal(401, 'Invalid credentials');
    }
    this.stats.logins++;
    return this.tokens();
  }

  private refresh(body: string): Reply {
    const b = json(body) as Record<string, unknown>;
    if (typeof b.refreshToken !== 'string' || Object.keys(b).length !== 1)
      throw new Refusal(400, 'refreshToken is required');
    const claims = this.jwt.verify(b.refreshToken, 'refresh', this.now());
    if (!claims || this.usedRefresh.has(claims.jti) || this.revokedJti.has(claims.jti))
      throw new Refusal(401, 'Invalid refresh token');
    this.usedRefresh.add(claims.jti);
    this.stats.refreshes++;
    return this.tokens();
  }

  private tokens(): Reply {
    const now = this.now();
    const ttl = this.opts.accessTtlMs ?? 60 * 60_000;
    return ok(
      {
        accessToken: this.track(this.jwt.sign(FAKE_USER.email, 'access', now, ttl)),
        refreshToken: this.track(
          this.jwt.sign(FAKE_USER.email, 'refresh', now, this.opts.refreshTtlMs ?? 7 * 86_400_000),
        ),
        expireDate: new Date(now + ttl).toISOString(),
      },
      false,
      201,
    );
  }

  private bearer(req: IncomingMessage): string {
    const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    const claims = m ? this.jwt.verify(m[1]!, 'access', this.now()) : null;
    if (!claims || this.revokedJti.has(claims.jti)) throw new Refusal(401, 'Unauthorized');
    return claims.sub;
  }

  private rateLimitReply(retryAfterS: number): Reply {
    this.stats.rateLimited++;
    return {
      status: this.opts.rateLimitStatus ?? 429,
      body: { s: 'error', errmsg: 'Rate limit exceeded' },
      headers: { 'retry-after': String(retryAfterS) },
    };
  }

  private track(token: string): string {
    const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as {
      jti: string;
    };
    this.issued.push(payload.jti);
    return token;
  }

  private limited(route: string): Reply | null {
    const rules = this.rateLimits.filter((r) => r.rateLimitType === route);
    const t = this.now();
    const log = this.rate.get(route) ?? [];
    for (const r of rules) {
      const windowMs = r.intervalNum * (r.measure === 'MINUTES' ? 60_000 : 1000);
      if (log.filter((x) => x > t - windowMs).length >= r.limit) {
        return this.rateLimitReply(r.intervalNum * (r.measure === 'MINUTES' ? 60 : 1));
      }
    }
    log.push(t);
    this.rate.set(route, log.slice(-1000));
    return null;
  }

  private trade(method: string, path: string, url: URL, body: string, account: FakeAccount): Reply {
    const style = this.opts.amountStyle ?? 'string';
    const acct = /^\/trade\/accounts\/([^/]+)\/(\w+)$/.exec(path);
    if (acct && acct[1] !== account.id)
      throw new Refusal(403, 'accNum does not match the account in the path');
    const table = acct?.[2];
    const poll =
      method === 'GET' && (table === 'orders' || table === 'positions' || table === 'executions');
    if (poll && this.dropNext > 0) {
      this.dropNext--;
      return 'drop';
    }
    const key = routeOf(method, path, table);
    const limited = key ? this.limited(key) : null;
    if (limited) return limited;

    return tradeRoutes(
      { method, path, url, body, account, table, style, rateLimits: this.rateLimits },
      {
        takeReject: () => {
          const reason = this.rejectNextReason;
          this.rejectNextReason = null;
          return reason;
        },
        takeLoss: () => this.loseNext > 0 && this.loseNext-- > 0,
      },
    );
  }
}

function routeOf(method: string, path: string, table: string | undefined): string | null {
  if (method === 'GET') {
    const byTable: Record<string, string> = {
      orders: 'GET_ORDERS',
      ordersHistory: 'GET_ORDERS_HISTORY',
      positions: 'GET_POSITIONS',
      executions: 'GET_EXECUTIONS',
      state: 'GET_ACCOUNTS_STATE',
      instruments: 'GET_INSTRUMENTS',
    };
    if (table) return byTable[table] ?? null;
    if (path === '/trade/quotes') return 'QUOTES';
    if (path.startsWith('/trade/instruments/')) return 'GET_INSTRUMENT_DETAILS';
    return null;
  }
  if (method === 'POST' && table === 'orders') return 'PLACE_ORDER';
  if (path.startsWith('/trade/positions/')) return 'MODIFY_POSITION';
  return 'MODIFY_ORDER';
}
