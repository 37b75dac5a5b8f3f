import type Database from 'better-sqlite3';
import type { SimulatorState } from '../../domain/simulator';

/** One market's stored simulator. */
export interface SimulatorRow {
  symbol: string;
  seed: number;
  running: boolean;
  state: SimulatorState;
  replayPath: number[] | null;
  replayName: string | null;
  tickMs: number;
}

interface Raw {
  symbol: string;
  seed: number;
  running: number;
  state: string;
  replay_path: string | null;
  replay_name: string | null;
}

/** `simulator_markets`: the state is JSON so a run resumes exactly where it stopped. */
export class SimulatorStore {
  constructor(private readonly db: Database.Database) {}

  load(symbol: string): SimulatorRow | undefined {
    const r = this.db.prepare('SELECT * FROM simulator_markets WHERE symbol = ?').get(symbol) as
      Raw | undefined;
    if (!r) return undefined;
    const saved = JSON.parse(r.state) as SimulatorState & { tickMs?: number };
    const { tickMs, ...state } = saved;
    return {
      symbol: r.symbol,
      seed: r.seed,
      running: r.running === 1,
      state,
      replayPath: r.replay_path ? (JSON.parse(r.replay_path) as number[]) : null,
      replayName: r.replay_name,
      tickMs: tickMs ?? 1000,
    };
  }

  save(row: SimulatorRow, ts: number, withReplay: boolean): void {
    const state = JSON.stringify({ ...row.state, tickMs: row.tickMs });
    this.db
      .prepare(
        `INSERT INTO simulator_markets (symbol, seed, running, state, replay_path, replay_name, ts_updated)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (symbol) DO UPDATE SET seed = excluded.seed, running = excluded.running,
           state = excluded.state, ts_updated = excluded.ts_updated`,
      )
      .run(
        row.symbol,
        row.seed,
        row.running ? 1 : 0,
        state,
        row.replayPath ? JSON.stringify(row.replayPath) : null,
        row.replayName,
        ts,
      );
    if (withReplay) {
      this.db
        .prepare('UPDATE simulator_markets SET replay_path = ?, replay_name = ? WHERE symbol = ?')
        .run(row.replayPath ? JSON.stringify(row.replayPath) : null, row.replayName, row.symbol);
    }
  }
}
