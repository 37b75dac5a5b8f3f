import { Type } from '@sinclair/typebox';
import { Empty, Obj } from './common';
import { defineOperation } from './define';

/**
 * `ready`: secrets can be used (keychain, memory, plain-text opt-in, or an unlocked file);
 * `locked`: the encrypted file waits for its passphrase; `uninitialized`: the encrypted file
 * does not exist yet and the owner chooses a passphrase; `unavailable`: nowhere to keep them.
 */
export const SecretsState = Type.Union(
  ['ready', 'locked', 'uninitialized', 'unavailable'].map((s) => Type.Literal(s)),
);

export const SecretsStatusView = Obj({
  kind: Type.Union(
    ['keychain', 'memory', 'encrypted-file', 'plaintext-file', 'unavailable'].map((s) =>
      Type.Literal(s),
    ),
  ),
  state: SecretsState,
  description: Type.String({ description: 'What to show in Settings' }),
});

const Passphrase = Type.String({ minLength: 1, maxLength: 1024 });

export const secretsStatus = defineOperation({
  name: 'secrets.status',
  summary: 'Where secrets are kept and whether the encrypted store is locked',
  access: 'public',
  http: { method: 'GET', path: '/secrets/status' },
  input: Empty,
  output: SecretsStatusView,
});

export const secretsUnlock = defineOperation({
  name: 'secrets.unlock',
  summary: 'Unlock the encrypted secret store with its passphrase (throttled, audited)',
  description:
    'Knowing the passphrase is the proof, so anyone may try; failures are counted before the key is derived, per address and in total, and bursts are answered 429.',
  access: 'public',
  mutates: true,
  http: { method: 'POST', path: '/secrets/unlock' },
  input: Obj({ passphrase: Passphrase }),
  output: SecretsStatusView,
});

export const secretsCreate = defineOperation({
  name: 'secrets.create',
  summary: 'Choose the passphrase of a new encrypted secret store (owner or desktop only)',
  access: 'public',
  mutates: true,
  http: { method: 'POST', path: '/secrets/create' },
  input: Obj({ passphrase: Passphrase }),
  output: SecretsStatusView,
});

export const secretsOperations = [secretsStatus, secretsUnlock, secretsCreate] as const;
