import type { QuickJSContext, QuickJSHandle } from 'quickjs-emscripten';
import * as indicators from '../../domain/indicators';
import type { Order, OrderRequest, StrategyContext } from '../../domain/backtest';

/**
 * The host side of the sandbox's bridge. Everything arriving from the interpreter is text or
 * buffer bytes and is parsed here into fresh host values; everything going back is text or a
 * buffer copy. Nothing here ever hands a host object to user code.
 */

/** Bounds on what a strategy may push through the bridge (refused, and the run ends). */
export const BRIDGE_LIMITS = {
  requestChars: 4_096,
  tagChars: 200,
  ordersPerBar: 100,
  ordersPerRun: 1_000_000,
  describeChars: 65_536,
  errorChars: 500,
} as const;

/** Indicator batch functions offered to user strategies (crossover/crossunder run inside). */
const INDICATOR_FUNCTIONS = new Set([
  'sma',
  'ema',
  'rma',
  'wma',
  'rsi',
  'macd',
  'stochastic',
  'bollinger',
  'atr',
  'trueRange',
  'donchian',
  'rollingMax',
  'rollingMin',
  'crossSeries',
]);

const TYPED = {
  Float64Array,
  Float32Array,
  Int32Array,
  Int16Array,
  Int8Array,
  Uint8Array,
  Uint16Array,
  Uint32Array,
} as const;
type TypedKind = keyof typeof TYPED;
type Typed = InstanceType<(typeof TYPED)[TypedKind]>;

/** Numbers in JSON: NaN/Infinity become null, as strategies have always seen them. */
export const json = (v: unknown): string =>
  JSON.stringify(v, (_k, x) => (typeof x === 'number' && !Number.isFinite(x) ? null : x));

const num = (x: number): string => (Number.isFinite(x) ? String(x) : 'null');

/**
 * An order as JSON, written field by field: orders cross the bridge on every fill, and
 * `JSON.stringify` with a replacer was the largest cost of a user strategy's run.
 */
export function orderJson(o: Readonly<Order> | null): string {
  if (o === null) return 'null';
  return (
    `{"id":${num(o.id)},"side":${JSON.stringify(o.side)},"type":${JSON.stringify(o.type)},` +
    `"quantity":${num(o.quantity)},"price":${num(o.price)},"closesPosition":${o.closesPosition},` +
    `"status":${JSON.stringify(o.status)},"tag":${JSON.stringify(o.tag)},` +
    `"submittedIndex":${num(o.submittedIndex)},"submittedTime":${num(o.submittedTime)},` +
    `"doneIndex":${num(o.doneIndex)},"doneTime":${num(o.doneTime)},` +
    `"filledQuantity":${num(o.filledQuantity)},"fillPrice":${num(o.fillPrice)},` +
    `"feeMinor":${num(o.feeMinor)},"reason":${JSON.stringify(o.reason)}}`
  );
}

/** JSON.parse that drops keys able to reach a prototype if a caller ever merged the value. */
export function parseUntrusted(text: string): unknown {
  return JSON.parse(text, (k, v: unknown) =>
    k === '__proto__' || k === 'constructor' || k === 'prototype' ? undefined : v,
  );
}

/** "Name: message" of a host exception, never trusting its shape. */
export function messageOf(e: unknown): string {
  try {
    if (e instanceof Error) return `${e.name}: ${e.message}`;
    return String(e);
  } catch {
    return 'unknown error';
  }
}

