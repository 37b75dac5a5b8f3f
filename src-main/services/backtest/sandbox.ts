import vm from 'node:vm';
import type { Candles } from '../../domain/candles';
import * as indicators from '../../domain/indicators';
import type {
  ParamSpec,
  ParamValues,
  Strategy,
  StrategyContext,
  StrategyDefinition,
} from '../../domain/backtest';

/**
 * User strategies run here, inside a worker thread, in a fresh `vm` context:
 *
 * - the context has only the language built-ins plus `defineStrategy` — no `require`,
 *   `process`, `module`, timers, `fetch`, dynamic `import()`, and code generation from
 *   strings (`eval`, `Function(...)`) is disabled;
 * - nothing from the worker's own realm is handed to user code: candles are copied into
 *   the context's typed arrays, orders/params/assumptions travel as JSON, the strategy
 *   context is an object of the sandbox's realm whose methods call the host through a
 *   bridge captured in a closure, and bridge failures come back as the sandbox's own
 *   `Error`s. So `ctx.constructor.constructor('return process')()` cannot reach the host.
 * - time and memory are bounded by the worker (terminated by the parent at the time limit;
 *   `resourceLimits`): see worker-runner.ts.
 */

/** Indicator batch functions offered to user strategies (streaming classes are not). */
const INDICATOR_FUNCTIONS = [
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
  'crossover',
  'crossunder',
  'crossSeries',
] as const;

/** Evaluated inside the context: returns the API the host drives. */
const PRELUDE = String.raw`(function (bridge) {
  'use strict';
  const check = (s) => {
    if (typeof s !== 'string') return s;
    const v = JSON.parse(s);
    if (v && typeof v === 'object' && typeof v.__error === 'string') throw new Error(v.__error);
    return v;
  };
  const copy = (a) => { const out = new Float64Array(a.length); out.set(a); return out; };
  const fromHost = (r) => {
    if (r === null || r === undefined || typeof r !== 'object') return r;
    if (ArrayBuffer.isView(r)) return copy(r);
    const out = {};
    for (const k of bridge.keys(r)) out[k] = fromHost(r[k]);
    return out;
  };
  const indicators = {};
  for (const name of bridge.indicatorNames()) {
    indicators[name] = function () {
      const args = [];
      for (let i = 0; i < arguments.length; i++) args.push(arguments[i]);
      const r = bridge.indicator(name, args);
      if (r && r.error !== undefined) throw new Error(String(r.error));
      return fromHost(r.value);
    };
  }
  Object.freeze(indicators);
  let definition = null;
  globalThis.defineStrategy = function defineStrategy(def) {
    if (definition) throw new Error('defineStrategy was called more than once');
    if (!def || typeof def !== 'object') throw new Error('defineStrategy needs an object');
    definition = def;
    return def;
  };
  let instance = null;
  let ctx = null;
  const state = { index: -1, time: NaN, position: 0, avgPrice: NaN, cash: 0, equity: 0 };
  const set = (i, t, p, a, c, e) => {
    state.index = i; state.time = t; state.position = p; state.avgPrice = a; state.cash = c; state.equity = e;
  };
  const hook = (name, ...args) => {
    const f = instance && instance[name];
    if (typeof f === 'function') f.apply(instance, args);
  };
  return {
    describe() {
      if (!definition) throw new Error('the source never called defineStrategy({...})');
      const d = definition;
      if (typeof d.create !== 'function') throw new Error('defineStrategy: create(params) must be a function');
      return JSON.stringify({
        name: typeof d.name === 'string' ? d.name : '',
        description: typeof d.description === 'string' ? d.description : '',
        params: Array.isArray(d.params) ? d.params : [],
      });
    },
    start(hostCandles, paramsJson, assumptionsJson, hasOi) {
      const candles = {
        length: hostCandles.length,
        time: copy(hostCandles.time), open: copy(hostCandles.open), high: copy(hostCandles.high),
        low: copy(hostCandles.low), close: copy(hostCandles.close), volume: copy(hostCandles.volume),
        openInterest: hasOi ? copy(hostCandles.openInterest) : null,
      };
      const params = Object.freeze(JSON.parse(paramsJson));
      const assumptions = Object.freeze(JSON.parse(assumptionsJson));
      instance = definition.create(params);
      if (!instance || typeof instance.onBar !== 'function') {
        throw new Error('create(params) must return an object with an onBar(ctx) method');
      }
      ctx = Object.freeze({
        candles: Object.freeze(candles), params, assumptions, indicators,
        get index() { return state.index; },
        get time() { return state.time; },
        get position() { return state.position; },
        get avgPrice() { return state.avgPrice; },
        get cash() { return state.cash; },
        get equity() { return state.equity; },
        get openOrders() { return check(bridge.openOrders()); },
        submit(r) { return check(bridge.submit(JSON.stringify(r === undefined ? {} : r))); },
        buy(r) { return ctx.submit(Object.assign({}, r, { side: 'buy' })); },
        sell(r) { return ctx.submit(Object.assign({}, r, { side: 'sell' })); },
        closePosition(tag) { return check(bridge.closePosition(tag === undefined ? 'close' : String(tag))); },
        cancel(id) { return check(bridge.cancel(Number(id))); },
        cancelAll() { check(bridge.cancelAll()); },
      });
    },
    onStart(i, t, p, a, c, e) { set(i, t, p, a, c, e); hook('onStart', ctx); },
    onBar(i, t, p, a, c, e) { set(i, t, p, a, c, e); hook('onBar', ctx); },
    onOrderUpdate(orderJson, i, t, p, a, c, e) { set(i, t, p, a, c, e); hook('onOrderUpdate', JSON.parse(orderJson), ctx); },
    onEnd(i, t, p, a, c, e) { set(i, t, p, a, c, e); hook('onEnd', ctx); },
  };
})`;

