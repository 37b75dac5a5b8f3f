import type {
  BrokerAmendRequest,
  BrokerBalance,
  BrokerConnector,
  BrokerEvent,
  BrokerInstrument,
  BrokerOrder,
  BrokerOrderRequest,
  BrokerPosition,
  BrokerQuote,
  ConnectionReport,
} from '../broker/port';
import { BrokerError } from '../broker/errors';
import { compareDecimal, subDecimal, type DecimalText } from '../../../src-shared/decimal';
import { AccountTables } from './account-tables';
import { ROUTES } from './config';
import { InstrumentCatalog } from './instruments';
import { toFill, toOrder, toPosition, type RowContext } from './mapping';
import { Poller } from './poller';
import { checkOrder, orderBody, sentCloses } from './orders';
import { TradelockerSession, VENUE, type SessionOptions } from './session';
import { decimalCell, idCell, jsonWithNumbers, strategyIdFor, type Row } from './wire';

const WORKING = new Set(['open', 'partially_filled', 'pending']);

export interface TradelockerOptions extends SessionOptions {
  environment: 'demo' | 'live';
  pollMs: number;
}

/** The TradeLocker connector: the broker port over TradeLocker's public REST API. */
export class TradelockerConnector implements BrokerConnector {
  readonly venue = VENUE;
  readonly session: TradelockerSession;
  private readonly catalog: InstrumentCatalog;
  private readonly tables: AccountTables;
  /** strategyId → the client order id it carries, for ids that had to be hashed. */
  private readonly clientIds = new Map<string, string>();
  /** strategyIds this instance has sent: a second place with one looks it up first. */
  private readonly sent = new Set<string>();
  private readonly pollers = new Set<Poller>();
  private watched: string[] = [];
  private readonly quoteFailed = new Set<string>();

  constructor(private readonly o: TradelockerOptions) {
    this.session = new TradelockerSession(o);
    this.catalog = new InstrumentCatalog(this.session);
    this.tables = new AccountTables(this.session, this.catalog);
  }

  private readonly ctx: RowContext = {
    symbolOf: (id) => this.catalog.nameOf(id),
    clientIdOf: (sid) => this.clientIds.get(sid) ?? sid,
  };

  async testConnection(): Promise<ConnectionReport> {
    const account = await this.session.account();
    const config = await this.session.tradeConfig();
    const { serverTime, skewMs } = await this.serverTime();
    const access = config.customerAccess ?? {};
    const notes = [
      `${this.o.environment} environment, server ${this.o.server}, accNum ${account.accNum}`,
    ];
    if (account.status && account.status !== 'ACTIVE')
      notes.push(`account status ${account.status}`);
    return {
      account: { id: account.id, name: account.name, currency: account.currency },
      permissions: { read: true, trade: access.orders !== false, withdraw: null },
      skewMs,
      serverTime,
      notes,
    };
  }

  /** TradeLocker has no time endpoint: the skew comes from the HTTP Date header of a light call. */
  async serverTime(): Promise<{ serverTime: number; skewMs: number }> {
    const account = await this.session.account();
    await this.session.trade({
      method: 'GET',
      path: `/trade/accounts/${account.id}/state`,
      route: ROUTES.state,
      mutating: false,
    });
    return { serverTime: this.session.serverTime, skewMs: this.session.skewMs };
  }

  async instruments(): Promise<BrokerInstrument[]> {
    const list = await this.catalog.all(true);
    const described = await Promise.all(
      list.map((i) =>
        this.catalog.describe(i).catch((e: unknown) => {
          // One instrument without usable details (no tick, no working INFO route) should not
          // hide the others; it is left out and logged. Outages still fail the whole call.
          if (!(e instanceof BrokerError) || (e.kind !== 'invalid' && e.kind !== 'rejected'))
            throw e;
          this.o.deps.log?.warn(
            { venue: VENUE, instrument: i.name, reason: e.message },
            'instrument left out',
          );
          return null;
        }),
      ),
    );
    return described.filter((i): i is BrokerInstrument => i !== null);
  }

  /**
   * Bid and ask of one instrument from `/trade/quotes` on its working INFO route. Not part of
   * the port (Bourse's prices come from market data); the live smoke script uses it to put a
   * test order far from the market.
   */
  async quote(symbol: string): Promise<{ bid: DecimalText | null; ask: DecimalText | null }> {
    const inst = await this.catalog.bySymbol(symbol);
    const d = await this.session.trade<{ ap?: unknown; bp?: unknown }>({
      method: 'GET',
      path: '/trade/quotes',
      route: ROUTES.quotes,
      query: {
        tradableInstrumentId: inst.tradableInstrumentId,
        routeId: await this.catalog.infoRoute(inst),
      },
      mutating: false,
    });
    return { bid: decimalCell(d.bp), ask: decimalCell(d.ap) };
  }

