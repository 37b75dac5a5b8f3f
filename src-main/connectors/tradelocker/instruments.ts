import type { BrokerInstrument } from '../broker/port';
import { BrokerError } from '../broker/errors';
import { ROUTES } from './config';
import { VENUE, type TradelockerSession } from './session';
import { decimalCell } from './wire';

/** An entry of `/trade/accounts/{accountId}/instruments`. */
export interface TlInstrument {
  tradableInstrumentId: string;
  name: string;
  type: string;
  tradeRoute: string | null;
  infoRoutes: string[];
}

/** The parts of `/trade/instruments/{id}` (instrument details) the connector reads. */
export interface TlDetails {
  lotSize?: unknown;
  lotStep?: unknown;
  minLot?: unknown;
  maxLot?: unknown;
  tickSize?: unknown;
  tickCost?: unknown;
  baseCurrency?: unknown;
  quotingCurrency?: unknown;
}

/** What Bourse assumes when the details leave a rule out: the SDK's hard-coded 0.01 lot. */
export const DEFAULT_LOT_STEP = '0.01';

/**
 * The account's instrument list with its routes, instrument details and the INFO route that
 * works. Cached for the connector's life: TradeLocker's list changes rarely, and the SDK
 * caches it for a day. An unknown symbol re-reads the list once.
 */
export class InstrumentCatalog {
  private list: TlInstrument[] | null = null;
  private loading: Promise<TlInstrument[]> | null = null;
  private details = new Map<string, Promise<TlDetails>>();
  private infoRoutes = new Map<string, Promise<string>>();

  constructor(private readonly session: TradelockerSession) {}

  async all(fresh = false): Promise<TlInstrument[]> {
    if (this.list && !fresh) return this.list;
    this.loading ??= this.load().finally(() => (this.loading = null));
    return (this.list = await this.loading);
  }

  private async load(): Promise<TlInstrument[]> {
    const account = await this.session.account();
    const d = await this.session.trade<{ instruments?: Array<Record<string, unknown>> }>({
      method: 'GET',
      path: `/trade/accounts/${account.id}/instruments`,
      route: ROUTES.instruments,
      mutating: false,
    });
    return (d.instruments ?? []).map((i) => {
      const routes = Array.isArray(i.routes)
        ? (i.routes as Array<{ id: unknown; type: unknown }>)
        : [];
      const of = (type: string) => routes.filter((r) => r.type === type).map((r) => String(r.id));
      return {
        tradableInstrumentId: String(i.tradableInstrumentId),
        name: String(i.name),
        type: typeof i.type === 'string' ? i.type : '',
        tradeRoute: of('TRADE')[0] ?? null,
        infoRoutes: of('INFO'),
      };
    });
  }

  /** The cached name of an instrument id (the id itself when it is not in the list). */
  nameOf(tradableInstrumentId: string): string {
    return (
      this.list?.find((i) => i.tradableInstrumentId === tradableInstrumentId)?.name ??
      tradableInstrumentId
    );
  }

  /** The instrument a symbol (name or tradableInstrumentId) names; `invalid` when none. */
  async bySymbol(symbol: string): Promise<TlInstrument> {
    const find = (list: TlInstrument[]) =>
      list.find((i) => i.name === symbol) ?? list.find((i) => i.tradableInstrumentId === symbol);
    const hit = find(await this.all()) ?? find(await this.all(true));
    if (!hit) throw new BrokerError('invalid', VENUE, `unknown instrument ${symbol}`);
    return hit;
  }

  /**
   * The INFO route for quotes and details. Some logins have several INFO routes and the first
   * may be invalid, so, like the SDK, Bourse probes them last-first with `/trade/quotes` until
   * one answers `s:"ok"`, and remembers the answer.
   */
  infoRoute(inst: TlInstrument): Promise<string> {
    const cached = this.infoRoutes.get(inst.tradableInstrumentId);
    if (cached) return cached;
    const found = this.probe(inst);
    this.infoRoutes.set(inst.tradableInstrumentId, found);
    found.catch(() => this.infoRoutes.delete(inst.tradableInstrumentId));
    return found;
  }

  private async probe(inst: TlInstrument): Promise<string> {
    if (inst.infoRoutes.length === 1) return inst.infoRoutes[0]!;
    for (const routeId of [...inst.infoRoutes].reverse()) {
      try {
        await this.session.trade({
          method: 'GET',
          path: '/trade/quotes',
          route: ROUTES.quotes,
          query: { tradableInstrumentId: inst.tradableInstrumentId, routeId },
          mutating: false,
        });
        return routeId;
      } catch (e) {
        if (!(e instanceof BrokerError) || (e.kind !== 'rejected' && e.kind !== 'invalid')) throw e;
      }
    }
    throw new BrokerError('invalid', VENUE, `no working INFO route for ${inst.name}`);
  }

  detailsOf(inst: TlInstrument): Promise<TlDetails> {
    const cached = this.details.get(inst.tradableInstrumentId);
    if (cached) return cached;
    const loaded = (async () =>
      this.session.trade<TlDetails>({
        method: 'GET',
        path: `/trade/instruments/${inst.tradableInstrumentId}`,
        route: ROUTES.details,
        query: { routeId: await this.infoRoute(inst), locale: 'en' },
        mutating: false,
      }))();
    this.details.set(inst.tradableInstrumentId, loaded);
    loaded.catch(() => this.details.delete(inst.tradableInstrumentId));
    return loaded;
  }

  async describe(inst: TlInstrument): Promise<BrokerInstrument> {
    return toInstrument(inst, await this.detailsOf(inst));
  }
}

/** The first tick of a ranged list (`[{leftRangeLimit, tickSize}]`) or a plain number. */
function firstOfRange(value: unknown, key: string): string | null {
  if (Array.isArray(value)) {
    const first = value[0] as Record<string, unknown> | undefined;
    return first ? decimalCell(first[key]) : null;
  }
  return decimalCell(value);
}

/**
 * Bourse's instrument from TradeLocker's list entry and details. The details give `lotSize`
 * (units per lot), `lotStep`, `minLot` and price-ranged `tickSize`/`tickCost` lists; Bourse
 * takes the first range's tick, and the SDK's 0.01 when a lot rule is missing.
 */
export function toInstrument(inst: TlInstrument, d: TlDetails): BrokerInstrument {
  const lotStep = decimalCell(d.lotStep) ?? DEFAULT_LOT_STEP;
  const tick = firstOfRange(d.tickSize, 'tickSize');
  if (!tick || tick === '0') {
    throw new BrokerError(
      'invalid',
      VENUE,
      `instrument ${inst.name} has no tick size in its details`,
    );
  }
  return {
    symbol: inst.name,
    venueId: inst.tradableInstrumentId,
    kind: inst.type.toUpperCase() === 'FOREX' ? 'forex' : 'cfd',
    ...(typeof d.baseCurrency === 'string' ? { baseAsset: d.baseCurrency } : {}),
    ...(typeof d.quotingCurrency === 'string' ? { quoteAsset: d.quotingCurrency } : {}),
    tickSize: tick,
    lotSize: lotStep,
    minQty: decimalCell(d.minLot) ?? lotStep,
    minNotional: null,
    tickValue: firstOfRange(d.tickCost, 'tickCost'),
    contractSize: decimalCell(d.lotSize),
  };
}
