import type Database from 'better-sqlite3';
import type { Logger } from '../../observability/logger';
import type { NotificationService } from '../notifications/service';
import { cancelAllOrders } from './commands';
import type { ExchangeService } from './service';

/**
 * Cancel-all-after ("dead man's switch"), as Kraken's CancelAllOrdersAfter: a user arms a
 * countdown and keeps re-arming it; when it runs out, every open order of theirs is cancelled
 * in one exchange batch, which also clears the stored countdown, so a crash leaves either
 * both (the orders and the armed row) or neither. Deadlines live in memory and in
 * `order_cancel_timers`; one timer waits for the nearest.
 */
export class DeadManSwitch {
  private readonly deadlines = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly upsertStmt: Database.Statement;
  private readonly deleteStmt: Database.Statement;

  constructor(
    private readonly opts: {
      sqlite: Database.Database;
      exchange: ExchangeService;
      notifications: NotificationService;
      now: () => number;
      log?: Logger;
    },
  ) {
    this.upsertStmt = opts.sqlite.prepare(
      `INSERT INTO order_cancel_timers (user_id, trigger_at) VALUES (?, ?)
       ON CONFLICT (user_id) DO UPDATE SET trigger_at = excluded.trigger_at`,
    );
    this.deleteStmt = opts.sqlite.prepare('DELETE FROM order_cancel_timers WHERE user_id = ?');
  }

  /** Loads the armed countdowns; those that ran out while Bourse was closed fire now. */
  async start(): Promise<void> {
    const rows = this.opts.sqlite
      .prepare('SELECT user_id AS userId, trigger_at AS triggerAt FROM order_cancel_timers')
      .all() as Array<{ userId: string; triggerAt: number }>;
    for (const r of rows) this.deadlines.set(r.userId, r.triggerAt);
    await this.fireDue();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Arms, re-arms (`timeoutSec` > 0) or disarms (0) the user's countdown. */
  arm(userId: string, timeoutSec: number): { currentTime: number; triggerTime: number | null } {
    const now = this.opts.now();
    if (timeoutSec === 0) {
      this.deleteStmt.run(userId);
      this.deadlines.delete(userId);
      this.schedule();
      return { currentTime: now, triggerTime: null };
    }
    const triggerTime = now + timeoutSec * 1000;
    this.upsertStmt.run(userId, triggerTime);
    this.deadlines.set(userId, triggerTime);
    this.schedule();
    return { currentTime: now, triggerTime };
  }

  /** The user's deadline, if armed. */
  deadline(userId: string): number | undefined {
    return this.deadlines.get(userId);
  }

  /** Fires every countdown that has run out (the timer's job; tests call it directly). */
  async fireDue(): Promise<void> {
    const now = this.opts.now();
    const due = [...this.deadlines].filter(([, at]) => at <= now).map(([userId]) => userId);
    await Promise.all(due.map((userId) => this.fire(userId)));
    this.schedule();
  }

  private async fire(userId: string): Promise<void> {
    const { exchange } = this.opts;
    try {
      const fired = await exchange.submit((st) => {
        // Re-armed or disarmed since it was found due (both run on this thread, before this
        // batch): leave the orders alone.
        const at = this.deadlines.get(userId);
        if (at === undefined || at > st.batch.ts) return null;
        let cancelled = 0;
        for (const symbol of st.markets.keys()) {
          cancelled += cancelAllOrders(st, userId, symbol, 'dead_man_switch');
        }
        st.batch.sideWrites.push(() => this.deleteStmt.run(userId));
        return { at, cancelled };
      });
      if (fired === null) return;
      // Committed. Forget the deadline unless the user armed a new one meanwhile (its row was
      // written after this batch's delete).
      if (this.deadlines.get(userId) === fired.at) this.deadlines.delete(userId);
      const { cancelled } = fired;
      this.opts.notifications.notify({
        userId,
        level: 'warning',
        kind: 'orders.deadManSwitch',
        title: "Dead man's switch: open orders cancelled",
        body:
          cancelled === 0
            ? 'The cancel-all-after countdown ran out; you had no open orders.'
            : `The cancel-all-after countdown ran out without being renewed: ${cancelled} open order${cancelled === 1 ? '' : 's'} cancelled.`,
      });
    } catch (err) {
      // The batch failed and was rolled back: the countdown stays armed and due, and the next
      // timer tries again.
      this.opts.log?.error({ err, userId }, "dead man's switch could not cancel the orders");
    }
  }

  /** One timer, for the nearest deadline. */
  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.stopped || this.deadlines.size === 0) return;
    const next = Math.min(...this.deadlines.values());
    // At least a second: what is still due here failed to fire and is retried, not spun on.
    const delay = Math.max(1000, Math.min(next - this.opts.now(), 2 ** 31 - 1));
    this.timer = setTimeout(() => void this.fireDue(), delay);
    this.timer.unref();
  }
}