  async balances(): Promise<BrokerBalance[]> {
    const account = await this.session.account();
    const [row] = await this.tables.rows('state');
    const total = decimalCell(row?.balance) ?? '0';
    const available = decimalCell(row?.availableFunds) ?? total;
    return [{ asset: account.currency ?? 'USD', total, available }];
  }

  async positions(): Promise<BrokerPosition[]> {
    return (await this.positionRows()).map((r) => toPosition(r, this.ctx));
  }

  async openOrders(): Promise<BrokerOrder[]> {
    const rows = await this.orderRows('orders');
    return rows.map((r) => toOrder(r, this.ctx)).filter((o) => WORKING.has(o.status));
  }

  async findOrder(clientOrderId: string): Promise<BrokerOrder | null> {
    const sid = strategyIdFor(clientOrderId);
    for (const table of ['orders', 'ordersHistory'] as const) {
      const hit = (await this.orderRows(table)).find((r) => r.strategyId === sid);
      if (hit) return { ...toOrder(hit, this.ctx), clientOrderId };
    }
    return null;
  }

  async place(req: BrokerOrderRequest): Promise<BrokerOrder> {
    const inst = await this.catalog.bySymbol(req.symbol);
    const instrument = await this.catalog.describe(inst);
    checkOrder(req, instrument);
    const sid = strategyIdFor(req.clientOrderId);
    if (req.validateOnly) return pendingOrder(req, `validate:${sid}`);
    if (this.sent.has(sid)) {
      // A retry: the first attempt may have reached the broker. Never send twice.
      const existing = await this.findOrder(req.clientOrderId);
      if (existing) return existing;
    }
    if (!inst.tradeRoute)
      throw new BrokerError('invalid', VENUE, `${inst.name} has no TRADE route`);
    const account = await this.session.account();
    this.clientIds.set(sid, req.clientOrderId);
    this.sent.add(sid);
    const d = await this.session.trade<{ orderId?: unknown }>({
      method: 'POST',
      path: `/trade/accounts/${account.id}/orders`,
      route: ROUTES.place,
      body: orderBody(req, inst, sid),
      mutating: true,
    });
    const orderId = idCell(d?.orderId);
    if (!orderId) throw new BrokerError('rejected', VENUE, 'the broker gave no order id');
    return { ...pendingOrder(req, orderId), status: req.type === 'market' ? 'pending' : 'open' };
  }

  async amend(req: BrokerAmendRequest): Promise<BrokerOrder> {
    const body: Record<string, string> = {};
    if (req.qty !== undefined) body.qty = req.qty;
    if (req.price !== undefined) body.price = req.price;
    if (req.stopPrice !== undefined) body.stopPrice = req.stopPrice;
    if (Object.keys(body).length === 0) throw new BrokerError('invalid', VENUE, 'nothing to amend');
    await this.session.trade({
      method: 'PATCH',
      path: `/trade/orders/${encodeURIComponent(req.orderId)}`,
      route: ROUTES.modifyOrder,
      body: jsonWithNumbers(body, new Set(['price', 'stopPrice'])),
      mutating: true,
    });
    for (const table of ['orders', 'ordersHistory'] as const) {
      const hit = (await this.orderRows(table)).find((r) => idCell(r.id) === req.orderId);
      if (hit) return toOrder(hit, this.ctx);
    }
    throw new BrokerError(
      'unknown_outcome',
      VENUE,
      `order ${req.orderId} was amended but is not listed`,
    );
  }

  async cancel(orderId: string): Promise<void> {
    await this.session.trade({
      method: 'DELETE',
      path: `/trade/orders/${encodeURIComponent(orderId)}`,
      route: ROUTES.modifyOrder,
      mutating: true,
    });
  }

  async cancelAll(symbol?: string): Promise<number> {
    const inst = symbol ? await this.catalog.bySymbol(symbol) : null;
    const open = (await this.orderRows('orders')).filter(
      (r) =>
        WORKING.has(toOrder(r, this.ctx).status) &&
        // Stop-loss and take-profit orders belong to a position, not to "all orders".
        !idCell(r.positionId) &&
        (!inst || idCell(r.tradableInstrumentId) === inst.tradableInstrumentId),
    );
    if (open.length === 0) return 0;
    const account = await this.session.account();
    await this.session.trade({
      method: 'DELETE',
      path: `/trade/accounts/${account.id}/orders`,
      route: ROUTES.modifyOrder,
      query: { tradableInstrumentId: inst?.tradableInstrumentId },
      mutating: true,
    });
    return open.length;
  }

