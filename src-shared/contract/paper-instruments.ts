import { Type, type TSchema } from '@sinclair/typebox';
import { Decimal, Obj, PositiveDecimal, TimestampMs } from './common';
import { defineOperation } from './define';

/**
 * Futures and CFDs on the paper broker: their specifications, listed with the local
 * markets (traded as `spot-cfd`), and the admin's editor. Words as the backtester uses them.
 */

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Lit = <T extends string>(values: readonly T[]) =>
  Type.Union(values.map((v) => Type.Literal(v)));
const Ppm = Type.Integer({ minimum: 0, maximum: 1_000_000 });
const NonNegative = Type.String({ pattern: '^(0|[1-9][0-9]*)(\\.[0-9]+)?$', maxLength: 40 });

/** One instrument as an admin writes it. */
export const InstrumentSpecInput = Obj({
  symbol: Type.String({ minLength: 2, maxLength: 20, pattern: '^[A-Z0-9][A-Z0-9._-]+$' }),
  kind: Lit(['future', 'cfd'] as const),
  description: Type.String({ maxLength: 120 }),
  quoteAsset: Type.String({ minLength: 1, maxLength: 12 }),
  priceSource: Type.String({ minLength: 3, maxLength: 24, description: 'BTC/USDT or index:SPX' }),
  tickSize: PositiveDecimal,
  lotSize: PositiveDecimal,
  minQty: PositiveDecimal,
  maxQty: PositiveDecimal,
  multiplier: PositiveDecimal,
  initialMargin: NonNegative,
  maintenanceMargin: NonNegative,
  initialMarginPpm: Ppm,
  maintenanceMarginPpm: Ppm,
  commissionPerContract: NonNegative,
  commissionPpm: Type.Integer({ minimum: 0, maximum: 100_000 }),
  spreadPpm: Type.Integer({ minimum: 0, maximum: 100_000 }),
  financingRatePpm: Type.Integer({ minimum: -100_000, maximum: 100_000 }),
  financingIntervalHours: Type.Integer({ minimum: 1, maximum: 168 }),
  status: Lit(['trading', 'halted'] as const),
});

/**
 * A market the paper broker trades: a local market (`spot-cfd`) or an instrument. An
 * instrument's fields are its stored spec (what `admin.paper.instruments.save` takes back)
 * plus its prices now.
 */
export const PaperInstrumentView = Obj({
  symbol: Type.String(),
  kind: Lit(['spot-cfd', 'future', 'cfd'] as const),
  description: Type.String(),
  quoteAsset: Type.String(),
  priceSource: Type.String(),
  tickSize: Decimal,
  lotSize: Decimal,
  minQty: Decimal,
  maxQty: Nullable(Decimal),
  /** 1 for spot-cfd: one unit of the base. */
  multiplier: Decimal,
  /** Futures, per contract (a CFD's are 0, unused); null for spot-cfd. */
  initialMargin: Nullable(Decimal),
  maintenanceMargin: Nullable(Decimal),
  /** CFDs, ppm of the notional (a future's are 0, unused); null for spot-cfd. */
  initialMarginPpm: Nullable(Type.Integer()),
  maintenanceMarginPpm: Nullable(Type.Integer()),
  /** Spot-cfd markets charge the paper account's commission and spread: null here. */
  commissionPerContract: Nullable(Decimal),
  commissionPpm: Nullable(Type.Integer()),
  spreadPpm: Nullable(Type.Integer()),
  financingRatePpm: Type.Integer(),
  financingIntervalHours: Nullable(Type.Integer()),
  /** Next financing time (null without financing). */
  nextFinancingAt: Nullable(TimestampMs),
  status: Type.String(),
  /** The price source's level now (book mid or simulated index), null without a price. */
  indexPrice: Nullable(Decimal),
  bid: Nullable(Decimal),
  ask: Nullable(Decimal),
  /** The backtester's `assumptions.instrument` for the same terms (a future), or null. */
  backtestInstrument: Nullable(
    Obj({
      kind: Type.Literal('future'),
      multiplier: Type.Number(),
      initialMargin: Type.Number(),
      commissionPerContract: Type.Number(),
    }),
  ),
});

export const paperInstrumentsList = defineOperation({
  name: 'paper.instruments.list',
  summary:
    'Markets the paper broker trades with their specifications: local markets as spot-cfd, futures and CFDs',
  access: 'market.read',
  http: { method: 'GET', path: '/paper/instruments' },
  input: Obj({}),
  output: Obj({ items: Type.Array(PaperInstrumentView) }),
});

export const adminPaperInstrumentsSave = defineOperation({
  name: 'admin.paper.instruments.save',
  summary: 'Add or change a paper future or CFD (validated; open positions keep their margin)',
  access: 'admin.markets',
  mutates: true,
  http: { method: 'PUT', path: '/admin/paper/instruments/:symbol' },
  input: InstrumentSpecInput,
  output: PaperInstrumentView,
});

export const paperInstrumentsOperations = [
  paperInstrumentsList,
  adminPaperInstrumentsSave,
] as const;
