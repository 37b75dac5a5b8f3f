import {
  addDecimal,
  compareDecimal,
  divDecimal,
  mulDecimal,
  showDecimal,
  subDecimal,
} from '../../../src-shared/decimal';
import type {
  Command,
  CommandResult,
  HeartbeatBody,
  MtDeal,
  MtOrder,
  MtPosition,
  MtSymbol,
  Platform,
} from '../../../src-main/connectors/metatrader/protocol';

interface FakeSymbol extends MtSymbol {
  bid: string;
  ask: string;
}

/** The codes a terminal answers with, per platform (MT5 retcodes; MT4 GetLastError numbers). */
const CODES = {
  MT5: {
    done: 10009,
    placed: 10008,
    partial: 10010,
    invalid: 10013,
    volume: 10014,
    price: 10015,
    stops: 10016,
    noMoney: 10019,
    noChanges: 10025,
    clientAt: 10027,
    connection: 10031,
    closeVolume: 10038,
  },
  MT4: {
    done: 0,
    placed: 0,
    partial: 0,
    invalid: 4108,
    volume: 131,
    price: 129,
    stops: 130,
    noMoney: 134,
    noChanges: 1,
    clientAt: 4109,
    connection: 6,
    closeVolume: 131,
  },
} as const;

const isMultiple = (value: string, step: string): boolean => {
  const q = divDecimal(value, step, 0, 'floor')!;
  return compareDecimal(mulDecimal(q, step), value) === 0;
};

/**
 * An in-memory MetaTrader terminal: symbols with a bid/ask, pending orders, positions (MT5
 * numbering: a position's ticket is the ticket of the order that opened it), deals and an
 * account. It refuses what a trade server refuses (volume off the step, a limit on the wrong
 * side of the market, stops on the wrong side, no margin, AutoTrading off, no connection,
 * unknown tickets, nothing to change) with the platform's own codes.
 */
export class FakeTerminal {
  connected = true;
  tradeAllowed = true;
  balance = '10000.00';
  readonly leverage = 100;
  readonly orders = new Map<string, MtOrder>();
  readonly positions = new Map<string, MtPosition>();
  readonly deals: MtDeal[] = [];
  /** Orders the terminal ever created (any state): a retry that made a second one shows here. */
  ordersCreated = 0;
  /** Executions of `execute` (the EA's OrderSend calls). */
  executions = 0;
  private nextTicket = 50_000_000;
  private rejectNext: { retcode: number; message: string } | null = null;
  private partialNext = false;
  /** Whether positions carry `priceCurrent` (false: an EA from before 1.1). */
  reportsPriceCurrent = true;
  readonly symbols = new Map<string, FakeSymbol>();

  constructor(readonly platform: Platform = 'MT5') {
    this.addSymbol({ name: 'EURUSD', digits: 5, bid: '1.10000', ask: '1.10010', forex: true });
    this.addSymbol({ name: 'XAUUSD', digits: 2, bid: '2000.00', ask: '2000.30', forex: false });
  }

  addSymbol(s: { name: string; digits: number; bid: string; ask: string; forex: boolean }): void {
    const tick = s.digits === 0 ? '1' : `0.${'0'.repeat(s.digits - 1)}1`;
    this.symbols.set(s.name, {
      ...s,
      tickSize: tick,
      tickValue: s.forex ? '1' : '0.01',
      volumeStep: '0.01',
      volumeMin: '0.01',
      contractSize: s.forex ? '100000' : '100',
    });
  }

  /** The next execution fails with this code (e.g. 10019 NO_MONEY). */
  failNext(retcode: number, message: string): void {
    this.rejectNext = { retcode, message };
  }

  /**
   * The market moves: the symbol's bid and ask (ask defaults to the bid plus the spread it
   * had). Positions report their current price (bid for a buy, ask for a sell) and profit at it.
   */
  movePrice(name: string, bid: string, ask?: string): void {
    const s = this.symbols.get(name);
    if (!s) throw new Error(`no symbol ${name}`);
    const spread = subDecimal(s.ask, s.bid);
    this.symbols.set(name, { ...s, bid, ask: ask ?? addDecimal(bid, spread) });
  }

