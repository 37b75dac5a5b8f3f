import { Type, type Static } from '@sinclair/typebox';
import { Obj } from './common';
import { ORDER_SIDES } from './exchange';

/**
 * The webhook door's schemas: the intent every alert body reads as, whatever its format, and
 * the bodies the receiver documents in OpenAPI. The format readers (src-main/domain/automation)
 * turn a body into an intent; `AlertIntentSchema` is what that intent must satisfy before the
 * pipeline sees it, checked by the same validator as every other door's input.
 */

const Lit = <T extends string>(values: readonly T[]) =>
  Type.Union(values.map((v) => Type.Literal(v)));

/** The alert formats the webhook receiver understands. */
export const ALERT_FORMAT_NAMES = ['unify', 'traderspost', 'pineconnector', 'keyvalue'] as const;
/** Largest webhook body accepted, in bytes. */
export const WEBHOOK_MAX_BYTES = 16 * 1024;

/**
 * A positive decimal as the readers write it (canonical: no exponent, no sign). Bounded to 20
 * digits either side of the point: an alert may write `1e40`, which no market can trade.
 */
export const AlertDecimal = Type.String({
  pattern: '^(0|[1-9][0-9]{0,19})(\\.[0-9]{0,19}[1-9])?$',
  not: { const: '0' },
  description: 'Positive decimal as a string, at most 20 digits before and after the point',
  examples: ['0.01'],
});

/** A symbol as the alert wrote it (`BINANCE:BTCUSDT`, `BTC/USDT`); resolved to a market later. */
export const AlertSymbol = Type.String({
  pattern: '^[A-Za-z0-9][A-Za-z0-9._:/!-]{0,39}$',
  examples: ['BTCUSDT'],
});

/**
 * A take-profit or stop-loss level: an absolute price, or a distance from the entry in percent,
 * in price units or in pips (PineConnector's default). Exactly one of them.
 */
export const AlertBracketSchema = Type.Object(
  {
    price: Type.Optional(AlertDecimal),
    percent: Type.Optional(AlertDecimal),
    amount: Type.Optional(AlertDecimal),
    pips: Type.Optional(AlertDecimal),
    /** A stop-loss that trails the best price this many percent behind it. */
    trailPercent: Type.Optional(AlertDecimal),
    /** A stop-loss that trails the best price this far behind it, in price units. */
    trailAmount: Type.Optional(AlertDecimal),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    maxProperties: 1,
    description:
      'Exactly one of price, percent, amount (price units) or pips, or for a stop-loss trailPercent or trailAmount (price units)',
  },
);

/**
 * What an alert asks for, whatever format it came in.
 * - `entry`: open or add to a position (`side`, `type`, optional `qty` or `lots`).
 * - `exit`: close the position on `symbol` (`exitSide`: long, short or both), fully or `qty`.
 * - `cancel`: cancel open orders on `symbol`.
 */
