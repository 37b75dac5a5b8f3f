import { BrokerError } from '../broker/errors';
import { SlidingWindowLimiter } from '../broker/limiter';
import type {
  BrokerAmendRequest,
  BrokerBalance,
  BrokerConnector,
  BrokerDeps,
  BrokerEvent,
  BrokerInstrument,
  BrokerOrder,
  BrokerOrderRequest,
  BrokerPosition,
  ConnectionReport,
} from '../broker/port';
import { isPositive } from '../../../src-shared/decimal';
import type { BridgeHub, CommandOutcome } from './hub';
import { SymbolMap, orderFromResult, toBalances, toInstrument, toPosition } from './mapping';
import { failureKind, type CommandBody, type HeartbeatBody, type Platform } from './protocol';
import type { CommandRow } from './store';
import { streamEvents } from './stream';
import { OrderView, openCommand, type OpenCommand } from './order-view';

export const VENUE = 'metatrader';

export interface MetaTraderConfig {
  accountId: string;
  platform: Platform;
  symbolSuffix: string;
  /** A command the EA has not taken by then expires (never runs late). */
  commandExpiryMs: number;
  /** How long place/cancel/amend/close wait for the EA's result before `unknown_outcome`. */
  resultTimeoutMs: number;
  /** How long findOrder waits for a command the EA took but has not reported yet. */
  findWaitMs: number;
  /** Commands per 10 s Bourse sends one account's EA (it runs them one by one). */
  commandsPer10s: number;
}

/**
 * A MetaTrader 4/5 account reached through the Bourse Bridge EA. There is no remote API:
 * Bourse queues commands in the hub, the EA polls them, runs `OrderSend` in the terminal and
 * reports back; reads come from the EA's last heartbeat (with results that arrived after it
 * laid over). Every mutation waits for its result up to `resultTimeoutMs`; past that the
 * outcome is unknown and the command stays queued until its expiry.
 */
export class MetaTraderConnector implements BrokerConnector {
  readonly venue = VENUE;
  /** The hub hands a command to the EA only once it is on disk (`BridgeHub.longPoll`). */
  readonly syncsBeforeSending = true;
  /** Every heartbeat carries the account's balance: nothing to re-read after a fill. */
  readonly streamsBalances = true;
  private readonly map: SymbolMap;
  private readonly limiter: SlidingWindowLimiter;
  private readonly view: OrderView;
  private readonly stops = new Set<() => void>();

  constructor(
    private readonly hub: BridgeHub,
    private readonly cfg: MetaTraderConfig,
    private readonly deps: BrokerDeps,
  ) {
    this.map = new SymbolMap(cfg.symbolSuffix);
    this.view = new OrderView(hub, cfg.accountId, cfg.platform, this.map);
    this.limiter = new SlidingWindowLimiter(cfg.commandsPer10s, 10_000, deps.now);
  }

  private fail(kind: BrokerError['kind'], message: string, brokerMessage?: string): BrokerError {
    return new BrokerError(kind, VENUE, message, brokerMessage);
  }

  /** The last heartbeat of an online EA, or `unavailable` saying since when it is offline. */
  private online(): HeartbeatBody {
    const s = this.hub.status(this.cfg.accountId);
    if (!s.online || !s.heartbeat) {
      throw this.fail(
        'unavailable',
        s.offlineSince !== null
          ? `EA offline since ${new Date(s.offlineSince).toISOString()}`
          : 'the EA has never connected: attach BourseBridge to a chart in the terminal',
      );
    }
    return s.heartbeat;
  }

