import { Type } from '@sinclair/typebox';
import { Obj, PositiveDecimal, TimestampMs } from './common';
import { defineOperation } from './define';

/**
 * Funding on a chain, deposits half: chains and per-asset settings (admin), each user's
 * deposit address, the deposits the listener saw, and reconciliation against the chain.
 */

const AssetCode = Type.String({ pattern: '^[A-Z0-9]{1,12}$', examples: ['ETH'] });
const ChainId = Type.Integer({ minimum: 1, maximum: 2 ** 31 - 1, examples: [1, 31337] });
/** An amount of the asset (ledger decimals), or of the chain unit (token decimals). */
const Amount = PositiveDecimal;

export const DEPOSIT_STATUSES = [
  'pending',
  'credited',
  'orphaned',
  'reversed',
  'not_credited',
] as const;
export const DepositStatus = Type.Union(DEPOSIT_STATUSES.map((s) => Type.Literal(s)));

/** Whether an operation (deposit, withdrawal) of an asset is open, and if not why. */
const Switch = Obj({
  enabled: Type.Boolean(),
  /** Null when enabled; else `no_chain`, `chain_disabled`, `no_xpub`, `switched_off`. */
  reason: Type.Union([Type.String(), Type.Null()]),
});

export const FundingAssetView = Obj({
  asset: AssetCode,
  chainId: Type.Union([ChainId, Type.Null()]),
  chainName: Type.Union([Type.String(), Type.Null()]),
  /** EIP-55 checksummed, or null for the chain's native coin. */
  tokenContract: Type.Union([Type.String(), Type.Null()]),
  confirmations: Type.Union([Type.Integer(), Type.Null()]),
  deposits: Switch,
  withdrawals: Switch,
});

export const DepositView = Obj({
  id: Type.Integer(),
  asset: AssetCode,
  chainId: ChainId,
  txHash: Type.String(),
  /** −1 for a native-coin transfer, else the log's index in its block. */
  logIndex: Type.Integer(),
  address: Type.String(),
  /** Credited (or to be credited) in the asset's ledger decimals. */
  amount: Amount,
  /** What arrived on chain, in the token's decimals. */
  chainAmount: Amount,
  /** The part of `chainAmount` finer than the ledger keeps: not credited (token decimals). */
  remainder: Amount,
  blockNumber: Type.Integer(),
  confirmations: Type.Integer(),
  confirmationsNeeded: Type.Integer(),
  status: DepositStatus,
  /**
   * Why `not_credited` (`deposits_disabled`, `below_minor_unit`), `orphaned` (`reorg`) or
   * `reversed` (`reorg_after_credit`; once decided `released` or `written_off`).
   */
  note: Type.Union([Type.String(), Type.Null()]),
  /** Frozen for review after a reversal (ledger decimals). */
  frozen: Amount,
  tsSeen: TimestampMs,
  tsUpdated: TimestampMs,
});

export const fundingAssets = defineOperation({
  name: 'funding.assets',
  summary: 'Which assets can be deposited and withdrawn, and why not',
  access: 'wallet.read',
  http: { method: 'GET', path: '/funding/assets' },
  input: Obj({}),
  output: Obj({ items: Type.Array(FundingAssetView) }),
});

export const fundingDepositAddress = defineOperation({
  name: 'funding.depositAddress',
  summary: 'Your deposit address for an asset (created on first request, then always the same)',
  description:
    "One address per user per chain, derived watch-only from the chain's xpub at `0/i`. Refused with `funding_unavailable` when the asset has no chain, the chain has no xpub, or deposits of the asset are switched off.",
  access: 'wallet.read',
  mutates: true,
  http: { method: 'POST', path: '/funding/deposit-address' },
  input: Obj({ asset: AssetCode }),
  output: Obj({
    asset: AssetCode,
    chainId: ChainId,
    chainName: Type.String(),
    /** EIP-55 checksummed. */
    address: Type.String(),
    confirmations: Type.Integer(),
    tokenContract: Type.Union([Type.String(), Type.Null()]),
    /** The address as a QR code (a `data:image/svg+xml` URL). */
    qr: Type.String(),
  }),
});

