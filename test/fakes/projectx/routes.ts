import {
  addDecimal,
  compareDecimal,
  decimalsOf,
  mulDecimal,
  readDecimalText,
  subDecimal,
  unitsAt,
} from '../../../src-shared/decimal';
import { wireOrder, wirePosition, wireTrade, type FakeBook, type FakeOrder } from './state';

/**
 * The gateway's endpoints: request shapes (a missing or mistyped field is an ASP.NET-style
 * 400) and business rules (answered HTTP 200 with `success:false` and an error code).
 */

type FieldType = 'int' | 'number' | 'string' | 'bool' | 'iso' | 'bracket';
type Spec = Record<string, [FieldType, 'required' | 'optional']>;

export interface RouteContext {
  book: FakeBook;
  /** The user of the bearer token (login routes have none). */
  user: string | null;
  body: Record<string, unknown>;
  accountsOf(user: string): number[];
  login(userName: string, apiKey: string): string | null;
  issue(user: string): string;
  bracketTicks: 'signed' | 'unsigned' | 'either';
}

export interface Route {
  auth: boolean;
  spec: Spec;
  handle(ctx: RouteContext): Record<string, unknown>;
}

const ok = (payload: Record<string, unknown> = {}) => ({
  ...payload,
  success: true,
  errorCode: 0,
  errorMessage: null,
});
const fail = (errorCode: number, errorMessage: string, payload: Record<string, unknown> = {}) => ({
  ...payload,
  success: false,
  errorCode,
  errorMessage,
});

/** A validation problem as ASP.NET writes it, or null when the body fits the spec. */
export function problems(
  body: Record<string, unknown>,
  spec: Spec,
): Record<string, string[]> | null {
  const errors: Record<string, string[]> = {};
  for (const [name, [type, need]] of Object.entries(spec)) {
    const v = body[name];
    if (v === undefined || v === null) {
      if (need === 'required') errors[name] = [`The ${name} field is required.`];
      continue;
    }
    const fits =
      type === 'int'
        ? Number.isInteger(v)
        : type === 'number'
          ? typeof v === 'number' && Number.isFinite(v)
          : type === 'bool'
            ? typeof v === 'boolean'
            : type === 'iso'
              ? typeof v === 'string' && !Number.isNaN(Date.parse(v))
              : type === 'bracket'
                ? typeof v === 'object' &&
                  Number.isInteger((v as { ticks?: unknown }).ticks) &&
                  Number.isInteger((v as { type?: unknown }).type)
                : typeof v === 'string';
    if (!fits) errors[name] = [`The JSON value could not be converted to ${type} (${name}).`];
  }
  return Object.keys(errors).length ? errors : null;
}

const dec = (n: unknown): string => {
  const r = readDecimalText(String(n), { exponent: true });
  if (!r.ok) throw new Error(`bad number ${String(n)}`);
  return r.value;
};

const onTick = (price: string, tick: string) => {
  const s = Math.max(decimalsOf(price), decimalsOf(tick));
  return unitsAt(price, s) % unitsAt(tick, s) === 0n && compareDecimal(price, '0') > 0;
};

function ownAccount(ctx: RouteContext): number | null {
  const id = ctx.body.accountId as number;
  return ctx.accountsOf(ctx.user!).includes(id) ? id : null;
}

function ordersOf(ctx: RouteContext, accountId: number): FakeOrder[] {
  return [...ctx.book.orders.values()].filter((o) => o.accountId === accountId);
}

function inWindow(ctx: RouteContext, ts: string): boolean {
  const t = Date.parse(ts);
  const start = Date.parse(ctx.body.startTimestamp as string);
  const end = ctx.body.endTimestamp ? Date.parse(ctx.body.endTimestamp as string) : Infinity;
  return t >= start && t <= end;
}

