import { BrokerError } from '../broker/errors';
import type {
  BrokerAmendRequest,
  BrokerBalance,
  BrokerConnector,
  BrokerDeps,
  BrokerEvent,
  BrokerFill,
  BrokerInstrument,
  BrokerOrder,
  BrokerOrderRequest,
  BrokerPosition,
  ConnectionReport,
} from '../broker/port';
import { isDuplicateTag } from './errors';
import { ContractBook, instrumentOf, symbolOfContract } from './instruments';
import { acceptedOrder, contractsOf, placeBody, toBrokerOrder, type BracketTicks } from './orders';
import {
  JsonDecimal,
  VENUE,
  type WireAccount,
  type WireBar,
  type WireContract,
  type WireOrder,
  type WirePosition,
  type WireTrade,
} from './protocol';
import { ProjectxRest } from './rest';
import { UserHub } from './stream';
import { marketHubUrlOf } from './hub-loop';
import { MarketFeed } from './market';
import { barOf, barsBody, iso, realisedNet, type BarsRequest, type ProjectxBar } from './history';
import { balancesOf, fillOf, positionOf, PushMapper } from './events';

export interface ProjectxSettings {
  baseUrl: string;
  hubUrl: string;
  /** The market hub (quotes); default: `hubUrl` with `/hubs/user` → `/hubs/market`. */
  marketHubUrl?: string;
  userName: string;
  apiKey: string;
  /** The gateway account id; empty: the first active account that can trade. */
  accountId?: string;
  /** `live` flag of contract and bar calls (live vs simulated market data). */
  liveData: boolean;
  timeoutMs: number;
  /** Deadline of place/modify/cancel/close: past it the outcome is unknown (resolved by tag). */
  orderTimeoutMs: number;
  hubTimeoutMs: number;
  bracketTicks: BracketTicks;
  /** How far back `findOrder` searches closed orders. */
  lookbackMs: number;
}

/**
 * ProjectX / TopstepX through the Gateway API: REST for everything that asks or changes,
 * the SignalR user hub for account pushes, the market hub for quotes of watched symbols. `customTag` carries Bourse's client order id; the gateway
 * keeps it unique per account, which is a second guard against a doubled order.
 */
export class ProjectxConnector implements BrokerConnector {
  readonly venue = VENUE;
  /** GatewayUserAccount pushes the balance after every trade. */
  readonly streamsBalances = true;
  private readonly rest: ProjectxRest;
  private account: WireAccount | null = null;
  private book: ContractBook | null = null;
  /** Client ids whose place had an unknown outcome: a retry looks them up first. */
  private readonly uncertain = new Set<string>();
  private readonly hubs = new Set<UserHub>();
  /** Every `subscribe()` listener: quotes go to all of them over one market connection. */
  private readonly listeners = new Set<(e: BrokerEvent) => void>();
  private readonly market: MarketFeed;
  private readonly pushes = new PushMapper({
    book: () => this.book,
    accountId: () => this.account?.id ?? null,
    now: () => this.deps.now(),
  });

  constructor(
    private readonly s: ProjectxSettings,
    private readonly deps: BrokerDeps,
  ) {
    this.rest = new ProjectxRest({
      baseUrl: s.baseUrl.replace(/\/+$/, ''),
      userName: s.userName,
      apiKey: s.apiKey,
      timeoutMs: s.timeoutMs,
      orderTimeoutMs: s.orderTimeoutMs,
      deps,
    });
    this.market = new MarketFeed({
      loop: {
        hubUrl: s.marketHubUrl ?? marketHubUrlOf(s.hubUrl),
        timeoutMs: s.timeoutMs,
        serverTimeoutMs: s.hubTimeoutMs,
        token: () => this.rest.currentToken(),
        confirmedToken: () => this.rest.confirmedToken(),
        relogin: () => this.rest.relogin(),
      },
      book: () => this.contracts(),
      emit: (e) => {
        for (const listener of this.listeners) listener(e);
      },
      deps,
    });
  }