interface SandboxApi {
  describe(): string;
  start(candles: Candles, paramsJson: string, assumptionsJson: string, hasOi: boolean): void;
  onStart(...s: number[]): void;
  onBar(...s: number[]): void;
  onOrderUpdate(orderJson: string, ...s: number[]): void;
  onEnd(...s: number[]): void;
}

/** A strategy failure with the hook and bar where it happened. */
export class StrategyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StrategyError';
  }
}

/** Message of a thrown value from either realm, never trusting its shape. */
function messageOf(e: unknown): string {
  try {
    if (e && typeof e === 'object' && 'message' in e) {
      const name = String((e as { name?: unknown }).name ?? 'Error');
      return `${name}: ${String((e as { message: unknown }).message)}`;
    }
    return String(e);
  } catch {
    return 'unknown error';
  }
}

const json = (v: unknown): string =>
  JSON.stringify(v, (_k, x) => (typeof x === 'number' && !Number.isFinite(x) ? null : x));

/** Evaluates the source and returns its declared metadata and a definition to run it. */
export function loadUserStrategy(
  id: string,
  compiledJs: string,
  options: { evalTimeoutMs?: number } = {},
): StrategyDefinition & { info: { name: string; description: string; params: ParamSpec[] } } {
  let live: StrategyContext | null = null;
  const guard = (f: () => unknown): string => {
    try {
      const v = f();
      return json(v === undefined ? null : v);
    } catch (e) {
      return JSON.stringify({ __error: messageOf(e) });
    }
  };
  const bridge = Object.freeze({
    keys: (o: object) => Object.keys(o),
    indicatorNames: () => [...INDICATOR_FUNCTIONS],
    indicator: (name: string, args: unknown[]) => {
      try {
        if (!(INDICATOR_FUNCTIONS as readonly string[]).includes(name)) {
          return { error: `unknown indicator ${name}` };
        }
        const f = (indicators as unknown as Record<string, (...a: unknown[]) => unknown>)[name]!;
        return { value: f(...args) };
      } catch (e) {
        return { error: messageOf(e) };
      }
    },
    openOrders: () => guard(() => live!.openOrders),
    submit: (r: string) => guard(() => live!.submit(JSON.parse(r))),
    closePosition: (tag: string) => guard(() => live!.closePosition(tag)),
    cancel: (orderId: number) => guard(() => live!.cancel(orderId)),
    cancelAll: () => guard(() => live!.cancelAll()),
  });

  const context = vm.createContext(
    {},
    { name: `strategy ${id}`, codeGeneration: { strings: false, wasm: false } },
  );
  const api = (
    vm.runInContext(PRELUDE, context, { filename: 'bourse-sandbox.js' }) as (
      b: typeof bridge,
    ) => SandboxApi
  )(bridge);
  try {
    vm.runInContext(compiledJs, context, {
      filename: 'strategy.js',
      timeout: options.evalTimeoutMs ?? 2_000,
    });
  } catch (e) {
    throw new StrategyError(`the strategy source failed to load: ${messageOf(e)}`);
  }
  let info: { name: string; description: string; params: ParamSpec[] };
  try {
    info = JSON.parse(api.describe()) as typeof info;
  } catch (e) {
    throw new StrategyError(messageOf(e).replace(/^Error: /, ''));
  }
  validateSpecs(info.params);

  const state = (c: StrategyContext): number[] => [
    c.index,
    c.time,
    c.position,
    c.avgPrice,
    c.cash,
    c.equity,
  ];
  const call = (where: string, c: StrategyContext, f: () => void): void => {
    live = c;
    try {
      f();
    } catch (e) {
      if (e instanceof StrategyError) throw e;
      throw new StrategyError(`strategy threw in ${where} at bar ${c.index}: ${messageOf(e)}`);
    }
  };

  return {
    id,
    name: info.name || id,
    description: info.description,
    params: info.params,
    info,
    create(params: Readonly<ParamValues>): Strategy {
      let started = false;
      const start = (c: StrategyContext) => {
        if (started) return;
        started = true;
        call('create', c, () =>
          api.start(c.candles, json(params), json(c.assumptions), c.candles.openInterest !== null),
        );
      };
      return {
        onStart(c) {
          start(c);
          call('onStart', c, () => api.onStart(...state(c)));
        },
        onBar(c) {
          start(c);
          call('onBar', c, () => api.onBar(...state(c)));
        },
        onOrderUpdate(order, c) {
          if (!started) return;
          call('onOrderUpdate', c, () => api.onOrderUpdate(json(order), ...state(c)));
        },
        onEnd(c) {
          if (!started) return;
          call('onEnd', c, () => api.onEnd(...state(c)));
        },
      };
    },
  };
}

