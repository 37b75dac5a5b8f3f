/**
 * `npm run bench:reconcile [-- --quick]`: how long a ledger reconciliation blocks the event
 * loop as the journal grows. Baseline, in the same run: the same check summing the postings
 * in one statement on the writer connection, as it did before 2026-11-23 (and still does
 * when no reader connection is given). Figures are printed, never asserted.
 *
 * The journal is synthetic (inserted directly, balanced, with matching stored balances): 50
 * users' available balances in 2 assets against `system:external`, two postings per entry
 * (no held balances: those must match open orders, and there are none).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type DatabaseHandle } from '../../src-main/db/database';
import { migrationsDir } from '../../src-main/paths';
import { reconcile } from '../../src-main/features/exchange/reconcile';
import { worstStall } from './stall';

const quick = process.argv.includes('--quick');
const SIZES = quick ? [200_000] : [500_000, 2_000_000];
const USERS = Array.from({ length: 50 }, (_, i) => `user-${String(i).padStart(3, '0')}`);

function journal(postings: number): { store: DatabaseHandle; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bourse-bench-reconcile-'));
  const store = openDatabase({
    file: path.join(dir, 'bourse.sqlite'),
    synchronous: 'NORMAL',
    migrationsDir: migrationsDir(),
  });
  const insert = store.sqlite.prepare(
    'INSERT INTO ledger_postings (entry_id, owner, asset, purpose, amount) VALUES (?, ?, ?, ?, ?)',
  );
  const account = store.sqlite.prepare(
    `INSERT INTO ledger_accounts (owner, asset, purpose, balance) VALUES (?, ?, ?, ?)
     ON CONFLICT (owner, asset, purpose) DO UPDATE SET balance = balance + excluded.balance`,
  );
  store.write('bench.journal', () => {
    for (let e = 0; e < postings / 2; e++) {
      const owner = USERS[e % USERS.length]!;
      const asset = e % 3 === 0 ? 'BTC' : 'USDT';
      const amount = 1 + (e % 997);
      insert.run(e + 1, owner, asset, 'available', amount);
      insert.run(e + 1, 'system:external', asset, 'available', -amount);
      account.run(owner, asset, 'available', amount);
      account.run('system:external', asset, 'available', -amount);
    }
  });
  return { store, dir };
}

void (async () => {
  console.log('bench:reconcile — median of 3 per row');
  console.log(
    '| postings | postings summed | reconcile ms | worst event-loop stall ms | problems |',
  );
  console.log('| ---: | --- | ---: | ---: | ---: |');
  for (const size of SIZES) {
    const { store, dir } = journal(size);
    try {
      for (const mode of ['in one statement (baseline)', 'in chunks on a reader'] as const) {
        const runs = [];
        let problems = 0;
        for (let i = 0; i < 3; i++) {
          runs.push(
            await worstStall(async () => {
              const report = await reconcile(
                store.sqlite,
                undefined,
                mode === 'in chunks on a reader' ? { reader: store.reader() } : {},
              );
              problems = report.problems.length;
            }),
          );
        }
        runs.sort((a, b) => a.worstMs - b.worstMs);
        const m = runs[1]!;
        console.log(
          `| ${size.toLocaleString('en')} | ${mode} | ${m.totalMs.toFixed(0)} | ${m.worstMs.toFixed(1)} | ${problems} |`,
        );
      }
    } finally {
      store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
})();
