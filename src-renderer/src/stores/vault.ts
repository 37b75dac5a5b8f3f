import { create } from 'zustand';
import type { OperationOutput } from '../../../src-shared/contract';
import { client } from '../client/client';

export type SecretsStatus = OperationOutput<'secrets.status'>;

interface VaultState {
  status?: SecretsStatus;
  /** The user chose to go on without unlocking (or without choosing a passphrase) for now. */
  deferred: boolean;
  refresh(): Promise<void>;
  unlock(passphrase: string): Promise<void>;
  create(passphrase: string): Promise<void>;
  defer(): void;
}

/**
 * The secret store's state. Without an OS keychain the backend keeps secrets in a file
 * encrypted under a passphrase, which starts locked: the auth screen asks for it, and the
 * owner chooses it the first time.
 */
export const useVault = create<VaultState>((set) => ({
  deferred: false,
  async refresh() {
    try {
      set({ status: await client.call('secrets.status', {}) });
    } catch {
      // The status bar already says when the backend cannot be reached.
    }
  },
  async unlock(passphrase) {
    set({ status: await client.call('secrets.unlock', { passphrase }) });
  },
  async create(passphrase) {
    set({ status: await client.call('secrets.create', { passphrase }) });
  },
  defer() {
    set({ deferred: true });
  },
}));