  async testConnection(): Promise<ConnectionReport> {
    await this.rest.relogin();
    const account = await this.resolveAccount(true);
    const t = await this.serverTime();
    const notes = ['session token valid 24 h; Bourse renews it before it expires'];
    if (account.simulated) notes.push('simulated account');
    if (!account.canTrade) notes.push('this account cannot trade now (canTrade is false)');
    return {
      account: { id: String(account.id), name: account.name, currency: 'USD' },
      permissions: { read: true, trade: account.canTrade, withdraw: null },
      skewMs: t.skewMs,
      serverTime: t.serverTime,
      notes,
    };
  }

  /** The gateway has no clock endpoint: its HTTP Date header (1 s resolution) serves. */
  async serverTime(): Promise<{ serverTime: number; skewMs: number }> {
    if (!this.rest.lastServerTime) await this.rest.call('/api/Auth/validate', {}, 'read');
    const t = this.rest.lastServerTime;
    if (!t) throw new BrokerError('unavailable', VENUE, 'the gateway sent no Date header');
    return { serverTime: t.serverTime, skewMs: t.serverTime - t.localTime };
  }

  async instruments(): Promise<BrokerInstrument[]> {
    return (await this.contracts(true)).list();
  }

  async balances(): Promise<BrokerBalance[]> {
    return balancesOf(await this.resolveAccount(true));
  }

  async positions(): Promise<BrokerPosition[]> {
    const accountId = await this.accountId();
    const r = await this.rest.call<{ positions: WirePosition[] }>(
      '/api/Position/searchOpen',
      { accountId },
      'read',
    );
    const book = await this.contracts();
    return r.positions.filter((p) => p.size > 0).map((p) => positionOf(p, book));
  }

  async openOrders(): Promise<BrokerOrder[]> {
    const book = await this.contracts();
    return (await this.searchOpen()).map((o) => toBrokerOrder(o, book));
  }

  /**
   * Open orders first, then the order history of the lookback window: a filled order
   * vanishes from `searchOpen` (project-x-py#100), so the history is the only place it is.
   */
  async findOrder(clientOrderId: string): Promise<BrokerOrder | null> {
    const book = await this.contracts();
    const open = (await this.searchOpen()).find((o) => o.customTag === clientOrderId);
    if (open) return toBrokerOrder(open, book);
    const hit = (await this.searchHistory()).find((o) => o.customTag === clientOrderId);
    return hit ? toBrokerOrder(hit, book) : null;
  }

  async place(request: BrokerOrderRequest): Promise<BrokerOrder> {
    const instrument = await this.instrument(request.symbol);
    const accountId = await this.accountId();
    const body = placeBody(request, accountId, instrument, this.s.bracketTicks);
    if (request.validateOnly) {
      // The gateway has no dry run: the checks above are all there is.
      return { ...acceptedOrder(request, 0, this.deps.now()), orderId: '', status: 'pending' };
    }
    if (this.uncertain.has(request.clientOrderId)) {
      const existing = await this.findOrder(request.clientOrderId);
      if (existing) return existing;
    }
    try {
      const r = await this.rest.call<{ orderId: number }>('/api/Order/place', body, 'place');
      this.uncertain.delete(request.clientOrderId);
      this.pushes.remember(String(r.orderId), request.clientOrderId);
      return { ...acceptedOrder(request, r.orderId, this.deps.now()), symbol: instrument.symbol };
    } catch (e) {
      if (!(e instanceof BrokerError)) throw e;
      if (e.kind === 'unknown_outcome') this.uncertain.add(request.clientOrderId);
      if (e.kind === 'rejected' && isDuplicateTag(e.brokerMessage ?? null)) {
        // The tag is taken: this id was placed before (a retry after a lost answer).
        const existing = await this.findOrder(request.clientOrderId);
        if (existing) return existing;
      }
      throw e;
    }
  }

  async amend(request: BrokerAmendRequest): Promise<BrokerOrder> {
    const accountId = await this.accountId();
    const body: Record<string, unknown> = { accountId, orderId: Number(request.orderId) };
    if (request.qty !== undefined) body.size = contractsOf(request.qty);
    if (request.price !== undefined) body.limitPrice = new JsonDecimal(request.price);
    if (request.stopPrice !== undefined) body.stopPrice = new JsonDecimal(request.stopPrice);
    await this.rest.call('/api/Order/modify', body, 'mutate');
    const book = await this.contracts();
    const now = (await this.searchOpen()).find((o) => String(o.id) === request.orderId);
    const found = now ?? (await this.searchHistory()).find((o) => String(o.id) === request.orderId);
    if (!found) throw new BrokerError('invalid', VENUE, `order ${request.orderId} not found`);
    return toBrokerOrder(found, book);
  }

