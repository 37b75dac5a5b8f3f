/**
 * Money rule of the backtester (one rule, applied everywhere money moves):
 *
 * Prices are float64 for speed, but cash is held as an integer number of minor units
 * (cents for scale 2). Every cash movement — a fill's notional and its commission, each
 * rounded separately — is converted with `toMinor`: the float amount is first cut to 15
 * significant digits (which removes binary representation noise such as
 * 1.005 * 100 = 100.49999999999999) and then rounded half away from zero to the minor unit.
 * Realised P&L, fees and final cash are therefore exact sums of cent amounts; only the
 * mark-to-market part of the equity curve is a float.
 */

/** Converts a major-unit amount (e.g. dollars) to integer minor units (e.g. cents). */
export function toMinor(amount: number, scale: number): number {
  const x = amount * 10 ** scale;
  const ax = Math.abs(x);
  const frac = ax - Math.floor(ax);
  // Fast path (the common case, and the per-fill hot path): away from a half, cutting to 15
  // significant digits cannot change the rounding, so skip the costly toPrecision.
  if (Math.abs(frac - 0.5) > ax * 1e-13 + 1e-9) {
    const r = Math.round(ax);
    return x < 0 && r !== 0 ? -r : r;
  }
  const cut = Math.abs(Number(x.toPrecision(15)));
  const r = Math.round(cut);
  return x < 0 && r !== 0 ? -r : r;
}

/** Converts integer minor units back to a major-unit number (the nearest double). */
export function fromMinor(minor: number, scale: number): number {
  return minor / 10 ** scale;
}

/** Formats integer minor units as an exact decimal string, e.g. -12345 (scale 2) → "-123.45". */
export function formatMinor(minor: number, scale: number): string {
  const neg = minor < 0;
  const digits = String(Math.abs(minor)).padStart(scale + 1, '0');
  const int = scale === 0 ? digits : digits.slice(0, -scale);
  const frac = scale === 0 ? '' : `.${digits.slice(-scale)}`;
  return `${neg ? '-' : ''}${int}${frac}`;
}

/** Splits an integer `total` pro rata `part/whole`, rounding the share half away from zero. */
export function prorate(total: number, part: number, whole: number): number {
  if (part >= whole) return total;
  const share = Number(((total * part) / whole).toPrecision(15));
  const r = Math.round(Math.abs(share));
  return share < 0 && r !== 0 ? -r : r;
}
