import { Type, type TSchema } from '@sinclair/typebox';
import { Decimal, Obj, Page, PositiveDecimal, TimestampMs } from './common';
import { defineOperation } from './define';
import { AlertIntentSchema } from './automation-intent';

export * from './automation-intent';

/**
 * TradingView automation: the webhook log, risk settings, calendar imports for news
 * lockouts, the emergency stop and test alerts. The webhook receiver itself is a door of its
 * own (`POST /hooks/tv/{token}`, `POST /api/unify/v1/webhook/{broker}`): its bodies read as an
 * `AlertIntentSchema` (automation-intent.ts), documented in OpenAPI beside the operations.
 */

const Lit = <T extends string>(values: readonly T[]) =>
  Type.Union(values.map((v) => Type.Literal(v)));
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const WEBHOOK_STATUSES = ['accepted', 'rejected', 'duplicate', 'failed'] as const;
/** TradingView's published webhook source addresses. */
export const TRADINGVIEW_IPS = ['52.89.214.238', '34.212.75.30', '54.218.53.128', '52.32.178.7'];

const AccountRef = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' });
/** HH:MM, 00:00–23:59, and 24:00 (a window's end at midnight). */
const Clock = Type.String({
  pattern: '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$',
  examples: ['09:30'],
});

export const BracketView = Obj({
  price: Type.Optional(Decimal),
  percent: Type.Optional(Decimal),
  amount: Type.Optional(Decimal),
  pips: Type.Optional(Decimal),
});

/**
 * The intent as the log and the answer show it: `AlertIntentSchema` after units are resolved
 * on the market (lots → qty, pips → amount), so its numbers are not bounded like the door's.
 */
export const AlertIntentView = Obj({
  ...AlertIntentSchema.properties,
  qty: Type.Optional(Decimal),
  lots: Type.Optional(Decimal),
  price: Type.Optional(Decimal),
  stopPrice: Type.Optional(Decimal),
  takeProfit: Type.Optional(BracketView),
  stopLoss: Type.Optional(BracketView),
  leverage: Type.Optional(Decimal),
});

export const RiskDecisionView = Obj({
  rule: Type.String(),
  passed: Type.Boolean(),
  message: Type.String(),
});

/** An order the alert produced on its venue, as the venue reported it. */
export const AutomationOrderView = Obj({
  orderId: Type.String(),
  symbol: Type.String(),
  side: Type.String(),
  type: Type.String(),
  qty: Nullable(Decimal),
  status: Type.String(),
  filledQty: Nullable(Decimal),
  avgPrice: Nullable(Decimal),
  realisedPnl: Type.Optional(Nullable(Decimal)),
  /** The alert's entry, or a take-profit / stop-loss exit attached to it (local exchange). */
  role: Type.Optional(Lit(['entry', 'take_profit', 'stop_loss'] as const)),
  /** The order's limit or stop price, when the venue says it. */
  price: Type.Optional(Nullable(Decimal)),
  /** Why this order was refused while the entry stood (status `rejected`). */
  note: Type.Optional(Type.String()),
});

export const WebhookLogSummary = Obj({
  id: Type.Integer(),
  accountId: Nullable(Type.String()),
  route: Type.String(),
  status: Lit(WEBHOOK_STATUSES),
  httpStatus: Type.Integer(),
  format: Nullable(Type.String()),
  symbol: Nullable(Type.String()),
  alertId: Nullable(Type.String()),
  errorCode: Nullable(Type.String()),
  errorMessage: Nullable(Type.String()),
  ordersPlaced: Type.Integer(),
  /**
   * Take-profit / stop-loss exits placed with the alert's entry, counted apart from
   * `ordersPlaced` (the daily order limit counts entries and exits of positions only).
   */
  exitsPlaced: Type.Integer({ minimum: 0 }),
  latencyMs: Type.Number({
    description: 'receipt to answer, milliseconds (microsecond precision)',
  }),
  tsReceived: TimestampMs,
});

