import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeBrokerHandle } from '../../helpers/broker-conformance';
import { FakeUserHub } from './hub';
import { FakeMarketHub, type QuoteFields } from './market-hub';
import { problems, type RouteContext } from './envelope';
import { ROUTES } from './routes';
import { FakeBook, type FakeAccount, type FakeContract, type HubPush } from './state';

/**
 * A strict fake of the ProjectX Gateway (REST on node:http, the user and market hubs on `ws`), on
 * 127.0.0.1 port 0. Tokens last 24 h on the fake's clock; the documented rate limits answer
 * HTTP 429; everything the notes mark (unverified) is an option here.
 */

export interface FakeProjectxOptions {
  now?: () => number;
  /** Hub payloads: `{action, data}` as observed live (default) or the documented bare object. */
  payloadShape?: 'wrapped' | 'bare';
  /** How the gateway takes bracket ticks: signed relative to side (observed), unsigned, either. */
  bracketTicks?: 'signed' | 'unsigned' | 'either';
  /** Refuse a second order with a used customTag (documented; the refusal itself is unverified). */
  uniqueCustomTag?: boolean;
  /** A Retry-After (seconds) on 429s; the real header is (unverified). */
  retryAfterSeconds?: number;
  /** [limit, windowMs] of the general and the bars limit (documented: 200/60 s, 50/30 s). */
  generalLimit?: [number, number];
  historyLimit?: [number, number];
  /** Server keep-alive pings (the client gives up after `hubTimeoutMs` of silence). */
  pingMs?: number;
  /** Market-hub GatewayQuote data: bare (documented, default) or `{action, data}`. */
  marketPayloadShape?: 'wrapped' | 'bare';
  /** GatewayQuote arguments: `(contractId, data)` (documented, default) or `data` alone. */
  marketQuoteArgs?: 'contract-and-data' | 'data-only';
}

export interface RequestRecord {
  path: string;
  /** The raw JSON text, to check exact decimals. */
  raw: string;
  authorization: string | undefined;
  status: number;
}

export interface FakeProjectx extends FakeBrokerHandle {
  book: FakeBook;
  hub: FakeUserHub;
  market: FakeMarketHub;
  requests: RequestRecord[];
  url: string;
  /** Every token issued so far stops working (an expired or revoked session). */
  revokeTokens(): void;
  /** Fills `qty` (default all that is left) of an order at its price (or the market's). */
  fillPart(orderId: string, qty: number): Promise<void>;
  contract(symbol: string): FakeContract;
  /** Pushes a (partial) quote of a symbol's active contract, or of a contract id. */
  quote(symbolOrContractId: string, fields: QuoteFields): void;
}

export const USER = 'trader@example.com';
export const API_KEY = 'pxk_live_9f2c1e7b';

const TOKEN_TTL_MS = 24 * 3_600_000;

function defaultAccounts(): FakeAccount[] {
  const base = { balance: '50000', isVisible: true, simulated: true, positionBrackets: false };
  return [
    // The first account cannot trade, so "the first active account that can trade" matters.
    { ...base, id: 7001, name: 'EXPRESS-V2-7001', canTrade: false },
    { ...base, id: 7002, name: '50KTC-V2-7002', canTrade: true },
    { ...base, id: 7003, name: 'PRAC-V2-7003', canTrade: true, positionBrackets: true },
  ];
}

function defaultContracts(): FakeContract[] {
  return [
    {
      id: 'CON.F.US.MNQ.Z26',
      name: 'MNQZ6',
      description: 'Micro E-mini Nasdaq-100: December 2026',
      tickSize: '0.25',
      tickValue: '0.5',
      activeContract: true,
      symbolId: 'F.US.MNQ',
      market: '21000.25',
    },
    {
      id: 'CON.F.US.MNQ.H27',
      name: 'MNQH7',
      description: 'Micro E-mini Nasdaq-100: March 2027',
      tickSize: '0.25',
      tickValue: '0.5',
      activeContract: false,
      symbolId: 'F.US.MNQ',
      market: '21100',
    },
    {
      id: 'CON.F.US.MES.Z26',
      name: 'MESZ6',
      description: 'Micro E-mini S&P 500: December 2026',
      tickSize: '0.25',
      tickValue: '1.25',
      activeContract: true,
      symbolId: 'F.US.MES',
      market: '6000',
    },
    {
      id: 'CON.F.US.MCLE.F27',
      name: 'MCLF7',
      description: 'Micro WTI Crude Oil: January 2027',
      tickSize: '0.01',
      tickValue: '1',
      activeContract: true,
      symbolId: 'F.US.MCLE',
      market: '61.37',
    },
  ];
}

