import {
  newQuickJSWASMModuleFromVariant,
  newVariant,
  RELEASE_SYNC,
  type CustomizeVariantOptions,
  type QuickJSContext,
  type QuickJSHandle,
  type QuickJSRuntime,
} from 'quickjs-emscripten';

/**
 * One QuickJS interpreter in WebAssembly, owned by one sandboxed strategy: the boundary user
 * code runs behind. The interpreter lives in its own WASM linear memory (a fixed
 * `WebAssembly.Memory`, so typed-array bombs stop at its ceiling; QuickJS's own
 * `setMemoryLimit` undercounts large blocks in this build), with a stack cap and a deadline
 * checked by the interrupt handler. Values cross only as numbers and strings (copied into and
 * out of WASM memory) and ArrayBuffer copies: no host object or function is ever handed in.
 *
 * The hot paths (a hook per bar, a host call per order) use the raw FFI: the library's
 * generic callback path costs ~15 µs per call, which made a user strategy 10× slower than
 * the built-ins. `quickjs-emscripten` is pinned to 0.32.0 for these internals; the sandbox
 * tests fail if they change.
 */

const WASM_PAGE = 64 * 1024;

export interface EngineLimits {
  /** Ceiling of the WASM memory the interpreter lives in, MB. */
  memoryMb: number;
  /** Wall-clock budget from the engine's creation, ms. */
  timeLimitMs: number;
  /** Interpreter stack, KB. */
  stackKb: number;
}

/** Why the interpreter stopped when it was not the strategy's own exception. */
export type EngineStop = 'time' | 'memory' | null;

interface RawFfi {
  QTS_Call(ctx: number, fn: number, self: number, argc: number, argv: number): number;
  QTS_ResolveException(ctx: number, maybe: number): number;
  QTS_FreeValuePointer(ctx: number, value: number): void;
  QTS_DupValuePointer(ctx: number, value: number): number;
  QTS_NewString(ctx: number, chars: number): number;
  QTS_GetString(ctx: number, value: number): number;
  QTS_FreeCString(ctx: number, chars: number): void;
  QTS_GetFloat64(ctx: number, value: number): number;
  QTS_NewArrayBuffer(ctx: number, data: number, length: number): number;
  QTS_ArgvGetJSValueConstPointer(argv: number, index: number): number;
}

interface RawModule {
  _malloc(n: number): number;
  _free(p: number): void;
  UTF8ToString(p: number): string;
  stringToUTF8(s: string, p: number, max: number): void;
  lengthBytesUTF8(s: string): number;
}

/** The library's private members this file relies on (see the comment above). */
interface ContextInternals {
  ffi: RawFfi;
  module: RawModule;
  ctx: { value: number };
  memory: { heapValueHandle(ptr: number): QuickJSHandle };
  cToHostCallbacks: {
    callFunction(ctx: number, self: number, argc: number, argv: number, fnId: number): number;
  };
}

/** A fast host function: one number and one string in, one string out. */
export type FastHostFunction = (op: number, arg: string) => string;

export class QuickJsEngine {
  private constructor(
    readonly runtime: QuickJSRuntime,
    readonly vm: QuickJSContext,
    private readonly wasmMemory: WebAssembly.Memory,
    private readonly deadline: number,
  ) {
    this.raw = vm as unknown as ContextInternals;
    this.ctx = this.raw.ctx.value;
    this.undef = vm.undefined.value as unknown as number;
  }

  private readonly raw: ContextInternals;
  private readonly ctx: number;
  private readonly undef: number;
  private interrupted = false;

  /** A fresh interpreter on its own capped memory. */
  static async create(limits: EngineLimits): Promise<QuickJsEngine> {
    const maximum = Math.max(64, Math.ceil((limits.memoryMb * 1024 * 1024) / WASM_PAGE));
    const wasmMemory = new WebAssembly.Memory({ initial: Math.min(256, maximum), maximum });
    // The interpreter never prints for user code; Emscripten's own diagnostics (an assertion
    // when a stopped run is torn down) are not worth a log line per run either.
    const quiet = { print: () => undefined, printErr: () => undefined } as unknown as NonNullable<
      CustomizeVariantOptions['emscriptenModule']
    >;
    const module = await newQuickJSWASMModuleFromVariant(
      newVariant(RELEASE_SYNC, { wasmMemory, emscriptenModule: quiet }),
    );
    const runtime = module.newRuntime();
    // Still refuses any single allocation above the ceiling (the total is bounded by wasmMemory).
    runtime.setMemoryLimit(limits.memoryMb * 1024 * 1024);
    runtime.setMaxStackSize(limits.stackKb * 1024);
    const deadline = Date.now() + limits.timeLimitMs;
    const engine = new QuickJsEngine(runtime, runtime.newContext(), wasmMemory, deadline);
    runtime.setInterruptHandler(() => engine.checkDeadline());
    return engine;
  }

