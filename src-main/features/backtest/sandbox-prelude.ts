/**
 * Evaluated inside the QuickJS interpreter before the user's source. It receives three
 * values the host made inside the interpreter — `host` (op, string) -> string, `state` (an
 * ArrayBuffer the host writes the bar's numbers into) and `indicator` (name, json, ...buffers)
 * -> [json, ...buffers] — keeps them in its closure, and returns the hooks the host drives.
 * User code sees only `defineStrategy` and the objects built here; everything it receives
 * was made in the interpreter's own realm from numbers, strings and buffer copies.
 */
export const PRELUDE = String.raw`(function (host, stateBuffer, hostIndicator) {
  'use strict';
  const parse = JSON.parse, stringify = JSON.stringify, F64 = Float64Array, freeze = Object.freeze;
  const state = new F64(stateBuffer);
  const ask = (op, arg) => {
    const r = host(op, arg === undefined ? '' : arg);
    if (r.charCodeAt(0) === 1) throw new Error(r.slice(1));
    return r === '' ? undefined : parse(r);
  };
  const KINDS = { Float64Array, Float32Array, Int32Array, Int16Array, Int8Array, Uint8Array, Uint16Array, Uint32Array };
  const toBuffer = (a, bufs) => {
    if (a !== null && typeof a === 'object' && ArrayBuffer.isView(a)) {
      bufs.push(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength));
      return { k: a[Symbol.toStringTag], b: bufs.length - 1 };
    }
    if (Array.isArray(a)) { bufs.push(F64.from(a, Number).buffer); return { k: 'Float64Array', b: bufs.length - 1 }; }
    return { v: a === undefined ? null : a };
  };
  const fromBuffer = (d, bufs) => {
    const K = KINDS[d.k];
    if (!K) throw new Error('bad indicator result');
    return new K(bufs[d.b + 1]);
  };
  const at = (s, i) => (typeof s === 'number' ? s : s[i]);
  const crossover = (a, b, i) => i >= 1 && a[i] > at(b, i) && a[i - 1] <= at(b, i - 1);
  const crossunder = (a, b, i) => i >= 1 && a[i] < at(b, i) && a[i - 1] >= at(b, i - 1);
  const indicators = { crossover, crossunder };
  for (const name of ['sma','ema','rma','wma','rsi','macd','stochastic','bollinger','atr','trueRange','donchian','rollingMax','rollingMin','crossSeries']) {
    indicators[name] = function () {
      const bufs = [];
      const args = [];
      for (let i = 0; i < arguments.length && i < 8; i++) args.push(toBuffer(arguments[i], bufs));
      const r = hostIndicator(name, stringify(args), ...bufs);
      if (typeof r === 'string') throw new Error(r);
      const d = parse(r[0]);
      if (d.k !== undefined) return fromBuffer(d, r);
      const out = {};
      for (const key of Object.keys(d.f)) out[key] = fromBuffer(d.f[key], r);
      return out;
    };
  }
  freeze(indicators);

  let definition = null;
  globalThis.defineStrategy = function defineStrategy(def) {
    if (definition) throw new Error('defineStrategy was called more than once');
    if (!def || typeof def !== 'object') throw new Error('defineStrategy needs an object');
    definition = def;
    return def;
  };
  let instance = null;
  let ctx = null;
  // The hooks, read once when create() returns: the per-bar call goes straight to onBar.
  let onStartFn = null, onBarFn = null, onOrderUpdateFn = null, onEndFn = null;
  // Orders cross in a compact form (JSON costs ~10 µs per order in the interpreter):
  // numbers in state[8..18], strings joined by \u0001 with the tag last.
  const SEP = '\u0001';
  const fin = (x) => (x - x === 0 ? x : null);
  const orderOf = (s) => {
    if (s === '') return null;
    const p = s.split(SEP);
    return {
      id: state[8], side: p[0], type: p[1], quantity: fin(state[9]), price: fin(state[10]),
      closesPosition: state[11] === 1, status: p[2], tag: p.slice(4).join(SEP),
      submittedIndex: state[12], submittedTime: fin(state[13]), doneIndex: state[14],
      doneTime: fin(state[15]), filledQuantity: fin(state[16]), fillPrice: fin(state[17]),
      feeMinor: fin(state[18]), reason: p[3],
    };
  };
  const call = (op, arg) => {
    const r = host(op, arg);
    if (r.charCodeAt(0) === 1) throw new Error(r.slice(1));
    return orderOf(r);
  };
  const isNum = (x) => x === undefined || typeof x === 'number';
  const isStr = (x) => x === undefined || typeof x === 'string';
  // side: 'buy'/'sell' for buy()/sell(), or undefined to read it from the request.
  const place = (side, r) => {
    if (r === undefined || r === null) r = {};
    if (typeof r !== 'object' && typeof r !== 'function') return call(1, stringify(r));
    const s = side === undefined ? r.side : side;
    const type = r.type, q = r.quantity, pr = r.price, tag = r.tag;
    if (typeof s !== 'string' || !isStr(type) || !isNum(q) || !isNum(pr) || !isStr(tag) || r.trailPercent !== undefined || r.trailAmount !== undefined) {
      // Anything unusual (a trailing stop too: rare, so it has no compact form) takes the
      // JSON path and gets the engine's own validation message.
      const o = Object.assign({}, r);
      if (side !== undefined) o.side = side;
      return call(1, stringify(o));
    }
    state[6] = q === undefined ? 0 : q;
    state[7] = pr === undefined ? 0 : pr;
    const flags = (q === undefined ? 0 : 1) | (pr === undefined ? 0 : 2) | (type === undefined ? 0 : 4) | (tag === undefined ? 0 : 8);
    return call(6, s + SEP + (type === undefined ? '' : type) + SEP + flags + SEP + (tag === undefined ? '' : tag));
  };
  const submit = (r) => place(undefined, r);
  return {
    describe() {
      if (!definition) throw new Error('the source never called defineStrategy({...})');
      const d = definition;
      if (typeof d.create !== 'function') throw new Error('defineStrategy: create(params) must be a function');
      return stringify({
        name: typeof d.name === 'string' ? d.name : '',
        description: typeof d.description === 'string' ? d.description : '',
        params: Array.isArray(d.params) ? d.params : [],
      });
    },
    start(paramsJson, assumptionsJson, candleBuffers, hasOi, length) {
      const c = (k) => new F64(candleBuffers[k]);
      const candles = freeze({
        length, time: c(0), open: c(1), high: c(2), low: c(3), close: c(4), volume: c(5),
        openInterest: hasOi ? c(6) : null,
      });
      const params = freeze(parse(paramsJson));
      const assumptions = freeze(parse(assumptionsJson));
      instance = definition.create(params);
      if (!instance || typeof instance.onBar !== 'function') {
        throw new Error('create(params) must return an object with an onBar(ctx) method');
      }
      ctx = freeze({
        candles, params, assumptions, indicators,
        // An int-tagged index: QuickJS indexes typed arrays by a float64 key on a slow path.
        get index() { return state[0] | 0; },
        get time() { return state[1]; },
        get position() { return state[2]; },
        get avgPrice() { return state[3]; },
        get cash() { return state[4]; },
        get equity() { return state[5]; },
        get openOrders() { return ask(5); },
        submit,
        buy(r) { return place('buy', r); },
        sell(r) { return place('sell', r); },
        closePosition(tag) { return call(2, tag === undefined ? 'close' : String(tag)); },
        cancel(id) { return ask(3, String(Number(id))); },
        cancelAll() { ask(4); },
      });
      // Which hooks exist, read once: the host skips calls to absent ones.
      const fn = (k) => (typeof instance[k] === 'function' ? instance[k] : null);
      onStartFn = fn('onStart'); onBarFn = fn('onBar'); onOrderUpdateFn = fn('onOrderUpdate'); onEndFn = fn('onEnd');
      return (onStartFn ? 1 : 0) | (onOrderUpdateFn ? 2 : 0) | (onEndFn ? 4 : 0);
    },
    onStart() { onStartFn.call(instance, ctx); },
    onBar() { onBarFn.call(instance, ctx); },
    // [onBar, its instance, ctx] of the current run: the host calls onBar itself each bar.
    barTarget() { return [onBarFn, instance, ctx]; },
    onOrderUpdate(order) { onOrderUpdateFn.call(instance, freeze(orderOf(order)), ctx); },
    onEnd() { onEndFn.call(instance, ctx); },
  };
})`;