  /** A position as the terminal shows it now: current price and profit at that price. */
  private marked(p: MtPosition): MtPosition {
    const s = this.symbols.get(p.symbol)!;
    const current = p.side === 'buy' ? s.bid : s.ask;
    const diff =
      p.side === 'buy' ? subDecimal(current, p.openPrice) : subDecimal(p.openPrice, current);
    // As the EA formats it: DoubleToString at the account currency's 2 digits.
    const profit = showDecimal(
      divDecimal(mulDecimal(mulDecimal(diff, p.volume), s.contractSize!), '1', 2, 'floor')!,
    );
    // An MT5 EA before 1.1 sends no current price: `reportsPriceCurrent = false` plays it.
    return this.reportsPriceCurrent ? { ...p, priceCurrent: current, profit } : { ...p, profit };
  }

  /** The next market order fills half its volume (MT5 10010 DONE_PARTIAL). */
  fillPartiallyNext(): void {
    this.partialNext = true;
  }

  private code(name: keyof (typeof CODES)['MT5']): number {
    return CODES[this.platform][name];
  }

  private ticket(): string {
    return String(this.nextTicket++);
  }

  private refuse(
    name: keyof (typeof CODES)['MT5'],
    message: string,
    bridgeError?: CommandResult['bridgeError'],
  ): CommandResult {
    return {
      ok: false,
      retcode: this.code(name),
      message,
      ...(bridgeError ? { bridgeError } : {}),
      executedAt: this.time(),
    };
  }

  time(): number {
    return Math.floor(Date.now() / 1000);
  }

  /** Runs one command as the EA's OrderSend would. */
  execute(cmd: Command): CommandResult {
    this.executions++;
    if (!this.connected) return this.refuse('connection', 'No connection with the trade server');
    if (!this.tradeAllowed) return this.refuse('clientAt', 'AutoTrading disabled by client');
    if (this.rejectNext) {
      const r = this.rejectNext;
      this.rejectNext = null;
      return { ok: false, retcode: r.retcode, message: r.message, executedAt: this.time() };
    }
    switch (cmd.action) {
      case 'open':
        return this.open(cmd);
      case 'cancel':
        return this.cancel(cmd.ticket);
      case 'amend':
        return this.amend(cmd);
      case 'close':
        return this.close(cmd.symbol, cmd.volume);
      case 'cancel_all': {
        let count = 0;
        for (const [t, o] of this.orders) {
          if (!cmd.symbol || o.symbol === cmd.symbol) {
            this.orders.delete(t);
            count++;
          }
        }
        return {
          ok: true,
          retcode: this.code('done'),
          message: 'done',
          count,
          executedAt: this.time(),
        };
      }
    }
  }

  private margin(): string {
    let used = '0';
    for (const p of this.positions.values()) {
      const s = this.symbols.get(p.symbol)!;
      const notional = mulDecimal(mulDecimal(p.volume, s.contractSize!), p.openPrice);
      used = addDecimal(used, divDecimal(notional, String(this.leverage), 2, 'ceil')!);
    }
    return used;
  }

  freeMargin(): string {
    return subDecimal(this.balance, this.margin());
  }

