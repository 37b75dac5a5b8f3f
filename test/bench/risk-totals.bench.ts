/**
 * `npm run bench:risk-totals`: what the risk rules' "today so far" costs per alert as the day's
 * webhook log grows (issue #24's alert path). Baseline, in the same run: the query every alert
 * ran before (the account's accepted log rows since the session start, summed), against
 * `AutomationStore.sessionTotals`, which reads them once per session start and is then kept
 * as alerts commit. Figures are printed, never asserted. BENCH_RISK_ROWS (10000,100000).
 */
import path from 'node:path';
import { openDatabase } from '../../src-main/db/database';
import { AutomationStore } from '../../src-main/features/automation/store';
import { tempDataDir } from '../helpers/backend';
import { logRow } from '../helpers/webhook-log';

const SIZES = (process.env.BENCH_RISK_ROWS ?? '10000,100000').split(',').map(Number);
const DAY = 1_900_000_000_000;

function measure(rows: number) {
  const db = openDatabase({
    file: path.join(tempDataDir(), 'bourse.sqlite'),
    synchronous: 'NORMAL',
    migrationsDir: 'drizzle',
  });
  const store = new AutomationStore(db.sqlite);
  db.write('fill', () => {
    for (let i = 0; i < rows; i++)
      store.insertLog(
        logRow({
          userId: 'u',
          accountId: 'a',
          status: 'accepted',
          ordersPlaced: 1,
          tsReceived: DAY + i,
        }),
      );
  });
  const before = db.sqlite.prepare(
    `SELECT coalesce(sum(orders_placed), 0) AS orders, coalesce(sum(trades_executed), 0) AS trades
     FROM automation_webhook_log WHERE account_id = ? AND status = 'accepted' AND ts_received >= ?`,
  );
  const results = db.sqlite.prepare(
    'SELECT ts, pnl FROM automation_results WHERE account_id = ? AND ts >= ? ORDER BY id',
  );
  const time = (n: number, fn: () => unknown) => {
    fn(); // warm
    const t = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn();
    return Number(process.hrtime.bigint() - t) / 1e3 / n;
  };
  const oldUs = time(20, () => [before.get('a', DAY), results.all('a', DAY)]);
  const newUs = time(100_000, () => store.sessionTotals('a', DAY));
  db.close();
  return { oldUs, newUs };
}

console.log("\nbench:risk-totals — risk rules' session totals per alert (µs)");
console.log('log rows today | summed per alert (before) | kept totals (now) | ratio');
for (const rows of SIZES) {
  const { oldUs, newUs } = measure(rows);
  console.log(
    `${String(rows).padStart(14)} | ${oldUs.toFixed(1).padStart(24)} | ${newUs.toFixed(2).padStart(17)} | ${(oldUs / newUs).toFixed(0)}×`,
  );
}
