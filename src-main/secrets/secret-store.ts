import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../src-shared/contract';
import { EncryptedFileSecretStore, type KdfParams } from './encrypted-file';

/** Where secrets live (broker credentials, signing keys). Never SQLite, never logs. */
export interface SecretStore {
  /**
   * `keychain`, `memory` (tests), `encrypted-file` (no keychain: a passphrase unlocks it),
   * `plaintext-file` (explicit opt-in) or `unavailable`.
   */
  readonly kind: 'keychain' | 'memory' | 'encrypted-file' | 'plaintext-file' | 'unavailable';
  /** Human explanation of the backend, shown in Settings. */
  readonly description: string;
  get(name: string): Promise<string | null>;
  set(name: string, value: string): Promise<void>;
  delete(name: string): Promise<boolean>;
}

export const KEYCHAIN_SERVICE = 'Bourse';

/** Minimal surface of @napi-rs/keyring's Entry, so tests can inject a fake module. */
export interface KeyringModule {
  Entry: new (
    service: string,
    account: string,
  ) => {
    getPassword(): string | null | undefined;
    setPassword(value: string): void;
    deletePassword(): boolean | void;
  };
}

/** The OS keychain (Secret Service, macOS Keychain, Windows Credential Manager). */
export class KeychainSecretStore implements SecretStore {
  readonly kind = 'keychain';
  readonly description = 'OS keychain';

  constructor(
    private readonly keyring: KeyringModule,
    private readonly service = KEYCHAIN_SERVICE,
  ) {}

  async get(name: string): Promise<string | null> {
    return new this.keyring.Entry(this.service, name).getPassword() ?? null;
  }

  async set(name: string, value: string): Promise<void> {
    new this.keyring.Entry(this.service, name).setPassword(value);
  }

  async delete(name: string): Promise<boolean> {
    try {
      return new this.keyring.Entry(this.service, name).deletePassword() !== false;
    } catch {
      return false;
    }
  }
}

/** In-memory store for tests and for processes that must not persist anything. */
export class MemorySecretStore implements SecretStore {
  readonly kind = 'memory';
  readonly description = 'memory only (nothing is kept after exit)';
  private readonly values = new Map<string, string>();

  async get(name: string) {
    return this.values.get(name) ?? null;
  }
  async set(name: string, value: string) {
    this.values.set(name, value);
  }
  async delete(name: string) {
    return this.values.delete(name);
  }
}

/**
 * Refuses every write: there is no keychain and the user has not opted in to plain text.
 * Reads return null so features can tell "not configured" from "cannot store".
 */
export class UnavailableSecretStore implements SecretStore {
  readonly kind = 'unavailable';
  readonly description: string;

  constructor(readonly reason: string) {
    this.description = `No OS keychain is available (${reason}). Secrets cannot be saved; start Bourse with --allow-plaintext-secrets to keep them in a file readable only by you.`;
  }

  async get() {
    return null;
  }
  async set(): Promise<void> {
    throw new AppError('secrets_unavailable', this.description, undefined, 503);
  }
  async delete() {
    return false;
  }
}

/** A 0600 JSON file in the data directory: only when the user explicitly opted in. */
export class PlaintextFileSecretStore implements SecretStore {
  readonly kind = 'plaintext-file';
  readonly description: string;

  constructor(private readonly file: string) {
    this.description = `plain-text file ${file} (opted in with --allow-plaintext-secrets)`;
  }

  private read(): Record<string, string> {
    if (!fs.existsSync(this.file)) return {};
    return JSON.parse(fs.readFileSync(this.file, 'utf8')) as Record<string, string>;
  }

  private write(values: Record<string, string>): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(values), { mode: 0o600 });
    fs.renameSync(tmp, this.file);
  }

  async get(name: string) {
    return this.read()[name] ?? null;
  }
  async set(name: string, value: string) {
    this.write({ ...this.read(), [name]: value });
  }
  async delete(name: string) {
    const values = this.read();
    if (!(name in values)) return false;
    delete values[name];
    this.write(values);
    return true;
  }
}

/**
 * Probes the keychain with a write/read/delete round trip. Without a Secret Service,
 * @napi-rs/keyring fails with "Couldn't access platform storage" — we report that reason.
 */
export async function probeKeychain(keyring: KeyringModule): Promise<string | null> {
  const probe = new KeychainSecretStore(keyring);
  const name = `probe-${process.pid}-${Date.now()}`;
  try {
    await probe.set(name, 'ok');
    const value = await probe.get(name);
    await probe.delete(name);
    return value === 'ok' ? null : 'the keychain did not return what was stored';
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

export type SecretStoreKind = 'keychain' | 'memory' | 'plaintext-file' | 'encrypted-file';

/** How the encrypted file store is opened at start (headless passes the passphrase). */
export interface VaultOptions {
  /** From `BOURSE_SECRETS_PASSPHRASE`: creates the file the first time, else unlocks it. */
  passphrase?: string;
  /** Key derivation cost; tests lower it, the file records what was used. */
  kdf?: KdfParams;
}

/**
 * Builds the store the configuration asks for. Without a usable keychain it falls back to the
 * encrypted file (never to plain text, which needs the explicit opt-in); that store starts
 * locked unless a passphrase is given, which then must be right (a wrong one fails the start).
 */
export async function createSecretStore(
  kind: SecretStoreKind,
  dataDir: string,
  loadKeyring: () => Promise<KeyringModule> = async () =>
    (await import('@napi-rs/keyring')) as unknown as KeyringModule,
  vault: VaultOptions = {},
): Promise<SecretStore> {
  if (kind === 'memory') return new MemorySecretStore();
  if (kind === 'plaintext-file')
    return new PlaintextFileSecretStore(path.join(dataDir, 'secrets.json'));
  const file = path.join(dataDir, 'secrets.enc');
  if (kind === 'encrypted-file')
    return openVault(new EncryptedFileSecretStore(file, undefined, vault.kdf), vault);
  let problem: string | null;
  let keyring: KeyringModule | undefined;
  try {
    keyring = await loadKeyring();
    problem = await probeKeychain(keyring);
  } catch (err) {
    problem = `keyring module failed to load: ${(err as Error).message}`;
  }
  if (!problem && keyring) return new KeychainSecretStore(keyring);
  return openVault(new EncryptedFileSecretStore(file, problem ?? undefined, vault.kdf), vault);
}

async function openVault(store: EncryptedFileSecretStore, vault: VaultOptions) {
  if (vault.passphrase === undefined) return store;
  if (store.state === 'uninitialized') await store.create(vault.passphrase);
  else await store.unlock(vault.passphrase);
  return store;
}