  /**
   * Closes positions on `symbol` with `DELETE /trade/positions/{id}`: `{"qty":"0"}` closes one
   * whole. With `qty`, positions are reduced oldest first (TradeLocker keeps one position per
   * filled order) until `qty` is closed. TradeLocker gives no closing order id, so this
   * returns null; the closing fills show in the stream.
   */
  async closePosition(symbol: string, qty?: DecimalText): Promise<BrokerOrder | null> {
    const inst = await this.catalog.bySymbol(symbol);
    const rows = (await this.positionRows())
      .filter((r) => idCell(r.tradableInstrumentId) === inst.tradableInstrumentId)
      .sort((a, b) => Number(a.openDate ?? 0) - Number(b.openDate ?? 0));
    if (rows.length === 0) throw new BrokerError('invalid', VENUE, `no open position on ${symbol}`);
    let left = qty;
    for (const r of rows) {
      if (left !== undefined && compareDecimal(left, '0') <= 0) break;
      const size = decimalCell(r.qty) ?? '0';
      const whole = left === undefined || compareDecimal(left, size) >= 0;
      await this.session.trade({
        method: 'DELETE',
        path: `/trade/positions/${encodeURIComponent(idCell(r.id) ?? '')}`,
        route: ROUTES.modifyPosition,
        body: JSON.stringify({ qty: whole ? '0' : left }),
        mutating: true,
      });
      if (left !== undefined) left = whole ? subDecimal(left, size) : '0';
    }
    return null;
  }

  subscribe(listener: (event: BrokerEvent) => void): () => void {
    const poller = new Poller(
      {
        orders: async () => (await this.orderRows('orders')).map((r) => toOrder(r, this.ctx)),
        history: async () =>
          (await this.orderRows('ordersHistory')).map((r) => toOrder(r, this.ctx)),
        positions: () => this.positions(),
        fills: async () =>
          (await this.tables.rows('executions')).map((r) => toFill(r, this.ctx, () => null)),
        quotes: () => this.watchedQuotes(),
      },
      listener,
      this.o.pollMs,
      this.o.deps.log,
    );
    this.pollers.add(poller);
    poller.start();
    return () => {
      poller.stop();
      this.pollers.delete(poller);
    };
  }

  /** The symbols whose prices the poll reads (the session's open positions). */
  watchQuotes(symbols: string[]): void {
    this.watched = [...symbols];
  }

  /**
   * `/trade/quotes` of each watched symbol, through the QUOTES route's limiter (so prices
   * slow down before the route's limit, never the orders). A symbol whose price cannot be
   * read is skipped and logged once, until it can be read again.
   */
  private async watchedQuotes(): Promise<BrokerQuote[]> {
    const out: BrokerQuote[] = [];
    for (const symbol of this.watched) {
      try {
        const q = await this.quote(symbol);
        this.quoteFailed.delete(symbol);
        out.push({ symbol, bid: q.bid, ask: q.ask, last: null, at: this.o.deps.now() });
      } catch (e) {
        if (this.quoteFailed.has(symbol)) continue;
        this.quoteFailed.add(symbol);
        const reason = e instanceof Error ? e.message : String(e);
        this.o.deps.log?.warn({ venue: 'tradelocker', symbol, reason }, 'price not readable');
      }
    }
    return out;
  }

  async close(): Promise<void> {
    for (const p of this.pollers) p.stop();
    this.pollers.clear();
  }

  private orderRows(table: 'orders' | 'ordersHistory'): Promise<Row[]> {
    return this.tables.rows(table);
  }

  private positionRows(): Promise<Row[]> {
    return this.tables.rows('positions');
  }
}

function pendingOrder(req: BrokerOrderRequest, orderId: string): BrokerOrder {
  return {
    orderId,
    clientOrderId: req.clientOrderId,
    symbol: req.symbol,
    side: req.side,
    type: req.type,
    qty: req.qty,
    filledQty: '0',
    price: req.price ?? null,
    stopPrice: req.stopPrice ?? null,
    closes: sentCloses(req),
    avgPrice: null,
    status: 'pending',
  };
}
