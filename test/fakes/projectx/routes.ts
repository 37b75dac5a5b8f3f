import { addDecimal, mulDecimal, subDecimal } from '../../../src-shared/decimal';
import { wireOrder, wirePosition, wireTrade, type FakeBook } from './state';
import {
  fail,
  inWindow,
  ok,
  ordersOf,
  ownAccount,
  type Route,
  type RouteContext,
} from './envelope';
import { cancel, close, modify, place } from './order-routes';

/**
 * The gateway's endpoints: request shapes (a missing or mistyped field is an ASP.NET-style
 * 400) and business rules (answered HTTP 200 with `success:false` and an error code).
 */

const wireContract = (c: ReturnType<FakeBook['contract']> & object) => ({
  id: c.id,
  name: c.name,
  description: c.description,
  tickSize: Number(c.tickSize),
  tickValue: Number(c.tickValue),
  activeContract: c.activeContract,
  symbolId: c.symbolId,
});

function bars(ctx: RouteContext): Record<string, unknown> {
  const b = ctx.body;
  const c = ctx.book.contract(b.contractId as string);
  if (!c) return fail(1, 'Contract not found.');
  const unit = b.unit as number;
  const step =
    ([0, 1_000, 60_000, 3_600_000, 86_400_000, 604_800_000, 2_592_000_000][unit] ?? 0) *
    (b.unitNumber as number);
  const limit = b.limit as number;
  if (!step || step < 0 || limit < 1 || limit > 20_000) return fail(1, 'Invalid bar request.');
  const start = Date.parse(b.startTime as string);
  const end = Date.parse(b.endTime as string);
  if (!(start < end)) return fail(1, 'startTime must be before endTime.');
  const out = [];
  for (let t = start, i = 0; t < end && out.length < limit; t += step, i++) {
    const o = addDecimal(c.market, mulDecimal(String(i % 4), c.tickSize));
    const [h, l] = [addDecimal(o, c.tickSize), subDecimal(o, c.tickSize)];
    // Numbers from exact text, as a JSON serializer of decimals writes them.
    out.push({
      t: new Date(t).toISOString(),
      o: Number(o),
      h: Number(h),
      l: Number(l),
      c: Number(o),
      v: 10 + i,
    });
  }
  return ok({ bars: out });
}

const own = (ctx: RouteContext, f: (accountId: number) => Record<string, unknown>) => {
  const a = ownAccount(ctx);
  return a === null ? fail(1, 'Account not found.') : f(a);
};

