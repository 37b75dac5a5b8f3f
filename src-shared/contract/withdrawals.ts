import { Type } from '@sinclair/typebox';
import { Decimal, Empty, Id, Obj, PositiveDecimal, TimestampMs } from './common';
import { defineOperation } from './define';

/** Where a withdrawal is (see docs/guide/withdrawals.md for the whole lifecycle). */
export const WithdrawalStatusSchema = Type.Union(
  [
    'pending_approval',
    'approved',
    'signed',
    'sent',
    'mined',
    'confirmed',
    'rejected',
    'cancelled',
    'failed',
  ].map((s) => Type.Literal(s)),
);

const AssetCode = Type.String({ pattern: '^[A-Z0-9]{1,12}$', examples: ['ETH'] });
const ChainId = Type.Integer({ minimum: 1, description: 'EIP-155 chain id' });
const Address = Type.String({ minLength: 1, maxLength: 64, description: '0x… EVM address' });

export const WithdrawalAddressView = Obj({
  id: Type.String(),
  chainId: ChainId,
  address: Type.String({ description: 'EIP-55 checksummed' }),
  label: Type.String(),
  tsCreated: TimestampMs,
  /** Withdrawals to it are refused before this (the cool-off after adding it). */
  tsUsable: TimestampMs,
});

export const WithdrawalView = Obj({
  id: Type.String(),
  clientRequestId: Type.String(),
  asset: AssetCode,
  amount: Decimal,
  fee: Decimal,
  chainId: ChainId,
  addressId: Type.String(),
  toAddress: Type.String(),
  status: WithdrawalStatusSchema,
  approvalsRequired: Type.Integer({ minimum: 0, maximum: 2 }),
  approvals: Type.Integer({ minimum: 0 }),
  txHash: Type.Union([Type.String(), Type.Null()]),
  confirmations: Type.Integer({ minimum: 0 }),
  confirmationsRequired: Type.Integer({ minimum: 0 }),
  reason: Type.Union([Type.String(), Type.Null()]),
  tsCreated: TimestampMs,
  tsUpdated: TimestampMs,
});

/** What an admin sees of a withdrawal waiting for approval. */
export const AdminWithdrawalView = Obj({
  withdrawal: WithdrawalView,
  userId: Type.String(),
  userEmail: Type.Union([Type.String(), Type.Null()]),
  requestedVia: Type.String({ description: '`app` (with 2FA) or `apiKey:<id>`' }),
  approvedBy: Type.Array(Type.String()),
});

/** One asset as the withdraw form needs it. */
export const WithdrawalAssetView = Obj({
  asset: AssetCode,
  chainId: ChainId,
  enabled: Type.Boolean(),
  /** False while the chain or its hot wallet is not set up: requests are refused. */
  ready: Type.Boolean(),
  fee: Decimal,
  min: Decimal,
  confirmations: Type.Integer({ minimum: 0 }),
});

export const withdrawalAddressesList = defineOperation({
  name: 'withdrawalAddresses.list',
  summary: 'Your withdrawal address book',
  access: 'wallet.read',
  http: { method: 'GET', path: '/withdrawals/addresses' },
  input: Empty,
  output: Obj({ items: Type.Array(WithdrawalAddressView) }),
});

export const withdrawalAddressesAdd = defineOperation({
  name: 'withdrawalAddresses.add',
  summary: 'Add an address to your withdrawal address book (usable after a cool-off)',
  description:
    'The address is checked (0x + 40 hex; a mixed-case address must carry a correct EIP-55 checksum: `address_checksum`). Withdrawals to it are refused until `tsUsable` (24 h by default). Audited, and you are notified.',
  access: 'wallet.withdraw',
  mutates: true,
  http: { method: 'POST', path: '/withdrawals/addresses' },
  input: Obj({
    chainId: ChainId,
    address: Address,
    label: Type.String({ minLength: 1, maxLength: 64 }),
  }),
  output: WithdrawalAddressView,
});

export const withdrawalAddressesRemove = defineOperation({
  name: 'withdrawalAddresses.remove',
  summary: 'Remove an address from your address book',
  access: 'wallet.withdraw',
  mutates: true,
  http: { method: 'POST', path: '/withdrawals/addresses/remove' },
  input: Obj({ id: Id }),
  output: Obj({ ok: Type.Literal(true) }),
});

