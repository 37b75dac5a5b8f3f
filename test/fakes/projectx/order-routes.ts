import type { FakeOrder } from './state';
import { dec, fail, ok, onTick, ordersOf, ownAccount, type RouteContext } from './envelope';

/** Order and position changes: the gateway's business rules, answered in the envelope. */

export function place(ctx: RouteContext): Record<string, unknown> {
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
  if (
    ctx.uniqueCustomTag &&
    tag !== null &&
    ordersOf(ctx, accountId).some((o) => o.customTag === tag)
  ) {
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

export function cancel(ctx: RouteContext): Record<string, unknown> {
  const o = findOwnOrder(ctx);
  if (typeof o === 'string') return fail(1, o);
  if (STATE_WORD[o.status]) return fail(2, `Cannot cancel order: already ${STATE_WORD[o.status]}`);
  ctx.book.setStatus(o, 3);
  return ok();
}

export function modify(ctx: RouteContext): Record<string, unknown> {
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

export function close(ctx: RouteContext, partial: boolean): Record<string, unknown> {
  const accountId = ownAccount(ctx);
  if (accountId === null) return fail(1, 'Account not found.');
  const pos = ctx.book.positions.get(`${accountId}|${String(ctx.body.contractId)}`);
  if (!pos || pos.net === 0) return fail(2, 'No open position for this contract.');
  const size = partial ? (ctx.body.size as number) : Math.abs(pos.net);
  if (size < 1 || size > Math.abs(pos.net)) return fail(2, 'Invalid size.');
  ctx.book.closeOut(accountId, pos.contractId, size);
  return ok();
}
