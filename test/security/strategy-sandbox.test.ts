import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { permissionsOfRole } from '../../src-shared/contract';
import { resultToJson, runBacktest } from '../../src-main/domain/backtest';
import { candlesFromRows } from '../../src-main/domain/candles';
import type { Principal } from '../../src-main/operations/principal';
import { loadUserStrategy } from '../../src-main/features/backtest/sandbox';
import { runInWorker, WorkerRunError } from '../../src-main/features/backtest/worker-runner';
import { startTestBackend, type TestBackend } from '../helpers/backend';
import { createUser } from '../helpers/auth';
import { rejects } from '../helpers/exchange';

/**
 * Hostile user strategies. Each payload tries to reach the host (the backend's `process`,
 * `require`, the file system) from a value user code can touch, and if it got there would
 * read a canary file holding a random secret and push it out through an error or an order
 * tag. Each test proves: the secret appears in no output, the host's prototypes are
 * untouched, and the run ended with a clear error.
 */

const SECRET = `canary-${crypto.randomBytes(16).toString('hex')}`;
let canaryDir: string;
let canary: string;

const rows = Array.from({ length: 60 }, (_, i) => ({
  time: Date.UTC(2024, 0, 1) + i * 86_400_000,
  open: 100 + Math.sin(i / 3) * 5,
  high: 106 + Math.sin(i / 3) * 5,
  low: 94 + Math.sin(i / 3) * 5,
  close: 100 + Math.sin(i / 3 + 0.5) * 5,
  volume: 1_000,
}));
const candles = candlesFromRows(rows);
const LIMITS = { timeLimitMs: 400, memoryMb: 64 };

beforeAll(() => {
  canaryDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bourse-canary-'));
  canary = path.join(canaryDir, 'secret.txt');
  fs.writeFileSync(canary, SECRET);
});
afterAll(() => fs.rmSync(canaryDir, { recursive: true, force: true }));

const protoKeys = () => Object.getOwnPropertyNames(Object.prototype).sort();
const cleanProto = protoKeys();
afterEach(() => {
  // The host realm is untouched by anything a strategy did.
  expect(protoKeys()).toEqual(cleanProto);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.getOwnPropertyNames(Array.prototype)).not.toContain('polluted');
  expect(process.exitCode ?? 0).toBe(0);
});

/**
 * Helpers inside the strategy: `probe(label, get)` evaluates one escape attempt; a `process`
 * got that way is used to read the canary, and the secret thrown out.
 */
const PROBE = (file: string) => `
const CANARY = ${JSON.stringify(file)};
const seen = [];
function use(p) {
  if (p && (typeof p === 'object' || typeof p === 'function') && (p.versions || p.mainModule || p.binding)) {
    const req = p.mainModule ? p.mainModule.require.bind(p.mainModule) : p.getBuiltinModule;
    throw new Error('ESCAPED ' + req('fs').readFileSync(CANARY, 'utf8'));
  }
  if (typeof p === 'function' && p.name === 'require') throw new Error('ESCAPED ' + p('fs').readFileSync(CANARY, 'utf8'));
  return typeof p;
}
function probe(label, get) {
  let r;
  try { r = use(get()); } catch (e) {
    if (String(e && e.message).startsWith('ESCAPED')) throw e;
    r = (e && e.name) || 'thrown';
  }
  seen.push(label + '=' + r);
}
function done() { throw new Error('contained ' + seen.join(' ')); }
`;

/** A strategy whose onBar runs `body` (with `ctx`), built on PROBE. */
const onBar = (body: string, top = '') =>
  `${PROBE(canary)}${top}
defineStrategy({ name: 'hostile', params: [], create() { return { onBar(ctx) { ${body} } }; } });`;

