import type { Principal } from '../../../src-main/operations/principal';
import type { TestBackend } from '../../helpers/backend';
import { createUser } from '../../helpers/auth';

/** Bar files: small ones from test/fixtures, large ones from the shared data folder when present (test/helpers/real-data.ts). */
export { readBars as bars, missingRealData, skipWithoutRealData } from '../../helpers/real-data';

export interface Caller {
  principal: Principal;
  /** Bearer headers of the trader's session (HTTP door). */
  headers: Record<string, string>;
  invoke<T>(name: string, input: unknown): Promise<T>;
}

/** A trader (backtest.run, backtest.custom) calling operations through the internal door. */
export async function trader(backend: TestBackend): Promise<Caller> {
  const user = await createUser(backend, 'trader');
  const principal: Principal = {
    kind: 'user',
    userId: user.userId,
    role: 'trader',
    permissions: new Set(['authenticated', 'backtest.run', 'backtest.custom']),
  };
  return {
    principal,
    headers: user.headers,
    invoke: <T>(name: string, input: unknown) =>
      backend.invoke(name, input, principal) as Promise<T>,
  };
}

export interface RunView {
  id: number;
  jobRunId: number;
  status: string;
  error: string | null;
  progress: number;
  etaMs: number | null;
  metrics: Record<string, number | null> | null;
  tradeCount: number | null;
  assumptions: Record<string, unknown>;
  gridSize: number | null;
  totalBars: number;
}

/** Waits (on the scheduler) until the run's job has finished, then reads the run. */
export async function finished(backend: TestBackend, me: Caller, run: RunView) {
  await backend.scheduler.waitFor(run.jobRunId, 60_000);
  return me.invoke<{
    run: RunView;
    result: {
      trades: { netPnl: string; entryTime: number; exitTime: number }[];
      equity: (number | null)[];
      drawdown: (number | null)[];
      time: number[];
      finalCash: string;
      initialCash: string;
      lookahead: {
        ok: boolean;
        cuts: number[];
        divergence: { cut: number; bar: number } | null;
      } | null;
    } | null;
    sweep: { params: Record<string, unknown>; metrics: Record<string, number | null> }[] | null;
  }>('backtest.runs.get', { id: run.id });
}
