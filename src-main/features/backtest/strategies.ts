import { and, eq } from 'drizzle-orm';
import { AppError } from '../../../src-shared/contract';
import { backtestStrategies } from '../../db/schema';
import { type ParamSpec, type StrategyRegistry } from '../../domain/backtest';
import { compileStrategy } from './compile';
import type { DescribeOutcome, StrategyRef } from './protocol';
import { runInWorker } from './worker-runner';
import type { BacktestDeps } from './service';

/** Time allowed to evaluate a strategy's source when it is saved. */
const CHECK_TIME_MS = 5_000;

type StrategyRow = typeof backtestStrategies.$inferSelect;

/** A user's own strategies: source kept, checked in the sandbox when saved. */
export class BacktestStrategies {
  constructor(
    private readonly deps: BacktestDeps,
    readonly builtIns: StrategyRegistry,
  ) {}

  private get db() {
    return this.deps.store.db;
  }

  listStrategies(userId: string) {
    const builtIns = this.builtIns.list().map((s) => ({
      id: s.id,
      name: s.name,
      description: s.description,
      builtIn: true,
      params: s.params.map(specView),
    }));
    const mine = this.db
      .select()
      .from(backtestStrategies)
      .where(eq(backtestStrategies.userId, userId))
      .orderBy(backtestStrategies.name)
      .all()
      .map(strategyView);
    return { items: [...builtIns, ...mine] };
  }

  private strategyRow(userId: string, id: number): StrategyRow {
    const row = this.db
      .select()
      .from(backtestStrategies)
      .where(and(eq(backtestStrategies.id, id), eq(backtestStrategies.userId, userId)))
      .get();
    if (!row) throw new AppError('not_found', `No strategy ${id}`);
    return row;
  }

  getStrategy(userId: string, id: number) {
    const row = this.strategyRow(userId, id);
    return { ...strategyView(row), language: row.language, source: row.source };
  }

  /** Compiles, evaluates in the sandbox (bounded), then stores. */
  async saveStrategy(
    userId: string,
    input: { id?: number; language: 'js' | 'ts'; source: string },
  ) {
    if (input.id !== undefined) this.strategyRow(userId, input.id);
    const js = compileStrategy(input.language, input.source);
    let info: DescribeOutcome;
    try {
      info = await runInWorker<DescribeOutcome>(
        { kind: 'describe', strategy: { userId, js } },
        { timeLimitMs: CHECK_TIME_MS, maxHeapMb: 256 },
      );
    } catch (e) {
      throw new AppError('strategy_invalid', e instanceof Error ? e.message : String(e));
    }
    const name = (info.name || 'Untitled strategy').slice(0, 120);
    const now = this.deps.now();
    const values = {
      name,
      language: input.language,
      source: input.source,
      compiled: js,
      description: info.description.slice(0, 2_000),
      params: JSON.stringify(info.params),
      tsUpdated: now,
    };
    const row = this.deps.store.write('backtest.strategies.save', () =>
      input.id !== undefined
        ? this.db
            .update(backtestStrategies)
            .set(values)
            .where(and(eq(backtestStrategies.id, input.id), eq(backtestStrategies.userId, userId)))
            .returning()
            .get()
        : this.db
            .insert(backtestStrategies)
            .values({ ...values, userId, tsCreated: now })
            .returning()
            .get(),
    );
    return strategyView(row!);
  }

  deleteStrategy(userId: string, id: number) {
    this.strategyRow(userId, id);
    this.deps.store.write('backtest.strategies.delete', () =>
      this.db
        .delete(backtestStrategies)
        .where(and(eq(backtestStrategies.id, id), eq(backtestStrategies.userId, userId)))
        .run(),
    );
    return { ok: true as const };
  }

  /** Name, params and how a worker finds the strategy. */
  resolveStrategy(
    userId: string,
    strategyId: string,
  ): { name: string; params: readonly ParamSpec[]; ref: StrategyRef; user: boolean } {
    const m = /^user:(\d+)$/.exec(strategyId);
    if (m) {
      const row = this.db
        .select()
        .from(backtestStrategies)
        .where(and(eq(backtestStrategies.id, Number(m[1])), eq(backtestStrategies.userId, userId)))
        .get();
      if (!row) throw new AppError('not_found', `No strategy ${strategyId}`);
      return {
        name: row.name,
        params: JSON.parse(row.params) as ParamSpec[],
        ref: { userId, js: row.compiled },
        user: true,
      };
    }
    const def = this.builtIns.get(strategyId);
    if (!def) throw new AppError('not_found', `No strategy ${strategyId}`);
    return { name: def.name, params: def.params, ref: { builtIn: def.id }, user: false };
  }
}

function specView(s: ParamSpec) {
  const out: Record<string, unknown> = { name: s.name, type: s.type, default: s.default };
  for (const k of ['label', 'description', 'min', 'max', 'step'] as const) {
    if (s[k] !== undefined) out[k] = s[k];
  }
  if (s.options) out.options = [...s.options];
  return out as {
    name: string;
    type: ParamSpec['type'];
    default: ParamSpec['default'];
    label?: string;
    description?: string;
    min?: number;
    max?: number;
    step?: number;
    options?: string[];
  };
}

function strategyView(row: StrategyRow) {
  return {
    id: `user:${row.id}`,
    name: row.name,
    description: row.description,
    builtIn: false,
    params: (JSON.parse(row.params) as ParamSpec[]).map(specView),
    language: row.language,
    tsUpdated: row.tsUpdated,
  };
}