/** A fresh OrderRequest from the strategy's JSON, holding only the fields orders have. */
function orderRequest(text: string): OrderRequest {
  if (text.length > BRIDGE_LIMITS.requestChars) {
    throw new RangeError(`an order request is limited to ${BRIDGE_LIMITS.requestChars} characters`);
  }
  // Only the known fields are copied out below, so a `__proto__` key is never read.
  const raw: unknown = JSON.parse(text);
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new TypeError('an order request must be an object');
  }
  const r = raw as Record<string, unknown>;
  const out: Record<string, unknown> = { side: r.side };
  for (const k of ['type', 'quantity', 'price', 'tag'] as const) {
    if (r[k] != null) out[k] = r[k];
  }
  // A trailing distance is kept even as null (what JSON makes of NaN and Infinity), so the
  // engine refuses it with its reason instead of placing an order that does not trail.
  for (const k of ['trailPercent', 'trailAmount'] as const) {
    if (Object.hasOwn(r, k)) out[k] = r[k];
  }
  if (typeof out.tag === 'string' && out.tag.length > BRIDGE_LIMITS.tagChars) {
    throw new RangeError(`an order tag is limited to ${BRIDGE_LIMITS.tagChars} characters`);
  }
  return out as unknown as OrderRequest;
}

const SEP = '\u0001';
const clean = (x: string): string => (x.includes(SEP) ? x.replaceAll(SEP, '') : x);

/**
 * An order in the prelude's compact form: numbers into `view[8..18]`, and the strings
 * returned joined by \u0001 (tag last). '' stands for null.
 */
export function writeOrder(view: Float64Array, o: Readonly<Order> | null): string {
  if (o === null) return '';
  view[8] = o.id;
  view[9] = o.quantity;
  view[10] = o.price;
  view[11] = o.closesPosition ? 1 : 0;
  view[12] = o.submittedIndex;
  view[13] = o.submittedTime;
  view[14] = o.doneIndex;
  view[15] = o.doneTime;
  view[16] = o.filledQuantity;
  view[17] = o.fillPrice;
  view[18] = o.feeMinor;
  return `${o.side}${SEP}${o.type}${SEP}${o.status}${SEP}${clean(o.reason)}${SEP}${o.tag}`;
}

/** The fast order request: side, type, flags, tag in text; quantity and price in view[6..7]. */
function compactRequest(view: Float64Array, arg: string): OrderRequest {
  const parts = arg.split(SEP);
  const flags = Number(parts[2]);
  const tag = parts.slice(3).join(SEP);
  if (tag.length > BRIDGE_LIMITS.tagChars) {
    throw new RangeError(`an order tag is limited to ${BRIDGE_LIMITS.tagChars} characters`);
  }
  const r: Record<string, unknown> = { side: parts[0] };
  if (flags & 1) r.quantity = view[6];
  if (flags & 2) r.price = view[7];
  if (flags & 4) r.type = parts[1];
  if (flags & 8) r.tag = tag;
  return r as unknown as OrderRequest;
}

/** Order operations the strategy's `ctx` reaches, with per-bar and per-run caps. */
export class OrderBridge {
  constructor(private readonly view: () => Float64Array) {}

  live: StrategyContext | null = null;
  /** Set when the strategy went over a cap: the host ends the run with this message. */
  fatal: string | null = null;
  private perRun = 0;
  private perBar = 0;
  private bar = -1;

  /** Starts a new run (a sweep or the look-ahead check runs the same strategy again). */
  reset(): void {
    this.perRun = 0;
    this.perBar = 0;
    this.bar = -1;
  }

  private count(): void {
    const c = this.live!;
    if (c.index !== this.bar) {
      this.bar = c.index;
      this.perBar = 0;
    }
    this.perBar += 1;
    this.perRun += 1;
    if (this.perBar > BRIDGE_LIMITS.ordersPerBar) {
      this.fatal = `the strategy submitted more than ${BRIDGE_LIMITS.ordersPerBar} orders at bar ${c.index}`;
    } else if (this.perRun > BRIDGE_LIMITS.ordersPerRun) {
      this.fatal = `the strategy submitted more than ${BRIDGE_LIMITS.ordersPerRun} orders in one run`;
    }
    if (this.fatal) throw new RangeError(this.fatal);
  }

