import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { hashRaw } from '@node-rs/argon2';
import { AppError } from '../../src-shared/contract';
import type { SecretStore } from './secret-store';

/** Key derivation parameters, recorded in the file so they can be raised later. */
export interface KdfParams {
  /** KiB of memory argon2id fills; the cost an attacker pays per guess. */
  memoryKiB: number;
  iterations: number;
  parallelism: number;
}

/**
 * 64 MiB, 3 passes: about a quarter of a second on a desktop, paid once per unlock. Stronger
 * than the password hashes (19 MiB, 2 passes) because a stolen file can be attacked offline.
 */
export const DESKTOP_KDF: KdfParams = { memoryKiB: 65_536, iterations: 3, parallelism: 1 };

/** `Algorithm.Argon2id` (a const enum, which isolated modules cannot import). */
const ARGON2ID = 2;
const FORMAT = 'bourse-secrets' as const;
const VERSION = 1;
const CHECK_PLAINTEXT = 'bourse-secrets-check';
export const MIN_PASSPHRASE_LENGTH = 12;

/** The file: a clear header (what is needed to derive the key) and two sealed parts. */
interface VaultFile {
  format: typeof FORMAT;
  version: number;
  kdf: KdfParams & { algorithm: 'argon2id'; salt: string };
  /** A known value sealed under the key: a wrong passphrase fails here, before the data. */
  check: string;
  /** The secrets as one sealed JSON object, so even their names are hidden. */
  data: string;
}

export type VaultState = 'uninitialized' | 'locked' | 'unlocked';

/** The header bound into every ciphertext (AAD): changing a parameter breaks the seal. */
function headerAad(file: Pick<VaultFile, 'format' | 'version' | 'kdf'>, part: string): Buffer {
  const { algorithm, memoryKiB, iterations, parallelism, salt } = file.kdf;
  return Buffer.from(
    [file.format, file.version, algorithm, memoryKiB, iterations, parallelism, salt, part].join(
      '|',
    ),
  );
}

function seal(key: Buffer, plaintext: string, aad: Buffer): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad);
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64');
}

/** Throws (GCM authentication) when the key is wrong or a byte was changed. */
function open(key: Buffer, sealed: string, aad: Buffer): string {
  const raw = Buffer.from(sealed, 'base64');
  if (raw.length < 28) throw new Error('sealed value too short');
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAAD(aad);
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}

function deriveKey(passphrase: string, kdf: VaultFile['kdf']): Promise<Buffer> {
  return hashRaw(passphrase.normalize('NFC'), {
    algorithm: ARGON2ID,
    memoryCost: kdf.memoryKiB,
    timeCost: kdf.iterations,
    parallelism: kdf.parallelism,
    outputLen: 32,
    salt: Buffer.from(kdf.salt, 'base64'),
  });
}

/** Refuses passphrases that an offline attacker would find quickly. */
export function assertStrongPassphrase(passphrase: string): void {
  const distinct = new Set(passphrase).size;
  if ([...passphrase].length < MIN_PASSPHRASE_LENGTH || distinct < 6) {
    throw new AppError(
      'passphrase_too_weak',
      `Choose a passphrase of at least ${MIN_PASSPHRASE_LENGTH} characters with some variety (a few unrelated words work well)`,
    );
  }
}

const corrupt = (file: string, why: string) =>
  new AppError(
    'secrets_corrupt',
    `The encrypted secrets file ${file} cannot be read (${why}); restore it from a backup`,
  );

/** Writes `text` to `file` so that a crash leaves either the old or the new file, never half. */
export function writeFileAtomic(file: string, text: string): void {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    const fd = fs.openSync(tmp, 'w', 0o600);
    try {
      fs.writeSync(fd, text);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  // The rename itself is durable only once the directory is synced (not possible on Windows).
  if (process.platform !== 'win32') {
    const dfd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(dfd);
    } finally {
      fs.closeSync(dfd);
    }
  }
}

/**
 * Secrets in `<dataDir>/secrets.enc` (0600), for machines without an OS keychain. Everything is
 * sealed with AES-256-GCM under a key derived from the owner's passphrase with argon2id; the
 * passphrase is never kept and the key lives only in this process's memory. The store starts
 * locked: `unlock` (or `create`, the first time) must be called before secrets can be used.
 */
export class EncryptedFileSecretStore implements SecretStore {
  readonly kind = 'encrypted-file';
  private key?: Buffer;
  private header?: Pick<VaultFile, 'format' | 'version' | 'kdf' | 'check'>;
  private values = new Map<string, string>();
  private creating = false;
  /** Derivations run one at a time: a burst of guesses costs one core and 64 MiB, not many. */
  private deriving: Promise<unknown> = Promise.resolve();

  constructor(
    readonly file: string,
    /** Why the keychain was not used (shown in Settings), if it was tried. */
    private readonly keychainProblem?: string,
    private readonly kdf: KdfParams = DESKTOP_KDF,
  ) {}

  get state(): VaultState {
    if (this.key) return 'unlocked';
    return fs.existsSync(this.file) ? 'locked' : 'uninitialized';
  }