export const WebhookLogDetail = Obj({
  ...WebhookLogSummary.properties,
  remoteIp: Nullable(Type.String()),
  contentType: Nullable(Type.String()),
  rawBody: Type.String({ description: 'as received, secrets masked' }),
  intent: Nullable(AlertIntentView),
  decisions: Type.Array(RiskDecisionView),
  orders: Type.Array(AutomationOrderView),
  duplicateOf: Nullable(Type.Integer()),
  correlationId: Nullable(Type.String()),
});

const Window = Obj({
  days: Type.Array(Type.Integer({ minimum: 0, maximum: 6 }), { minItems: 1, maxItems: 7 }),
  start: Clock,
  end: Clock,
});

export const RiskSettingsView = Obj({
  enabled: Type.Boolean(),
  allowedSymbols: Type.Array(Type.String({ maxLength: 40 }), { maxItems: 200 }),
  maxOrderQty: Type.Record(Type.String(), PositiveDecimal),
  maxPositionQty: Type.Record(Type.String(), PositiveDecimal),
  maxDailyLoss: Nullable(PositiveDecimal),
  /** Entries stop once the day's P&L reaches it (prop-firm rule); optional for older clients. */
  dailyProfitTarget: Type.Optional(Nullable(PositiveDecimal)),
  sessionReset: Clock,
  timeZone: Type.String({ minLength: 1, maxLength: 64, examples: ['Europe/Berlin'] }),
  maxTradesPerDay: Nullable(Type.Integer({ minimum: 0 })),
  maxOrdersPerDay: Nullable(Type.Integer({ minimum: 0 })),
  tradingHours: Type.Array(Window, { maxItems: 20 }),
  newsLockout: Nullable(
    Obj({
      beforeMinutes: Type.Integer({ minimum: 0, maximum: 1440 }),
      afterMinutes: Type.Integer({ minimum: 0, maximum: 1440 }),
    }),
  ),
  cooldown: Nullable(
    Obj({
      afterLosses: Type.Integer({ minimum: 1, maximum: 100 }),
      minutes: Type.Integer({ minimum: 1, maximum: 10080 }),
    }),
  ),
  defaultQty: Nullable(PositiveDecimal),
});

export const ReceiverSettingsView = Obj({
  tvAllowlist: Type.Boolean({ description: "accept only TradingView's published addresses" }),
  trustedProxy: Nullable(
    Type.String({ maxLength: 64, description: 'honour X-Forwarded-For only from this address' }),
  ),
  dedupeWindowSec: Type.Integer({ minimum: 1, maximum: 86_400 }),
});

export const EmergencyStateView = Obj({
  accountId: Type.String({ description: '`*` = every account of the user' }),
  active: Type.Boolean(),
  reason: Nullable(Type.String()),
  tsStopped: TimestampMs,
  tsRearmed: Nullable(TimestampMs),
  summary: Type.Unknown(),
});

export const WebhookAnswer = Obj({
  success: Type.Boolean({
    description: 'TradeFlow unify.v1: true when the alert was executed (or was a duplicate)',
  }),
  orderId: Nullable(
    Type.String({ description: 'TradeFlow unify.v1: the first order placed, null when none' }),
  ),
  status: Lit(WEBHOOK_STATUSES),
  logId: Type.Integer(),
  message: Type.String(),
  intent: Type.Optional(AlertIntentView),
  decisions: Type.Optional(Type.Array(RiskDecisionView)),
  orders: Type.Optional(Type.Array(AutomationOrderView)),
  duplicateOf: Type.Optional(Type.Integer()),
});

