/**
 * Exact decimal-string arithmetic for the order ticket (cost, fee, % of balance). Amounts
 * stay strings and bigints: the preview must match what the exchange will hold to the unit.
 */

/** Decimals of a step such as "0.0001" (→ 4) or "1" (→ 0). */
export function decimalsOf(s: string): number {
  return s.split('.')[1]?.length ?? 0;
}

/** A decimal string as units of 10^-scale, truncating extra digits; undefined if not a number. */
export function toUnits(s: string, scale: number): bigint | undefined {
  const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(s.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const frac = (m[3] ?? '').slice(0, scale).padEnd(scale, '0');
  const units = BigInt((m[2] || '0') + frac);
  return m[1] === '-' ? -units : units;
}

export function fromUnits(units: bigint, scale: number): string {
  const neg = units < 0n;
  const digits = (neg ? -units : units).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const frac = scale > 0 ? `.${digits.slice(digits.length - scale)}` : '';
  return `${neg ? '-' : ''}${whole}${frac}`;
}

/** a × b, truncated to `scale` decimals. */
export function mul(a: string, b: string, scale: number): string | undefined {
  const sa = decimalsOf(a);
  const sb = decimalsOf(b);
  const ua = toUnits(a, sa);
  const ub = toUnits(b, sb);
  if (ua === undefined || ub === undefined) return undefined;
  const shift = sa + sb - scale;
  const raw = ua * ub;
  const units = shift >= 0 ? raw / 10n ** BigInt(shift) : raw * 10n ** BigInt(-shift);
  return fromUnits(units, scale);
}

/** a ÷ b, truncated to `scale` decimals (undefined when b is zero). */
export function div(a: string, b: string, scale: number): string | undefined {
  const s = Math.max(decimalsOf(a), decimalsOf(b));
  const ua = toUnits(a, s);
  const ub = toUnits(b, s);
  if (ua === undefined || ub === undefined || ub === 0n) return undefined;
  return fromUnits((ua * 10n ** BigInt(scale)) / ub, scale);
}

/** Rounds down to a multiple of `step` (e.g. a lot size). */
export function floorToStep(value: string, step: string): string | undefined {
  const scale = Math.max(decimalsOf(step), 0);
  const v = toUnits(value, scale);
  const st = toUnits(step, scale);
  if (v === undefined || st === undefined || st === 0n) return undefined;
  return fromUnits((v / st) * st, scale);
}

/** amount × ppm / 1,000,000, truncated to `scale`. */
export function ppmOf(amount: string, ppm: number, scale: number): string | undefined {
  const u = toUnits(amount, scale);
  if (u === undefined) return undefined;
  return fromUnits((u * BigInt(ppm)) / 1_000_000n, scale);
}

export function add(a: string, b: string, scale: number): string | undefined {
  const ua = toUnits(a, scale);
  const ub = toUnits(b, scale);
  return ua === undefined || ub === undefined ? undefined : fromUnits(ua + ub, scale);
}

export function sub(a: string, b: string, scale: number): string | undefined {
  const ub = toUnits(b, scale);
  return ub === undefined ? undefined : add(a, fromUnits(-ub, scale), scale);
}

export function isPositive(s: string): boolean {
  const u = toUnits(s, decimalsOf(s));
  return u !== undefined && u > 0n;
}
