import { afterEach, describe, expect, it } from 'vitest';
import { UpgradeFixture } from '../../helpers/migrations';

/**
 * Upgrading a database from before bracket pairs (migration 0027): the exit plans' pairs
 * still executing become brackets, as the plans place them now; other lists keep Binance's
 * rule.
 */
describe('order lists before bracket pairs', () => {
  let fixture: UpgradeFixture;
  afterEach(() => fixture.cleanup());

  it('marks executing exit-plan pairs as brackets, and nothing else', async () => {
    fixture = new UpgradeFixture();
    const old = fixture.openAt('0026_exchange_brackets');
    const insert = old.sqlite.prepare(
      `INSERT INTO order_lists (id, user_id, symbol, list_client_id, limit_order_id,
         stop_order_id, status, ts_created, ts_updated) VALUES (?, 'u', 'BTC/USDT', ?, ?, ?, ?, 1, 1)`,
    );
    insert.run(1, 'brk-7-oco', 1, 2, 'executing');
    insert.run(2, 'brk-7-rab12cd34-oco', 3, 4, 'executing');
    insert.run(3, 'brk-8-f1000-oco', 5, 6, 'executing');
    insert.run(4, 'my-own-oco', 7, 8, 'executing');
    insert.run(5, null, 9, 10, 'executing');
    insert.run(6, 'brk-9-oco', 11, 12, 'all_done');
    await fixture.close(old);
    const db = fixture.openAt();
    const rows = db.sqlite.prepare('SELECT id, bracket FROM order_lists ORDER BY id').all();
    expect(rows).toEqual([
      { id: 1, bracket: 1 },
      { id: 2, bracket: 1 },
      { id: 3, bracket: 1 },
      { id: 4, bracket: 0 },
      { id: 5, bracket: 0 },
      { id: 6, bracket: 0 },
    ]);
  });
});