  private open(cmd: Extract<Command, { action: 'open' }>): CommandResult {
    const s = this.symbols.get(cmd.symbol);
    if (!s) return this.refuse('invalid', `unknown symbol ${cmd.symbol}`, 'unknown_symbol');
    if (this.platform === 'MT4' && cmd.type === 'stop_limit') {
      return this.refuse('invalid', 'MT4 has no stop-limit orders', 'unsupported');
    }
    if (compareDecimal(cmd.volume, s.volumeMin) < 0 || !isMultiple(cmd.volume, s.volumeStep)) {
      return this.refuse('volume', 'Invalid volume in the request');
    }
    for (const p of [cmd.price, cmd.stopPrice, cmd.sl, cmd.tp]) {
      if (p !== undefined && !isMultiple(p, s.tickSize)) {
        return this.refuse('price', 'Invalid price in the request');
      }
    }
    const buy = cmd.side === 'buy';
    const market = buy ? s.ask : s.bid;
    const entry =
      cmd.type === 'market' ? market : cmd.type === 'limit' ? cmd.price! : cmd.stopPrice!;
    // A limit rests below the market for a buy, a stop above it (and the reverse for a sell).
    const side = compareDecimal(entry, market);
    if (cmd.type === 'limit' && side !== (buy ? -1 : 1)) {
      return this.refuse(this.platform === 'MT5' ? 'price' : 'stops', 'Invalid price');
    }
    if ((cmd.type === 'stop' || cmd.type === 'stop_limit') && side !== (buy ? 1 : -1)) {
      return this.refuse(this.platform === 'MT5' ? 'price' : 'stops', 'Invalid price');
    }
    if (
      (cmd.sl && compareDecimal(cmd.sl, entry) !== (buy ? -1 : 1)) ||
      (cmd.tp && compareDecimal(cmd.tp, entry) !== (buy ? 1 : -1))
    ) {
      return this.refuse('stops', 'Invalid stops in the request');
    }
    const need = divDecimal(
      mulDecimal(mulDecimal(cmd.volume, s.contractSize!), entry),
      String(this.leverage),
      2,
      'ceil',
    )!;
    if (compareDecimal(need, this.freeMargin()) > 0) return this.refuse('noMoney', 'No money');
    const ticket = this.ticket();
    this.ordersCreated++;
    if (cmd.type !== 'market') {
      this.orders.set(ticket, {
        ticket,
        symbol: s.name,
        side: cmd.side,
        type: cmd.type,
        volume: cmd.volume,
        price: cmd.type === 'stop' ? cmd.stopPrice! : cmd.price!,
        stopPrice: cmd.type === 'stop_limit' ? cmd.stopPrice! : null,
        sl: cmd.sl ?? null,
        tp: cmd.tp ?? null,
        comment: cmd.comment,
        magic: 240_024,
        setupTime: this.time(),
      });
      return {
        ok: true,
        retcode: this.code('placed'),
        message: 'Request placed',
        ticket,
        status: 'open',
        volume: cmd.volume,
        executedAt: this.time(),
      };
    }
    const partial = this.partialNext;
    this.partialNext = false;
    const filled = partial ? divDecimal(cmd.volume, '2', 2, 'floor')! : cmd.volume;
    this.deal(ticket, s.name, cmd.side, filled, market, cmd.comment, cmd.sl, cmd.tp);
    return {
      ok: true,
      retcode: partial ? this.code('partial') : this.code('done'),
      message: partial ? 'Request executed partially' : 'Request executed',
      ticket,
      status: partial ? 'partially_filled' : 'filled',
      volume: cmd.volume,
      filledVolume: filled,
      price: market,
      executedAt: this.time(),
    };
  }

  /** An opening deal: the position takes the order's ticket. */
  private deal(
    order: string,
    symbol: string,
    side: 'buy' | 'sell',
    volume: string,
    price: string,
    comment: string,
    sl?: string | null,
    tp?: string | null,
  ): void {
    this.deals.push({
      ticket: this.ticket(),
      order,
      positionId: order,
      symbol,
      side,
      volume,
      price,
      entry: 'in',
      comment,
      time: this.time(),
    });
    this.positions.set(order, {
      ticket: order,
      symbol,
      side,
      volume,
      openPrice: price,
      sl: sl ?? null,
      tp: tp ?? null,
      profit: '0.00',
      comment,
      magic: 240_024,
      openTime: this.time(),
    });
  }

  /** The market reaches a pending order: it fills whole at its price. */
  fill(ticket: string): void {
    const o = this.orders.get(ticket);
    if (!o) throw new Error(`no pending order ${ticket}`);
    this.orders.delete(ticket);
    this.deal(ticket, o.symbol, o.side, o.volume, o.price, o.comment, o.sl, o.tp);
  }

  private cancel(ticket: string): CommandResult {
    if (!this.orders.delete(ticket)) {
      return this.refuse('invalid', `no pending order ${ticket}`, 'unknown_ticket');
    }
    return {
      ok: true,
      retcode: this.code('done'),
      message: 'Request executed',
      ticket,
      status: 'cancelled',
      executedAt: this.time(),
    };
  }