/** Loads and runs a strategy; answers every output it produced and the error it ended with. */
async function attempt(js: string, limits = LIMITS): Promise<{ error: string; outputs: string }> {
  let error = '';
  let outputs = '';
  let strategy: Awaited<ReturnType<typeof loadUserStrategy>> | null = null;
  try {
    strategy = await loadUserStrategy('user:hostile', js, limits);
    outputs += JSON.stringify(strategy.info);
    const r = runBacktest({ candles, strategy });
    outputs += resultToJson(r);
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  } finally {
    strategy?.dispose();
  }
  expect(`${error}\n${outputs}`).not.toContain(SECRET);
  expect(`${error}\n${outputs}`).not.toContain('ESCAPED');
  return { error, outputs };
}

/** Every probe in `body` was contained: the run ends with the strategy's own "contained" throw. */
async function contained(body: string, top = ''): Promise<string> {
  const { error } = await attempt(onBar(`${body}; done();`, top));
  expect(error).toMatch(/^strategy threw in onBar at bar 0: Error: contained /);
  return error;
}

const chain = (label: string, expr: string) =>
  `probe(${JSON.stringify(label)}, () => (${expr}).constructor.constructor('return process')());`;

describe('constructor chains reach only the sandbox', () => {
  it('from the global object (the known node:vm escape)', async () => {
    const e = await contained(
      `${chain('this', 'globalThis')} probe('fn', () => Function('return process')());
       probe('req', () => Function('return require')()); probe('mod', () => Function('return module')());`,
    );
    expect(e).toContain('this=ReferenceError');
    expect(e).toContain('req=ReferenceError');
  });

  it('from the top level of the script, at load time', async () => {
    const { error } = await attempt(
      `${PROBE(canary)} probe('top', () => this.constructor.constructor('return process')()); done();`,
    );
    expect(error).toMatch(
      /^the strategy source failed to load: Error: contained top=ReferenceError/,
    );
  });

  it('from ctx and every value the bridge returns', async () => {
    const e = await contained(
      [
        chain('ctx', 'ctx'),
        chain('candles', 'ctx.candles'),
        chain('close', 'ctx.candles.close'),
        chain('buffer', 'ctx.candles.close.buffer'),
        chain('params', 'ctx.params'),
        chain('assumptions', 'ctx.assumptions'),
        chain('indicators', 'ctx.indicators'),
        chain('sma', 'ctx.indicators.sma(ctx.candles.close, 3)'),
        chain('macd', 'ctx.indicators.macd(ctx.candles.close)'),
        chain('macdLine', 'ctx.indicators.macd(ctx.candles.close).macd'),
        chain('order', 'ctx.buy({ tag: "x" })'),
        chain('openOrders', 'ctx.openOrders'),
        chain('openOrder', 'ctx.openOrders[0]'),
        chain('cancel', 'ctx.cancel(1)'),
        chain('closePosition', 'ctx.closePosition() ?? {}'),
        chain('index', 'ctx.index'),
        chain('time', 'ctx.time'),
      ].join('\n'),
    );
    expect(e.match(/=ReferenceError/g)).toHaveLength(17);
  });

  it('from functions: bridge methods, defineStrategy, indicators', async () => {
    const e = await contained(
      [
        `probe('submit', () => ctx.submit.constructor('return process')());`,
        `probe('defineStrategy', () => defineStrategy.constructor('return process')());`,
        `probe('indicator', () => ctx.indicators.sma.constructor('return process')());`,
        `probe('getter', () => Object.getOwnPropertyDescriptor(ctx, 'index').get.constructor('return process')());`,
        `probe('caller', () => { function f() { return f.caller; } return f(); });`,
        `probe('arguments', () => (function () { return arguments.callee.caller; })());`,
      ].join('\n'),
    );
    expect(e).toContain('submit=ReferenceError');
    expect(e).toContain('getter=ReferenceError');
  });

  it('from errors thrown by the bridge and by the sandbox', async () => {
    const e = await contained(
      [
        `let hostErr; try { ctx.indicators.sma(ctx.candles.close, 0); } catch (x) { hostErr = x; }`,
        chain('hostError', 'hostErr'),
        `let bigErr; try { ctx.submit({ side: 'buy', tag: 'x'.repeat(10000) }); } catch (x) { bigErr = x; }`,
        chain('requestError', 'bigErr'),
        `let refErr; try { nothing.here; } catch (x) { refErr = x; }`,
        chain('sandboxError', 'refErr'),
        `probe('stackIsText', () => typeof hostErr.stack === 'string' ? undefined : hostErr.stack);`,
      ].join('\n'),
    );
    expect(e).toContain('hostError=ReferenceError');
    expect(e).toContain('requestError=ReferenceError');
  });

  it('from async, generator and async-generator functions, and promises', async () => {
    const e = await contained(
      [
        chain('async', '(async function () {})'),
        chain('generator', '(function* () {})'),
        chain('asyncGenerator', '(async function* () {})'),
        `probe('genBody', () => (function* () {}).constructor('yield process')().next().value);`,
        chain('promise', 'Promise.resolve(1)'),
        `probe('then', () => { Promise.resolve().then(() => { globalThis.ranLater = process; }); return globalThis.ranLater; });`,
        `probe('asyncBody', () => (async function () {}).constructor('return process')());`,
      ].join('\n'),
    );
    expect(e).toContain('generator=ReferenceError');
    expect(e).toContain('genBody=ReferenceError');
    expect(e).toContain('then=undefined');
  });

  it('from typed arrays, Proxy and Reflect', async () => {
    const e = await contained(
      [
        chain('f64', 'new Float64Array(2)'),
        chain('typedArrayProto', 'Object.getPrototypeOf(Float64Array)'),
        `probe('reflect', () => Reflect.construct(Function, ['return process'])());`,
        `probe('reflectProto', () => Reflect.getPrototypeOf(ctx).constructor.constructor('return process')());`,
        // A Proxy crossing the bridge: its traps run inside; the host receives only text.
        `const trap = new Proxy({ side: 'buy' }, { get(t, k) { if (k === 'toJSON') return undefined; return Reflect.get(t, k); } });`,
        chain('proxyOrder', 'ctx.submit(trap)'),
        `probe('proxyArray', () => ctx.indicators.sma(new Proxy([1, 2, 3, 4], {}), 2).constructor.constructor('return process')());`,
        `probe('proxyThis', () => new Proxy(function () {}, { apply(t, self) { return self; } }).call(ctx).constructor.constructor('return process')());`,
      ].join('\n'),
    );
    expect(e).toContain('proxyOrder=ReferenceError');
    expect(e).toContain('proxyArray=ReferenceError');
  });
});

