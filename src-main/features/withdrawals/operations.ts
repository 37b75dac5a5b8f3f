import {
  AppError,
  withdrawalAddressesAdd,
  withdrawalAddressesList,
  withdrawalAddressesRemove,
  withdrawalsApprove,
  withdrawalsAssets,
  withdrawalsCancel,
  withdrawalsList,
  withdrawalsPending,
  withdrawalsReject,
  withdrawalsRequest,
  withdrawalsSetHotWallet,
} from '../../../src-shared/contract';
import { importHotWalletKey, type HotWalletKeyInput } from '../../connectors/chain/wallet';
import type { OperationContext } from '../../operations/context';
import { bind } from '../../operations/registry';
import type { SecretStore } from '../../secrets/secret-store';
import { auditOf, type AuditLog } from '../audit/audit-log';
import { ipAllowed } from '../identity/api-keys';
import type { IdentityService } from '../identity/service';
import type { WithdrawalRepo } from './repo';
import type { Actor, WithdrawalService } from './service';

export interface WithdrawalOperationDeps {
  service: WithdrawalService;
  repo: WithdrawalRepo;
  identity: IdentityService;
  secrets: SecretStore;
  audit: AuditLog;
  store: { write<T>(name: string, fn: () => T): T };
  now: () => number;
}

/** The user behind a call (a signed-in user or their API key); anonymous and system are refused. */
function owner(op: OperationContext): string {
  const p = op.principal;
  if (p.kind === 'user' || p.kind === 'apiKey') return p.userId;
  throw new AppError('forbidden', 'Only a user can do this');
}

function actorOf(op: OperationContext): Actor {
  const { actor, correlationId } = auditOf(op, 'withdrawal.request', null);
  return { actor, correlationId };
}

/**
 * Who may move money out: in the app the signed-in user with a 2FA code; through an API key
 * only a key with the `withdraw` scope (the operation's permission) and an IP allowlist that
 * holds the caller's address now. Answers how the request came (`app` or `apiKey:<id>`).
 */
async function authorizeRequest(
  d: WithdrawalOperationDeps,
  op: OperationContext,
  code: string | undefined,
): Promise<string> {
  const p = op.principal;
  if (p.kind === 'apiKey') {
    const key = d.identity.apiKeys.get(p.keyId);
    const allowlist = key ? (JSON.parse(key.ipAllowlist) as string[]) : [];
    if (allowlist.length === 0) {
      throw new AppError('ip_not_allowed', 'Only API keys with an IP allowlist may withdraw');
    }
    if (!op.ip || !ipAllowed(allowlist, op.ip)) {
      throw new AppError('ip_not_allowed', "This address is not in the key's IP allowlist");
    }
    return `apiKey:${p.keyId}`;
  }
  if (p.kind !== 'user') throw new AppError('forbidden', 'Only a user can withdraw');
  const user = d.identity.users.require(p.userId);
  if (!user.totpEnabled) {
    throw new AppError('two_factor_required', 'Turn on two-factor authentication to withdraw');
  }
  if (!code) throw new AppError('two_factor_required', 'Enter your 2FA code to withdraw');
  await d.identity.accounts.confirmCode(user, code, op.ip);
  return 'app';
}

/** Sets a chain's hot wallet: key to the secret store only, address to the chain's row. */
async function setHotWallet(
  d: WithdrawalOperationDeps,
  op: OperationContext,
  input: { chainId: number } & Partial<{ privateKey: string; mnemonic: string; path: string }>,
) {
  const chain = d.repo.chain(input.chainId);
  if (!chain) throw new AppError('not_found', `Chain ${input.chainId} is not configured`);
  let keyInput: HotWalletKeyInput;
  if (input.privateKey !== undefined && input.mnemonic === undefined) {
    keyInput = { privateKey: input.privateKey };
  } else if (input.mnemonic !== undefined && input.privateKey === undefined) {
    keyInput = { mnemonic: input.mnemonic, path: input.path };
  } else {
    throw new AppError(
      'validation_failed',
      'Give either privateKey or mnemonic (with an optional path)',
    );
  }
  const { privateKey, address } = importHotWalletKey(keyInput);
  const secretName = `chain.${input.chainId}.hotWallet`;
  await d.secrets.set(secretName, privateKey);
  d.store.write('withdrawals.setHotWallet', () => {
    d.repo.setHotWallet(input.chainId, secretName, address, owner(op), d.now());
    // The address only: the key never reaches the audit trail or the logs.
    d.audit.recordFor(op, 'withdrawal.hotWallet', String(input.chainId), { address });
  });
  return { chainId: input.chainId, address };
}

export function withdrawalOperations(d: WithdrawalOperationDeps) {
  const s = d.service;
  return [
    bind(withdrawalAddressesList, (_i, op) => ({ items: s.listAddresses(owner(op)) })),
    bind(withdrawalAddressesAdd, (input, op) => s.addAddress(actorOf(op), owner(op), input)),
    bind(withdrawalAddressesRemove, (input, op) => {
      s.removeAddress(actorOf(op), owner(op), input.id);
      return { ok: true as const };
    }),
    bind(withdrawalsAssets, () => ({ items: s.assets() })),
    bind(withdrawalsRequest, async (input, op) => {
      const userId = owner(op);
      // A retry of a request already made answers it without asking for a fresh code.
      const again = s.existing(userId, input.clientRequestId);
      if (again) return again;
      const via = await authorizeRequest(d, op, input.code);
      return s.request(actorOf(op), userId, via, input);
    }),
    bind(withdrawalsList, (input, op) => ({ items: s.list(owner(op), input.limit ?? 50) })),
    bind(withdrawalsCancel, (input, op) => s.cancel(actorOf(op), owner(op), input.id)),
    bind(withdrawalsPending, () => ({ items: s.pending() })),
    bind(withdrawalsApprove, (input, op) => s.approve(actorOf(op), owner(op), input.id)),
    bind(withdrawalsReject, (input, op) => s.reject(actorOf(op), input.id, input.reason)),
    bind(withdrawalsSetHotWallet, (input, op) => setHotWallet(d, op, input)),
  ];
}
