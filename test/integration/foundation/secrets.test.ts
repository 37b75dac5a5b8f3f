import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EncryptedFileSecretStore } from '../../../src-main/secrets/encrypted-file';
import {
  PlaintextFileSecretStore,
  createSecretStore,
} from '../../../src-main/secrets/secret-store';
import { tempDataDir } from '../../helpers/backend';

// npm test runs the suite inside dbus-run-session with an unlocked gnome-keyring and sets
// BOURSE_TEST_KEYCHAIN=1; elsewhere this one test is skipped and says why.
const keychainReason =
  process.env.BOURSE_TEST_KEYCHAIN === '1'
    ? undefined
    : 'no private Secret Service session (run through `npm test` with dbus and gnome-keyring installed)';

describe('secrets', () => {
  it('stores, reads and deletes in the real OS keychain (Secret Service)', async (ctx) => {
    if (keychainReason) {
      console.log(`[secrets] keychain test skipped: ${keychainReason}`);
      ctx.skip(true, keychainReason);
    }
    const store = await createSecretStore('keychain', tempDataDir());
    expect(store.kind).toBe('keychain');
    const name = `test-${process.pid}`;
    await store.set(name, 'broker-api-secret-123');
    expect(await store.get(name)).toBe('broker-api-secret-123');
    expect(await store.delete(name)).toBe(true);
    expect(await store.get(name)).toBeNull();
  });

  it('falls back to the locked encrypted file (not plain text) when no keychain works', async () => {
    const store = await createSecretStore('keychain', tempDataDir(), async () => ({
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
    }));
    expect(store).toBeInstanceOf(EncryptedFileSecretStore);
    expect(store.description).toContain('AccessDenied');
    await expect(store.set('x', 'y')).rejects.toMatchObject({ code: 'secrets_locked' });
  });

  it('keeps plain-text secrets only in a 0600 file, and only when opted in', async () => {
    const dir = tempDataDir();
    const store = await createSecretStore('plaintext-file', dir);
    expect(store).toBeInstanceOf(PlaintextFileSecretStore);
    await store.set('k', 'v');
    const file = path.join(dir, 'secrets.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(await store.get('k')).toBe('v');
    expect(await store.delete('k')).toBe(true);
  });
});