export const AlertIntentSchema = Obj(
  {
    format: Lit(ALERT_FORMAT_NAMES),
    action: Lit(['entry', 'exit', 'cancel'] as const),
    symbol: AlertSymbol,
    side: Type.Optional(Lit(ORDER_SIDES)),
    exitSide: Type.Optional(Lit(['long', 'short', 'both'] as const)),
    /**
     * An exit that also cancels the open orders on `symbol` that would open the position
     * again (TradersPost's exit cancels the ticker's open orders, then flattens). The
     * position's own take-profit / stop-loss stay with the exit's handling.
     */
    cancelOrders: Type.Optional(Type.Boolean()),
    type: Lit(['market', 'limit', 'stop_market', 'stop_limit'] as const),
    qty: Type.Optional(AlertDecimal),
    lots: Type.Optional(AlertDecimal),
    price: Type.Optional(AlertDecimal),
    stopPrice: Type.Optional(AlertDecimal),
    /**
     * A trailing stop entry (`type` stop_market): the stop follows the best price this many
     * percent behind it; `stopPrice` is then optional (an activation price).
     */
    trailPercent: Type.Optional(AlertDecimal),
    /** The same with the distance in price units (`trailPercent` or this, not both). */
    trailAmount: Type.Optional(AlertDecimal),
    takeProfit: Type.Optional(AlertBracketSchema),
    stopLoss: Type.Optional(AlertBracketSchema),
    leverage: Type.Optional(AlertDecimal),
    alertId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    comment: Type.Optional(Type.String({ maxLength: 200 })),
    broker: Type.Optional(Type.String({ pattern: '^[a-z0-9_.-]{1,40}$' })),
    /** Another of the token owner's accounts to act on, by id or name. */
    account: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  'The intent an alert body reads as, before units (lots, pips) are resolved on its market',
);

/** What an alert asks for: the validated intent the pipeline takes. */
export type AlertIntent = Static<typeof AlertIntentSchema>;
export type AlertBracket = Static<typeof AlertBracketSchema>;
export type AlertFormat = AlertIntent['format'];

const Secret = Type.String({ maxLength: 200, description: 'the webhook token (or passphrase)' });
const Loose = (description: string) => Type.Unknown({ description });

/** Bourse's own JSON body (TradeFlow `unify.v1`): a version, the intent, an id, the token. */
export const UnifyAlertBody = Obj(
  {
    version: Type.Literal('unify.v1'),
    id: Type.Optional(Type.String({ maxLength: 64 })),
    alertId: Type.Optional(Type.String({ maxLength: 64 })),
    token: Type.Optional(Secret),
    passphrase: Type.Optional(Secret),
    intent: Obj({
      action: Type.Optional(Lit(['entry', 'exit', 'cancel'] as const)),
      side: Type.Optional(Lit(['buy', 'sell', 'long', 'short', 'both'] as const)),
      type: Type.Optional(Type.String({ examples: ['market', 'limit', 'stop', 'stop_limit'] })),
      symbol: AlertSymbol,
      qty: Type.Optional(Loose('decimal, as a JSON number or text')),
      price: Type.Optional(Loose('limit price')),
      stopPrice: Type.Optional(Loose('stop trigger')),
      takeProfit: Type.Optional(Loose('a price, or {price|percent|amount}')),
      stopLoss: Type.Optional(Loose('a price, or {price|percent|amount}')),
      leverage: Type.Optional(Loose('decimal')),
      comment: Type.Optional(Type.String({ maxLength: 200 })),
      broker: Type.Optional(Type.String({ maxLength: 40 })),
    }),
  },
  'unify.v1: {"version":"unify.v1","intent":{"side":"buy","type":"market","symbol":"BTC/USDT","qty":"0.01"}}',
);

/** The TradersPost-style JSON signal (its field names, read as TradersPost means them). */
export const TradersPostAlertBody = Obj(
  {
    ticker: AlertSymbol,
    action: Lit(['buy', 'sell', 'exit', 'cancel', 'add'] as const),
    sentiment: Type.Optional(Lit(['bullish', 'bearish', 'flat', 'long', 'short'] as const)),
    orderType: Type.Optional(Type.String()),
    quantity: Type.Optional(Loose('decimal, as a JSON number or text')),
    quantityType: Type.Optional(Type.String()),
    limitPrice: Type.Optional(Loose('limit price')),
    stopPrice: Type.Optional(Loose('stop trigger')),
    takeProfit: Type.Optional(Loose('a price, or {limitPrice|percent|amount}')),
    stopLoss: Type.Optional(Loose('a price, or {stopPrice|percent|amount}')),
    price: Type.Optional(Loose('signal price (informational)')),
    signalPrice: Type.Optional(Loose('signal price (informational)')),
    time: Type.Optional(Loose('informational')),
    timestamp: Type.Optional(Loose('informational')),
    interval: Type.Optional(Loose('informational')),
    id: Type.Optional(Type.String({ maxLength: 64 })),
    alertId: Type.Optional(Type.String({ maxLength: 64 })),
    comment: Type.Optional(Type.String({ maxLength: 200 })),
    token: Type.Optional(Secret),
    passphrase: Type.Optional(Secret),
    extras: Type.Optional(Loose('ignored')),
  },
  'TradersPost: {"ticker":"BTCUSDT","action":"buy","quantity":0.1}',
);

/** A JSON alert body: either format, told apart by `version`/`intent` or `ticker`/`action`. */
export const WebhookJsonBody = Type.Union([UnifyAlertBody, TradersPostAlertBody]);

/** A text alert body: a PineConnector line or KEY=VALUE lines (Bourse's keys or OctoBot's). */
export const WebhookTextBody = Type.String({
  maxLength: WEBHOOK_MAX_BYTES,
  description:
    'A PineConnector line (`LicenseID,buy,EURUSD,risk=1,sl=50`) or KEY=VALUE lines: ' +
    "Bourse's keys (`action=buy`, `symbol=BTCUSDT`, `qty=0.1`, `token=…`) or OctoBot's " +
    '(`SIGNAL=BUY`, `SYMBOL=BTCUSDT`, `VOLUME=0.1`). A JSON text is read as JSON.',
  examples: ['action=buy\nsymbol=BTCUSDT\nqty=0.01'],
});
