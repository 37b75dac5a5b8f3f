import { AppError, type CandleIntervalName } from '../../../src-shared/contract';
import type { DatabaseHandle } from '../../db/database';
import {
  applyFill,
  type BotBook,
  barWindow,
  diffOrder,
  MAX_WINDOW_BARS,
  nextStatus,
  shrinkToHeld,
  targetPosition,
  type BotStatus,
  type ShadowSummary,
} from '../../domain/bots';
import type { ParamValues } from '../../domain/backtest';
import { INTERVAL_MS } from '../../domain/market-data/types';
import { addDecimal, compareDecimal, subDecimal, type DecimalText } from '../../domain/money';
import type { Logger } from '../../observability/logger';
import type { AutomationAccount } from '../automation/ports';
import type { Bar, BotMarket } from './market';
import { alertBody, botAlertId, type SendResult } from './orders';
import type { ShadowInput } from './shadow';
import type { BotRow, BotsStore, ExecutionRow } from './store';

/** After a bar's end, how long the runner waits before reading it (late trades, broker lag). */
export const BAR_SETTLE_MS = 2_000;
/** Bots stepped at the same time in a pass (see `tick`). */
const LANES = 4;
/** Longest single wait of the bar timer (a timer is re-armed after it). */
const MAX_WAIT_MS = 6 * 60 * 60 * 1000;

/** What the runner is given: storage, the market of a bot, the replay and the order path. */
export interface RunnerDeps {
  store: DatabaseHandle;
  repo: BotsStore;
  log: Logger;
  now: () => number;
  /** The bot's market on its account (throws an AppError when it is gone). */
  market(bot: BotRow): Promise<BotMarket>;
  replay(input: ShadowInput): Promise<ShadowSummary>;
  /** The bot's trading account for automation, or null when it no longer exists. */
  account(bot: BotRow): AutomationAccount | null;
  send(account: AutomationAccount, body: string): Promise<SendResult>;
  /** The account's signed net position on the bot's market now (every account kind). */
  held(bot: BotRow): Promise<DecimalText>;
  /** Tells the owner the bot found its position closed outside it. */
  adjusted(bot: BotRow, text: string): void;
  /** Tells the owner (error notifications) and the `bots` stream. */
  changed(bot: BotRow): void;
  failed(bot: BotRow, reason: string): void;
}

/** Errors after which the bot cannot run until someone changes something. */
const PERMANENT = new Set([
  'unknown_symbol',
  'unknown_account',
  'unsupported_by_venue',
  'unknown_venue',
]);

const BARS_UNAVAILABLE = 'bars unavailable';

/** A float of strategy math as decimal text at the currency's scale (0 if not a number). */
const money = (x: number, scale: number) => (Number.isFinite(x) ? x.toFixed(scale) : '0');

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** The bot's book shrunk to what the account holds, and why (see `outsideClose`). */
interface Adjustment {
  book: BotBook;
  text: string;
}

/**
 * Runs the bots: on each newly closed bar of a running bot it replays the strategy over the
 * window (the shadow), turns the shadow's position into a target, and sends the difference
 * with the bot's position as one market order. Work on one bot is serialised (a bar, a stop,
 * a restart's pending order never interleave); bots run side by side.
 */
