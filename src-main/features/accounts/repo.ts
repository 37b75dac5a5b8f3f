import type Database from 'better-sqlite3';
import type { PaperConfig } from '../../domain/paper';
import type {
  FillRow,
  FinancingRow,
  PaperStore,
  PendingRow,
  PositionRow,
} from '../../connectors/paper/store';

export type { FillRow, PendingRow, PositionRow };

/** A trading account as stored (the token only as its hash). */
export interface AccountRow {
  id: string;
  userId: string;
  name: string;
  venue: string;
  mode: 'demo' | 'live';
  enabled: boolean;
  baseCurrency: string;
  tokenHash: string;
  tokenHint: string;
  paperConfig: PaperConfig | null;
  /** Broker accounts: non-secret connection settings. */
  brokerSettings: Record<string, string> | null;
  /** Broker accounts: the secret-store name of the credentials. */
  credentialsRef: string | null;
  /** Broker accounts: how long an order may wait for an unreachable broker (ms). */
  outageQueueMs: number;
  createdAt: number;
  updatedAt: number;
  lastSyncedAt: number | null;
}

type Raw = Record<string, unknown>;
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));

function pendingOf(r: Raw): PendingRow {
  return {
    id: Number(r.id),
    accountId: String(r.account_id),
    symbol: String(r.symbol),
    side: r.side === 'sell' ? 'sell' : 'buy',
    type: r.type === 'stop' ? 'stop' : 'limit',
    qty: String(r.qty),
    price: String(r.price),
    leverage: num(r.leverage),
    stopLoss: str(r.stop_loss),
    takeProfit: str(r.take_profit),
    trailBps: num(r.trail_bps),
    trailAmount: str(r.trail_amount),
    trailActive: Number(r.trail_active) === 1,
    stopLossTrailBps: num(r.stop_loss_trail_bps),
    stopLossTrailAmount: str(r.stop_loss_trail_amount),
    status: String(r.status) as PendingRow['status'],
    reason: str(r.reason),
    fillId: num(r.fill_id),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

function accountOf(r: Raw): AccountRow {
  return {
    id: String(r.id),
    userId: String(r.user_id),
    name: String(r.name),
    venue: String(r.venue),
    mode: r.mode === 'live' ? 'live' : 'demo',
    enabled: Number(r.enabled) === 1,
    baseCurrency: String(r.base_currency),
    tokenHash: String(r.token_hash),
    tokenHint: String(r.token_hint),
    paperConfig: r.paper_config ? (JSON.parse(String(r.paper_config)) as PaperConfig) : null,
    brokerSettings: r.broker_settings
      ? (JSON.parse(String(r.broker_settings)) as Record<string, string>)
      : null,
    credentialsRef: str(r.credentials_ref),
    outageQueueMs: Number(r.outage_queue_ms ?? 0),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    lastSyncedAt: num(r.last_synced_at),
  };
}

function positionOf(r: Raw): PositionRow {
  return {
    accountId: String(r.account_id),
    symbol: String(r.symbol),
    qty: String(r.qty),
    entryPrice: String(r.entry_price),
    leverage: Number(r.leverage),
    margin: String(r.margin),
    stopLoss: str(r.stop_loss),
    takeProfit: str(r.take_profit),
    trailBps: num(r.trail_bps),
    trailAmount: str(r.trail_amount),
    realised: String(r.realised),
    openedAt: Number(r.opened_at),
    updatedAt: Number(r.updated_at),
  };
}

function fillOf(r: Raw): FillRow {
  return {
    id: Number(r.id),
    accountId: String(r.account_id),
    symbol: String(r.symbol),
    side: r.side === 'sell' ? 'sell' : 'buy',
    qty: String(r.qty),
    price: String(r.price),
    touchPrice: String(r.touch_price),
    slippagePpm: Number(r.slippage_ppm),
    commission: String(r.commission),
    realisedPnl: String(r.realised_pnl),
    multiplier: r.multiplier === null || r.multiplier === undefined ? null : String(r.multiplier),
    reason: String(r.reason),
    entryId: num(r.entry_id),
    ts: Number(r.ts),
  };
}

/** SQL of trading accounts and the paper broker (prepared once). */
export class AccountsRepo implements PaperStore {
  private readonly s;

  constructor(private readonly db: Database.Database) {
    this.s = {
      all: db.prepare(
        'SELECT * FROM trading_accounts WHERE deleted_at IS NULL ORDER BY created_at',
      ),
      insert: db.prepare(
        `INSERT INTO trading_accounts (id, user_id, name, venue, mode, enabled, base_currency,
           token_hash, token_hint, paper_config, broker_settings, credentials_ref,
           outage_queue_ms, created_at, updated_at)
         VALUES (@id, @userId, @name, @venue, @mode, @enabled, @baseCurrency, @tokenHash,
           @tokenHint, @paperConfig, @brokerSettings, @credentialsRef, @outageQueueMs,
           @createdAt, @updatedAt)`,
      ),
      update: db.prepare(
        `UPDATE trading_accounts SET name = @name, enabled = @enabled, paper_config = @paperConfig,
           broker_settings = @brokerSettings, outage_queue_ms = @outageQueueMs, token_hash = @tokenHash, token_hint = @tokenHint, updated_at = @updatedAt,
           last_synced_at = @lastSyncedAt
         WHERE id = @id AND deleted_at IS NULL`,
      ),
      delete: db.prepare(
        `UPDATE trading_accounts SET deleted_at = ?, token_hash = 'deleted:' || id, enabled = 0
         WHERE id = ?`,
      ),
      nameTaken: db.prepare(
        'SELECT 1 FROM trading_accounts WHERE user_id = ? AND name = ? AND id <> ? AND deleted_at IS NULL',
      ),
      positions: db.prepare('SELECT * FROM paper_positions WHERE account_id = ? ORDER BY symbol'),
      allPositions: db.prepare('SELECT * FROM paper_positions'),
      position: db.prepare('SELECT * FROM paper_positions WHERE account_id = ? AND symbol = ?'),
      upsertPosition: db.prepare(
        `INSERT INTO paper_positions (account_id, symbol, qty, entry_price, leverage, margin,
           stop_loss, take_profit, trail_bps, trail_amount, realised, opened_at, updated_at)
         VALUES (@accountId, @symbol, @qty, @entryPrice, @leverage, @margin, @stopLoss,
           @takeProfit, @trailBps, @trailAmount, @realised, @openedAt, @updatedAt)
         ON CONFLICT (account_id, symbol) DO UPDATE SET qty = excluded.qty,
           entry_price = excluded.entry_price, leverage = excluded.leverage,
           margin = excluded.margin, stop_loss = excluded.stop_loss,
           take_profit = excluded.take_profit, trail_bps = excluded.trail_bps,
           trail_amount = excluded.trail_amount, realised = excluded.realised,
           opened_at = excluded.opened_at, updated_at = excluded.updated_at`,
      ),
      deletePosition: db.prepare('DELETE FROM paper_positions WHERE account_id = ? AND symbol = ?'),
      insertFill: db.prepare(
        `INSERT INTO paper_fills (account_id, symbol, side, qty, price, touch_price, slippage_ppm,
           commission, realised_pnl, multiplier, reason, entry_id, ts)
         VALUES (@accountId, @symbol, @side, @qty, @price, @touchPrice, @slippagePpm,
           @commission, @realisedPnl, @multiplier, @reason, @entryId, @ts)`,
      ),
      fills: db.prepare('SELECT * FROM paper_fills WHERE account_id = ? ORDER BY id DESC LIMIT ?'),
      fillsUntil: db.prepare(
        'SELECT * FROM paper_fills WHERE account_id = ? AND ts <= ? ORDER BY ts, id',
      ),
      insertPending: db.prepare(
        `INSERT INTO paper_orders (account_id, symbol, side, type, qty, price, leverage, stop_loss,
           take_profit, trail_bps, trail_amount, trail_active, stop_loss_trail_bps,
           stop_loss_trail_amount, status, created_at, updated_at)
         VALUES (@accountId, @symbol, @side, @type, @qty, @price, @leverage, @stopLoss,
           @takeProfit, @trailBps, @trailAmount, @trailActive, @stopLossTrailBps,
           @stopLossTrailAmount, 'open', @createdAt, @createdAt)`,
      ),
      movePending: db.prepare(
        `UPDATE paper_orders SET price = ?, trail_active = ?, updated_at = ?
         WHERE id = ? AND status = 'open'`,
      ),
      pending: db.prepare('SELECT * FROM paper_orders WHERE id = ?'),
      openPending: db.prepare(
        "SELECT * FROM paper_orders WHERE status = 'open' AND account_id = ? ORDER BY id",
      ),
      openPendingSymbols: db.prepare(
        "SELECT DISTINCT account_id, symbol FROM paper_orders WHERE status = 'open'",
      ),
      recentPending: db.prepare(
        'SELECT * FROM paper_orders WHERE account_id = ? ORDER BY id DESC LIMIT ?',
      ),
      financed: db.prepare(
        'SELECT 1 FROM paper_financing WHERE account_id = ? AND symbol = ? AND period_start = ?',
      ),
      insertFinancing: db.prepare(
        `INSERT INTO paper_financing (account_id, symbol, period_start, qty, index_price,
           rate_ppm, amount, entry_id, ts)
         VALUES (@accountId, @symbol, @periodStart, @qty, @indexPrice, @ratePpm, @amount,
           @entryId, @ts)`,
      ),
      setPending: db.prepare(
        `UPDATE paper_orders SET status = @status, reason = @reason, fill_id = @fillId,
           updated_at = @ts WHERE id = @id AND status = 'open'`,
      ),
    };
  }

  financed(accountId: string, symbol: string, periodStart: number): boolean {
    return this.s.financed.get(accountId, symbol, periodStart) !== undefined;
  }

  insertFinancing(row: FinancingRow): void {
    this.s.insertFinancing.run(row);
  }

  accounts(): AccountRow[] {
    return (this.s.all.all() as Raw[]).map(accountOf);
  }

  insert(a: AccountRow): void {
    this.s.insert.run({
      ...a,
      enabled: a.enabled ? 1 : 0,
      paperConfig: a.paperConfig ? JSON.stringify(a.paperConfig) : null,
      brokerSettings: a.brokerSettings ? JSON.stringify(a.brokerSettings) : null,
    });
  }

  update(a: AccountRow): void {
    this.s.update.run({
      id: a.id,
      name: a.name,
      enabled: a.enabled ? 1 : 0,
      paperConfig: a.paperConfig ? JSON.stringify(a.paperConfig) : null,
      brokerSettings: a.brokerSettings ? JSON.stringify(a.brokerSettings) : null,
      outageQueueMs: a.outageQueueMs,
      tokenHash: a.tokenHash,
      tokenHint: a.tokenHint,
      updatedAt: a.updatedAt,
      lastSyncedAt: a.lastSyncedAt,
    });
  }

  delete(id: string, ts: number): void {
    this.s.delete.run(ts, id);
  }

  nameTaken(userId: string, name: string, exceptId: string): boolean {
    return this.s.nameTaken.get(userId, name, exceptId) !== undefined;
  }

  positions(accountId: string): PositionRow[] {
    return (this.s.positions.all(accountId) as Raw[]).map(positionOf);
  }

  allPositions(): PositionRow[] {
    return (this.s.allPositions.all() as Raw[]).map(positionOf);
  }

  position(accountId: string, symbol: string): PositionRow | null {
    const r = this.s.position.get(accountId, symbol) as Raw | undefined;
    return r ? positionOf(r) : null;
  }

  savePosition(p: PositionRow): void {
    this.s.upsertPosition.run(p);
  }

  deletePosition(accountId: string, symbol: string): void {
    this.s.deletePosition.run(accountId, symbol);
  }

  insertFill(f: Omit<FillRow, 'id'>): number {
    return Number(this.s.insertFill.run(f).lastInsertRowid);
  }

  insertPending(p: Omit<PendingRow, 'id' | 'status' | 'reason' | 'fillId' | 'updatedAt'>): number {
    return Number(
      this.s.insertPending.run({ ...p, trailActive: p.trailActive ? 1 : 0 }).lastInsertRowid,
    );
  }

  movePending(id: number, price: string, trailActive: boolean, ts: number): boolean {
    return this.s.movePending.run(price, trailActive ? 1 : 0, ts, id).changes === 1;
  }

  pending(id: number): PendingRow | null {
    const r = this.s.pending.get(id) as Raw | undefined;
    return r ? pendingOf(r) : null;
  }

  openPending(accountId: string): PendingRow[] {
    return (this.s.openPending.all(accountId) as Raw[]).map(pendingOf);
  }

  /** (account, symbol) pairs with open paper orders. */
  openPendingSymbols(): Array<{ accountId: string; symbol: string }> {
    return (this.s.openPendingSymbols.all() as Raw[]).map((r) => ({
      accountId: String(r.account_id),
      symbol: String(r.symbol),
    }));
  }

  recentPending(accountId: string, limit: number): PendingRow[] {
    return (this.s.recentPending.all(accountId, limit) as Raw[]).map(pendingOf);
  }

  /** Closes an open paper order; false when it was no longer open. */
  setPending(
    id: number,
    status: 'filled' | 'cancelled' | 'rejected',
    reason: string | null,
    fillId: number | null,
    ts: number,
  ): boolean {
    return this.s.setPending.run({ id, status, reason, fillId, ts }).changes === 1;
  }

  fills(accountId: string, limit: number): FillRow[] {
    return (this.s.fills.all(accountId, limit) as Raw[]).map(fillOf);
  }

  /** Every fill of an account up to `until`, oldest first (analytics rebuilds round trips). */
  fillsUntil(accountId: string, until: number): FillRow[] {
    return (this.s.fillsUntil.all(accountId, until) as Raw[]).map(fillOf);
  }
}
