import { addressKey } from '../../domain/net/client-address';
import {
  AppError,
  secretsCreate,
  secretsStatus,
  secretsUnlock,
  type OutputOf,
} from '../../../src-shared/contract';
import { defineFeature, type FeatureContext } from '../feature';
import type { OperationContext } from '../../operations/context';
import { bind } from '../../operations/registry';
import { Throttle, type ThrottlePolicy } from '../identity/throttle';
import { EncryptedFileSecretStore } from '../../secrets/encrypted-file';
import type { SecretStore } from '../../secrets/secret-store';

type StatusView = OutputOf<typeof secretsStatus>;

/** Per address: a person mistyping gets five tries, then waits a minute (doubling). */
export const UNLOCK_ADDRESS_POLICY: ThrottlePolicy = {
  limit: 5,
  windowMs: 15 * 60_000,
  lockMs: 60_000,
  maxLockMs: 60 * 60_000,
};

/** In total: guesses spread over many addresses still meet a ceiling (argon2 is costly too). */
export const UNLOCK_OVERALL_POLICY: ThrottlePolicy = {
  limit: 20,
  windowMs: 15 * 60_000,
  lockMs: 5 * 60_000,
  maxLockMs: 60 * 60_000,
};

export function secretsStatusOf(store: SecretStore): StatusView {
  if (store instanceof EncryptedFileSecretStore) {
    const state = store.state === 'unlocked' ? 'ready' : store.state;
    return { kind: store.kind, state, description: store.description };
  }
  const state = store.kind === 'unavailable' ? 'unavailable' : 'ready';
  return { kind: store.kind, state, description: store.description };
}

function vaultOf(store: SecretStore): EncryptedFileSecretStore {
  if (store instanceof EncryptedFileSecretStore) return store;
  throw new AppError(
    'conflict',
    `Secrets are kept in the ${store.description}; it has no passphrase`,
  );
}

const addressOf = (op: OperationContext) => op.ip ?? (op.door === 'ipc' ? 'desktop' : 'unknown');

/** The passphrase is the proof, so anyone may try: counted first, throttled, audited. */
async function unlock(
  ctx: FeatureContext,
  throttle: Throttle,
  passphrase: string,
  op: OperationContext,
) {
  const vault = vaultOf(ctx.secrets);
  if (vault.state === 'unlocked') return secretsStatusOf(vault);
  if (vault.state === 'uninitialized') {
    throw new AppError('conflict', 'The secret store has no passphrase yet: create one first');
  }
  const address = addressOf(op);
  const keys: Array<[string, ThrottlePolicy]> = [
    [`secrets.unlock:ip:${addressKey(address)}`, UNLOCK_ADDRESS_POLICY],
    ['secrets.unlock:all', UNLOCK_OVERALL_POLICY],
  ];
  // Counted before the key is derived: a burst of parallel guesses meets the limit at once
  // instead of all passing the check while argon2 runs.
  const attempt = throttle.reserve(keys);
  try {
    await vault.unlock(passphrase);
  } catch (err) {
    if (err instanceof AppError && err.code === 'wrong_passphrase') {
      attempt.fail();
      ctx.audit.recordFor(op, 'secrets.unlockFailure', null, { ip: address, door: op.door });
      ctx.log.warn({ ip: address }, 'wrong secret store passphrase');
    } else {
      attempt.release();
    }
    throw err;
  }
  attempt.succeed();
  ctx.audit.recordFor(op, 'secrets.unlock', null, { ip: address, door: op.door });
  ctx.log.info({ ip: address }, 'secret store unlocked');
  return secretsStatusOf(vault);
}

/** Only the desktop user or the signed-in owner chooses the passphrase of a new store. */
async function create(ctx: FeatureContext, passphrase: string, op: OperationContext) {
  const vault = vaultOf(ctx.secrets);
  const p = op.principal;
  const isOwner = p.kind === 'user' && p.role === 'owner';
  if (op.door !== 'ipc' && !isOwner) {
    throw new AppError(
      'forbidden',
      'Only the owner, signed in, chooses the secret store passphrase',
    );
  }
  await vault.create(passphrase);
  ctx.audit.recordFor(op, 'secrets.create', null, { ip: addressOf(op), door: op.door });
  ctx.log.info('secret store passphrase chosen; the encrypted file is unlocked');
  return secretsStatusOf(vault);
}

/** Where secrets live and, for the encrypted file, locking and unlocking it. */
export const secretsFeature = defineFeature({
  name: 'secrets',
  setup(ctx) {
    const throttle = new Throttle(ctx.config.now);
    ctx.registry.registerAll([
      bind(secretsStatus, () => secretsStatusOf(ctx.secrets)),
      bind(secretsUnlock, (input, op) => unlock(ctx, throttle, input.passphrase, op)),
      bind(secretsCreate, (input, op) => create(ctx, input.passphrase, op)),
    ]);
    return { provides: {} };
  },
});