export const ROUTES: Record<string, Route> = {
  '/api/Auth/loginKey': {
    auth: false,
    spec: { userName: ['string', 'required'], apiKey: ['string', 'required'] },
    handle: (ctx) => {
      const token = ctx.login(ctx.body.userName as string, ctx.body.apiKey as string);
      return token ? ok({ token }) : fail(3, 'Invalid credentials.', { token: null });
    },
  },
  '/api/Auth/validate': {
    auth: true,
    spec: {},
    handle: (ctx) => ok({ newToken: ctx.issue(ctx.user!) }),
  },
  '/api/Account/search': {
    auth: true,
    spec: { onlyActiveAccounts: ['bool', 'required'] },
    handle: (ctx) =>
      ok({
        accounts: ctx.accountsOf(ctx.user!).map((id) => {
          const a = ctx.book.account(id)!;
          return {
            id: a.id,
            name: a.name,
            balance: Number(a.balance),
            canTrade: a.canTrade,
            isVisible: a.isVisible,
            simulated: a.simulated,
          };
        }),
      }),
  },
  '/api/Contract/available': {
    auth: true,
    spec: { live: ['bool', 'required'] },
    handle: (ctx) =>
      ok({ contracts: ctx.book.contracts.filter((c) => c.activeContract).map(wireContract) }),
  },
  '/api/Contract/search': {
    auth: true,
    spec: { searchText: ['string', 'required'], live: ['bool', 'required'] },
    handle: (ctx) => {
      const q = (ctx.body.searchText as string).toUpperCase();
      const hits = ctx.book.contracts.filter((c) =>
        `${c.name} ${c.symbolId} ${c.description}`.toUpperCase().includes(q),
      );
      return ok({ contracts: hits.slice(0, 20).map(wireContract) });
    },
  },
  '/api/Contract/searchById': {
    auth: true,
    spec: { contractId: ['string', 'required'] },
    handle: (ctx) => {
      const c = ctx.book.contract(ctx.body.contractId as string);
      return c
        ? ok({ contract: wireContract(c) })
        : fail(1, 'Contract not found.', { contract: null });
    },
  },
  '/api/History/retrieveBars': {
    auth: true,
    spec: {
      contractId: ['string', 'required'],
      live: ['bool', 'required'],
      startTime: ['iso', 'required'],
      endTime: ['iso', 'required'],
      unit: ['int', 'required'],
      unitNumber: ['int', 'required'],
      limit: ['int', 'required'],
      includePartialBar: ['bool', 'required'],
    },
    handle: bars,
  },
  '/api/Order/place': {
    auth: true,
    spec: {
      accountId: ['int', 'required'],
      contractId: ['string', 'required'],
      type: ['int', 'required'],
      side: ['int', 'required'],
      size: ['int', 'required'],
      limitPrice: ['number', 'optional'],
      stopPrice: ['number', 'optional'],
      trailPrice: ['number', 'optional'],
      customTag: ['string', 'optional'],
      stopLossBracket: ['bracket', 'optional'],
      takeProfitBracket: ['bracket', 'optional'],
    },
    handle: place,
  },
  '/api/Order/modify': {
    auth: true,
    spec: {
      accountId: ['int', 'required'],
      orderId: ['int', 'required'],
      size: ['int', 'optional'],
      limitPrice: ['number', 'optional'],
      stopPrice: ['number', 'optional'],
      trailPrice: ['number', 'optional'],
    },
    handle: modify,
  },
  '/api/Order/cancel': {
    auth: true,
    spec: { accountId: ['int', 'required'], orderId: ['int', 'required'] },
    handle: cancel,
  },
  '/api/Order/searchOpen': {
    auth: true,
    spec: { accountId: ['int', 'required'] },
    handle: (ctx) =>
      own(ctx, (a) =>
        ok({
          orders: ordersOf(ctx, a)
            .filter((o) => o.status === 1 || o.status === 6)
            .map(wireOrder),
        }),
      ),
  },
  '/api/Order/search': {
    auth: true,
    spec: {
      accountId: ['int', 'required'],
      startTimestamp: ['iso', 'required'],
      endTimestamp: ['iso', 'optional'],
    },
    handle: (ctx) =>
      own(ctx, (a) =>
        ok({
          // Suspended bracket children (status 8) never show here (§3.8).
          orders: ordersOf(ctx, a)
            .filter((o) => o.status !== 8 && inWindow(ctx, o.creationTimestamp))
            .map(wireOrder),
        }),
      ),
  },
  '/api/Position/searchOpen': {
    auth: true,
    spec: { accountId: ['int', 'required'] },
    handle: (ctx) =>
      own(ctx, (a) =>
        ok({
          positions: [...ctx.book.positions.values()]
            .filter((p) => p.accountId === a && p.net !== 0)
            .map(wirePosition),
        }),
      ),
  },
  '/api/Position/closeContract': {
    auth: true,
    spec: { accountId: ['int', 'required'], contractId: ['string', 'required'] },
    handle: (ctx) => close(ctx, false),
  },
  '/api/Position/partialCloseContract': {
    auth: true,
    spec: {
      accountId: ['int', 'required'],
      contractId: ['string', 'required'],
      size: ['int', 'required'],
    },
    handle: (ctx) => close(ctx, true),
  },
  '/api/Trade/search': {
    auth: true,
    spec: {
      accountId: ['int', 'required'],
      startTimestamp: ['iso', 'required'],
      endTimestamp: ['iso', 'optional'],
    },
    handle: (ctx) =>
      own(ctx, (a) =>
        ok({
          trades: ctx.book.trades
            .filter((t) => t.accountId === a && inWindow(ctx, t.creationTimestamp))
            .map(wireTrade),
        }),
      ),
  },
};
