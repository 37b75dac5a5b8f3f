import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../../src-main/db/database';
import { AutomationStore, type LogRow } from '../../../src-main/features/automation/store';
import { tempDataDir } from '../../helpers/backend';
import { logRow } from '../../helpers/webhook-log';

/**
 * The risk rules' session totals (orders, trades, realised P&L since the session start) are
 * read from the log once per session start and then kept by `counted`: they must always equal
 * what summing the stored rows gives.
 */
describe('automation session totals', () => {
  let db: DatabaseHandle | undefined;
  afterEach(() => db?.close());

  const row = (accountId: string, tsReceived: number, status: LogRow['status']): LogRow =>
    logRow({
      userId: 'u1',
      accountId,
      status,
      ordersPlaced: status === 'accepted' ? 2 : 0,
      tradesExecuted: status === 'accepted' ? 1 : 0,
      tsReceived,
    });

  it('equal the stored rows’ sums as alerts commit, per account and session start', () => {
    db = openDatabase({
      file: path.join(tempDataDir(), 'bourse.sqlite'),
      synchronous: 'FULL',
      migrationsDir: 'drizzle',
    });
    const store = new AutomationStore(db.sqlite);
    const day = 1_900_000_000_000;
    // What the pipeline does for an accepted alert: the row and its results, then `counted`.
    const commit = (accountId: string, ts: number, status: LogRow['status'], pnl: string[]) => {
      db!.write('t', () => {
        store.insertLog(row(accountId, ts, status));
        for (const p of pnl) store.addResult('u1', accountId, 'BTC/USDT', p, ts);
      });
      if (status === 'accepted')
        store.counted({ accountId, tsReceived: ts, orders: 2, trades: 1, realised: pnl });
    };
    commit('a', day - 1_000, 'accepted', ['-5']); // before the session: never counted
    commit('a', day + 1, 'accepted', ['10.5']);
    expect(store.sessionTotals('a', day)).toEqual({ orders: 2, trades: 1, realised: '10.5' });
    commit('a', day + 2, 'accepted', ['-0.25', '1']);
    commit('a', day + 3, 'rejected', []);
    commit('b', day + 4, 'accepted', ['100']); // another account
    const fresh = new AutomationStore(db.sqlite); // reads everything from the rows
    for (const s of [store, fresh]) {
      expect(s.sessionTotals('a', day)).toEqual({ orders: 4, trades: 2, realised: '11.25' });
      expect(s.sessionTotals('b', day)).toEqual({ orders: 2, trades: 1, realised: '100' });
    }
    // An earlier session start reads again from the rows (the day before included).
    expect(store.sessionTotals('a', day - 86_400_000)).toEqual({
      orders: 6,
      trades: 3,
      realised: '6.25',
    });
  });
});