  async cancel(orderId: string): Promise<void> {
    const accountId = await this.accountId();
    await this.rest.call('/api/Order/cancel', { accountId, orderId: Number(orderId) }, 'mutate');
  }

  async cancelAll(symbol?: string): Promise<number> {
    const book = await this.contracts();
    const open = (await this.searchOpen()).filter(
      (o) => !symbol || symbolOfContract(book, o.contractId) === book.resolve(symbol)?.symbol,
    );
    let n = 0;
    for (const o of open) {
      await this.cancel(String(o.id));
      n++;
    }
    return n;
  }

  /** closeContract / partialCloseContract: the gateway answers no order id, so null. */
  async closePosition(symbol: string, qty?: string): Promise<BrokerOrder | null> {
    const accountId = await this.accountId();
    const { venueId: contractId } = await this.instrument(symbol);
    if (qty === undefined) {
      await this.rest.call('/api/Position/closeContract', { accountId, contractId }, 'mutate');
    } else {
      const size = contractsOf(qty);
      await this.rest.call(
        '/api/Position/partialCloseContract',
        { accountId, contractId, size },
        'mutate',
      );
    }
    return null;
  }

  subscribe(listener: (event: BrokerEvent) => void): () => void {
    const emit = (e: BrokerEvent) => {
      try {
        listener(e);
      } catch (err) {
        this.deps.log?.warn({ venue: VENUE, err: String(err) }, 'broker event listener threw');
      }
    };
    const hub = new UserHub({
      hubUrl: this.s.hubUrl,
      timeoutMs: this.s.timeoutMs,
      serverTimeoutMs: this.s.hubTimeoutMs,
      token: () => this.rest.currentToken(),
      confirmedToken: () => this.rest.confirmedToken(),
      relogin: () => this.rest.relogin(),
      accountId: () => this.accountId(),
      onState: (state, reason) =>
        emit({ type: 'connection', state, ...(reason ? { reason } : {}) }),
      handlers: this.pushes.handlers(emit),
      deps: this.deps,
    });
    this.hubs.add(hub);
    this.listeners.add(emit);
    hub.start();
    this.market.listen(true);
    return () => {
      this.hubs.delete(hub);
      this.listeners.delete(emit);
      this.market.listen(this.listeners.size > 0);
      void hub.stop();
    };
  }

  /**
   * Quotes of these symbols from the market hub (each call replaces the set; kept across
   * reconnects). Symbols the contract list does not know are logged and skipped. Mark price
   * and P&L are the session's to compute, from these quotes and the instrument's tickValue.
   */
  watchQuotes(symbols: string[]): void {
    this.market.watch(symbols);
  }

  async close(): Promise<void> {
    const hubs = [...this.hubs];
    this.hubs.clear();
    this.listeners.clear();
    await Promise.all([...hubs.map((h) => h.stop()), this.market.close()]);
  }

  /** Bars of `/api/History/retrieveBars` (its own limit: 50 requests / 30 s). */
  async bars(req: BarsRequest): Promise<ProjectxBar[]> {
    const { venueId } = await this.instrument(req.symbol);
    const body = barsBody(venueId, this.s.liveData, req);
    const r = await this.rest.call<{ bars: WireBar[] }>('/api/History/retrieveBars', body, 'read');
    return r.bars.map(barOf);
  }

  /** The port's bars: minute bars from `retrieveBars` (default: the last 500 intervals). */
  async candles(symbol: string, intervalMin: number, sinceMs?: number) {
    const endMs = this.deps.now();
    const hours = intervalMin >= 60 && intervalMin % 60 === 0;
    return this.bars({
      symbol,
      startMs: sinceMs ?? endMs - intervalMin * 60_000 * 500,
      endMs,
      unit: hours ? 3 : 2,
      unitNumber: hours ? intervalMin / 60 : intervalMin,
      limit: 1000,
      includePartialBar: true,
    });
  }

