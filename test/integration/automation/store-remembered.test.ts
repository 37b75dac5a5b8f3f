import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../../src-main/db/database';
import { DEFAULT_RISK_SETTINGS } from '../../../src-main/domain/automation';
import { AutomationStore } from '../../../src-main/features/automation/store';
import { tempDataDir } from '../../helpers/backend';

/**
 * The store remembers what every alert reads (risk and receiver settings, emergency stops):
 * a change must be seen by the very next read, and a change rolled back must never be.
 */
describe('automation store: settings and stops remembered between alerts', () => {
  let db: DatabaseHandle | undefined;
  afterEach(() => db?.close());
  const open = () => {
    db = openDatabase({
      file: path.join(tempDataDir(), 'bourse.sqlite'),
      synchronous: 'FULL',
      migrationsDir: 'drizzle',
    });
    return { db, store: new AutomationStore(db.sqlite) };
  };

  it('sees a stop, a re-arm and new settings on the next read', () => {
    const { db, store } = open();
    expect(store.isStopped('u1', 'a1')).toBe(false);
    expect(store.riskSettings('u1', 'a1').stored).toBe(false);
    expect(store.receiver('u1').dedupeWindowSec).toBeGreaterThan(0);

    db.write('stop', () => store.stop('u1', null, 'test', 1));
    expect(store.isStopped('u1', 'a1')).toBe(true);
    db.write('rearm', () => store.rearm('u1', null, 2));
    expect(store.isStopped('u1', 'a1')).toBe(false);

    const settings = { ...DEFAULT_RISK_SETTINGS, maxOrdersPerDay: 3 };
    db.write('risk', () => store.setRiskSettings('u1', 'a1', settings, 3));
    expect(store.riskSettings('u1', 'a1')).toEqual({ settings, stored: true });
    // User-wide settings apply to an account without its own.
    db.write('risk', () =>
      store.setRiskSettings('u1', null, { ...settings, maxOrdersPerDay: 9 }, 4),
    );
    expect(store.riskSettings('u1', 'a2').settings.maxOrdersPerDay).toBe(9);
    expect(store.riskSettings('u1', 'a1').settings.maxOrdersPerDay).toBe(3);

    db.write('receiver', () =>
      store.setReceiver('u1', { tvAllowlist: true, trustedProxy: null, dedupeWindowSec: 7 }, 5),
    );
    expect(store.receiver('u1')).toEqual({
      tvAllowlist: true,
      trustedProxy: null,
      dedupeWindowSec: 7,
    });
    // Another user's reads are their own.
    expect(store.isStopped('u2', 'a1')).toBe(false);
    expect(store.receiver('u2').dedupeWindowSec).not.toBe(7);
  });

  it('never remembers a change whose transaction rolled back', () => {
    const { db, store } = open();
    expect(store.isStopped('u1', 'a1')).toBe(false);
    expect(() =>
      db.write('stop', () => {
        store.stop('u1', 'a1', 'test', 1);
        // Read inside the transaction: it sees its own write...
        expect(store.isStopped('u1', 'a1')).toBe(true);
        throw new Error('rolled back');
      }),
    ).toThrow('rolled back');
    // ...but the rollback leaves nothing remembered.
    expect(store.isStopped('u1', 'a1')).toBe(false);
    expect(
      (db.sqlite.prepare('SELECT count(*) AS n FROM automation_emergency').get() as { n: number })
        .n,
    ).toBe(0);
  });
});
