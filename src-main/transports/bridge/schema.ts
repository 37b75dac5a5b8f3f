import { Type, type Static } from '@sinclair/typebox';

/**
 * The wire schemas of the MetaTrader bridge (v1), the door the Bourse Bridge EA calls. Strict:
 * every object refuses unknown fields, every amount is a decimal string (the EA formats its
 * doubles with `DoubleToString` at the symbol's digits), tickets are digit strings.
 */

const Dec = Type.String({ pattern: '^-?[0-9]{1,20}(\\.[0-9]{1,12})?$', maxLength: 40 });
const DecOrNull = Type.Union([Dec, Type.Null()]);
const Ticket = Type.String({ pattern: '^[0-9]{1,20}$' });
const SymbolName = Type.String({ minLength: 1, maxLength: 64 });
const Text = (max: number) => Type.String({ maxLength: max });
const Side = Type.Union([Type.Literal('buy'), Type.Literal('sell')]);
const Seconds = Type.Integer({ minimum: 0, maximum: 32_503_680_000 });
const Magic = Type.Integer({ minimum: 0, maximum: 9_007_199_254_740_991 });
const strict = { additionalProperties: false } as const;

const Position = Type.Object(
  {
    ticket: Ticket,
    symbol: SymbolName,
    side: Side,
    volume: Dec,
    openPrice: Dec,
    sl: DecOrNull,
    tp: DecOrNull,
    profit: Dec,
    // Optional: EAs before 1.1 do not send it.
    priceCurrent: Type.Optional(Dec),
    comment: Text(64),
    magic: Magic,
    openTime: Seconds,
  },
  strict,
);

const Order = Type.Object(
  {
    ticket: Ticket,
    symbol: SymbolName,
    side: Side,
    type: Type.Union([Type.Literal('limit'), Type.Literal('stop'), Type.Literal('stop_limit')]),
    volume: Dec,
    price: Dec,
    stopPrice: DecOrNull,
    sl: DecOrNull,
    tp: DecOrNull,
    comment: Text(64),
    magic: Magic,
    setupTime: Seconds,
  },
  strict,
);

const Deal = Type.Object(
  {
    ticket: Ticket,
    order: Ticket,
    positionId: Ticket,
    symbol: SymbolName,
    side: Side,
    volume: Dec,
    price: Dec,
    entry: Type.Union([Type.Literal('in'), Type.Literal('out'), Type.Literal('inout')]),
    comment: Text(64),
    time: Seconds,
  },
  strict,
);

const SymbolInfo = Type.Object(
  {
    name: SymbolName,
    digits: Type.Integer({ minimum: 0, maximum: 12 }),
    tickSize: Dec,
    tickValue: DecOrNull,
    volumeStep: Dec,
    volumeMin: Dec,
    contractSize: DecOrNull,
    forex: Type.Boolean(),
  },
  strict,
);

export const HeartbeatSchema = Type.Object(
  {
    ea: Type.Object(
      {
        version: Text(20),
        platform: Type.Union([Type.Literal('MT4'), Type.Literal('MT5')]),
        build: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
        heartbeatMs: Type.Integer({ minimum: 10, maximum: 600_000 }),
        pollMs: Type.Integer({ minimum: 10, maximum: 600_000 }),
      },
      strict,
    ),
    terminal: Type.Object(
      {
        company: Text(128),
        name: Text(128),
        connected: Type.Boolean(),
        tradeAllowed: Type.Boolean(),
        gmtTime: Seconds,
      },
      strict,
    ),
    account: Type.Object(
      {
        login: Type.String({ pattern: '^[0-9]{1,20}$' }),
        name: Text(128),
        server: Text(128),
        currency: Type.String({ minLength: 1, maxLength: 12 }),
        leverage: Type.Integer({ minimum: 0, maximum: 100_000 }),
        demo: Type.Boolean(),
        tradeAllowed: Type.Boolean(),
        balance: Dec,
        equity: Dec,
        margin: Dec,
        freeMargin: Dec,
      },
      strict,
    ),
    positions: Type.Array(Position, { maxItems: 1000 }),
    orders: Type.Array(Order, { maxItems: 1000 }),
    deals: Type.Optional(Type.Array(Deal, { maxItems: 1000 })),
    symbols: Type.Optional(Type.Array(SymbolInfo, { maxItems: 2000 })),
    state: Type.Optional(Type.Union([Type.Literal('running'), Type.Literal('stopping')])),
  },
  strict,
);
export type HeartbeatWire = Static<typeof HeartbeatSchema>;

/** The longest a poll may be held waiting for a command (ms): under WebRequest timeouts. */
export const POLL_WAIT_MAX_MS = 25_000;

export const ResultSchema = Type.Object(
  {
    ok: Type.Boolean(),
    retcode: Type.Integer({ minimum: -1_000_000, maximum: 1_000_000 }),
    message: Text(256),
    bridgeError: Type.Optional(
      Type.Union([
        Type.Literal('unknown_symbol'),
        Type.Literal('unknown_ticket'),
        Type.Literal('unsupported'),
        Type.Literal('bad_command'),
        Type.Literal('expired'),
      ]),
    ),
    ticket: Type.Optional(Ticket),
    status: Type.Optional(
      Type.Union([
        Type.Literal('open'),
        Type.Literal('filled'),
        Type.Literal('partially_filled'),
        Type.Literal('cancelled'),
      ]),
    ),
    volume: Type.Optional(Dec),
    filledVolume: Type.Optional(Dec),
    price: Type.Optional(Dec),
    count: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
    executedAt: Seconds,
  },
  strict,
);
export type ResultWire = Static<typeof ResultSchema>;

export const AckSchema = Type.Object(
  {
    results: Type.Array(
      Type.Object(
        { id: Type.String({ minLength: 1, maxLength: 64 }), result: ResultSchema },
        strict,
      ),
      { minItems: 1, maxItems: 50 },
    ),
  },
  strict,
);
export type AckWire = Static<typeof AckSchema>;

export const PollSchema = Type.Object(
  {
    max: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })),
    /**
     * Long-poll: when no command is ready, hold the answer until one is queued or this many
     * ms pass (0, the default: answer at once, as EAs before 1.1 expect).
     */
    waitMs: Type.Optional(Type.Integer({ minimum: 0, maximum: POLL_WAIT_MAX_MS })),
    /**
     * EA 1.2: the results of the commands it just ran, recorded before the next ones are
     * handed out, so a burst costs the EA one round trip per batch instead of an ack, a
     * heartbeat and a poll. Same shape and rules as `/ack`.
     */
    results: Type.Optional(AckSchema.properties.results),
    /**
     * EA 1.3: the heartbeat that shows what those results did (positions, orders, deals),
     * stored after them, so the poll that hands the results in can also be the next long-poll:
     * one round trip per burst instead of a results poll, a heartbeat and a new poll.
     */
    heartbeat: Type.Optional(HeartbeatSchema),
  },
  strict,
);
export type PollWire = Static<typeof PollSchema>;