function place(ctx: RouteContext): Record<string, unknown> {
  const b = ctx.body;
  const accountId = ownAccount(ctx);
  if (accountId === null) return fail(1, 'Account not found.');
  const account = ctx.book.account(accountId)!;
  if (!account.canTrade) return fail(4, 'Account is not allowed to trade.');
  const c = ctx.book.contract(b.contractId as string);
  if (!c) return fail(8, 'Contract not found.');
  if (!c.activeContract) return fail(9, 'Contract is not active.');
  const type = b.type as number;
  const side = b.side as number;
  const size = b.size as number;
  if (![1, 2, 3, 4, 5, 6, 7].includes(type)) return fail(2, `Invalid order type ${type}.`);
  if (side !== 0 && side !== 1) return fail(2, `Invalid order side ${side}.`);
  if (size < 1) return fail(2, 'Invalid order size.');
  const limit = b.limitPrice === undefined || b.limitPrice === null ? null : dec(b.limitPrice);
  const stop = b.stopPrice === undefined || b.stopPrice === null ? null : dec(b.stopPrice);
  if ((type === 1 || type === 3) && limit === null) return fail(2, 'Limit price is required.');
  if ((type === 3 || type === 4) && stop === null) return fail(2, 'Stop price is required.');
  for (const p of [limit, stop]) {
    if (p !== null && !onTick(p, c.tickSize))
      return fail(2, `Invalid price ${p}: not on tick ${c.tickSize}.`);
  }
  const tag = (b.customTag as string | null | undefined) ?? null;
  if (tag !== null && ordersOf(ctx, accountId).some((o) => o.customTag === tag)) {
    return fail(
      2,
      `An order with customTag '${tag}' already exists; customTag must be unique across the account.`,
    );
  }
  const sl = b.stopLossBracket as { ticks: number; type: number } | undefined;
  const tp = b.takeProfitBracket as { ticks: number; type: number } | undefined;
  if ((sl || tp) && account.positionBrackets) {
    return fail(2, 'Brackets cannot be used with Position Brackets');
  }
  const dir = side === 0 ? 1 : -1;
  const offsets: Array<[string, { ticks: number; type: number }, number]> = [];
  for (const [label, br, want] of [
    ['SL', sl, -dir],
    ['TP', tp, dir],
  ] as const) {
    if (!br) continue;
    if (br.ticks === 0) return fail(2, `Invalid ${label} bracket: ticks must not be zero.`);
    if (ctx.bracketTicks === 'signed' && Math.sign(br.ticks) !== want) {
      return fail(2, `Invalid ${label} bracket ticks ${br.ticks} for this side.`);
    }
    if (ctx.bracketTicks === 'unsigned' && br.ticks < 0) {
      return fail(2, `Invalid ${label} bracket ticks ${br.ticks}.`);
    }
    offsets.push([label, br, want * Math.abs(br.ticks)]);
  }
  const base = {
    accountId,
    contractId: c.id,
    symbolId: c.symbolId,
    creationTimestamp: ctx.book.stamp(),
    updateTimestamp: null,
    fillVolume: 0,
    filledPrice: null,
  };
  const order: FakeOrder = {
    ...base,
    id: ctx.book.id(),
    status: 1,
    type,
    side,
    size,
    limitPrice: limit,
    stopPrice: stop,
    customTag: tag,
  };
  const kids: FakeOrder[] = offsets.map(([label, br, offset]) => ({
    ...base,
    id: ctx.book.id(),
    status: 8,
    type: br.type,
    side: 1 - side,
    size,
    limitPrice: null,
    stopPrice: null,
    customTag: tag === null ? null : `${tag}-${label}`,
    parentOrderId: order.id,
    bracketTicks: offset,
  }));
  if (kids.length === 2) {
    kids[0]!.linkedOrderId = kids[1]!.id;
    kids[1]!.linkedOrderId = kids[0]!.id;
  }
  for (const k of kids) ctx.book.orders.set(k.id, k);
  ctx.book.accept(order);
  return ok({ orderId: order.id });
}

function findOwnOrder(ctx: RouteContext): FakeOrder | string {
  const accountId = ownAccount(ctx);
  if (accountId === null) return 'Account not found.';
  const o = ctx.book.orders.get(ctx.body.orderId as number);
  return o && o.accountId === accountId ? o : `Order ${String(ctx.body.orderId)} not found.`;
}

const STATE_WORD: Record<number, string> = {
  2: 'filled',
  3: 'cancelled',
  4: 'expired',
  5: 'rejected',
};

function cancel(ctx: RouteContext): Record<string, unknown> {
  const o = findOwnOrder(ctx);
  if (typeof o === 'string') return fail(1, o);
  if (STATE_WORD[o.status]) return fail(2, `Cannot cancel order: already ${STATE_WORD[o.status]}`);
  ctx.book.setStatus(o, 3);
  return ok();
}

function modify(ctx: RouteContext): Record<string, unknown> {
  const o = findOwnOrder(ctx);
  if (typeof o === 'string') return fail(1, o);
  if (o.status !== 1) return fail(2, `Cannot modify order: ${STATE_WORD[o.status] ?? 'not open'}`);
  const c = ctx.book.contract(o.contractId)!;
  const b = ctx.body;
  if (
    b.size !== undefined &&
    b.size !== null &&
    ((b.size as number) < 1 || (b.size as number) <= o.fillVolume)
  ) {
    return fail(2, 'Invalid order size.');
  }
  for (const [field, types] of [
    ['limitPrice', [1, 3]],
    ['stopPrice', [3, 4]],
  ] as const) {
    const v = b[field];
    if (v === undefined || v === null) continue;
    if (!(types as readonly number[]).includes(o.type))
      return fail(2, `This order type has no ${field}.`);
    if (!onTick(dec(v), c.tickSize)) return fail(2, `Invalid price ${String(v)}.`);
  }
  if (b.size !== undefined && b.size !== null) o.size = b.size as number;
  if (b.limitPrice !== undefined && b.limitPrice !== null) o.limitPrice = dec(b.limitPrice);
  if (b.stopPrice !== undefined && b.stopPrice !== null) o.stopPrice = dec(b.stopPrice);
  o.updateTimestamp = ctx.book.stamp();
  ctx.book.emitOrder(o);
  return ok();
}

function close(ctx: RouteContext, partial: boolean): Record<string, unknown> {
  const accountId = ownAccount(ctx);
  if (accountId === null) return fail(1, 'Account not found.');
  const pos = ctx.book.positions.get(`${accountId}|${String(ctx.body.contractId)}`);
  if (!pos || pos.net === 0) return fail(2, 'No open position for this contract.');
  const size = partial ? (ctx.body.size as number) : Math.abs(pos.net);
  if (size < 1 || size > Math.abs(pos.net)) return fail(2, 'Invalid size.');
  ctx.book.closeOut(accountId, pos.contractId, size);
  return ok();
}

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
