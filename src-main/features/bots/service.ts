import {
  AppError,
  BOT_WARMUP,
  type CandleIntervalName,
  type InputOf,
} from '../../../src-shared/contract';
import type { botsCreate } from '../../../src-shared/contract/bots';
import type { DatabaseHandle } from '../../db/database';
import { resolveParams, type ParamSpec } from '../../domain/backtest';
import { negateDecimal, compareDecimal } from '../../domain/money';
import { nextStatus, type BotCommand, type BotStatus } from '../../domain/bots';
import type { AccountRow } from '../accounts/repo';
import { botMarket, type BotMarket, type MarketDeps } from './market';
import { alertBody, botAlertId } from './orders';
import type { BotRunner } from './runner';
import type { BotRow, BotsStore } from './store';
import { botView, executionView } from './views';

/** What the use cases need besides the runner. */
export interface BotsServiceDeps {
  store: DatabaseHandle;
  repo: BotsStore;
  now: () => number;
  market: MarketDeps;
  /** The user's trading account (throws `unknown_account` for anyone else's). */
  ownAccount(userId: string, accountId: string): AccountRow;
  /** Name and parameter specs of a strategy the user may run (throws `not_found`). */
  strategy(userId: string, strategyId: string): { name: string; params: readonly ParamSpec[] };
  publish(bot: BotRow): void;
}

/** Bots: create, control, read. The runner does the per-bar work. */
export class BotsService {
  constructor(
    private readonly d: BotsServiceDeps,
    readonly runner: BotRunner,
  ) {}

  /** The user's bot, or `not_found` (another user's bot does not exist for them). */
  private own(userId: string, id: number): BotRow {
    const row = this.d.repo.own(userId, id);
    if (!row) throw new AppError('not_found', `No bot ${id}`);
    return row;
  }

  view(b: BotRow) {
    return botView(b, this.d.repo.lastOrder(b.id), this.d.now());
  }

  list(userId: string) {
    return { items: this.d.repo.listForUser(userId).map((b) => this.view(b)) };
  }

  get(userId: string, id: number) {
    return this.view(this.own(userId, id));
  }

  history(userId: string, id: number, cursor: string | undefined, limit = 100) {
    this.own(userId, id);
    const rows = this.d.repo.history(id, cursor ? Number(cursor) : undefined, limit + 1);
    const items = rows.slice(0, limit).map(executionView);
    return rows.length > limit
      ? { items, nextCursor: String(items[items.length - 1]!.id) }
      : { items };
  }

  /** The market of a bot on its account, as the runner reads it. */
  market(bot: BotRow): Promise<BotMarket> {
    const account = this.d.ownAccount(bot.userId, bot.accountId);
    return botMarket(this.d.market, account, bot.symbol, bot.interval as CandleIntervalName);
  }

  async create(userId: string, input: InputOf<typeof botsCreate>) {
    const account = this.d.ownAccount(userId, input.accountId);
    const strategy = this.d.strategy(userId, input.strategyId);
    let params;
    try {
      params = resolveParams(strategy.params, input.params ?? {});
    } catch (e) {
      throw new AppError('validation_failed', e instanceof Error ? e.message : String(e), {
        field: 'params',
      });
    }
    if (compareDecimal(input.capital, '0') <= 0) {
      throw new AppError('validation_failed', 'capital must be positive', { field: 'capital' });
    }
    // The market must exist for this account (and a broker must serve its price history).
    await botMarket(this.d.market, account, input.symbol, input.interval);
    const now = this.d.now();
    const row = this.d.store.write('bots.create', () =>
      this.d.repo.insert({
        userId,
        name: input.name ?? `${strategy.name} ${input.symbol} ${input.interval}`,
        strategyId: input.strategyId,
        strategyName: strategy.name,
        params: JSON.stringify(params),
        accountId: account.id,
        symbol: input.symbol,
        interval: input.interval,
        capital: input.capital,
        warmupBars: input.warmupBars ?? BOT_WARMUP.default,
        timeLimitMs: input.strategyId.startsWith('user:')
          ? (input.timeLimitSeconds ?? 30) * 1000
          : null,
        status: 'created',
        tsCreated: now,
        tsUpdated: now,
      }),
    );
    this.d.publish(row);
    return this.view(row);
  }

  private transition(bot: BotRow, command: BotCommand): BotStatus {
    const next = nextStatus(bot.status as BotStatus, command);
    if (!next) {
      throw new AppError('conflict', `Bot ${bot.id} is ${bot.status}: it cannot ${command}`, {
        status: bot.status,
      });
    }
    return next;
  }

  async start(userId: string, id: number) {
    this.own(userId, id);
    const row = await this.runner.serial(id, async () => {
      const bot = this.own(userId, id);
      const status = this.transition(bot, 'start');
      const now = this.d.now();
      return this.d.store.write('bots.start', () =>
        this.d.repo.update(id, {
          status,
          reason: null,
          tsStarted: bot.tsStarted ?? now,
          tsRunningSince: now,
          tsUpdated: now,
        }),
      );
    });
    this.d.publish(row);
    // A resumed bot catches up with the bar that closed while it was paused (if any).
    void this.runner.step(id);
    this.runner.schedule();
    return this.view(row);
  }

  async pause(userId: string, id: number) {
    this.own(userId, id);
    const row = await this.runner.serial(id, async () => {
      const bot = this.own(userId, id);
      const status = this.transition(bot, 'pause');
      return this.d.store.write('bots.pause', () =>
        this.d.repo.update(id, { status, tsRunningSince: null, tsUpdated: this.d.now() }),
      );
    });
    this.d.publish(row);
    return this.view(row);
  }

  /**
   * Stops the bot for good. With `closePosition` its own position is closed by one market
   * order through the pipeline first (written pending before it leaves, like a bar's order).
   */
  async stop(userId: string, id: number, closePosition: boolean) {
    this.own(userId, id);
    const row = await this.runner.serial(id, async () => {
      const bot = this.own(userId, id);
      const status = this.transition(bot, 'stop');
      const now = this.d.now();
      const side = compareDecimal(bot.position, '0') > 0 ? 'sell' : 'buy';
      const closing = closePosition && compareDecimal(bot.position, '0') !== 0;
      const exec = this.d.store.write('bots.stop', () => {
        this.d.repo.update(id, { status, tsRunningSince: null, tsUpdated: now });
        if (!closing) return null;
        // A bar may have closed at this very millisecond: the stop's row takes the next one.
        let at = now;
        while (this.d.repo.execution(id, at)) at++;
        const alertId = botAlertId(id, at, 'stop');
        const qty = side === 'sell' ? bot.position : negateDecimal(bot.position);
        return this.d.repo.insertExecution({
          botId: id,
          barTime: at,
          signal: 'stop: close the position',
          shadowPosition: '0',
          target: '0',
          liveBefore: bot.position,
          side,
          qty,
          alertId,
          body: alertBody({
            alertId,
            symbol: bot.symbol,
            side,
            qty,
            comment: `bot ${id} ${bot.name}: stopped, closing its position`,
          }),
          outcome: 'pending',
          tsCreated: now,
        });
      });
      if (exec) await this.runner.deliver(this.d.repo.get(id)!, exec);
      return this.d.repo.get(id)!;
    });
    this.d.publish(row);
    this.runner.schedule();
    return this.view(row);
  }

  delete(userId: string, id: number) {
    const bot = this.own(userId, id);
    this.transition(bot, 'delete');
    this.d.store.write('bots.delete', () => this.d.repo.delete(id));
    return { ok: true as const };
  }
}