  async testConnection(): Promise<ConnectionReport> {
    const hb = this.online();
    const { serverTime, skewMs } = await this.serverTime();
    const a = hb.account;
    const notes = [
      `${hb.ea.platform} build ${hb.ea.build}, ${hb.terminal.name} (${hb.terminal.company}), EA ${hb.ea.version}`,
      a.demo ? 'demo account' : 'live account',
    ];
    if (!hb.terminal.connected) notes.push('the terminal has no connection to its trade server');
    if (!hb.terminal.tradeAllowed) notes.push('AutoTrading is off in the terminal or for the EA');
    if (hb.ea.platform !== this.cfg.platform) {
      notes.push(`the EA runs on ${hb.ea.platform}, the account says ${this.cfg.platform}`);
    }
    return {
      account: { id: a.login, name: `${a.name} @ ${a.server}`, currency: a.currency },
      permissions: {
        read: true,
        trade: a.tradeAllowed && hb.terminal.tradeAllowed,
        withdraw: null,
      },
      skewMs,
      serverTime,
      notes,
    };
  }

  /** The terminal computer's GMT clock (1 s resolution) against Bourse's, at the last heartbeat. */
  async serverTime(): Promise<{ serverTime: number; skewMs: number }> {
    const hb = this.online();
    const seenAt = this.hub.status(this.cfg.accountId).lastHeartbeatAt!;
    const skewMs = hb.terminal.gmtTime * 1000 - seenAt;
    return { serverTime: this.deps.now() + skewMs, skewMs };
  }

  /** The Market Watch symbols the EA last reported (known even while it is offline). */
  async instruments(): Promise<BrokerInstrument[]> {
    const hb = this.hub.status(this.cfg.accountId).heartbeat;
    if (!hb?.symbols?.length) {
      throw this.fail('unavailable', 'the EA has not reported its Market Watch symbols yet');
    }
    return hb.symbols.map((s) => toInstrument(s, this.map));
  }

  async balances(): Promise<BrokerBalance[]> {
    return toBalances(this.online());
  }

  async positions(): Promise<BrokerPosition[]> {
    return this.online().positions.map((p) => toPosition(p, this.map));
  }

  async openOrders(): Promise<BrokerOrder[]> {
    return this.view.openOrders(this.online());
  }

  async findOrder(clientOrderId: string): Promise<BrokerOrder | null> {
    let row = this.hub.store.openByClientOrderId(this.cfg.accountId, clientOrderId);
    if (row && (row.status === 'queued' || row.status === 'sent')) {
      const o = await this.hub.result(row.id, this.cfg.findWaitMs);
      if (o.status === 'timeout') {
        if (o.row?.status === 'queued') return null; // not at the broker (yet)
        throw this.fail(
          'unknown_outcome',
          'the EA took the command and has not reported it yet; ask again later',
        );
      }
      row = o.row;
    }
    return this.view.find(row, clientOrderId);
  }

  async place(req: BrokerOrderRequest): Promise<BrokerOrder> {
    const cmd = openCommand(req, this.cfg.platform, this.map);
    const existing = this.hub.store.openByClientOrderId(this.cfg.accountId, req.clientOrderId);
    if (existing && existing.status !== 'expired' && existing.status !== 'cancelled') {
      // A retry: never a second command for one client id.
      const row = await this.settled(existing);
      return orderFromResult(row.command as OpenCommand, row.result!, this.map);
    }
    const row = await this.run(cmd);
    return orderFromResult(row.command as OpenCommand, row.result!, this.map);
  }

  async amend(req: BrokerAmendRequest): Promise<BrokerOrder> {
    if (req.qty !== undefined) {
      throw this.fail('invalid', 'MetaTrader cannot change the volume of a pending order');
    }
    if (req.price === undefined && req.stopPrice === undefined) {
      throw this.fail('invalid', 'nothing to change: give a price or a stopPrice');
    }
    for (const value of [req.price, req.stopPrice]) {
      if (value !== undefined && !isPositive(value)) {
        throw this.fail('invalid', `prices must be positive decimals, not ${value}`);
      }
    }
    const before = (await this.openOrders()).find((o) => o.orderId === req.orderId);
    if (!before) throw this.fail('invalid', `no open order ${req.orderId}`);
    await this.run({
      action: 'amend',
      ticket: req.orderId,
      ...(req.price ? { price: req.price } : {}),
      ...(req.stopPrice ? { stopPrice: req.stopPrice } : {}),
    });
    return {
      ...before,
      price: req.price ?? before.price,
      stopPrice: req.stopPrice ?? before.stopPrice,
    };
  }