  /**
   * Realised P&L since `sinceMs`, net of fees, from `/api/Trade/search`: what Topstep's
   * daily loss limit and profit target are measured on.
   */
  async dayPnl(sinceMs: number): Promise<string> {
    const accountId = await this.accountId();
    const r = await this.rest.call<{ trades: WireTrade[] }>(
      '/api/Trade/search',
      { accountId, startTimestamp: iso(sinceMs) },
      'read',
    );
    return realisedNet(r.trades);
  }

  /**
   * Trades of the history window (`lookbackMs`) as fills, under the ids the user hub streams
   * them with (`/api/Trade/search`; voided trades left out). The session stores what its
   * stream missed; the client id comes from the order journal.
   */
  async recentFills(): Promise<BrokerFill[]> {
    const accountId = await this.accountId();
    const now = this.deps.now();
    const r = await this.rest.call<{ trades: WireTrade[] }>(
      '/api/Trade/search',
      { accountId, startTimestamp: iso(now - this.s.lookbackMs) },
      'read',
    );
    return r.trades.filter((t) => !t.voided).map((t) => fillOf(t, this.book, null, now));
  }

  /**
   * The same figure under the name main's broker port gives it (an optional member added
   * there after this branch started), so the risk rules find it without wiring.
   */
  realisedPnlSince(sinceMs: number): Promise<string> {
    return this.dayPnl(sinceMs);
  }

  private async searchOpen(): Promise<WireOrder[]> {
    const accountId = await this.accountId();
    const r = await this.rest.call<{ orders: WireOrder[] }>(
      '/api/Order/searchOpen',
      { accountId },
      'read',
    );
    return r.orders;
  }

  private async searchHistory(): Promise<WireOrder[]> {
    const accountId = await this.accountId();
    const now = this.deps.now();
    const r = await this.rest.call<{ orders: WireOrder[] }>(
      '/api/Order/search',
      // No end: an order stamped by a broker clock ahead of ours still counts.
      { accountId, startTimestamp: iso(now - this.s.lookbackMs) },
      'read',
    );
    return r.orders;
  }

  private async accountId(): Promise<number> {
    return (this.account ?? (await this.resolveAccount(false))).id;
  }

  /** The configured account, or the first active one that can trade. */
  private async resolveAccount(refresh: boolean): Promise<WireAccount> {
    if (this.account && !refresh) return this.account;
    const r = await this.rest.call<{ accounts: WireAccount[] }>(
      '/api/Account/search',
      { onlyActiveAccounts: true },
      'read',
    );
    const wanted = this.s.accountId?.trim();
    const a = wanted
      ? r.accounts.find((x) => String(x.id) === wanted || x.name === wanted)
      : (r.accounts.find((x) => x.canTrade) ?? r.accounts[0]);
    if (!a) {
      throw new BrokerError(
        'invalid',
        VENUE,
        wanted ? `account ${wanted} is not among the active accounts` : 'no active account',
      );
    }
    this.account = a;
    return a;
  }

  private async contracts(refresh = false): Promise<ContractBook> {
    if (this.book && !refresh) return this.book;
    const r = await this.rest.call<{ contracts: WireContract[] }>(
      '/api/Contract/available',
      { live: this.s.liveData },
      'read',
    );
    this.book = new ContractBook(r.contracts);
    return this.book;
  }

  /**
   * An instrument by any of its names. A contract id the list lacks (another month) is read
   * with Contract/searchById; another unknown name is looked up with Contract/search.
   */
  private async instrument(symbol: string): Promise<BrokerInstrument> {
    const known = (await this.contracts()).resolve(symbol);
    if (known) return known;
    if (/^CON\./.test(symbol)) {
      const r = await this.rest.call<{ contract: WireContract | null }>(
        '/api/Contract/searchById',
        { contractId: symbol },
        'read',
      );
      if (r.contract) return instrumentOf(r.contract);
    }
    const r = await this.rest.call<{ contracts: WireContract[] }>(
      '/api/Contract/search',
      { searchText: symbol.replace(/\d!$/, ''), live: this.s.liveData },
      'read',
    );
    const found = new ContractBook(r.contracts.filter((c) => c.activeContract)).resolve(symbol);
    if (!found) throw new BrokerError('invalid', VENUE, `unknown contract ${symbol}`);
    return found;
  }
}
