import { create } from 'zustand';
import type { OperationOutput } from '../../../src-shared/contract';
import { client } from '../client/client';
import { useSession } from './session';
import { readLater, signInEnded, tabStorage, writeLater } from './vault-later';

export type SecretsStatus = OperationOutput<'secrets.status'>;

interface VaultState {
  status?: SecretsStatus;
  /**
   * The user chose to go on without unlocking (or without choosing a passphrase) for now:
   * remembered until this sign-in ends (see vault-later.ts), then asked again.
   */
  deferred: boolean;
  /** The signed-in user asked for the unlock form (Settings, Profile): shown until done or deferred. */
  asked: boolean;
  refresh(): Promise<void>;
  unlock(passphrase: string): Promise<void>;
  create(passphrase: string): Promise<void>;
  defer(): void;
  /** Brings the passphrase form (choose or unlock) back, after "Later". */
  ask(): void;
}

/**
 * The secret store's state. Without an OS keychain the backend keeps secrets in a file
 * encrypted under a passphrase, which starts locked: the auth screen asks for it, and the
 * owner chooses it the first time.
 */
export const useVault = create<VaultState>((set, get) => ({
  deferred: readLater(tabStorage()),
  asked: false,
  async refresh() {
    try {
      set({ status: await client.call('secrets.status', {}) });
    } catch {
      // The status bar already says when the backend cannot be reached.
    }
  },
  async unlock(passphrase) {
    set({ status: await client.call('secrets.unlock', { passphrase }), asked: false });
  },
  async create(passphrase) {
    set({ status: await client.call('secrets.create', { passphrase }), asked: false });
  },
  defer() {
    writeLater(tabStorage(), true);
    set({ deferred: true, asked: false });
  },
  ask() {
    writeLater(tabStorage(), false);
    set({ deferred: false, asked: true });
    // The form shown follows the store's state now (someone may have chosen it meanwhile).
    void get().refresh();
  },
}));

// "Later" lasts one sign-in: the next one reminds.
useSession.subscribe((next, prev) => {
  if (!signInEnded(prev.status, next.status)) return;
  writeLater(tabStorage(), false);
  useVault.setState({ deferred: false, asked: false });
});
