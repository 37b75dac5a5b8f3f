import type Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';
import type { OrderList } from './types';

/** A raw `order_lists` row. */
interface ListRow {
  id: number;
  user_id: string;
  symbol: string;
  list_client_id: string | null;
  limit_order_id: number;
  stop_order_id: number;
  status: OrderList['status'];
  bracket: number;
  ts_created: number;
  ts_updated: number;
}

const fromRow = (r: ListRow): OrderList => ({
  id: r.id,
  userId: r.user_id,
  symbol: r.symbol,
  listClientId: r.list_client_id,
  limitOrderId: r.limit_order_id,
  stopOrderId: r.stop_order_id,
  status: r.status,
  bracket: r.bracket === 1,
  tsCreated: r.ts_created,
  tsUpdated: r.ts_updated,
});

/** Filters of {@link OrderListStore.lists}. */
export interface ListFilter {
  scope?: 'open' | 'all';
  symbol?: string;
  from?: number;
  to?: number;
  fromId?: number;
  limit?: number;
}

/**
 * The `order_lists` table: written inside the exchange batch's transaction (a list and its
 * legs' rows commit together), read for recovery and for the list operations.
 */
export class OrderListStore {
  private readonly upsert: Statement;
  private readonly byId: Statement;
  private readonly byClient: Statement;
  private readonly ofOrder: Statement;

  constructor(private readonly sqlite: Database.Database) {
    this.upsert = sqlite.prepare(
      `INSERT INTO order_lists (id, user_id, symbol, list_client_id, limit_order_id,
       stop_order_id, status, bracket, ts_created, ts_updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET status = excluded.status, ts_updated = excluded.ts_updated`,
    );
    this.byId = sqlite.prepare('SELECT * FROM order_lists WHERE id = ? AND user_id = ?');
    this.byClient = sqlite.prepare(
      `SELECT * FROM order_lists WHERE user_id = ? AND list_client_id = ? AND ts_created >= ?
       ORDER BY id DESC LIMIT 1`,
    );
    this.ofOrder = sqlite.prepare(
      `SELECT id FROM order_lists WHERE limit_order_id = @id
       UNION ALL SELECT id FROM order_lists WHERE stop_order_id = @id LIMIT 1`,
    );
  }

  /** Writes the lists a batch placed or changed; call inside the batch's transaction. */
  write(lists: Iterable<OrderList>): void {
    for (const l of lists) {
      this.upsert.run(
        l.id,
        l.userId,
        l.symbol,
        l.listClientId,
        l.limitOrderId,
        l.stopOrderId,
        l.status,
        l.bracket ? 1 : 0,
        l.tsCreated,
        l.tsUpdated,
      );
    }
  }

  /** Every list whose legs are still linked, for recovery. */
  executing(): OrderList[] {
    const rows = this.sqlite
      .prepare("SELECT * FROM order_lists WHERE status = 'executing' ORDER BY id")
      .all() as ListRow[];
    return rows.map(fromRow);
  }

  /** The highest list id used (the sequence continues after it). */
  maxId(): number {
    const row = this.sqlite.prepare('SELECT max(id) AS id FROM order_lists').get() as {
      id: number | null;
    };
    return row.id ?? 0;
  }

  get(userId: string, id: number): OrderList | undefined {
    const row = this.byId.get(id, userId) as ListRow | undefined;
    return row && fromRow(row);
  }

  /** The newest list of this user with this client id placed at or after `since`. */
  byClientId(userId: string, listClientId: string, since = 0): OrderList | undefined {
    const row = this.byClient.get(userId, listClientId, since) as ListRow | undefined;
    return row && fromRow(row);
  }

  /** The list an order is a leg of, if any. */
  listOf(orderId: number): number | undefined {
    return (this.ofOrder.get({ id: orderId }) as { id: number } | undefined)?.id;
  }

  /** A user's lists: newest first, or from `fromId` upwards (oldest first). */
  lists(userId: string, f: ListFilter): OrderList[] {
    const where = ['user_id = ?'];
    const args: unknown[] = [userId];
    if (f.scope === 'open') where.push("status = 'executing'");
    const filters: Array<[string, unknown]> = [
      ['symbol = ?', f.symbol],
      ['ts_created >= ?', f.from],
      ['ts_created <= ?', f.to],
      ['id >= ?', f.fromId],
    ];
    for (const [clause, value] of filters) {
      if (value === undefined) continue;
      where.push(clause);
      args.push(value);
    }
    const order = f.fromId !== undefined ? 'id ASC' : 'id DESC';
    const rows = this.sqlite
      .prepare(`SELECT * FROM order_lists WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ?`)
      .all(...args, f.limit ?? 500) as ListRow[];
    return rows.map(fromRow);
  }
}