describe('no engine features beyond the language', () => {
  it('Error.prepareStackTrace gets no call sites (stacks are strings)', async () => {
    const e = await contained(
      [
        `let frames = null; Error.prepareStackTrace = (err, cs) => { frames = cs; return 'x'; };`,
        `let err; try { ctx.indicators.sma(ctx.candles.close, 0); } catch (x) { err = x; }`,
        `probe('stack', () => typeof err.stack);`,
        `probe('frames', () => frames && frames[0] && frames[0].getThis && frames[0].getThis());`,
      ].join('\n'),
    );
    expect(e).toContain('stack=string');
    expect(e).toContain('frames=object'); // null: the hook was never called
  });

  it('dynamic import() never loads a module; static import does not parse', async () => {
    const e = await contained(
      [
        `let loaded = 'never'; const p = import('node:fs'); p.then((m) => { loaded = m; }, (x) => { loaded = String(x); });`,
        `probe('import', () => typeof p.then === 'function' ? loaded : p);`,
        `probe('require', () => require);`,
      ].join('\n'),
    );
    expect(e).toContain('import=string');
    expect(e).toContain('require=ReferenceError');
    const { error } = await attempt(`import fs from 'node:fs'; defineStrategy({});`);
    expect(error).toMatch(/^the strategy source failed to load: SyntaxError/);
  });

  it('has no WebAssembly, Atomics, timers or host globals', async () => {
    const e = await contained(
      [
        `probe('wasm', () => WebAssembly);`,
        `probe('atomics', () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2000));`,
        `probe('setTimeout', () => setTimeout);`,
        `probe('fetch', () => fetch);`,
        `probe('globalProcess', () => globalThis.process);`,
        `probe('globals', () => { const extra = Object.getOwnPropertyNames(globalThis).filter((k) => /^(process|require|module|Buffer|global|console|os|std)$/.test(k)); if (extra.length) throw new Error(extra.join()); return undefined; });`,
      ].join('\n'),
    );
    expect(e).toMatch(
      /wasm=ReferenceError atomics=ReferenceError setTimeout=ReferenceError fetch=ReferenceError globalProcess=undefined globals=undefined/,
    );
  });
});