  private amend(cmd: Extract<Command, { action: 'amend' }>): CommandResult {
    const o = this.orders.get(cmd.ticket);
    if (!o) return this.refuse('invalid', `no pending order ${cmd.ticket}`, 'unknown_ticket');
    const price = o.type === 'stop' ? (cmd.stopPrice ?? o.price) : (cmd.price ?? o.price);
    const stopPrice = o.type === 'stop_limit' ? (cmd.stopPrice ?? o.stopPrice) : o.stopPrice;
    if (price === o.price && stopPrice === o.stopPrice) {
      return this.refuse('noChanges', 'No changes in request');
    }
    const s = this.symbols.get(o.symbol)!;
    const market = o.side === 'buy' ? s.ask : s.bid;
    if (o.type === 'limit' && compareDecimal(price, market) !== (o.side === 'buy' ? -1 : 1)) {
      return this.refuse('price', 'Invalid price');
    }
    this.orders.set(o.ticket, { ...o, price, stopPrice });
    return {
      ok: true,
      retcode: this.code('done'),
      message: 'Request executed',
      ticket: o.ticket,
      status: 'open',
      executedAt: this.time(),
    };
  }

  private close(symbol: string, volume?: string): CommandResult {
    const held = [...this.positions.values()].filter((p) => p.symbol === symbol);
    if (!held.length) return this.refuse('invalid', `no position on ${symbol}`, 'unknown_ticket');
    const total = addDecimal(...held.map((p) => p.volume));
    let left = volume ?? total;
    if (compareDecimal(left, total) > 0) {
      return this.refuse('closeVolume', 'Invalid close volume');
    }
    const s = this.symbols.get(symbol)!;
    const ticket = this.ticket();
    this.ordersCreated++;
    let price = s.bid;
    for (const p of held.sort((a, b) => a.openTime - b.openTime)) {
      if (compareDecimal(left, '0') <= 0) break;
      const take = compareDecimal(left, p.volume) < 0 ? left : p.volume;
      price = p.side === 'buy' ? s.bid : s.ask;
      const diff =
        p.side === 'buy' ? subDecimal(price, p.openPrice) : subDecimal(p.openPrice, price);
      const pnl = divDecimal(mulDecimal(mulDecimal(diff, take), s.contractSize!), '1', 2, 'floor')!;
      this.balance = addDecimal(this.balance, pnl);
      this.deals.push({
        ticket: this.ticket(),
        order: ticket,
        positionId: p.ticket,
        symbol,
        side: p.side === 'buy' ? 'sell' : 'buy',
        volume: take,
        price,
        entry: 'out',
        comment: '',
        time: this.time(),
      });
      if (compareDecimal(take, p.volume) === 0) this.positions.delete(p.ticket);
      else this.positions.set(p.ticket, { ...p, volume: subDecimal(p.volume, take) });
      left = subDecimal(left, take);
    }
    return {
      ok: true,
      retcode: this.code('done'),
      message: 'Request executed',
      ticket,
      status: 'filled',
      volume: volume ?? total,
      filledVolume: volume ?? total,
      price,
      executedAt: this.time(),
    };
  }

  /** The state part of a heartbeat. */
  snapshot(): Pick<HeartbeatBody, 'account' | 'positions' | 'orders' | 'deals' | 'symbols'> {
    return {
      account: {
        login: '5012345',
        name: 'Demo Trader',
        server: 'FakeBroker-Demo',
        currency: 'USD',
        leverage: this.leverage,
        demo: true,
        tradeAllowed: true,
        balance: this.balance,
        equity: this.balance,
        margin: this.margin(),
        freeMargin: this.freeMargin(),
      },
      positions: [...this.positions.values()].map((p) => this.marked(p)),
      orders: [...this.orders.values()],
      // The EA sends the last few deals every time; Bourse drops the ones it has seen.
      deals: this.deals.slice(-50),
      symbols: [...this.symbols.values()].map(({ bid: _b, ask: _a, ...s }) => s),
    };
  }
}
