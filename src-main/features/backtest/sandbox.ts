import type { QuickJSHandle } from 'quickjs-emscripten';
import type { Candles } from '../../domain/candles';
import type {
  ParamSpec,
  ParamValues,
  Strategy,
  StrategyContext,
  StrategyDefinition,
} from '../../domain/backtest';
import { QuickJsEngine, SandboxThrow, type EngineLimits } from './quickjs-engine';
import { PRELUDE } from './sandbox-prelude';
import {
  BRIDGE_LIMITS,
  indicatorFunction,
  json,
  OrderBridge,
  writeOrder,
  parseUntrusted,
} from './sandbox-bridge';

/**
 * User strategies run here, inside a worker thread, in a QuickJS interpreter compiled to
 * WebAssembly (quickjs-engine.ts): a separate engine in its own capped linear memory. The
 * interpreter has the language built-ins plus `defineStrategy` — no `process`, `require`,
 * modules, timers, `WebAssembly` or `Atomics` exist there — and reaches the host only through
 * the prelude's closure: strings for orders, a shared buffer of numbers for the bar's state,
 * buffer copies for candles and indicators. Time is bounded by the interrupt deadline and,
 * outside, by the worker's terminate timer; memory by the WASM memory's ceiling and the
 * worker's `resourceLimits`.
 */

export const SANDBOX_DEFAULTS: EngineLimits = { memoryMb: 512, timeLimitMs: 60_000, stackKb: 512 };

/** A strategy failure with the hook and bar where it happened. */
export class StrategyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StrategyError';
  }
}

export type UserStrategy = StrategyDefinition & {
  info: { name: string; description: string; params: ParamSpec[] };
  dispose(): void;
};

/** The prelude's hooks, as handles. */
interface Api {
  describe: QuickJSHandle;
  start: QuickJSHandle;
  onStart: QuickJSHandle;
  onBar: QuickJSHandle;
  onOrderUpdate: QuickJSHandle;
  onEnd: QuickJSHandle;
  barTarget: QuickJSHandle;
}

/** The current run's onBar, its `this` and the ctx argument, held for the per-bar call. */
interface BarTarget {
  fn: QuickJSHandle;
  self: QuickJSHandle;
  ctx: QuickJSHandle;
  argv: { ptr: number; free(): void };
}

const clip = (m: string): string =>
  m.length > BRIDGE_LIMITS.errorChars ? `${m.slice(0, BRIDGE_LIMITS.errorChars)}…` : m;

/** Evaluates the source in a fresh interpreter; returns its metadata and a definition. */
export async function loadUserStrategy(
  id: string,
  compiledJs: string,
  options: Partial<EngineLimits> = {},
): Promise<UserStrategy> {
  const limits: EngineLimits = {
    memoryMb: options.memoryMb ?? SANDBOX_DEFAULTS.memoryMb,
    timeLimitMs: options.timeLimitMs ?? SANDBOX_DEFAULTS.timeLimitMs,
    stackKb: options.stackKb ?? SANDBOX_DEFAULTS.stackKb,
  };
  const sandbox = new SandboxedStrategy(id, await QuickJsEngine.create(limits), limits);
  try {
    return sandbox.load(compiledJs);
  } catch (e) {
    sandbox.dispose();
    throw e;
  }
}

class SandboxedStrategy {
  private readonly state;
  private readonly bridge: OrderBridge;
  private api: Api | null = null;
  private dead: StrategyError | null = null;
  private candlesIn: { candles: Candles; handle: QuickJSHandle } | null = null;
  private bar: BarTarget | null = null;

  constructor(
    private readonly id: string,
    private readonly engine: QuickJsEngine,
    private readonly limits: EngineLimits,
  ) {
    this.state = engine.mailbox(24);
    this.bridge = new OrderBridge(() => this.state.view());
  }