class Window {
  private readonly hits: number[] = [];
  constructor(
    private readonly limit: number,
    private readonly ms: number,
  ) {}
  take(now: number): boolean {
    while (this.hits.length && this.hits[0]! <= now - this.ms) this.hits.shift();
    if (this.hits.length >= this.limit) return false;
    this.hits.push(now);
    return true;
  }
}

/** What the REST side of the fake reads and records. */
interface RestState {
  now(): number;
  opts: FakeProjectxOptions;
  book: FakeBook;
  requests: RequestRecord[];
  /** Place answers held back (lost) until the fake closes. */
  held: ServerResponse[];
  flags: { loseNext: boolean; failNext: boolean };
  general: Window;
  history: Window;
  accounts: Map<string, number[]>;
  userOf(token: string): string | null;
  issue(user: string): string;
}

/** The REST endpoints: limits, bearer tokens, ASP.NET-style validation, then the route. */
function restHandler(st: RestState) {
  const answer = (
    res: ServerResponse,
    rec: RequestRecord,
    status: number,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    rec.status = status;
    const text = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, {
      date: new Date(st.now()).toUTCString(),
      ...(body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
      ...headers,
    });
    res.end(text);
  };

  return (req: IncomingMessage, res: ServerResponse, raw: string) => {
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const rec: RequestRecord = { path, raw, authorization: req.headers.authorization, status: 0 };
    st.requests.push(rec);
    if (st.flags.failNext) {
      st.flags.failNext = false;
      return answer(res, rec, 503, undefined);
    }
    const route = ROUTES[path];
    if (!route) return answer(res, rec, 404);
    if (req.method !== 'POST') return answer(res, rec, 405);
    if (!(req.headers['content-type'] ?? '').startsWith('application/json'))
      return answer(res, rec, 415);
    const window = path === '/api/History/retrieveBars' ? st.history : st.general;
    if (!window.take(st.now())) {
      return answer(
        res,
        rec,
        429,
        undefined,
        st.opts.retryAfterSeconds !== undefined
          ? { 'retry-after': String(st.opts.retryAfterSeconds) }
          : {},
      );
    }
    let user: string | null = null;
    if (route.auth) {
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      user = bearer ? st.userOf(bearer) : null;
      if (!user) return answer(res, rec, 401, undefined, { 'www-authenticate': 'Bearer' });
    }
    let body: Record<string, unknown>;
    try {
      body =
        raw === '' && Object.keys(route.spec).length === 0
          ? {}
          : (JSON.parse(raw) as Record<string, unknown>);
      if (typeof body !== 'object' || body === null || Array.isArray(body))
        throw new Error('not an object');
    } catch {
      return answer(res, rec, 400, {
        title: 'One or more validation errors occurred.',
        status: 400,
        errors: { $: ['The JSON value is invalid.'] },
      });
    }
    const errors = problems(body, route.spec);
    if (errors)
      return answer(res, rec, 400, {
        type: 'https://tools.ietf.org/html/rfc9110#section-15.5.1',
        title: 'One or more validation errors occurred.',
        status: 400,
        errors,
      });
    const ctx: RouteContext = {
      book: st.book,
      user,
      body,
      accountsOf: (u) => st.accounts.get(u) ?? [],
      login: (u, k) => (u === USER && k === API_KEY ? st.issue(u) : null),
      issue: st.issue,
      bracketTicks: st.opts.bracketTicks ?? 'signed',
      uniqueCustomTag: st.opts.uniqueCustomTag ?? true,
    };
    const out = route.handle(ctx);
    if (path === '/api/Order/place' && st.flags.loseNext) {
      st.flags.loseNext = false;
      rec.status = -1;
      st.held.push(res);
      return;
    }
    answer(res, rec, 200, out);
  };
}