  get description(): string {
    const why = this.keychainProblem ? ` (no OS keychain: ${this.keychainProblem})` : '';
    const state = {
      unlocked: 'unlocked',
      locked: 'locked: enter the passphrase to use secrets',
      uninitialized: 'not created yet: choose a passphrase',
    }[this.state];
    // No path: the status is public, and the data directory names the user's home.
    return `Encrypted file (${state}), secrets.enc in the data directory${why}`;
  }

  /** First use: derives a key from a new passphrase and writes an empty store. */
  async create(passphrase: string): Promise<void> {
    // Two concurrent creations would each write a file under a different key.
    if (this.state !== 'uninitialized' || this.creating) {
      throw new AppError('conflict', 'The encrypted secrets file already exists; unlock it');
    }
    assertStrongPassphrase(passphrase);
    this.creating = true;
    try {
      const base = {
        format: FORMAT,
        version: VERSION,
        kdf: {
          algorithm: 'argon2id' as const,
          ...this.kdf,
          salt: crypto.randomBytes(16).toString('base64'),
        },
      };
      const key = await this.derive(passphrase, base.kdf);
      const header = { ...base, check: seal(key, CHECK_PLAINTEXT, headerAad(base, 'check')) };
      this.persist(key, header, new Map());
      this.key = key;
      this.header = header;
      this.values = new Map();
    } finally {
      this.creating = false;
    }
  }

  /** Derives the key and opens the file; `wrong_passphrase` when the check value fails. */
  async unlock(passphrase: string): Promise<void> {
    const parsed = this.readFile();
    const key = await this.derive(passphrase, parsed.kdf);
    try {
      if (open(key, parsed.check, headerAad(parsed, 'check')) !== CHECK_PLAINTEXT)
        throw new Error();
    } catch {
      throw new AppError(
        'wrong_passphrase',
        'That passphrase does not open the secrets file',
        undefined,
        403,
      );
    }
    // A concurrent unlock won: its values may already hold newer writes than this read.
    if (this.key) return;
    let values: Map<string, string>;
    try {
      const json = JSON.parse(open(key, parsed.data, headerAad(parsed, 'data'))) as unknown;
      values = new Map(Object.entries(json as Record<string, string>));
    } catch {
      throw corrupt(this.file, 'its contents fail authentication');
    }
    this.key = key;
    this.header = {
      format: parsed.format,
      version: parsed.version,
      kdf: parsed.kdf,
      check: parsed.check,
    };
    this.values = values;
  }

  async get(name: string): Promise<string | null> {
    this.requireUnlocked();
    return this.values.get(name) ?? null;
  }

  async set(name: string, value: string): Promise<void> {
    const key = this.requireUnlocked();
    const next = new Map(this.values).set(name, value);
    this.persist(key, this.header!, next);
    this.values = next;
  }

  async delete(name: string): Promise<boolean> {
    const key = this.requireUnlocked();
    if (!this.values.has(name)) return false;
    const next = new Map(this.values);
    next.delete(name);
    this.persist(key, this.header!, next);
    this.values = next;
    return true;
  }

  private derive(passphrase: string, kdf: VaultFile['kdf']): Promise<Buffer> {
    const next = this.deriving.then(() => deriveKey(passphrase, kdf));
    this.deriving = next.catch(() => undefined);
    return next;
  }

  private requireUnlocked(): Buffer {
    if (this.key) return this.key;
    throw new AppError(
      'secrets_locked',
      this.state === 'uninitialized'
        ? 'The secret store has no passphrase yet: the owner chooses one first'
        : 'The secret store is locked: unlock it with its passphrase first',
      { state: this.state },
    );
  }

  /** Seals the values and replaces the file atomically; memory changes only after success. */
  private persist(
    key: Buffer,
    header: NonNullable<typeof this.header>,
    values: Map<string, string>,
  ) {
    const data = seal(key, JSON.stringify(Object.fromEntries(values)), headerAad(header, 'data'));
    const file: VaultFile = { ...header, data };
    writeFileAtomic(this.file, JSON.stringify(file, null, 2) + '\n');
  }

  private readFile(): VaultFile {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch {
      throw new AppError('secrets_locked', 'The secret store has no passphrase yet', {
        state: 'uninitialized',
      });
    }
    let parsed: VaultFile;
    try {
      parsed = JSON.parse(text) as VaultFile;
    } catch {
      throw corrupt(this.file, 'it is not JSON');
    }
    if (parsed.format !== FORMAT || parsed.kdf?.algorithm !== 'argon2id') {
      throw corrupt(this.file, 'unknown format');
    }
    if (parsed.version !== VERSION) throw corrupt(this.file, `unknown version ${parsed.version}`);
    const { memoryKiB, iterations, parallelism } = parsed.kdf;
    // Bounds keep a crafted header from making unlock allocate gigabytes or spin for hours.
    if (
      ![memoryKiB, iterations, parallelism].every(Number.isInteger) ||
      memoryKiB < 8 ||
      memoryKiB > 4_194_304 ||
      iterations < 1 ||
      iterations > 64 ||
      parallelism < 1 ||
      parallelism > 16
    ) {
      throw corrupt(this.file, 'key derivation parameters out of range');
    }
    return parsed;
  }
}
