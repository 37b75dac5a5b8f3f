/**
 * A scaled order: one quantity spread over evenly spaced limit prices, sent as one
 * `orders.placeBatch` call. Exact: prices are whole ticks and quantities whole lots, so what
 * the preview shows is what the exchange receives.
 */
import { ORDER_BATCH_MAX } from '../../../../src-shared/contract';
import { decimalsOf, formatDecimal, toUnits } from '../../../../src-shared/decimal';

export interface LadderSpec {
  /** First and last price, in either order; both multiples of the tick. */
  from: string;
  to: string;
  /** Orders, 2 … ORDER_BATCH_MAX. */
  count: string;
  /** The whole quantity, a multiple of the lot. */
  totalQty: string;
  tickSize: string;
  lotSize: string;
}

export interface Leg {
  price: string;
  qty: string;
}

export type LadderField = 'from' | 'to' | 'count' | 'totalQty';

export type Ladder = { ok: true; legs: Leg[] } | { ok: false; field: LadderField; message: string };

const fail = (field: LadderField, message: string): Ladder => ({ ok: false, field, message });

/** Whole steps in a decimal string, or undefined when it is not a positive multiple. */
function steps(value: string, step: string): bigint | undefined {
  const scale = Math.max(decimalsOf(value), decimalsOf(step));
  const v = toUnits(value, scale);
  const s = toUnits(step, scale);
  if (v === undefined || s === undefined || s <= 0n || v <= 0n || v % s !== 0n) return undefined;
  return v / s;
}

/**
 * The legs from the first price to the last: prices spaced as evenly as whole ticks allow
 * (each rounded to the nearest tick, all distinct), the quantity split in whole lots with the
 * remainder one lot each on the first legs.
 */
export function ladder(spec: LadderSpec): Ladder {
  const count = /^\d+$/.test(spec.count.trim()) ? Number(spec.count) : NaN;
  if (!(count >= 2 && count <= ORDER_BATCH_MAX)) {
    return fail('count', `Use 2 to ${ORDER_BATCH_MAX} orders`);
  }
  const from = steps(spec.from, spec.tickSize);
  if (from === undefined) return fail('from', `Enter a price in steps of ${spec.tickSize}`);
  const to = steps(spec.to, spec.tickSize);
  if (to === undefined) return fail('to', `Enter a price in steps of ${spec.tickSize}`);
  const span = to - from;
  const width = span < 0n ? -span : span;
  const n = BigInt(count);
  if (width < n - 1n) {
    const fits = Number(width) + 1;
    return fail(
      'to',
      `${spec.from}–${spec.to} holds ${fits} price${fits === 1 ? '' : 's'} at a tick of ${spec.tickSize}: widen it or use at most ${fits} orders`,
    );
  }
  const lots = steps(spec.totalQty, spec.lotSize);
  if (lots === undefined) return fail('totalQty', `Enter a quantity in steps of ${spec.lotSize}`);
  const each = lots / n;
  if (each === 0n) {
    return fail('totalQty', `${count} orders need at least ${count} × ${spec.lotSize}`);
  }
  const extra = lots % n;
  const tickScale = decimalsOf(spec.tickSize);
  const lotScale = decimalsOf(spec.lotSize);
  const tick = toUnits(spec.tickSize, tickScale) ?? 1n;
  const lot = toUnits(spec.lotSize, lotScale) ?? 1n;
  const legs: Leg[] = [];
  for (let i = 0n; i < n; i++) {
    // Nearest tick to from + span·i/(n−1), rounding half away from the first price.
    const offset = (2n * span * i + (span < 0n ? -(n - 1n) : n - 1n)) / (2n * (n - 1n));
    const qtyLots = each + (i < extra ? 1n : 0n);
    legs.push({
      price: formatDecimal((from + offset) * tick, tickScale),
      qty: formatDecimal(qtyLots * lot, lotScale),
    });
  }
  return { ok: true, legs };
}

/**
 * What a batch call did, for a notice or error line: refusals grouped by code, each group with
 * the first of its messages (a ladder refused by the price band says so once, not once per
 * order). `label` names the i-th entry (`#3` for a ladder's legs, `order 812` for a cancel).
 */
export function batchOutcome(
  results: ReadonlyArray<{ ok: true } | { ok: false; code: string; message: string }>,
  verb: 'Placed' | 'Cancelled' = 'Placed',
  label: (index: number) => string = (i) => `#${i + 1}`,
): { notice?: string; error?: string } {
  const groups = new Map<string, { entries: string[]; message: string }>();
  results.forEach((r, i) => {
    if (r.ok) return;
    const g = groups.get(r.code) ?? { entries: [], message: r.message };
    g.entries.push(label(i));
    groups.set(r.code, g);
  });
  const done = results.filter((r) => r.ok).length;
  const orders = `order${done === 1 ? '' : 's'}`;
  if (groups.size === 0) return { notice: `${verb} ${done} ${orders}` };
  const why = [...groups.values()].map((g) => `${g.entries.join(', ')}: ${g.message}`);
  return { error: `${verb} ${done} of ${results.length}; refused ${why.join('; ')}` };
}