  load(js: string): UserStrategy {
    const { vm } = this.engine;
    const factory = this.engine.eval(PRELUDE, 'bourse-sandbox.js');
    const host = this.engine.fastFunction('host', this.bridge.handle);
    const indicator = indicatorFunction(vm, () => this.bridge.live?.indicators);
    const r = vm.callFunction(factory, vm.undefined, host, this.state.handle, indicator);
    for (const h of [factory, host, indicator, this.state.handle]) h.dispose();
    const apiHandle = vm.unwrapResult(r);
    const get = (k: keyof Api) => vm.getProp(apiHandle, k);
    this.api = {
      describe: get('describe'),
      start: get('start'),
      onStart: get('onStart'),
      onBar: get('onBar'),
      onOrderUpdate: get('onOrderUpdate'),
      onEnd: get('onEnd'),
      barTarget: get('barTarget'),
    };
    apiHandle.dispose();
    this.guard(
      'load',
      () => this.engine.eval(js, 'strategy.js').dispose(),
      (m) => new StrategyError(`the strategy source failed to load: ${m}`),
    );
    const info = this.describe();
    return {
      id: this.id,
      name: info.name || this.id,
      description: info.description,
      params: info.params,
      info,
      create: (params) => this.create(params),
      dispose: () => this.dispose(),
    };
  }

  private get hooks(): Api {
    if (!this.api) throw new StrategyError('the strategy was already disposed');
    return this.api;
  }

  dispose(): void {
    this.releaseBarTarget();
    this.candlesIn?.handle.dispose();
    this.candlesIn = null;
    for (const h of Object.values(this.api ?? {}) as QuickJSHandle[]) h.dispose();
    this.api = null;
    this.engine.dispose();
  }

  private describe(): UserStrategy['info'] {
    const text = this.guard(
      'describe',
      () => this.engine.callForString(this.hooks.describe),
      (m) => new StrategyError(m.replace(/^Error: /, '')),
    );
    if (text.length > BRIDGE_LIMITS.describeChars) {
      throw new StrategyError(
        `the strategy's name, description and params exceed ${BRIDGE_LIMITS.describeChars} characters`,
      );
    }
    const info = parseUntrusted(text) as UserStrategy['info'];
    validateSpecs(info.params);
    return {
      name: String(info.name).slice(0, 200),
      description: String(info.description).slice(0, 2_000),
      params: info.params,
    };
  }

  /**
   * Runs `f`, mapping an interpreter failure to a StrategyError: the time and memory limits
   * get their own message and leave the interpreter dead for the rest of the task.
   */
  private guard<T>(where: string, f: () => T, wrap: (message: string) => StrategyError): T {
    if (this.dead) throw this.dead;
    let out: T;
    try {
      out = f();
    } catch (e) {
      throw this.failure(e, where, (m) => wrap(m).message);
    }
    if (this.bridge.fatal) throw new StrategyError(this.bridge.fatal);
    return out;
  }

  /** The error a failed call ends the run with; time and memory kill the interpreter. */
  private failure(e: unknown, where: string, message: (m: string) => string): unknown {
    if (!(e instanceof SandboxThrow)) return e;
    if (this.bridge.fatal) return new StrategyError(this.bridge.fatal);
    const stop = this.engine.stopReason(e.message);
    if (stop === 'time') {
      this.dead = new StrategyError(
        `the strategy exceeded its time limit of ${this.limits.timeLimitMs / 1000} s and was stopped`,
      );
    } else if (stop === 'memory') {
      this.dead = new StrategyError(
        `the strategy exceeded its memory limit of ${this.limits.memoryMb} MB and was stopped (in ${where})`,
      );
    }
    return this.dead ?? new StrategyError(message(clip(e.message)));
  }

  private writeState(c: StrategyContext): void {
    const v = this.state.view();
    v[0] = c.index;
    v[1] = c.time;
    v[2] = c.position;
    v[3] = c.avgPrice;
    v[4] = c.cash;
    v[5] = c.equity;
  }

  /** Runs one hook for bar `c` (the per-bar path: no closures, no argument handles). */
  private hook(where: string, c: StrategyContext, fn: QuickJSHandle, order?: string): void {
    if (this.dead) throw this.dead;
    this.bridge.live = c;
    this.writeState(c);
    try {
      if (order === undefined) this.engine.call0(fn);
      else this.engine.call(fn, order);
    } catch (e) {
      throw this.failure(e, where, (m) => `strategy threw in ${where} at bar ${c.index}: ${m}`);
    }
    if (this.bridge.fatal) throw new StrategyError(this.bridge.fatal);
  }

