import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EncryptedFileSecretStore, type KdfParams } from '../../../src-main/secrets/encrypted-file';
import { createSecretStore } from '../../../src-main/secrets/secret-store';

/** Cheap parameters: the format and checks are the same, the derivation takes milliseconds. */
const FAST: KdfParams = { memoryKiB: 1024, iterations: 1, parallelism: 1 };
const PASSPHRASE = 'correct horse battery staple';

const dirs: string[] = [];
function vaultFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bourse-vault-'));
  dirs.push(dir);
  return path.join(dir, 'secrets.enc');
}

afterEach(() => {
  vi.restoreAllMocks();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function created(file = vaultFile()) {
  const store = new EncryptedFileSecretStore(file, undefined, FAST);
  await store.create(PASSPHRASE);
  return store;
}

describe('encrypted file secret store', () => {
  it('round-trips secrets across a fresh process (lock, unlock)', async () => {
    const store = await created();
    await store.set('identity.data-key', 'k1');
    await store.set('broker', 'sk-live-123');
    expect(await store.delete('broker')).toBe(true);
    const again = new EncryptedFileSecretStore(store.file, undefined, FAST);
    expect(again.state).toBe('locked');
    await again.unlock(PASSPHRASE);
    expect(again.state).toBe('unlocked');
    expect(await again.get('identity.data-key')).toBe('k1');
    expect(await again.get('broker')).toBeNull();
  });

  it('keeps neither the passphrase nor any secret or name in clear in the file', async () => {
    const store = await created();
    await store.set('identity.data-key', 'very-secret-value');
    const text = fs.readFileSync(store.file, 'utf8');
    expect(text).not.toContain(PASSPHRASE);
    expect(text).not.toContain('very-secret-value');
    expect(text).not.toContain('identity.data-key');
    const header = JSON.parse(text) as { version: number; kdf: Record<string, unknown> };
    expect(header.version).toBe(1);
    expect(header.kdf).toMatchObject({ algorithm: 'argon2id', memoryKiB: 1024, iterations: 1 });
    expect(Buffer.from(header.kdf.salt as string, 'base64')).toHaveLength(16);
  });

  it('refuses a wrong passphrase with a clear error and stays locked', async () => {
    const store = await created();
    const again = new EncryptedFileSecretStore(store.file);
    await expect(again.unlock('not the passphrase at all')).rejects.toMatchObject({
      code: 'wrong_passphrase',
      status: 403,
    });
    expect(again.state).toBe('locked');
    await expect(again.get('x')).rejects.toMatchObject({ code: 'secrets_locked' });
  });

  it('refuses a tampered ciphertext or header', async () => {
    const store = await created();
    await store.set('k', 'v');
    const original = JSON.parse(fs.readFileSync(store.file, 'utf8')) as Record<string, unknown>;
    const data = Buffer.from(original.data as string, 'base64');
    data[data.length - 1]! ^= 1;
    fs.writeFileSync(store.file, JSON.stringify({ ...original, data: data.toString('base64') }));
    await expect(new EncryptedFileSecretStore(store.file).unlock(PASSPHRASE)).rejects.toMatchObject(
      { code: 'secrets_corrupt' },
    );
    // A changed KDF parameter is bound into the seal: the check value no longer opens.
    const kdf = { ...(original.kdf as object), iterations: 2 };
    fs.writeFileSync(store.file, JSON.stringify({ ...original, kdf }));
    await expect(new EncryptedFileSecretStore(store.file).unlock(PASSPHRASE)).rejects.toMatchObject(
      { code: 'wrong_passphrase' },
    );
    // A header asking for absurd memory is refused before anything is allocated.
    const huge = { ...(original.kdf as object), memoryKiB: 2 ** 31 };
    fs.writeFileSync(store.file, JSON.stringify({ ...original, kdf: huge }));
    await expect(new EncryptedFileSecretStore(store.file).unlock(PASSPHRASE)).rejects.toMatchObject(
      { code: 'secrets_corrupt' },
    );
  });

  it('leaves the old file intact when a write fails half way', async () => {
    const store = await created();
    await store.set('k', 'old');
    const before = fs.readFileSync(store.file, 'utf8');
    vi.spyOn(fs, 'writeSync').mockImplementation(() => {
      throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    });
    await expect(store.set('k', 'new')).rejects.toThrow('ENOSPC');
    vi.restoreAllMocks();
    expect(fs.readFileSync(store.file, 'utf8')).toBe(before);
    expect(await store.get('k')).toBe('old'); // memory follows the file, not the failed write
    expect(fs.readdirSync(path.dirname(store.file))).toEqual(['secrets.enc']); // no temp left
    const again = new EncryptedFileSecretStore(store.file);
    await again.unlock(PASSPHRASE);
    expect(await again.get('k')).toBe('old');
  });

  it('keeps a write made between two concurrent unlocks', async () => {
    const store = await created();
    await store.set('old', '1');
    const again = new EncryptedFileSecretStore(store.file);
    const first = again.unlock(PASSPHRASE);
    const second = again.unlock(PASSPHRASE); // read the file before the write below
    await first;
    await again.set('new', '2');
    await second;
    expect(await again.get('new')).toBe('2');
    await again.set('later', '3');
    const fresh = new EncryptedFileSecretStore(store.file);
    await fresh.unlock(PASSPHRASE);
    expect([await fresh.get('old'), await fresh.get('new'), await fresh.get('later')]).toEqual([
      '1',
      '2',
      '3',
    ]);
  });

  it('creates the file with mode 0600', async () => {
    const store = await created();
    expect(fs.statSync(store.file).mode & 0o777).toBe(0o600);
    await store.set('k', 'v');
    expect(fs.statSync(store.file).mode & 0o777).toBe(0o600);
  });

  it('refuses weak passphrases and a second creation', async () => {
    const store = new EncryptedFileSecretStore(vaultFile(), undefined, FAST);
    await expect(store.create('short')).rejects.toMatchObject({ code: 'passphrase_too_weak' });
    await expect(store.create('aaaaaaaaaaaaaaaa')).rejects.toMatchObject({
      code: 'passphrase_too_weak',
    });
    expect(store.state).toBe('uninitialized');
    const first = store.create(PASSPHRASE);
    await expect(store.create(PASSPHRASE)).rejects.toMatchObject({ code: 'conflict' });
    await first;
    await expect(store.create(PASSPHRASE)).rejects.toMatchObject({ code: 'conflict' });
  });

  it('is what a backend gets without a keychain, unlocked by the start passphrase', async () => {
    const file = vaultFile();
    const noKeychain = async () => ({
      Entry: class {
        getPassword(): string {
          throw new Error("Couldn't access platform storage: AccessDenied");
        }
        setPassword(): void {
          throw new Error("Couldn't access platform storage: AccessDenied");
        }
        deletePassword(): boolean {
          return false;
        }
      },
    });
    const locked = await createSecretStore('keychain', path.dirname(file), noKeychain, {
      kdf: FAST,
    });
    expect(locked.kind).toBe('encrypted-file');
    expect(locked.description).toContain('AccessDenied');
    const opened = await createSecretStore('keychain', path.dirname(file), noKeychain, {
      kdf: FAST,
      passphrase: PASSPHRASE,
    });
    expect((opened as EncryptedFileSecretStore).state).toBe('unlocked');
    await opened.set('a', 'b');
    await expect(
      createSecretStore('encrypted-file', path.dirname(file), noKeychain, {
        passphrase: 'wrong one!',
      }),
    ).rejects.toMatchObject({ code: 'wrong_passphrase' });
  });
});