export const fundingDeposits = defineOperation({
  name: 'funding.deposits',
  summary: 'Your deposits, newest first (live on the `deposits` stream)',
  access: 'wallet.read',
  http: { method: 'GET', path: '/funding/deposits' },
  input: Obj({
    asset: Type.Optional(AssetCode),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  }),
  output: Obj({ items: Type.Array(DepositView) }),
});

export const ChainView = Obj({
  chainId: ChainId,
  name: Type.String(),
  /** The RPC URL's scheme and host only: the rest (often an API key) stays in the secret store. */
  rpcHost: Type.Union([Type.String(), Type.Null()]),
  xpub: Type.Union([Type.String(), Type.Null()]),
  addressesIssued: Type.Integer(),
  hotWalletAddress: Type.Union([Type.String(), Type.Null()]),
  pollMs: Type.Integer(),
  maxBlocksPerPoll: Type.Integer(),
  enabled: Type.Boolean(),
  /** The listener's verified block, null before its first poll. */
  cursor: Type.Union([Type.Integer(), Type.Null()]),
  tsUpdated: TimestampMs,
  updatedBy: Type.String(),
});

export const adminFundingChains = defineOperation({
  name: 'admin.funding.chains',
  summary: 'The chains Bourse watches (RPC host only, never the URL)',
  access: 'admin.system',
  http: { method: 'GET', path: '/admin/funding/chains' },
  input: Obj({}),
  output: Obj({ items: Type.Array(ChainView) }),
});

export const adminFundingChainSet = defineOperation({
  name: 'admin.funding.chainSet',
  summary: 'Create or change a chain: name, RPC URL (kept in the secret store), xpub, polling',
  description:
    "Omitted fields keep their value; `rpcUrl` is required when the chain is new. `xpub` must be an account-level extended public key (m/44'/60'/0', depth 3); a private key is refused. Changing the xpub of a chain that issued addresses is refused (`conflict`): the issued addresses would no longer be derivable. `startBlock` (new chains) is where the listener starts; by default the head at its first poll.",
  access: 'admin.system',
  mutates: true,
  http: { method: 'POST', path: '/admin/funding/chains' },
  input: Obj({
    chainId: ChainId,
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
    rpcUrl: Type.Optional(Type.String({ minLength: 8, maxLength: 2000, pattern: '^https?://' })),
    xpub: Type.Optional(Type.Union([Type.String({ minLength: 100, maxLength: 120 }), Type.Null()])),
    pollMs: Type.Optional(Type.Integer({ minimum: 500, maximum: 600_000 })),
    maxBlocksPerPoll: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
    enabled: Type.Optional(Type.Boolean()),
    startBlock: Type.Optional(Type.Integer({ minimum: 0 })),
  }),
  output: ChainView,
});

export const adminFundingChainTest = defineOperation({
  name: 'admin.funding.chainTest',
  summary: "Test a chain's RPC connection: it must answer, with the configured chain id",
  access: 'admin.system',
  input: Obj({ chainId: ChainId }),
  output: Obj({
    ok: Type.Boolean(),
    chainId: Type.Union([Type.Integer(), Type.Null()]),
    head: Type.Union([Type.Integer(), Type.Null()]),
    latencyMs: Type.Union([Type.Integer(), Type.Null()]),
    error: Type.Union([Type.String(), Type.Null()]),
  }),
});

export const AssetFundingView = Obj({
  asset: AssetCode,
  chainId: ChainId,
  tokenContract: Type.Union([Type.String(), Type.Null()]),
  tokenDecimals: Type.Integer(),
  confirmations: Type.Integer(),
  depositsEnabled: Type.Boolean(),
  withdrawalsEnabled: Type.Boolean(),
  withdrawalFee: Amount,
  withdrawalMin: Amount,
  autoApproveLimit: Amount,
  dualApprovalLimit: Type.Union([Amount, Type.Null()]),
  tsUpdated: TimestampMs,
  updatedBy: Type.String(),
});

export const adminFundingAssets = defineOperation({
  name: 'admin.funding.assets',
  summary: "Every asset's funding settings (assets without a chain are absent)",
  access: 'admin.markets',
  http: { method: 'GET', path: '/admin/funding/assets' },
  input: Obj({}),
  output: Obj({ items: Type.Array(AssetFundingView) }),
});

