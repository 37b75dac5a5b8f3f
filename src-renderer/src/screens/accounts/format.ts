import { showDecimal } from '../../../../src-shared/decimal';

/** A money amount as a desk shows it: at least cents (`-60` → `-60.00`); `—` when unknown. */
export const money = (v: string | null) => (v === null ? '—' : showDecimal(v, 2));

/**
 * An amount of `currency` as every money column shows it: at the asset's decimals (USDT 6,
 * USD 2: `-12.867` → `-12.867000 USDT`), never fewer digits than it has; at least cents for a
 * currency Bourse does not keep (a broker's). `—` when unknown.
 */
export function moneyIn(
  v: string | null,
  currency: string,
  scales: Readonly<Record<string, number>>,
): string {
  return v === null ? '—' : `${showDecimal(v, scales[currency] ?? 2)} ${currency}`;
}

/** Local date and time of a timestamp (ms). */
export const when = (ms: number) => new Date(ms).toLocaleString();

/** `gain` / `loss` for a signed decimal string, nothing for zero or unknown. */
export const signClass = (v: string | null) =>
  v === null ? '' : v.startsWith('-') ? 'loss' : /^0*\.?0*$/.test(v) ? '' : 'gain';

/** A clock offset in words: "12 ms ahead", "1.5 s behind". */
export function skewText(ms: number): string {
  const size = Math.abs(ms);
  const amount = size >= 1000 ? `${(size / 1000).toFixed(1)} s` : `${size} ms`;
  return ms === 0 ? 'in step' : `${amount} ${ms > 0 ? 'ahead' : 'behind'}`;
}