  private checkDeadline(): boolean {
    if (Date.now() > this.deadline) this.interrupted = true;
    return this.interrupted;
  }

  /** Why the last failure happened, judged from the engine's state and the error text. */
  stopReason(message: string): EngineStop {
    if (this.interrupted || Date.now() > this.deadline) return 'time';
    if (/out of memory|Cannot enlarge memory|memory access out of bounds/i.test(message)) {
      return 'memory';
    }
    return null;
  }

  /** Evaluates a script; throws a SandboxThrow with the error's text. */
  eval(code: string, filename: string): QuickJSHandle {
    const r = this.guardHost(() => this.vm.evalCode(code, filename, { type: 'global' }));
    if (r.error) throw new SandboxThrow(this.describeError(r.error));
    return r.value;
  }

  /** Calls `fn(...args)` (numbers and strings only) and discards the result. */
  call(fn: QuickJSHandle, ...args: (number | string)[]): void {
    const handles = args.map((a) =>
      typeof a === 'number' ? this.vm.newNumber(a) : this.vm.newString(a),
    );
    try {
      const r = this.guardHost(() => this.vm.callFunction(fn, this.vm.undefined, ...handles));
      if (r.error) throw new SandboxThrow(this.describeError(r.error));
      r.value.dispose();
    } finally {
      for (const h of handles) h.dispose();
    }
  }

  /** Calls `fn(...handles)` (handles the host made); its result if a number, else NaN. */
  callWith(fn: QuickJSHandle, handles: QuickJSHandle[]): number {
    const r = this.guardHost(() => this.vm.callFunction(fn, this.vm.undefined, ...handles));
    if (r.error) throw new SandboxThrow(this.describeError(r.error));
    try {
      return this.vm.typeof(r.value) === 'number' ? this.vm.getNumber(r.value) : NaN;
    } finally {
      r.value.dispose();
    }
  }

  /** Calls `fn()` and returns its result as a string (it must return one). */
  callForString(fn: QuickJSHandle): string {
    const r = this.guardHost(() => this.vm.callFunction(fn, this.vm.undefined));
    if (r.error) throw new SandboxThrow(this.describeError(r.error));
    try {
      if (this.vm.typeof(r.value) !== 'string') throw new SandboxThrow('expected a string');
      return this.vm.getString(r.value);
    } finally {
      r.value.dispose();
    }
  }

  /** Zero-argument call without the library's per-call allocations (the per-bar path). */
  call0(fn: QuickJSHandle): void {
    const { ffi } = this.raw;
    let result: number;
    try {
      result = ffi.QTS_Call(this.ctx, fn.value as unknown as number, this.undef, 0, 0);
    } catch (e) {
      throw this.trap(e);
    }
    const error = ffi.QTS_ResolveException(this.ctx, result);
    ffi.QTS_FreeValuePointer(this.ctx, result);
    if (error) throw new SandboxThrow(this.describeError(this.raw.memory.heapValueHandle(error)));
  }

  /**
   * `fn.call(self, arg)` through the raw FFI, with `argv` a one-pointer argument array made
   * by `argumentArray`: the per-bar path calls the strategy's own onBar directly, without an
   * interpreted wrapper frame.
   */
  callBound(fn: QuickJSHandle, self: QuickJSHandle, argv: number): void {
    const { ffi } = this.raw;
    let result: number;
    try {
      result = ffi.QTS_Call(
        this.ctx,
        fn.value as unknown as number,
        self.value as unknown as number,
        1,
        argv,
      );
    } catch (e) {
      throw this.trap(e);
    }
    const error = ffi.QTS_ResolveException(this.ctx, result);
    ffi.QTS_FreeValuePointer(this.ctx, result);
    if (error) throw new SandboxThrow(this.describeError(this.raw.memory.heapValueHandle(error)));
  }

  /** A C array holding one value pointer (`arg` stays owned by the caller), for callBound. */
  argumentArray(arg: QuickJSHandle): { ptr: number; free(): void } {
    const { module } = this.raw;
    const ptr = module._malloc(4);
    new Int32Array(this.wasmMemory.buffer, ptr, 1)[0] = arg.value as unknown as number;
    return { ptr, free: () => module._free(ptr) };
  }