/** Rejects parameter specs the forms and the sweep could not use. */
function validateSpecs(params: unknown): asserts params is ParamSpec[] {
  if (!Array.isArray(params)) throw new StrategyError('params must be an array');
  const seen = new Set<string>();
  for (const p of params as ParamSpec[]) {
    const where = `parameter ${JSON.stringify(p?.name)}`;
    if (!p || typeof p.name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]{0,39}$/.test(p.name)) {
      throw new StrategyError(`${where}: name must be an identifier`);
    }
    if (seen.has(p.name)) throw new StrategyError(`${where} is declared twice`);
    seen.add(p.name);
    if (!['int', 'float', 'bool', 'enum'].includes(p.type)) {
      throw new StrategyError(`${where}: type must be int, float, bool or enum`);
    }
    if (p.type === 'int' || p.type === 'float') {
      for (const k of ['min', 'max', 'step'] as const) {
        if (typeof p[k] !== 'number' || !Number.isFinite(p[k])) {
          throw new StrategyError(`${where}: ${k} must be a number`);
        }
      }
      if (typeof p.default !== 'number')
        throw new StrategyError(`${where}: default must be a number`);
    }
    if (p.type === 'bool' && typeof p.default !== 'boolean') {
      throw new StrategyError(`${where}: default must be true or false`);
    }
    if (p.type === 'enum') {
      if (!Array.isArray(p.options) || p.options.some((o) => typeof o !== 'string')) {
        throw new StrategyError(`${where}: options must be a list of strings`);
      }
      if (!p.options.includes(p.default as string)) {
        throw new StrategyError(`${where}: default must be one of the options`);
      }
    }
  }
}