export async function startFakeProjectx(opts: FakeProjectxOptions = {}): Promise<FakeProjectx> {
  const now = opts.now ?? Date.now;
  const tokens = new Map<string, { user: string; issuedAt: number }>();
  const accounts = new Map<string, number[]>([[USER, [7001, 7002, 7003]]]);
  const held: ServerResponse[] = [];
  const requests: RequestRecord[] = [];
  const general = new Window(...(opts.generalLimit ?? [200, 60_000]));
  const history = new Window(...(opts.historyLimit ?? [50, 30_000]));

  const userOf = (token: string) => {
    const t = tokens.get(token);
    return t && now() - t.issuedAt < TOKEN_TTL_MS ? t.user : null;
  };
  const issue = (user: string) => {
    const token = `eyJ.${randomBytes(18).toString('base64url')}`;
    tokens.set(token, { user, issuedAt: now() });
    return token;
  };
  const hub = new FakeUserHub({
    path: '/hubs/user',
    userOf,
    accountsOf: (u) => accounts.get(u) ?? [],
    payloadShape: opts.payloadShape ?? 'wrapped',
    pingMs: opts.pingMs ?? 1_000,
  });
  const book = new FakeBook(now, (p: HubPush) => hub.publish(p, USER));
  const market = new FakeMarketHub({
    path: '/hubs/market',
    userOf,
    pingMs: opts.pingMs ?? 1_000,
    contracts: () => book.contracts,
    now,
    payloadShape: opts.marketPayloadShape ?? 'bare',
    quoteArgs: opts.marketQuoteArgs ?? 'contract-and-data',
  });
  book.accounts.push(...defaultAccounts());
  book.contracts.push(...defaultContracts());

  const flags = { loseNext: false, failNext: false };
  const handle = restHandler({
    now,
    opts,
    book,
    requests,
    held,
    flags,
    general,
    history,
    accounts,
    userOf,
    issue,
  });

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    (path === '/hubs/market' ? market : hub).upgrade(req, socket, head as Buffer);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const contract = (symbol: string) =>
    book.contracts.find((c) => c.symbolId.endsWith(`.${symbol}`) && c.activeContract)!;

  const fillPart = async (orderId: string, qty?: number) => {
    const o = book.orders.get(Number(orderId));
    if (!o || o.status !== 1) throw new Error(`order ${orderId} is not open at the fake`);
    const price = o.limitPrice ?? o.stopPrice ?? book.contract(o.contractId)!.market;
    book.fill(o, qty ?? o.size - o.fillVolume, price);
    await Promise.resolve();
  };

  return {
    settings: {
      baseUrl: url,
      hubUrl: `${url}/hubs/user`,
      userName: USER,
      // Only order calls get a short deadline: losing a place answer is the one timeout tested.
      orderTimeoutMs: '300',
      hubTimeoutMs: '5000',
    },
    secrets: { apiKey: API_KEY },
    badSecrets: { apiKey: 'pxk_live_wrong' },
    symbol: 'MNQ',
    qty: '1',
    restingBuyPrice: '20000.5',
    url,
    book,
    hub,
    market,
    requests,
    fill: (orderId) => fillPart(orderId),
    fillPart,
    loseNextPlaceAnswer: () => {
      flags.loseNext = true;
    },
    failNextRequest: () => {
      flags.failNext = true;
    },
    dropStreams: () => {
      hub.drop();
      market.drop();
    },
    orderCount: () => book.orders.size,
    revokeTokens: () => tokens.clear(),
    contract,
    quote: (name, fields) =>
      market.quote(name.startsWith('CON.') ? name : contract(name).id, fields),
    close: async () => {
      for (const r of held) r.destroy();
      hub.close();
      market.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