  /** Holds the new run's onBar, instance and ctx (a sweep starts a run per grid point). */
  private takeBarTarget(): void {
    this.releaseBarTarget();
    const { vm } = this.engine;
    const r = vm.callFunction(this.hooks.barTarget, vm.undefined);
    const list = vm.unwrapResult(r);
    try {
      const [fn, self, ctx] = [0, 1, 2].map((i) => vm.getProp(list, i)) as [
        QuickJSHandle,
        QuickJSHandle,
        QuickJSHandle,
      ];
      this.bar = { fn, self, ctx, argv: this.engine.argumentArray(ctx) };
    } finally {
      list.dispose();
    }
  }

  private releaseBarTarget(): void {
    if (!this.bar) return;
    this.bar.argv.free();
    for (const h of [this.bar.fn, this.bar.self, this.bar.ctx]) h.dispose();
    this.bar = null;
  }

  /** The per-bar path: the strategy's onBar called directly, `onBar.call(instance, ctx)`. */
  private barHook(c: StrategyContext): void {
    if (this.dead) throw this.dead;
    const bar = this.bar;
    if (!bar) throw new StrategyError('the strategy was already disposed');
    this.bridge.live = c;
    this.writeState(c);
    try {
      this.engine.callBound(bar.fn, bar.self, bar.argv.ptr);
    } catch (e) {
      throw this.failure(e, 'onBar', (m) => `strategy threw in onBar at bar ${c.index}: ${m}`);
    }
    if (this.bridge.fatal) throw new StrategyError(this.bridge.fatal);
  }

  /** Candle columns copied into the interpreter once per series (sweeps reuse them). */
  private candlesHandle(candles: Candles): QuickJSHandle {
    if (this.candlesIn?.candles === candles) return this.candlesIn.handle;
    this.candlesIn?.handle.dispose();
    this.candlesIn = null;
    const { vm } = this.engine;
    const arr = vm.newArray();
    const cols = [
      candles.time,
      candles.open,
      candles.high,
      candles.low,
      candles.close,
      candles.volume,
    ];
    if (candles.openInterest) cols.push(candles.openInterest);
    cols.forEach((col, i) => {
      const bytes = col.buffer.slice(col.byteOffset, col.byteOffset + col.byteLength);
      vm.newArrayBuffer(bytes).consume((h) => vm.setProp(arr, i, h));
    });
    this.candlesIn = { candles, handle: arr };
    return arr;
  }

  /** Calls `create(params)` inside; returns which optional hooks the instance has. */
  private start(params: Readonly<ParamValues>, c: StrategyContext): number {
    this.bridge.reset();
    this.bridge.live = c;
    this.writeState(c);
    const { vm } = this.engine;
    return this.guard(
      'create',
      () => {
        const strings = [vm.newString(json(params)), vm.newString(json(c.assumptions))];
        const length = vm.newNumber(c.candles.length);
        const oi = c.candles.openInterest ? vm.true : vm.false;
        try {
          const buffers = this.candlesHandle(c.candles);
          return this.engine.callWith(this.hooks.start, [...strings, buffers, oi, length]);
        } finally {
          for (const h of [...strings, length]) h.dispose();
        }
      },
      (m) => new StrategyError(`strategy threw in create at bar ${c.index}: ${m}`),
    );
  }

  private create(params: Readonly<ParamValues>): Strategy {
    let hooks = -1;
    const start = (c: StrategyContext) => {
      if (hooks >= 0) return;
      hooks = this.start(params, c);
      this.takeBarTarget();
    };
    const api = this.hooks;
    return {
      onStart: (c) => {
        start(c);
        if (hooks & 1) this.hook('onStart', c, api.onStart);
      },
      onBar: (c) => {
        start(c);
        this.barHook(c);
      },
      onOrderUpdate: (order, c) => {
        if (hooks & 2) {
          this.hook('onOrderUpdate', c, api.onOrderUpdate, writeOrder(this.state.view(), order));
        }
      },
      onEnd: (c) => {
        if (hooks & 4) this.hook('onEnd', c, api.onEnd);
      },
    };
  }
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
    if (['__proto__', 'constructor', 'prototype'].includes(p.name)) {
      throw new StrategyError(`${where} is reserved`);
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
