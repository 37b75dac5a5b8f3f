import { create } from 'zustand';
import type { OperationOutput } from '../../../src-shared/contract';
import { client } from '../client/client';

type Health = OperationOutput<'system.health'>;
type Version = OperationOutput<'system.version'>;

interface SystemState {
  health?: Health;
  version?: Version;
  /** Why the backend could not be reached, shown in the status bar. */
  error?: string;
  refresh(): Promise<void>;
}

/** Backend status for the status bar and the settings screen. */
export const useSystem = create<SystemState>((set) => ({
  async refresh() {
    try {
      const [health, version] = await Promise.all([
        client.call('system.health', {}),
        client.call('system.version', {}),
      ]);
      set({ health, version, error: undefined });
    } catch (err) {
      set({ error: err instanceof Error ? err.message : String(err) });
    }
  },
}));