export const withdrawalsAssets = defineOperation({
  name: 'withdrawals.assets',
  summary: 'Assets that have a chain: whether withdrawals are on, their fee and minimum',
  access: 'wallet.read',
  http: { method: 'GET', path: '/withdrawals/assets' },
  input: Empty,
  output: Obj({ items: Type.Array(WithdrawalAssetView) }),
});

export const withdrawalsRequest = defineOperation({
  name: 'withdrawals.request',
  summary: 'Request a withdrawal to an address of your address book',
  description:
    "Amount plus the asset's fee move from available to held at once. In the app a 2FA code (TOTP or recovery code) is required; through an API key only keys with the `withdraw` scope and an IP allowlist that holds the caller's address. Refused with `withdrawals_disabled`, `below_minimum`, `insufficient_funds`, `address_cooling_off`, `funding_unavailable` (no chain or hot wallet). A repeated `clientRequestId` answers the first request.",
  access: 'wallet.withdraw',
  mutates: true,
  http: { method: 'POST', path: '/withdrawals' },
  input: Obj({
    clientRequestId: Id,
    asset: AssetCode,
    amount: PositiveDecimal,
    addressId: Id,
    code: Type.Optional(Type.String({ minLength: 6, maxLength: 32, description: '2FA code' })),
  }),
  output: WithdrawalView,
});

export const withdrawalsList = defineOperation({
  name: 'withdrawals.list',
  summary: 'Your withdrawals, newest first',
  access: 'wallet.read',
  http: { method: 'GET', path: '/withdrawals' },
  input: Obj({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })) }),
  output: Obj({ items: Type.Array(WithdrawalView) }),
});

export const withdrawalsCancel = defineOperation({
  name: 'withdrawals.cancel',
  summary: 'Cancel your withdrawal before it is signed; the hold is released',
  access: 'wallet.withdraw',
  mutates: true,
  http: { method: 'POST', path: '/withdrawals/cancel' },
  input: Obj({ id: Id }),
  output: WithdrawalView,
});

export const withdrawalsPending = defineOperation({
  name: 'withdrawals.pending',
  summary: 'Withdrawals waiting for an admin approval',
  access: 'admin.ledger',
  http: { method: 'GET', path: '/admin/withdrawals/pending' },
  input: Empty,
  output: Obj({ items: Type.Array(AdminWithdrawalView) }),
});

export const withdrawalsApprove = defineOperation({
  name: 'withdrawals.approve',
  summary: 'Approve a withdrawal (two different admins above the dual limit; never your own)',
  access: 'admin.ledger',
  mutates: true,
  http: { method: 'POST', path: '/admin/withdrawals/approve' },
  input: Obj({ id: Id }),
  output: AdminWithdrawalView,
});

export const withdrawalsReject = defineOperation({
  name: 'withdrawals.reject',
  summary: 'Reject a withdrawal with a reason; the hold is released',
  access: 'admin.ledger',
  mutates: true,
  http: { method: 'POST', path: '/admin/withdrawals/reject' },
  input: Obj({ id: Id, reason: Type.String({ minLength: 1, maxLength: 500 }) }),
  output: AdminWithdrawalView,
});

export const withdrawalsSetHotWallet = defineOperation({
  name: 'withdrawals.setHotWallet',
  summary: "Set a chain's hot wallet key (kept only in the secret store)",
  description:
    "Either `privateKey` (64 hex characters) or a BIP-39 `mnemonic` with an optional `path` (default m/44'/60'/1'/0/0). The key goes to the secret store only; the answer is the derived address, never the key. The chain must be configured first. Resets the local nonce count, which restarts from the node's.",
  access: 'admin.system',
  mutates: true,
  sessionOnly: true,
  http: { method: 'POST', path: '/admin/withdrawals/hot-wallet' },
  input: Obj({
    chainId: ChainId,
    privateKey: Type.Optional(Type.String({ minLength: 64, maxLength: 66 })),
    mnemonic: Type.Optional(Type.String({ minLength: 20, maxLength: 400 })),
    path: Type.Optional(Type.String({ pattern: "^m/44'/60'/[0-9]+'/[0-9]+/[0-9]+$" })),
  }),
  output: Obj({ chainId: ChainId, address: Type.String() }),
});

export const withdrawalsOperations = [
  withdrawalAddressesList,
  withdrawalAddressesAdd,
  withdrawalAddressesRemove,
  withdrawalsAssets,
  withdrawalsRequest,
  withdrawalsList,
  withdrawalsCancel,
  withdrawalsPending,
  withdrawalsApprove,
  withdrawalsReject,
  withdrawalsSetHotWallet,
] as const;
