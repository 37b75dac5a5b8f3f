/**
 * Seeded pseudo-random numbers: sfc32 (Chris Doty-Humphrey's Small Fast Chaotic PRNG, 128
 * bits of state, passes PractRand) seeded through splitmix32. The state is four uint32s
 * and round-trips through JSON, so a simulator run can be persisted and resumed exactly.
 */

/** Serializable generator state: four unsigned 32-bit integers. */
export interface PrngState {
  s: [number, number, number, number];
}

const TWO_POW_32 = 4_294_967_296;

/** splitmix32 step: spreads a small seed over 32 bits so nearby seeds diverge at once. */
function splitmix32(x: number): [next: number, out: number] {
  const next = (x + 0x9e3779b9) >>> 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return [next, (z ^ (z >>> 16)) >>> 0];
}

/** Derives a generator state from any integer seed (only its low 32 bits matter). */
export function seedState(seed: number): PrngState {
  let x = seed >>> 0;
  const s: number[] = [];
  for (let i = 0; i < 4; i++) {
    const [nx, out] = splitmix32(x);
    x = nx;
    s.push(out);
  }
  return { s: [s[0] ?? 0, s[1] ?? 0, s[2] ?? 0, s[3] ?? 1] };
}

/** A generator working on a copy of a state; read the advanced state back with `state()`. */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(state: PrngState) {
    [this.a, this.b, this.c, this.d] = state.s;
  }

  /** A generator from an integer seed. */
  static fromSeed(seed: number): Prng {
    return new Prng(seedState(seed));
  }

  /** The current state (a fresh object: safe to store). */
  state(): PrngState {
    return { s: [this.a, this.b, this.c, this.d] };
  }

  /** Next unsigned 32-bit integer. */
  nextU32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextU32() / TWO_POW_32;
  }

  /**
   * Standard normal by Box-Muller (one of the pair is dropped so the state stays just the
   * four words). `1 - next()` is in (0, 1], so the logarithm is finite.
   */
  normal(mean = 0, sd = 1): number {
    const u = 1 - this.next();
    const v = this.next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Uniform integer in [a, b], both inclusive (a ≤ b, span below 2^32). */
  int(a: number, b: number): number {
    if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || b < a)
      throw new Error('int(a, b) needs integers a ≤ b');
    return a + Math.floor(this.next() * (b - a + 1));
  }

  /**
   * Poisson-distributed count with mean `lambda` (Knuth's product method for small means,
   * a rounded normal approximation above 30 where the product would underflow slowly).
   */
  poisson(lambda: number): number {
    if (!(lambda > 0)) return 0;
    if (lambda > 30) return Math.max(0, Math.round(this.normal(lambda, Math.sqrt(lambda))));
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k += 1;
      p *= this.next();
    }
    return k;
  }
}