  /** Dispatches one call from the prelude's `host(op, arg)`. */
  handle = (op: number, arg: string): string => {
    const c = this.live;
    if (!c) throw new Error('no backtest is running');
    switch (op) {
      case 1:
        this.count();
        return writeOrder(this.view(), c.submit(orderRequest(arg)));
      case 6:
        if (arg.length > BRIDGE_LIMITS.requestChars) {
          throw new RangeError(
            `an order request is limited to ${BRIDGE_LIMITS.requestChars} characters`,
          );
        }
        this.count();
        return writeOrder(this.view(), c.submit(compactRequest(this.view(), arg)));
      case 2: {
        if (arg.length > BRIDGE_LIMITS.tagChars) {
          throw new RangeError(`an order tag is limited to ${BRIDGE_LIMITS.tagChars} characters`);
        }
        this.count();
        return writeOrder(this.view(), c.closePosition(arg));
      }
      case 3:
        return json(c.cancel(Number(arg)));
      case 4:
        c.cancelAll();
        return '';
      case 5:
        return `[${c.openOrders.map(orderJson).join(',')}]`;
      default:
        throw new Error('unknown bridge operation');
    }
  };
}

/** Copies an ArrayBuffer out of the interpreter into a host typed array of `kind`. */
function bufferArg(vm: QuickJSContext, h: QuickJSHandle | undefined, kind: string): Typed {
  if (!h || !Object.hasOwn(TYPED, kind)) throw new TypeError('unsupported array argument');
  const lifetime = vm.getArrayBuffer(h);
  try {
    const bytes = lifetime.value.slice();
    return new TYPED[kind as TypedKind](bytes.buffer);
  } finally {
    lifetime.dispose();
  }
}

function scalar(v: unknown): unknown {
  if (v === null) return undefined;
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  throw new TypeError('indicator arguments are arrays, numbers, strings or booleans');
}

/**
 * `indicator(name, argsJson, ...buffers)` inside the interpreter: runs the host's indicator
 * on copies and returns `[resultJson, ...buffers]`, or an error message string. Called a few
 * times per run (indicators are computed once over the series), so the library's ordinary
 * callback path is fine here.
 */
export function indicatorFunction(
  vm: QuickJSContext,
  library: () => object | undefined = () => undefined,
): QuickJSHandle {
  return vm.newFunction('indicator', (nameH, metaH, ...bufH) => {
    try {
      if (vm.typeof(nameH) !== 'string' || vm.typeof(metaH) !== 'string') {
        throw new TypeError('bad indicator call');
      }
      const name = vm.getString(nameH);
      if (!INDICATOR_FUNCTIONS.has(name)) throw new TypeError(`unknown indicator ${name}`);
      const specs = parseUntrusted(vm.getString(metaH)) as {
        k?: string;
        b?: number;
        v?: unknown;
      }[];
      if (!Array.isArray(specs) || specs.length > 8) throw new TypeError('bad indicator call');
      const args = specs.map((s) =>
        s.k !== undefined ? bufferArg(vm, bufH[Number(s.b)], s.k) : scalar(s.v),
      );
      // The live run's library, so user strategies follow its indicator convention.
      const f = ((library() ?? indicators) as Record<string, (...a: unknown[]) => unknown>)[name]!;
      return encodeResult(vm, f(...args));
    } catch (e) {
      return vm.newString(messageOf(e).slice(0, BRIDGE_LIMITS.errorChars));
    }
  });
}

/** `[json, ...ArrayBuffer copies]` for a typed array or an object of typed arrays. */
function encodeResult(vm: QuickJSContext, value: unknown): QuickJSHandle {
  const buffers: Typed[] = [];
  const describe = (a: unknown) => {
    if (!ArrayBuffer.isView(a)) throw new TypeError('indicator returned an unexpected value');
    buffers.push(a as Typed);
    return { k: (a as Typed)[Symbol.toStringTag], b: buffers.length - 1 };
  };
  const meta = ArrayBuffer.isView(value)
    ? describe(value)
    : {
        f: Object.fromEntries(
          Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, describe(v)]),
        ),
      };
  const out = vm.newArray();
  vm.newString(JSON.stringify(meta)).consume((h) => vm.setProp(out, 0, h));
  buffers.forEach((b, i) => {
    const copy = b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
    vm.newArrayBuffer(copy).consume((h) => vm.setProp(out, i + 1, h));
  });
  return out;
}
