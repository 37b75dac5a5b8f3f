import { create } from 'zustand';
import type { OperationOutput } from '../../../src-shared/contract';
import { saveFile } from '../client/download';
import { problemOf, type Problem } from './brokers';
import { call } from './session';

export type Schedule = OperationOutput<'reports.schedule.get'>;
export type StoredReport = OperationOutput<'reports.list'>['items'][number];

/** What one part of the screen shows: nothing yet, its answer, or why it failed. */
export interface Part<T> {
  loading: boolean;
  data?: T;
  problem?: Problem;
}

export const idle = <T>(): Part<T> => ({ loading: false });

/** Reads one part into `set`: keeps what it showed while loading, the error when refused. */
export async function readPart<T>(
  current: Part<T>,
  apply: (part: Part<T>) => void,
  read: () => Promise<T>,
  stillWanted: () => boolean = () => true,
): Promise<void> {
  apply({ ...current, loading: true });
  try {
    const data = await read();
    if (stillWanted()) apply({ loading: false, data });
  } catch (err) {
    if (stillWanted()) apply({ loading: false, problem: problemOf(err) });
  }
}

interface ReportsState {
  schedule: Part<Schedule>;
  stored: Part<StoredReport[]>;
  /** Errors and busy states of the actions, by action (`csv`, `json`, `daily`, `file:<name>`). */
  problems: Record<string, Problem>;
  pending: Record<string, true>;
  load(): Promise<void>;
  /** Saves the statement of [from, to] as the server writes it, under the name it answers. */
  download(format: 'csv' | 'json', range: { from: number; to: number }): Promise<void>;
  downloadStored(name: string): Promise<void>;
  setSchedule(change: Partial<Schedule>): Promise<void>;
}

/** The dashboard's statements: on demand, the daily/weekly schedule, the stored ones. */
export const useDashboardReports = create<ReportsState>((set, get) => {
  /** Runs an action under `key`: busy while it runs, its error kept under the key. */
  async function act(key: string, fn: () => Promise<void>): Promise<void> {
    set((s) => {
      const problems = { ...s.problems };
      delete problems[key];
      return { problems, pending: { ...s.pending, [key]: true } };
    });
    try {
      await fn();
    } catch (err) {
      set((s) => ({ problems: { ...s.problems, [key]: problemOf(err) } }));
    } finally {
      set((s) => {
        const pending = { ...s.pending };
        delete pending[key];
        return { pending };
      });
    }
  }

  const save = (r: OperationOutput<'reports.get'>) => saveFile(r.filename, r.body, r.contentType);

  return {
    schedule: idle(),
    stored: idle(),
    problems: {},
    pending: {},
    async load() {
      await Promise.all([
        readPart(
          get().schedule,
          (schedule) => set({ schedule }),
          () => call('reports.schedule.get', {}),
        ),
        readPart(
          get().stored,
          (stored) => set({ stored }),
          () => call('reports.list', {}).then((r) => r.items),
        ),
      ]);
    },
    async download(format, { from, to }) {
      await act(format, async () => save(await call('reports.pnl', { from, to, format })));
    },
    async downloadStored(name) {
      await act(`file:${name}`, async () => save(await call('reports.get', { name })));
    },
    async setSchedule(change) {
      const current = get().schedule.data;
      if (!current) return;
      const key = 'daily' in change ? 'daily' : 'weekly';
      // The box shows the trader's choice at once; the server's answer (or the old value,
      // when it refuses) replaces it.
      set({ schedule: { loading: false, data: { ...current, ...change } } });
      await act(key, async () => {
        try {
          const data = await call('reports.schedule.set', { ...current, ...change });
          set({ schedule: { loading: false, data } });
        } catch (err) {
          set({ schedule: { loading: false, data: current } });
          throw err;
        }
      });
    },
  };
});
