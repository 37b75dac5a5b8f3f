import { compareDecimal, decimalsOf, readDecimalText, unitsAt } from '../../../src-shared/decimal';
import type { FakeBook, FakeOrder } from './state';

/**
 * The fake gateway's plumbing: the envelope, ASP.NET-style request validation and the
 * helpers every route shares.
 */

export type FieldType = 'int' | 'number' | 'string' | 'bool' | 'iso' | 'bracket';
export type Spec = Record<string, [FieldType, 'required' | 'optional']>;

export interface RouteContext {
  book: FakeBook;
  /** The user of the bearer token (login routes have none). */
  user: string | null;
  body: Record<string, unknown>;
  accountsOf(user: string): number[];
  login(userName: string, apiKey: string): string | null;
  issue(user: string): string;
  bracketTicks: 'signed' | 'unsigned' | 'either';
  uniqueCustomTag: boolean;
}

export interface Route {
  auth: boolean;
  spec: Spec;
  handle(ctx: RouteContext): Record<string, unknown>;
}

export const ok = (payload: Record<string, unknown> = {}) => ({
  ...payload,
  success: true,
  errorCode: 0,
  errorMessage: null,
});
export const fail = (
  errorCode: number,
  errorMessage: string,
  payload: Record<string, unknown> = {},
) => ({
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

export const dec = (n: unknown): string => {
  const r = readDecimalText(String(n), { exponent: true });
  if (!r.ok) throw new Error(`bad number ${String(n)}`);
  return r.value;
};

export const onTick = (price: string, tick: string) => {
  const s = Math.max(decimalsOf(price), decimalsOf(tick));
  return unitsAt(price, s) % unitsAt(tick, s) === 0n && compareDecimal(price, '0') > 0;
};

export function ownAccount(ctx: RouteContext): number | null {
  const id = ctx.body.accountId as number;
  return ctx.accountsOf(ctx.user!).includes(id) ? id : null;
}

export function ordersOf(ctx: RouteContext, accountId: number): FakeOrder[] {
  return [...ctx.book.orders.values()].filter((o) => o.accountId === accountId);
}

export function inWindow(ctx: RouteContext, ts: string): boolean {
  const t = Date.parse(ts);
  const start = Date.parse(ctx.body.startTimestamp as string);
  const end = ctx.body.endTimestamp ? Date.parse(ctx.body.endTimestamp as string) : Infinity;
  return t >= start && t <= end;
}