describe('resources are bounded', () => {
  const TIME = /^the strategy exceeded its time limit of 0.4 s and was stopped$/;
  const MEMORY = /^the strategy exceeded its memory limit of 64 MB and was stopped/;

  it.each([
    ['an endless loop in onBar', onBar('for (;;) {}')],
    [
      'a loop that swallows its own interruption',
      onBar('for (;;) { try { for (;;) {} } catch (e) {} }'),
    ],
    ['an endless loop at load time', `for (;;) {}`],
    [
      'an endless loop while describing',
      `defineStrategy({ get name() { for (;;) {} }, create() {} });`,
    ],
    ['catastrophic regex backtracking', onBar(`/(a+)+$/.test('a'.repeat(40) + '!');`)],
  ])('stops %s at the time limit', async (_name, js) => {
    const { error } = await attempt(js);
    expect(error).toMatch(TIME);
  });

  it.each([
    ['heap objects', 'const keep = []; for (;;) keep.push(new Array(1e5).fill({ a: 1 }));'],
    ['typed arrays', 'const keep = []; for (;;) keep.push(new Float64Array(1e6));'],
    ['strings', "const keep = []; for (let i = 0; ; i++) keep.push('x'.repeat(1e5) + i);"],
  ])('stops a memory bomb of %s at the memory limit', async (_name, body) => {
    const { error } = await attempt(onBar(body), { timeLimitMs: 20_000, memoryMb: 64 });
    expect(error).toMatch(MEMORY);
  });

  it('refuses a flood of orders, a huge order and huge metadata with clear errors', async () => {
    // Sizes, not time: a loaded machine must not turn a slow 10 MB message into a time-out.
    const sized = (js: string) => attempt(js, { timeLimitMs: 20_000, memoryMb: 64 });
    const flood = await sized(onBar('for (let i = 0; i < 1e6; i++) ctx.buy();'));
    expect(flood.error).toBe('the strategy submitted more than 100 orders at bar 0');
    const big = await sized(onBar("ctx.buy({ tag: 'x'.repeat(1e6) });"));
    expect(big.error).toBe(
      'strategy threw in onBar at bar 0: Error: RangeError: an order request is limited to 4096 characters',
    );
    const tag = await sized(onBar("ctx.buy({ tag: 'x'.repeat(300) });"));
    expect(tag.error).toMatch(/an order tag is limited to 200 characters$/);
    const meta = await sized(
      `defineStrategy({ name: 'x', description: 'd'.repeat(1e6), create() { return { onBar() {} }; } });`,
    );
    expect(meta.error).toMatch(/exceed 65536 characters$/);
    const loud = await sized(onBar("throw new Error('y'.repeat(1e7));"));
    expect(loud.error.length).toBeLessThan(700);
    expect(loud.error).toMatch(/^strategy threw in onBar at bar 0: Error: yyyy.*…$/);
  });
});