  async cancel(orderId: string): Promise<void> {
    if (!/^[0-9]{1,20}$/.test(orderId)) throw this.fail('invalid', `no order ${orderId}`);
    await this.run({ action: 'cancel', ticket: orderId });
  }

  async cancelAll(symbol?: string): Promise<number> {
    const row = await this.run({
      action: 'cancel_all',
      ...(symbol ? { symbol: this.map.toTerminal(symbol) } : {}),
    });
    return row.result?.count ?? 0;
  }

  async closePosition(symbol: string, qty?: string): Promise<BrokerOrder | null> {
    if (qty !== undefined && !isPositive(qty)) {
      throw this.fail('invalid', 'the volume to close must be a positive decimal');
    }
    const held = this.online().positions.filter((p) => p.symbol === this.map.toTerminal(symbol));
    if (!held.length) throw this.fail('invalid', `no open position on ${symbol}`);
    const row = await this.run({
      action: 'close',
      symbol: this.map.toTerminal(symbol),
      ...(qty ? { volume: qty } : {}),
    });
    const r = row.result!;
    if (!r.ticket) return null;
    return {
      orderId: r.ticket,
      clientOrderId: null,
      symbol,
      side: held[0]!.side === 'buy' ? 'sell' : 'buy',
      type: 'market',
      qty: r.volume ?? qty ?? held[0]!.volume,
      filledQty: r.filledVolume ?? r.volume ?? '0',
      price: null,
      stopPrice: null,
      avgPrice: r.price ?? null,
      status: 'filled',
    };
  }

  /** Queues a command (paced) and waits for its result; a failed result throws its kind. */
  private async run(body: CommandBody): Promise<CommandRow> {
    await this.limiter.acquire();
    let id: string;
    try {
      id = this.hub.enqueue(this.cfg.accountId, body, this.cfg.commandExpiryMs).id;
    } catch (e) {
      throw this.fail('rate_limited', (e as Error).message);
    }
    return this.finish(await this.hub.result(id, this.cfg.resultTimeoutMs));
  }

  private async settled(row: CommandRow): Promise<CommandRow> {
    if (row.status === 'queued' || row.status === 'sent') {
      return this.finish(await this.hub.result(row.id, this.cfg.resultTimeoutMs));
    }
    return this.finish({ status: row.status as 'done', row });
  }

  private finish(o: CommandOutcome): CommandRow {
    if (o.status === 'timeout') {
      const queued = o.row?.status === 'queued';
      const expires = o.row ? new Date(o.row.expiresAt).toISOString() : 'its expiry';
      throw this.fail(
        'unknown_outcome',
        queued
          ? `the EA has not taken the command (offline or busy); it stays queued until ${expires}`
          : `the EA took the command but has not reported within ${this.cfg.resultTimeoutMs} ms`,
      );
    }
    if (o.status === 'expired' || o.status === 'cancelled') {
      throw this.fail('unavailable', `the command ${o.status} before the EA ran it`);
    }
    const r = o.row.result!;
    if (o.status === 'failed') {
      throw new BrokerError(
        failureKind(this.cfg.platform, r),
        VENUE,
        `the terminal refused the ${o.row.command.action}: ${r.message}`,
        `${r.bridgeError ?? 'retcode'} ${r.retcode}`,
      );
    }
    return o.row;
  }

  subscribe(listener: (event: BrokerEvent) => void): () => void {
    const stop = streamEvents(this.hub, this.cfg.accountId, this.map, listener);
    this.stops.add(stop);
    return () => {
      stop();
      this.stops.delete(stop);
    };
  }

  /**
   * Also answers the EA's held poll (if any) at once: the account is being disabled, deleted
   * or re-set up, and the bridge door re-checks the token before handing anything out.
   */
  close(): Promise<void> {
    for (const stop of this.stops) stop();
    this.stops.clear();
    this.hub.release(this.cfg.accountId);
    return Promise.resolve();
  }
}
