import { Type, type Static } from '@sinclair/typebox';
import { Obj, Page, TimestampMs } from './common';
import { defineOperation } from './define';

/**
 * Every action the audit trail records, with the label the admin panel shows. A new audited
 * action is added here first: the recorder only accepts these names, and the audit screen's
 * filter lists them.
 */
export const AUDIT_ACTIONS = {
  'session.login': 'Signed in',
  'session.revoke': 'Session revoked',
  'session.refresh_reuse': 'Refresh token reused (sessions revoked)',
  'twoFactor.enable': '2FA enabled',
  'twoFactor.disable': '2FA disabled',
  'twoFactor.recoveryCodes': 'Recovery codes regenerated',
  'twoFactor.failure': 'Wrong 2FA code',
  'account.password_change': 'Password changed',
  'account.reset_requested': 'Password reset requested',
  'account.password_reset': 'Password reset',
  'apiKey.create': 'API key created',
  'apiKey.update': 'API key changed',
  'apiKey.revoke': 'API key revoked',
  'user.create': 'User created',
  'user.ban': 'User banned',
  'user.unban': 'User unbanned',
  'user.setRole': 'Role changed',
  'user.endSessions': "User's sessions ended",
  'asset.create': 'Asset created',
  'market.create': 'Market created',
  'market.update': 'Market changed',
  'paperInstrument.save': 'Paper future/CFD added or changed',
  'ledger.fund': 'Balance funded',
  'ledger.correct': 'Balance corrected',
  'ledger.reconcile': 'Ledger reconciled',
  'ledger.demoTopUp': 'Demo funds taken',
  'funding.chainSet': 'Chain settings changed',
  'funding.assetSet': 'Asset funding settings changed',
  'funding.depositReversed': 'Credited deposit left the chain (frozen)',
  'funding.reconcile': 'Funding reconciled with the chain',
  'funding.depositResolve': 'Frozen deposit released or written off',
  'simulator.pause': 'Simulator paused',
  'simulator.resume': 'Simulator resumed',
  'simulator.tune': 'Simulator tuned',
  'simulator.replay': 'Simulator replay started',
  'job.trigger': 'Job run started',
  'tradingAccount.create': 'Trading account created',
  'tradingAccount.update': 'Trading account changed',
  'tradingAccount.token': 'Webhook token replaced',
  'tradingAccount.delete': 'Trading account deleted',
  'brokers.order': 'Order sent to a broker',
  'brokers.close': 'Position closed at a broker',
  'automation.risk': 'Risk settings changed',
  'automation.receiver': 'Webhook receiver changed',
  'automation.emergencyStop': 'Emergency stop',
  'automation.rearm': 'Automation re-armed',
  'bot.create': 'Bot created',
  'bot.start': 'Bot started',
  'bot.pause': 'Bot paused',
  'bot.stop': 'Bot stopped',
  'bot.delete': 'Bot deleted',
  'secrets.create': 'Secret store passphrase chosen',
  'secrets.unlock': 'Secret store unlocked',
  'secrets.unlockFailure': 'Wrong secret store passphrase',
  'withdrawal.addressAdd': 'Withdrawal address added',
  'withdrawal.addressRemove': 'Withdrawal address removed',
  'withdrawal.request': 'Withdrawal requested',
  'withdrawal.approve': 'Withdrawal approved',
  'withdrawal.reject': 'Withdrawal rejected',
  'withdrawal.cancel': 'Withdrawal cancelled',
  'withdrawal.sign': 'Withdrawal signed',
  'withdrawal.send': 'Withdrawal sent',
  'withdrawal.settle': 'Withdrawal settled',
  'withdrawal.fail': 'Withdrawal failed on chain',
  'withdrawal.hotWallet': 'Hot wallet key set',
} as const;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

export const AUDIT_ACTION_NAMES = Object.keys(AUDIT_ACTIONS) as AuditAction[];

export function isAuditAction(value: string): value is AuditAction {
  return Object.hasOwn(AUDIT_ACTIONS, value);
}

const UserRef = Type.String({ minLength: 1, maxLength: 64 });

export const AuditEventView = Obj({
  id: Type.Integer(),
  ts: TimestampMs,
  /** A user id, or `system` for the scheduler and start-up. */
  actor: Type.String(),
  /** The actor's e-mail when the actor is a user that still exists. */
  actorEmail: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  /** What was acted on: a user, session, API key, asset, market, job…; null when nothing. */
  target: Type.Union([Type.String(), Type.Null()]),
  /** The target's e-mail when the target is a user. */
  targetEmail: Type.Union([Type.String(), Type.Null()]),
  details: Type.Record(Type.String(), Type.Unknown()),
  /** Ties the event to the request's log lines. */
  correlationId: Type.Union([Type.String(), Type.Null()]),
});

/** One event of the trail as every door answers it (server, screen, export and tests). */
export type AuditEvent = Static<typeof AuditEventView>;

export const adminAuditList = defineOperation({
  name: 'admin.audit.list',
  summary: 'The audit trail, newest first',
  description:
    'Security- and money-relevant actions: sign-ins, sessions, 2FA, API keys, roles and bans, trading accounts and their webhook tokens, automation risk settings, receiver and emergency stops, assets and markets, ledger funding, corrections and reconciliations, simulator and job controls. Filters combine; `cursor` is the `nextCursor` of the previous page. The trail is append-only: no operation edits or deletes it.',
  access: 'audit.read',
  http: { method: 'GET', path: '/admin/audit' },
  input: Obj({
    action: Type.Optional(Type.Union(AUDIT_ACTION_NAMES.map((a) => Type.Literal(a)))),
    /** A user id: what that user did. */
    actor: Type.Optional(UserRef),
    /** What happened to one user, key, market… (its id or symbol). */
    target: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    /** Only events before this time (ms). */
    until: Type.Optional(TimestampMs),
    cursor: Type.Optional(Type.String({ maxLength: 20, pattern: '^[0-9]+$' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  }),
  output: Page(AuditEventView),
});

export const auditOperations = [adminAuditList] as const;