export const adminFundingAssetSet = defineOperation({
  name: 'admin.funding.assetSet',
  summary: "Set an asset's chain, token contract, confirmations, switches, fee and limits",
  description:
    "Omitted fields keep their value (a new asset needs `chainId`, `tokenDecimals` and `confirmations`). `tokenContract` null means the chain's native coin (18 decimals). Amounts are in the asset's decimals; `dualApprovalLimit` ≥ `autoApproveLimit`.",
  access: 'admin.markets',
  mutates: true,
  http: { method: 'POST', path: '/admin/funding/assets' },
  input: Obj({
    asset: AssetCode,
    chainId: Type.Optional(ChainId),
    tokenContract: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
    tokenDecimals: Type.Optional(Type.Integer({ minimum: 0, maximum: 36 })),
    confirmations: Type.Optional(Type.Integer({ minimum: 1, maximum: 120 })),
    depositsEnabled: Type.Optional(Type.Boolean()),
    withdrawalsEnabled: Type.Optional(Type.Boolean()),
    withdrawalFee: Type.Optional(Amount),
    withdrawalMin: Type.Optional(Amount),
    autoApproveLimit: Type.Optional(Amount),
    dualApprovalLimit: Type.Optional(Type.Union([Amount, Type.Null()])),
  }),
  output: AssetFundingView,
});

export const adminFundingDeposits = defineOperation({
  name: 'admin.funding.deposits',
  summary: "Every user's deposits, newest first, optionally by status",
  access: 'admin.ledger',
  http: { method: 'GET', path: '/admin/funding/deposits' },
  input: Obj({
    status: Type.Optional(DepositStatus),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  }),
  output: Obj({
    items: Type.Array(
      Type.Composite([
        DepositView,
        // The email too: an administrator recognises people, not ids (null: account deleted).
        Obj({ userId: Type.String(), userEmail: Type.Union([Type.String(), Type.Null()]) }),
      ]),
    ),
  }),
});

export const adminFundingDepositResolve = defineOperation({
  name: 'admin.funding.depositResolve',
  summary: "Decide on a reversed deposit's frozen amount: release it to the user, or write it off",
  description:
    "`release`: the transfer is on chain after all (look it up): the frozen amount goes back to the user's available balance. `write_off`: it never arrived: the frozen amount goes back to the outside world. Either once per deposit; any shortfall (what the user had already spent) is settled separately with a correction.",
  access: 'admin.ledger',
  mutates: true,
  input: Obj({
    id: Type.Integer({ minimum: 1 }),
    action: Type.Union([Type.Literal('release'), Type.Literal('write_off')]),
    reason: Type.String({ minLength: 1, maxLength: 500 }),
  }),
  output: Type.Composite([DepositView, Obj({ userId: Type.String() })]),
});

export const ReconcileCheck = Obj({
  /** What was checked (`deposits_on_chain`, `custody_covers_ledger`, …). */
  check: Type.String(),
  asset: Type.Union([AssetCode, Type.Null()]),
  ok: Type.Boolean(),
  message: Type.String(),
  /** The figures behind the verdict, decimal strings. */
  figures: Type.Record(Type.String(), Type.String()),
});

export const adminFundingReconcile = defineOperation({
  name: 'admin.funding.reconcile',
  summary: 'Check credited deposits and custody on chain against the ledger',
  description:
    'For each chain asset: every credited deposit is in a canonical block with its amount; and custody on chain (deposit addresses plus the hot wallet) is at least what the ledger owes users (their available + held, plus what is frozen for review). Answers each check with its figures, the surplus or shortfall and each mismatch.',
  access: 'admin.ledger',
  mutates: true,
  input: Obj({}),
  output: Obj({ ok: Type.Boolean(), checkedAt: TimestampMs, checks: Type.Array(ReconcileCheck) }),
});

export const fundingOperations = [
  fundingAssets,
  fundingDepositAddress,
  fundingDeposits,
  adminFundingChains,
  adminFundingChainSet,
  adminFundingChainTest,
  adminFundingAssets,
  adminFundingAssetSet,
  adminFundingDeposits,
  adminFundingDepositResolve,
  adminFundingReconcile,
] as const;