export class BotRunner {
  private readonly chains = new Map<number, Promise<unknown>>();
  /** Bars that asked for nothing, waiting for one shared write (see `flushQuiet`). */
  private readonly quiet = new Map<number, Partial<BotRow> & { lastBarTime: number }>();
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly d: RunnerDeps) {}

  /** Runs `fn` after everything queued for the bot (one thing at a time per bot). */
  serial<T>(botId: number, fn: () => Promise<T>): Promise<T> {
    const prev = this.chains.get(botId) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => undefined);
    this.chains.set(botId, tail);
    void tail.then(() => {
      if (this.chains.get(botId) === tail) this.chains.delete(botId);
    });
    return next;
  }

  /** On start: orders left pending by a stop or crash are resolved, then due bars run. */
  async start(): Promise<void> {
    if (this.stopped) return;
    for (const p of this.d.repo.pending()) {
      await this.serial(p.botId, () => this.resolvePending(p.botId, p.id));
    }
    await this.tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await Promise.allSettled([...this.chains.values()]);
    this.flushQuiet();
  }

  /** Steps every running bot once (each processes its latest closed bar if it is new). */
  async tick(): Promise<void> {
    if (this.stopped) return;
    const ids = this.d.repo.running().map((b) => b.id);
    let next = 0;
    // A few lanes, each stepping one bot at a time and yielding to the event loop between
    // bots: requests are served between two bots' work, and a user strategy's replay (in its
    // worker) holds up only its lane.
    const lane = async () => {
      while (next < ids.length && !this.stopped) {
        await this.step(ids[next++]!, false);
        await new Promise((r) => setImmediate(r));
      }
    };
    await Promise.all(Array.from({ length: Math.min(LANES, ids.length) }, lane));
    this.flushQuiet();
    this.schedule();
  }

  /**
   * Writes the bars that asked for nothing, of every bot stepped since the last flush, in one
   * transaction. Losing them in a crash loses nothing: the next step recomputes the same target.
   */
  private flushQuiet(): void {
    if (this.quiet.size === 0) return;
    const bars = [...this.quiet.entries()];
    this.quiet.clear();
    const rows = this.d.store.write('bots.bars', () =>
      bars.map(([id, set]) => this.d.repo.update(id, set)),
    );
    for (const row of rows) this.d.changed(row);
  }

  /**
   * Arms one timer for the earliest next bar close among running bots (plus the settle delay):
   * no polling between bars. Tests with a stepped clock call `tick` themselves.
   */
  schedule(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const running = this.d.repo.running();
    if (running.length === 0) return;
    const now = this.d.now();
    const next = Math.min(
      ...running.map((b) => {
        const ms = INTERVAL_MS[b.interval as CandleIntervalName];
        return (Math.floor(now / ms) + 1) * ms;
      }),
    );
    const wait = Math.min(MAX_WAIT_MS, Math.max(0, next - now + BAR_SETTLE_MS));
    this.timer = setTimeout(() => {
      this.tick().catch((err: unknown) => this.d.log.error({ err }, 'bots tick failed'));
    }, wait);
    this.timer.unref();
  }

  /** Processes the bot's latest closed bar, if it is new and the bot is running. */
  step(botId: number, flush = true): Promise<void> {
    return this.serial(botId, async () => {
      if (this.stopped) return; // the database may be closing
      try {
        await this.stepNow(botId);
      } catch (e) {
        this.d.log.error({ err: e, botId }, 'bot step failed');
        const bot = this.d.repo.get(botId);
        if (bot) this.fail(bot, `internal error: ${message(e)}`);
      }
      if (flush) this.flushQuiet();
    });
  }

  private async stepNow(botId: number): Promise<void> {
    for (const p of this.d.repo.pending(botId)) await this.resolvePending(botId, p.id);
    const bot = this.d.repo.get(botId);
    if (!bot || bot.status !== 'running') return;
    const lastBarTime = this.quiet.get(botId)?.lastBarTime ?? bot.lastBarTime;
    const now = this.d.now();
    // No bar of this interval can have closed since the last one processed: nothing to read
    // (a 1 h bot woken by a 1 m bot's timer returns here without touching the candles).
    const ms = INTERVAL_MS[bot.interval as CandleIntervalName];
    if (lastBarTime !== null && Math.floor(now / ms) * ms <= lastBarTime) return;
    let market: BotMarket;
    let bars: Bar[];
    try {
      market = await this.d.market(bot);
      bars = await market.closedBars(now, MAX_WINDOW_BARS);
    } catch (e) {
      // A market or account that is gone stops the bot; a venue that does not answer now
      // (a broker outage) is retried on the next bar, the reason shown meanwhile.
      if (e instanceof AppError && PERMANENT.has(e.code)) {
        return this.fail(bot, `market unavailable: ${message(e)}`);
      }
      return this.note(bot, `${BARS_UNAVAILABLE}, retried next bar: ${message(e)}`);
    }
    const last = bars[bars.length - 1];
    const seen = lastBarTime ?? bot.tsStarted ?? now;
    if (!last || last.closeTime <= seen) return;
    const w = barWindow(
      bars.map((b) => b.closeTime),
      bot.tsStarted ?? now,
      bot.warmupBars,
    );
    const window = bars.slice(w.from);
    let shadow: ShadowSummary;
    try {
      shadow = await this.d.replay({
        userId: bot.userId,
        strategyId: bot.strategyId,
        params: JSON.parse(bot.params) as ParamValues,
        assumptions: market.assumptions,
        capital: Number(bot.capital),
        bars: window,
        intervalMs: ms,
        firstLive: w.firstLive - w.from,
        timeLimitMs: bot.timeLimitMs,
      });
    } catch (e) {
      return this.fail(bot, `strategy failed: ${message(e)}`);
    }
    const scale = Math.min(8, Math.max(0, Number(market.assumptions.currencyScale ?? 2)));
    const adjust = await this.outsideClose(bot, last.closeText);
    await this.record(bot, last, window.length, shadow, market.lotStep, scale, adjust);
  }

  /**
   * Compares what the bot believes it holds with what the account holds of the market: less
   * the same way, none, or the other way means part or all of it was closed outside the bot
   * (by hand, a stop, a liquidation), and the belief shrinks to what is there, the closed part
   * booked at the bar's close (the real exit price is the venue's, not known here). Never
   * grows: a larger holding is someone else's. Skipped while the book is a guess (a fill the
   * venue accepted without confirming) and when the account cannot be read now.
   */
  private async outsideClose(bot: BotRow, close: DecimalText): Promise<Adjustment | null> {
    if (compareDecimal(bot.position, '0') === 0) return null;
    if (this.d.repo.lastOrder(bot.id)?.errorCode === 'fill_unconfirmed') return null;
    let held: DecimalText;
    try {
      // Canonical (`0.020000` at the market's scale reads `0.02`).
      held = addDecimal('0', await this.d.held(bot));
    } catch (e) {
      this.d.log.warn({ err: e, botId: bot.id }, 'bot could not read the account position');
      return null;
    }
    const next = shrinkToHeld(bot.position, held);
    if (next === null) return null;
    const gone = subDecimal(bot.position, next);
    const side = gone.startsWith('-') ? 'buy' : 'sell';
    const qty = gone.replace(/^-/, '');
    const book = applyFill(
      { position: bot.position, avgPrice: bot.avgPrice, realisedPnl: bot.realisedPnl },
      side,
      qty,
      close,
    );
    const text =
      `position closed outside the bot: the account holds ${held} ${bot.symbol}, the bot ` +
      `believed ${bot.position}; it now holds ${book.position} (the ${qty} closed is booked ` +
      `at the bar's close ${close})`;
    return { book, text };
  }

  /** One transaction: the bar, its signal, the shadow, and (when there is one) the pending order. */
  private async record(
    bot: BotRow,
    last: { closeTime: number; closeText: string },
    bars: number,
    shadow: ShadowSummary,
    lotStep: string,
    scale: number,
    adjust: Adjustment | null,
  ): Promise<void> {
    const target = targetPosition(shadow.position, lotStep);
    const live = adjust ? adjust.book.position : bot.position;
    const order = diffOrder(target, live);
    const now = this.d.now();
    const alertId = order ? botAlertId(bot.id, last.closeTime) : null;
    const bar = {
      lastBarTime: last.closeTime,
      lastClose: last.closeText,
      lastSignal: shadow.signal ?? bot.lastSignal,
      shadow: JSON.stringify({
        position: shadow.position,
        equity: money(shadow.equity, scale),
        pnl: money(shadow.pnl, scale),
        trades: shadow.trades,
        bars,
      }),
      tsUpdated: now,
      // The bars are back: a note about them no longer holds.
      ...(bot.reason?.startsWith(BARS_UNAVAILABLE) ? { reason: null } : {}),
    };
    if (!order && !shadow.signal && !adjust) {
      this.quiet.set(bot.id, bar);
      return;
    }
    const { exec, updated } = this.d.store.write('bots.bar', () => {
      this.quiet.delete(bot.id);
      const exec = this.d.repo.insertExecution({
        botId: bot.id,
        barTime: last.closeTime,
        signal: shadow.signal,
        shadowPosition: String(shadow.position),
        target,
        liveBefore: live,
        adjustment: adjust?.text ?? null,
        side: order?.side ?? null,
        qty: order?.qty ?? null,
        alertId,
        body: order
          ? alertBody({
              alertId: alertId!,
              symbol: bot.symbol,
              side: order.side,
              qty: order.qty,
              comment: `bot ${bot.id} ${bot.name}: ${shadow.signal ?? 'follow the backtest position'}`,
            })
          : null,
        outcome: order ? 'pending' : 'none',
        tsCreated: now,
      });
      const book = adjust ? { ...adjust.book, reason: adjust.text.slice(0, 500) } : {};
      return { exec, updated: this.d.repo.update(bot.id, { ...bar, ...book }) };
    });
    if (adjust) this.d.adjusted(updated, adjust.text);
    this.d.changed(updated);
    if (exec.outcome === 'pending') await this.deliver(updated, exec);
  }

  /** Sends a pending order and records its outcome and fill with the bot's book. */
  async deliver(bot: BotRow, exec: ExecutionRow): Promise<void> {
    const account = this.d.account(bot);
    const result: SendResult = account
      ? await this.d.send(account, exec.body!)
      : {
          outcome: 'rejected',
          logId: null,
          errorCode: 'unknown_account',
          error: `trading account ${bot.accountId} no longer exists`,
          filledQty: '0',
          avgPrice: null,
          unconfirmed: '0',
        };
    const updated = this.d.store.write('bots.order', () => {
      const fresh = this.d.repo.get(bot.id)!;
      const { book, note } = booked(fresh, exec, result);
      this.d.repo.updateExecution(exec.id, {
        outcome: result.outcome,
        logId: result.logId,
        errorCode: note ? 'fill_unconfirmed' : result.errorCode,
        error: note ?? result.error,
        filledQty: result.filledQty,
        avgPrice: result.avgPrice,
        tsDone: this.d.now(),
      });
      const reason =
        result.outcome === 'accepted' ? note : `order ${result.outcome}: ${result.error ?? ''}`;
      return this.d.repo.update(bot.id, { ...book, reason, tsUpdated: this.d.now() });
    });
    this.d.changed(updated);
  }

  /** Re-sends a pending order with its own alert id: the pipeline answers the first outcome. */
  private async resolvePending(botId: number, execId: number): Promise<void> {
    const exec = this.d.repo.pending(botId).find((p) => p.id === execId);
    const bot = this.d.repo.get(botId);
    if (!exec || !bot) return;
    await this.deliver(bot, exec);
  }

  /** Shows a passing problem in the bot's reason without stopping it. */
  private note(bot: BotRow, reason: string): void {
    const updated = this.d.store.write('bots.note', () =>
      this.d.repo.update(bot.id, { reason: reason.slice(0, 500), tsUpdated: this.d.now() }),
    );
    this.d.changed(updated);
  }

  /** Puts the bot in `error` with the reason (notified, pushed). */
  fail(bot: BotRow, reason: string): void {
    const status = nextStatus(bot.status as BotStatus, 'fail');
    if (!status) return;
    const updated = this.d.store.write('bots.fail', () =>
      this.d.repo.update(bot.id, {
        status,
        reason: reason.slice(0, 500),
        tsRunningSince: null,
        tsUpdated: this.d.now(),
      }),
    );
    this.d.failed(updated, reason);
    this.d.changed(updated);
  }
}

/**
 * The bot's book after an order's outcome: its confirmed fill at the fill price; what the venue
 * accepted without reporting it filled yet is booked at the last close (with a note), because
 * counting it as not held would send it again on the next bar.
 */
function booked(
  bot: BotRow,
  exec: ExecutionRow,
  result: SendResult,
): { book: BotBook; note: string | null } {
  let book: BotBook = {
    position: bot.position,
    avgPrice: bot.avgPrice,
    realisedPnl: bot.realisedPnl,
  };
  if (!exec.side) return { book, note: null };
  if (result.avgPrice) book = applyFill(book, exec.side, result.filledQty, result.avgPrice);
  const open = result.unconfirmed;
  if (result.outcome !== 'accepted' || compareDecimal(open, '0') <= 0) return { book, note: null };
  const mark = bot.lastClose ?? result.avgPrice;
  if (mark) book = applyFill(book, exec.side, open, mark);
  return {
    book,
    note: `the venue accepted ${open} without reporting it filled yet: counted as held${mark ? ` at the last close ${mark}` : ''}`,
  };
}