export const automationLogList = defineOperation({
  name: 'automation.log.list',
  summary: 'Webhook requests, newest first, with filters',
  access: 'automation.manage',
  http: { method: 'GET', path: '/automation/log' },
  input: Obj({
    accountId: Type.Optional(AccountRef),
    status: Type.Optional(Lit(WEBHOOK_STATUSES)),
    format: Type.Optional(Type.String({ maxLength: 20 })),
    symbol: Type.Optional(Type.String({ maxLength: 40 })),
    since: Type.Optional(TimestampMs),
    until: Type.Optional(TimestampMs),
    cursor: Type.Optional(Type.String({ maxLength: 20, pattern: '^[0-9]+$' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  }),
  output: Page(WebhookLogSummary),
});

export const automationLogGet = defineOperation({
  name: 'automation.log.get',
  summary: 'One webhook request with its masked body, intent, decisions and orders',
  access: 'automation.manage',
  http: { method: 'GET', path: '/automation/log/:id' },
  input: Obj({ id: Type.Integer({ minimum: 1 }) }),
  output: WebhookLogDetail,
});

export const automationRiskGet = defineOperation({
  name: 'automation.risk.get',
  summary: "An account's risk settings (or the user-wide ones without accountId)",
  access: 'automation.manage',
  http: { method: 'GET', path: '/automation/risk' },
  input: Obj({ accountId: Type.Optional(AccountRef) }),
  output: Obj({ accountId: Type.String(), settings: RiskSettingsView, stored: Type.Boolean() }),
});

export const automationRiskSet = defineOperation({
  name: 'automation.risk.set',
  summary: 'Replace risk settings of an account (or the user-wide ones)',
  access: 'automation.manage',
  mutates: true,
  http: { method: 'PUT', path: '/automation/risk' },
  input: Obj({ accountId: Type.Optional(AccountRef), settings: RiskSettingsView }),
  output: Obj({ accountId: Type.String(), settings: RiskSettingsView, stored: Type.Boolean() }),
});

export const automationReceiverGet = defineOperation({
  name: 'automation.receiver.get',
  summary: 'Webhook receiver options and the URLs to paste into TradingView',
  access: 'automation.manage',
  http: { method: 'GET', path: '/automation/receiver' },
  input: Obj({}),
  output: Obj({
    settings: ReceiverSettingsView,
    listenHost: Type.String(),
    localBaseUrl: Type.String(),
    tradingViewIps: Type.Array(Type.String()),
    maxBodyBytes: Type.Integer(),
  }),
});

export const automationReceiverSet = defineOperation({
  name: 'automation.receiver.set',
  summary: 'Change the receiver options (allowlist, trusted proxy, dedupe window)',
  access: 'automation.manage',
  mutates: true,
  http: { method: 'PUT', path: '/automation/receiver' },
  input: ReceiverSettingsView,
  output: ReceiverSettingsView,
});

export const automationCalendarImport = defineOperation({
  name: 'automation.calendar.import',
  summary: 'Import economic-calendar events (CSV or iCalendar) for news lockouts',
  access: 'automation.manage',
  mutates: true,
  input: Obj({
    content: Type.String({ minLength: 1, maxLength: 2_000_000 }),
    timeZone: Type.String({ default: 'UTC', minLength: 1, maxLength: 64 }),
    replace: Type.Optional(Type.Boolean({ description: 'drop previously imported events first' })),
    source: Type.Optional(Type.String({ maxLength: 100 })),
  }),
  output: Obj({ imported: Type.Integer(), total: Type.Integer() }),
  http: { method: 'POST', path: '/automation/calendar/import', bodyLimit: 4 * 1024 * 1024 },
});

export const automationCalendarList = defineOperation({
  name: 'automation.calendar.list',
  summary: 'Imported calendar events in a time range',
  access: 'automation.manage',
  http: { method: 'GET', path: '/automation/calendar' },
  input: Obj({
    from: Type.Optional(TimestampMs),
    to: Type.Optional(TimestampMs),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 200 })),
  }),
  output: Obj({
    items: Type.Array(
      Obj({
        id: Type.Integer(),
        ts: TimestampMs,
        title: Type.String(),
        currency: Nullable(Type.String()),
      }),
    ),
  }),
});

