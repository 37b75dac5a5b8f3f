/**
 * Deliberately naive textbook implementations, written independently of the production code:
 * every value is recomputed from its definition with plain loops over plain arrays.
 */
const N = NaN;

export function refSma(x: number[], n: number): number[] {
  return x.map((_, i) => {
    if (i < n - 1) return N;
    let s = 0;
    for (let j = i - n + 1; j <= i; j++) s += x[j]!;
    return s / n;
  });
}

/** EMA by recursion from an SMA seed at index n-1. */
export function refEma(x: number[], n: number, alpha = 2 / (n + 1)): number[] {
  const out: number[] = x.map(() => N);
  const start = x.findIndex((v) => !Number.isNaN(v));
  if (start < 0 || start + n - 1 >= x.length) return out;
  out[start + n - 1] = x.slice(start, start + n).reduce((a, b) => a + b, 0) / n;
  for (let i = start + n; i < x.length; i++) {
    out[i] = alpha * x[i]! + (1 - alpha) * out[i - 1]!;
  }
  return out;
}

export function refWma(x: number[], n: number): number[] {
  return x.map((_, i) => {
    if (i < n - 1) return N;
    let s = 0;
    let w = 0;
    for (let k = 1; k <= n; k++) {
      s += k * x[i - n + k]!;
      w += k;
    }
    return s / w;
  });
}

/** Wilder RSI: average gain/loss over the first n changes, then (prev*(n-1)+cur)/n. */
export function refRsi(x: number[], n: number): number[] {
  const out: number[] = x.map(() => N);
  let ag = 0;
  let al = 0;
  for (let i = 1; i < x.length; i++) {
    const d = x[i]! - x[i - 1]!;
    const g = Math.max(d, 0);
    const l = Math.max(-d, 0);
    if (i <= n) {
      ag += g / n;
      al += l / n;
    } else {
      ag = (ag * (n - 1) + g) / n;
      al = (al * (n - 1) + l) / n;
    }
    if (i >= n) out[i] = al === 0 ? 100 : ag === 0 ? 0 : 100 - 100 / (1 + ag / al);
  }
  return out;
}

export function refStdPop(x: number[], n: number): number[] {
  const m = refSma(x, n);
  return x.map((_, i) => {
    if (i < n - 1) return N;
    let s = 0;
    for (let j = i - n + 1; j <= i; j++) s += (x[j]! - m[i]!) ** 2;
    return Math.sqrt(s / n);
  });
}

export function refAtr(h: number[], l: number[], c: number[], n: number): number[] {
  const tr = h.map((_, i) =>
    i === 0
      ? h[i]! - l[i]!
      : Math.max(h[i]! - l[i]!, Math.abs(h[i]! - c[i - 1]!), Math.abs(l[i]! - c[i - 1]!)),
  );
  const out: number[] = h.map(() => N);
  for (let i = n - 1; i < h.length; i++) {
    out[i] =
      i === n - 1
        ? tr.slice(0, n).reduce((a, b) => a + b, 0) / n
        : (out[i - 1]! * (n - 1) + tr[i]!) / n;
  }
  return out;
}

export function refHighest(x: number[], n: number): number[] {
  return x.map((_, i) => (i < n - 1 ? N : Math.max(...x.slice(i - n + 1, i + 1))));
}

export function refLowest(x: number[], n: number): number[] {
  return x.map((_, i) => (i < n - 1 ? N : Math.min(...x.slice(i - n + 1, i + 1))));
}
