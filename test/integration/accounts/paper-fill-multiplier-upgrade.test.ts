import { afterEach, describe, expect, it } from 'vitest';
import { UpgradeFixture } from '../../helpers/migrations';

/**
 * Upgrading a database from before paper fills kept their contract multiplier (migration
 * 0032): a future's fills take their instrument's multiplier, spot-cfd fills stay null (1),
 * so analytics count an old BTC-FUT round trip at 0.01 BTC per contract, not 1.
 */
describe('paper fills before they kept their multiplier', () => {
  let fixture: UpgradeFixture;
  afterEach(() => fixture.cleanup());

  it("gives a future's old fills its instrument's multiplier, and a spot-cfd's none", async () => {
    fixture = new UpgradeFixture();
    const old = fixture.openAt('0031_exchange_trailing_amounts');
    old.sqlite.pragma('foreign_keys = OFF'); // the fills' account rows are not the point here
    old.sqlite
      .prepare(
        `INSERT INTO paper_instruments (symbol, kind, description, quote_asset, price_source,
           tick_size, lot_size, min_qty, max_qty, multiplier, initial_margin, maintenance_margin,
           initial_margin_ppm, maintenance_margin_ppm, commission_per_contract, commission_ppm,
           spread_ppm, financing_rate_ppm, financing_interval_hours, status, updated_at)
         VALUES ('BTC-FUT', 'future', 'Bitcoin future', 'USDT', 'BTC/USDT', '0.1', '1', '1',
           '1000', '0.01', '65', '32.5', 0, 0, '0.05', 0, 100, 100, 8, 'trading', 1)`,
      )
      .run();
    const fill = old.sqlite.prepare(
      `INSERT INTO paper_fills (account_id, symbol, side, qty, price, touch_price, slippage_ppm,
         commission, realised_pnl, reason, entry_id, ts)
       VALUES ('a', ?, 'buy', '2', '65000.0', '65000.0', 0, '0.1', '0', 'order', NULL, 1)`,
    );
    fill.run('BTC-FUT');
    fill.run('BTC/USDT');
    await fixture.close(old);
    const db = fixture.openAt();
    const rows = db.sqlite.prepare('SELECT symbol, multiplier FROM paper_fills ORDER BY id').all();
    expect(rows).toEqual([
      { symbol: 'BTC-FUT', multiplier: '0.01' },
      { symbol: 'BTC/USDT', multiplier: null },
    ]);
  });
});
