import { and, desc, eq, inArray, lt } from 'drizzle-orm';
import type { DatabaseHandle } from '../../db/database';
import { botExecutions, bots } from '../../db/schema';

export type BotRow = typeof bots.$inferSelect;
export type ExecutionRow = typeof botExecutions.$inferSelect;
export type NewBot = typeof bots.$inferInsert;
export type NewExecution = typeof botExecutions.$inferInsert;

/**
 * The bots feature's tables. Reads run on their own; writes are called inside the use case's
 * transaction (`store.write`), so a bot's state and its execution row commit together.
 */
export class BotsStore {
  constructor(private readonly store: DatabaseHandle) {}

  private get db() {
    return this.store.db;
  }

  insert(row: NewBot): BotRow {
    return this.db.insert(bots).values(row).returning().get();
  }

  get(id: number): BotRow | undefined {
    return this.db.select().from(bots).where(eq(bots.id, id)).get();
  }

  /** The user's bot, or undefined (another user's bot is not theirs to see). */
  own(userId: string, id: number): BotRow | undefined {
    return this.db
      .select()
      .from(bots)
      .where(and(eq(bots.id, id), eq(bots.userId, userId)))
      .get();
  }

  listForUser(userId: string): BotRow[] {
    return this.db.select().from(bots).where(eq(bots.userId, userId)).orderBy(bots.id).all();
  }

  /** Bots the runner steps: running ones. */
  running(): BotRow[] {
    return this.db.select().from(bots).where(eq(bots.status, 'running')).orderBy(bots.id).all();
  }

  update(id: number, set: Partial<BotRow>): BotRow {
    return this.db.update(bots).set(set).where(eq(bots.id, id)).returning().get()!;
  }

  delete(id: number): void {
    this.db.delete(botExecutions).where(eq(botExecutions.botId, id)).run();
    this.db.delete(bots).where(eq(bots.id, id)).run();
  }

  insertExecution(row: NewExecution): ExecutionRow {
    return this.db.insert(botExecutions).values(row).returning().get();
  }

  updateExecution(id: number, set: Partial<ExecutionRow>): ExecutionRow {
    return this.db
      .update(botExecutions)
      .set(set)
      .where(eq(botExecutions.id, id))
      .returning()
      .get()!;
  }

  execution(botId: number, barTime: number): ExecutionRow | undefined {
    return this.db
      .select()
      .from(botExecutions)
      .where(and(eq(botExecutions.botId, botId), eq(botExecutions.barTime, barTime)))
      .get();
  }

  /** Orders whose outcome was never recorded (the backend stopped while they were out). */
  pending(botId?: number): ExecutionRow[] {
    const pending = eq(botExecutions.outcome, 'pending');
    return this.db
      .select()
      .from(botExecutions)
      .where(botId === undefined ? pending : and(pending, eq(botExecutions.botId, botId)))
      .orderBy(botExecutions.id)
      .all();
  }

  /** The last execution that sent an order. */
  lastOrder(botId: number): ExecutionRow | undefined {
    return this.db
      .select()
      .from(botExecutions)
      .where(
        and(
          eq(botExecutions.botId, botId),
          inArray(botExecutions.outcome, ['pending', 'accepted', 'rejected', 'failed', 'unknown']),
        ),
      )
      .orderBy(desc(botExecutions.id))
      .limit(1)
      .get();
  }

  /** Executions newest first, keyset-paged by id. */
  history(botId: number, before: number | undefined, limit: number): ExecutionRow[] {
    const where = [eq(botExecutions.botId, botId)];
    if (before !== undefined) where.push(lt(botExecutions.id, before));
    return this.db
      .select()
      .from(botExecutions)
      .where(and(...where))
      .orderBy(desc(botExecutions.id))
      .limit(limit)
      .all();
  }
}