export const automationEmergencyStop = defineOperation({
  name: 'automation.emergencyStop',
  summary: 'Cancel all open orders, close all positions and block automation until re-armed',
  description:
    'Without accountId it acts on every account of the user. Automated orders stay blocked until automation.rearm.',
  access: 'automation.manage',
  mutates: true,
  input: Obj({
    accountId: Type.Optional(AccountRef),
    reason: Type.Optional(Type.String({ maxLength: 200 })),
  }),
  output: Obj({
    state: EmergencyStateView,
    accounts: Type.Array(
      Obj({
        accountId: Type.String(),
        cancelled: Type.Integer(),
        closed: Type.Integer(),
        error: Type.Optional(Type.String()),
      }),
    ),
  }),
});

export const automationRearm = defineOperation({
  name: 'automation.rearm',
  summary: 'Re-arm automation after an emergency stop',
  access: 'automation.manage',
  mutates: true,
  input: Obj({ accountId: Type.Optional(AccountRef) }),
  output: Obj({ rearmed: Type.Integer() }),
});

export const automationStatus = defineOperation({
  name: 'automation.status',
  summary: "Emergency-stop state and today's automated trade counts",
  access: 'automation.manage',
  http: { method: 'GET', path: '/automation/status' },
  input: Obj({}),
  output: Obj({
    stopped: Type.Boolean({ description: 'true when any stop is active' }),
    stops: Type.Array(EmergencyStateView),
    today: Obj({ alerts: Type.Integer(), orders: Type.Integer(), trades: Type.Integer() }),
    total: Obj({ alerts: Type.Integer(), orders: Type.Integer(), trades: Type.Integer() }),
  }),
});

export const automationTestAlert = defineOperation({
  name: 'automation.testAlert',
  summary: "Send an alert body through the webhook pipeline for one of the user's accounts",
  access: 'automation.manage',
  mutates: true,
  input: Obj({
    accountId: AccountRef,
    body: Type.String({ minLength: 1, maxLength: 16 * 1024 }),
  }),
  output: WebhookAnswer,
});

export const automationAccountsList = defineOperation({
  name: 'automation.accounts.list',
  summary: "The user's trading accounts as automation sees them (venue, state, emergency stop)",
  access: 'automation.manage',
  http: { method: 'GET', path: '/automation/accounts' },
  input: Obj({}),
  output: Obj({
    items: Type.Array(
      Obj({
        id: Type.String(),
        name: Type.String(),
        venue: Type.String(),
        enabled: Type.Boolean(),
        stopped: Type.Boolean(),
        riskSettingsStored: Type.Boolean(),
      }),
    ),
  }),
});

export const WebhookRefusalView = Obj({
  hour: TimestampMs,
  address: Type.String({ description: 'client address; IPv6 as its /64' }),
  count: Type.Integer(),
  bytes: Type.Integer({ description: 'body bytes received in total (bodies are not kept)' }),
  lastCode: Type.String(),
  tokenHint: Nullable(
    Type.String({ description: 'first 8 hex digits of SHA-256 of the last token tried' }),
  ),
  tsFirst: TimestampMs,
  tsLast: TimestampMs,
});

export const automationRefusalsList = defineOperation({
  name: 'automation.refusals.list',
  summary: 'Webhook deliveries refused for want of a known token, counted per address and hour',
  description:
    'Such deliveries are counted, never stored with their bodies. `rateLimitedSinceStart` counts 429 answers since the backend started.',
  access: 'admin.system',
  http: { method: 'GET', path: '/automation/refusals' },
  input: Obj({
    since: Type.Optional(TimestampMs),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  }),
  output: Obj({
    items: Type.Array(WebhookRefusalView),
    totals: Obj({ deliveries: Type.Integer(), addresses: Type.Integer() }),
    rateLimitedSinceStart: Type.Integer(),
    retention: Obj({ days: Type.Integer(), maxRows: Type.Integer() }),
  }),
});

export const automationOperations = [
  automationAccountsList,
  automationLogList,
  automationLogGet,
  automationRiskGet,
  automationRiskSet,
  automationReceiverGet,
  automationReceiverSet,
  automationCalendarImport,
  automationCalendarList,
  automationEmergencyStop,
  automationRearm,
  automationStatus,
  automationTestAlert,
  automationRefusalsList,
] as const;
