import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type * as Argon2 from '@node-rs/argon2';
import { describe, expect, it, vi } from 'vitest';

// Wraps the real argon2 to watch how many derivations run at once.
const watch = vi.hoisted(() => ({ running: 0, most: 0 }));
vi.mock('@node-rs/argon2', async (importOriginal) => {
  const real = await importOriginal<typeof Argon2>();
  return {
    ...real,
    async hashRaw(...args: Parameters<typeof real.hashRaw>) {
      watch.running++;
      watch.most = Math.max(watch.most, watch.running);
      try {
        return await real.hashRaw(...args);
      } finally {
        watch.running--;
      }
    },
  };
});

const { EncryptedFileSecretStore } = await import('../../../src-main/secrets/encrypted-file');

describe('unlock under a burst', () => {
  it('derives one key at a time, so parallel guesses cannot multiply memory use', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bourse-vault-'));
    const file = path.join(dir, 'secrets.enc');
    const kdf = { memoryKiB: 1024, iterations: 1, parallelism: 1 };
    await new EncryptedFileSecretStore(file, undefined, kdf).create('correct horse battery');
    const store = new EncryptedFileSecretStore(file);
    const guesses = Array.from({ length: 8 }, (_, i) => store.unlock(`wrong guess number ${i}`));
    const results = await Promise.allSettled(guesses);
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect(watch.most).toBe(1);
    await store.unlock('correct horse battery');
    expect(store.state).toBe('unlocked');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