describe('prototype pollution through the bridge', () => {
  it('an order request with __proto__ and constructor keys places a plain order', async () => {
    const { error } = await attempt(
      onBar(`
        const req = JSON.parse('{"side":"buy","tag":"p","__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}');
        const o = ctx.submit(req);
        const o2 = ctx.submit({ side: 'sell', ['__proto__']: { polluted: 1 } });
        throw new Error('contained ' + o.status + ' ' + o.tag + ' ' + o2.status);
      `),
    );
    expect(error).toBe('strategy threw in onBar at bar 0: Error: contained open p open');
  });

  it('metadata and indicator calls carrying __proto__ keys', async () => {
    const { error, outputs } = await attempt(`
      defineStrategy(JSON.parse('{"name":"n","__proto__":{"polluted":1},"params":[{"name":"a","type":"int","min":1,"max":5,"step":1,"default":2,"__proto__":{"polluted":1},"constructor":{"polluted":1}}]}'));
    `);
    expect(error).toMatch(/create\(params\) must be a function/);
    expect(outputs).toBe('');
    for (const name of ['__proto__', 'constructor', 'prototype']) {
      const { error: refused } = await attempt(
        `defineStrategy({ params: [{ name: '${name}', type: 'int', min: 1, max: 5, step: 1, default: 2 }], create() { return { onBar() {} }; } });`,
      );
      expect(refused).toMatch(/name must be an identifier|is reserved/);
    }
    const e = await contained(
      `probe('ind', () => ctx.indicators.sma(ctx.candles.close, JSON.parse('{"__proto__":{"polluted":1}}')));`,
    );
    expect(e).toContain('ind=Error');
  });

  it('polluting the sandbox’s own prototypes stays inside it', async () => {
    const e = await contained(
      `Object.prototype.polluted = 1; Array.prototype.polluted = 1; JSON.parse = () => ({ polluted: 1 });
       Object.defineProperty(Object.prototype, 'side', { get() { return 'buy'; } });
       probe('order', () => ctx.buy({ tag: 'x' }).status);`,
    );
    expect(e).toContain('order=');
  });
});

describe('inside the worker (the outer layer)', () => {
  it('a strategy in a worker ends at the time limit and sees no environment', async () => {
    const js = onBar('for (;;) {}');
    const err = await runInWorker(
      {
        kind: 'backtest',
        strategy: { userId: 'u', js },
        candles: { ...candles },
        params: {},
        assumptions: {},
      },
      { timeLimitMs: 600 },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkerRunError);
    expect((err as Error).message).toBe(
      'the strategy exceeded its time limit of 0.6 s and was stopped',
    );
  });
});

describe('running custom code is its own permission', () => {
  let backend: TestBackend;
  beforeAll(async () => {
    backend = await startTestBackend();
  });
  afterAll(async () => {
    await backend.cleanup();
  });

  const as = async (role: 'viewer' | 'trader'): Promise<Principal> => {
    const user = await createUser(backend, role);
    return { kind: 'user', userId: user.userId, role, permissions: permissionsOfRole(role) };
  };

  it('viewers run built-ins only; traders save and run their own code', async () => {
    const viewer = await as('viewer');
    const trader = await as('trader');
    const source = `defineStrategy({ name: 'mine', params: [], create() { return { onBar() {} }; } });`;
    await rejects(
      backend.invoke('backtest.strategies.save', { language: 'js', source }, viewer),
      'forbidden',
    );
    const saved = (await backend.invoke(
      'backtest.strategies.save',
      { language: 'js', source },
      trader,
    )) as { id: string };
    expect(saved.id).toMatch(/^user:\d+$/);
    // A viewer naming a user strategy is refused before anything is looked up or run.
    await rejects(
      backend.invoke('backtest.run', { datasetId: 1, strategyId: saved.id }, viewer),
      'forbidden',
    );
    await rejects(
      backend.invoke(
        'backtest.sweep',
        { datasetId: 1, strategyId: saved.id, ranges: { fast: [5, 6] } },
        viewer,
      ),
      'forbidden',
    );
    // The built-ins stay open to viewers (this dataset does not exist: not_found, not forbidden).
    await rejects(
      backend.invoke('backtest.run', { datasetId: 999, strategyId: 'ma-crossover' }, viewer),
      'not_found',
    );
  });
});