  /**
   * A WASM trap (memory exhausted inside the allocator, an abort) surfaces as a host
   * exception: turn it into a sandbox failure instead of letting it look like a host bug.
   */
  private guardHost<T>(f: () => T): T {
    try {
      return f();
    } catch (e) {
      throw this.trap(e);
    }
  }

  private trap(e: unknown): SandboxThrow {
    if (e instanceof SandboxThrow) return e;
    const message = e instanceof Error ? e.message : String(e);
    return new SandboxThrow(`the interpreter stopped: ${message.slice(0, 200)}`);
  }

  /** "Name: message" of an error value thrown inside, never trusting its shape. */
  private describeError(handle: QuickJSHandle): string {
    try {
      const name = this.stringProp(handle, 'name');
      const message = this.stringProp(handle, 'message');
      if (message !== null) return `${name ?? 'Error'}: ${message}`;
      return this.vm.typeof(handle) === 'string'
        ? this.vm.getString(handle)
        : String(this.vm.dump(handle));
    } catch {
      return 'an unreadable value was thrown';
    } finally {
      handle.dispose();
    }
  }

  /** A property's value when it is a string (getters inside may throw: then null). */
  private stringProp(handle: QuickJSHandle, key: string): string | null {
    if (this.vm.typeof(handle) !== 'object') return null;
    const r = this.vm.getProp(handle, key);
    try {
      return this.vm.typeof(r) === 'string' ? this.vm.getString(r) : null;
    } finally {
      r.dispose();
    }
  }

  /**
   * A Float64Array-sized buffer shared with the interpreter: an ArrayBuffer inside whose
   * bytes the host writes directly (per-bar state, no call). Returns the handle to hand to
   * the prelude and a writer. Both sides only ever see numbers in it.
   */
  mailbox(slots: number): { handle: QuickJSHandle; view(): Float64Array } {
    const { ffi, module } = this.raw;
    const bytes = slots * 8;
    const ptr = module._malloc(bytes);
    // QuickJS takes ownership of ptr (freed with the ArrayBuffer): no copy.
    const handle = this.raw.memory.heapValueHandle(ffi.QTS_NewArrayBuffer(this.ctx, ptr, bytes));
    const memory = this.wasmMemory;
    let view = new Float64Array(memory.buffer, ptr, slots);
    return {
      handle,
      view: () => {
        // Growing the WASM memory detaches old views of it.
        if (view.buffer !== memory.buffer) view = new Float64Array(memory.buffer, ptr, slots);
        return view;
      },
    };
  }

  /**
   * A function inside the interpreter whose calls reach `impl` through a direct dispatcher
   * (arguments: a number and a string; result: a string). A thrown host error becomes a
   * string result starting with "\u0001" the prelude turns into an Error (not NUL: strings
   * cross as C strings).
   */
  fastFunction(name: string, impl: FastHostFunction): QuickJSHandle {
    const marker = (): undefined => undefined;
    const handle = this.vm.newFunction(name, marker);
    const callbacks = this.raw.cToHostCallbacks;
    const previous = callbacks.callFunction.bind(callbacks);
    const refs = (this.runtime as unknown as { hostRefs: { get(id: number): unknown } }).hostRefs;
    const { ffi, module } = this.raw;
    callbacks.callFunction = (ctx, self, argc, argv, fnId) => {
      if (refs.get(fnId) !== marker) return previous(ctx, self, argc, argv, fnId);
      let out: string;
      try {
        const op =
          argc > 0 ? ffi.QTS_GetFloat64(ctx, ffi.QTS_ArgvGetJSValueConstPointer(argv, 0)) : 0;
        let arg = '';
        if (argc > 1) {
          const chars = ffi.QTS_GetString(ctx, ffi.QTS_ArgvGetJSValueConstPointer(argv, 1));
          arg = module.UTF8ToString(chars);
          ffi.QTS_FreeCString(ctx, chars);
        }
        out = impl(op, arg);
      } catch (e) {
        out = `\u0001${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
      }
      const size = module.lengthBytesUTF8(out) + 1;
      const chars = module._malloc(size);
      module.stringToUTF8(out, chars, size);
      const value = ffi.QTS_NewString(ctx, chars);
      module._free(chars);
      const dup = ffi.QTS_DupValuePointer(ctx, value);
      ffi.QTS_FreeValuePointer(ctx, value);
      return dup;
    };
    return handle;
  }

  dispose(): void {
    try {
      this.vm.dispose();
      this.runtime.dispose();
    } catch {
      // A run stopped for memory or time may leave the interpreter inconsistent; the worker
      // that owns it exits right after, taking the WASM memory with it.
    }
  }
}

/** An exception from inside the interpreter, as text. */
export class SandboxThrow extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SandboxThrow';
  }
}
