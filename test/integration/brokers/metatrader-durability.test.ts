import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BridgeHub } from '../../../src-main/connectors/metatrader/hub';
import { openDatabase, type DatabaseHandle } from '../../../src-main/db/database';
import { SqliteBridgeStore } from '../../../src-main/features/accounts/bridge-store';
import { registerBridgeRoutes } from '../../../src-main/transports/bridge/routes';
import { addAccount } from '../../fakes/metatrader/harness';
import { heartbeatBody } from '../../fakes/metatrader/heartbeat';
import { tempDataDir } from '../../helpers/backend';
import { preparedDuring, queryPlan } from '../../helpers/query-plans';

/** A controllable fsync of the WAL: each call waits until the test releases or fails it. */
function heldFsync() {
  const calls: Array<{ release: () => void; fail: (e: Error) => void }> = [];
  const fsync = (_file: FileHandle) =>
    new Promise<void>((release, fail) => calls.push({ release, fail }));
  return { calls, fsync };
}

/** Whether the promise settled after a few event-loop turns (the answer is not timed). */
const settled = async (p: Promise<unknown>): Promise<boolean> => {
  let done = false;
  void p.then(
    () => (done = true),
    () => (done = true),
  );
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  return done;
};

const TOKEN = 'mtb_durability-test-token-0123456789';
const ACCOUNT = 'acct-mt-1';
const OK = { ok: true, retcode: 10009, message: 'done', count: 0, executedAt: 1 };

/**
 * The bridge's changes commit deferred (synced off the event loop); the door answers the EA only
 * once they are on disk, so a power cut never loses a command the EA was handed or a result it
 * was told is recorded.
 */
describe('MetaTrader bridge: nothing reaches the EA before it is on disk', () => {
  let db: DatabaseHandle | undefined;
  let app: FastifyInstance | undefined;
  let hub: BridgeHub | undefined;
  afterEach(async () => {
    await app?.close();
    hub?.stop();
    db?.close();
    app = hub = db = undefined;
  });

  const open = async () => {
    const held = heldFsync();
    db = openDatabase({
      file: path.join(tempDataDir(), 'bourse.sqlite'),
      synchronous: 'FULL',
      migrationsDir: 'drizzle',
      fsync: held.fsync,
    });
    addAccount(db, ACCOUNT);
    hub = new BridgeHub({ store: new SqliteBridgeStore(db), leaseMs: 60_000 });
    app = Fastify({ logger: false });
    registerBridgeRoutes(app, {
      hub,
      accountForToken: (t) => (t === TOKEN ? ACCOUNT : null),
    });
    await app.ready();
    const post = (url: string, body: unknown) =>
      app!.inject({
        method: 'POST',
        url,
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        payload: JSON.stringify(body),
      });
    return { held, hub, post };
  };
  /** Releases every fsync asked for until the answer comes (a later commit asks for another). */
  const releaseUntil = async <T>(held: ReturnType<typeof heldFsync>, answer: Promise<T>) => {
    while (!(await settled(answer))) for (const c of held.calls.splice(0)) c.release();
    return answer;
  };

  it('hands a command out only once its queue row is synced', async () => {
    const { held, hub, post } = await open();
    const cmd = hub.enqueue(ACCOUNT, { action: 'cancel_all' });
    const answer = post('/bridge/mt/v1/poll', {});
    expect(await settled(answer)).toBe(false);
    expect(hub.store.command(cmd.id)?.status).toBe('queued'); // not handed out yet
    const res = await releaseUntil(held, answer);
    expect(res.statusCode).toBe(200);
    expect(res.json().commands.map((c: { id: string }) => c.id)).toEqual([cmd.id]);
    expect(hub.store.command(cmd.id)?.status).toBe('sent');
  });

  it('a command whose sync failed is not handed out: 503, and it stays queued', async () => {
    const { held, hub, post } = await open();
    const cmd = hub.enqueue(ACCOUNT, { action: 'cancel_all' });
    const answer = post('/bridge/mt/v1/poll', {});
    await vi.waitFor(() => expect(held.calls.length).toBeGreaterThan(0));
    for (const c of held.calls.splice(0)) c.fail(new Error('EIO: disk gone'));
    const res = await answer;
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ code: 'unavailable' });
    expect(hub.store.command(cmd.id)?.status).toBe('queued');
  });

  it('a command queued while a sync is in flight waits for its own', async () => {
    const { held, hub, post } = await open();
    const first = hub.enqueue(ACCOUNT, { action: 'cancel_all' });
    await vi.waitFor(() => expect(held.calls).toHaveLength(1));
    const answer = post('/bridge/mt/v1/poll', { max: 10 });
    expect(await settled(answer)).toBe(false); // the poll waits for the first one's sync
    const second = hub.enqueue(ACCOUNT, { action: 'cancel_all' });
    held.calls.shift()!.release(); // covers the first command only
    const res = await releaseUntil(held, answer);
    expect(res.json().commands.map((c: { id: string }) => c.id)).toEqual([first.id]);
    expect(hub.store.command(second.id)?.status).toBe('queued');
    // The next poll (the EA's results poll) gets it once its sync is done.
    const results = [{ id: first.id, result: OK }];
    const next = await releaseUntil(held, post('/bridge/mt/v1/poll', { max: 10, results }));
    expect(next.json().commands.map((c: { id: string }) => c.id)).toEqual([second.id]);
  });

  it('a poll replaced while it waited for the sync hands nothing out; the newer one does', async () => {
    const { held, hub } = await open();
    const cmd = hub.enqueue(ACCOUNT, { action: 'cancel_all' });
    const older = hub.longPoll(ACCOUNT, { waitMs: 60_000 });
    expect(await settled(older)).toBe(false);
    const newer = hub.longPoll(ACCOUNT, { waitMs: 60_000 }); // the EA restarted
    await releaseUntil(held, older);
    expect(await older).toEqual([]);
    expect((await newer)?.map((c) => c.id)).toEqual([cmd.id]);
  });

  it('a failed sync answers 503 unavailable; the results sent again are recorded once', async () => {
    const { held, hub, post } = await open();
    const cmd = hub.enqueue(ACCOUNT, { action: 'cancel_all' });
    const handedOut = await releaseUntil(held, post('/bridge/mt/v1/poll', {}));
    expect(handedOut.json().commands).toHaveLength(1);

    const results = [{ id: cmd.id, result: OK }];
    const first = post('/bridge/mt/v1/poll', { results });
    await vi.waitFor(() => expect(held.calls.length).toBeGreaterThan(0));
    for (const c of held.calls.splice(0)) c.fail(new Error('EIO: disk gone'));
    const failed = await first;
    expect(failed.statusCode).toBe(503);
    expect(failed.json()).toMatchObject({ code: 'unavailable' });

    // The EA was not told: it sends the same results again, and hears of them once.
    const res = await releaseUntil(held, post('/bridge/mt/v1/poll', { results }));
    expect(res.statusCode).toBe(200);
    expect(res.json().acked).toEqual([{ id: cmd.id, status: 'duplicate' }]);
    expect(hub.store.command(cmd.id)?.status).toBe('done');
  });

  it('answers a heartbeat after it is synced', async () => {
    const { held, post } = await open();
    const answer = post('/bridge/mt/v1/heartbeat', heartbeatBody());
    expect(await settled(answer)).toBe(false);
    expect((await releaseUntil(held, answer)).statusCode).toBe(200);
  });
});

describe('MetaTrader bridge: the queries of every poll and retry use an index', () => {
  it('the expiry sweep and the lookup by client order id read no history', async () => {
    const db = openDatabase({ file: ':memory:', synchronous: 'NORMAL', migrationsDir: 'drizzle' });
    try {
      addAccount(db, ACCOUNT);
      const store = new SqliteBridgeStore(db);
      const t = Date.now();
      store.enqueue(ACCOUNT, 'old', { action: 'cancel_all' }, t - 10, t - 1); // overdue
      const prepared = await preparedDuring(db.sqlite, () => {
        expect(store.expireQueued(t).map((r) => r.id)).toEqual(['old']);
        expect(store.expireQueued(t)).toEqual([]); // nothing due: no write at all
        store.openByClientOrderId(ACCOUNT, 'cid-1');
      });
      const plans = prepared
        .filter((q) => /bridge_commands/.test(q))
        .map((q) => queryPlan(db.sqlite, q));
      // Each sweep's read, the first one's update only, then the lookup by client order id.
      expect(prepared.filter((q) => /^update "bridge_commands"/.test(q))).toHaveLength(1);
      expect(plans).toHaveLength(4);
      for (const plan of plans.slice(0, 3))
        expect(plan).toMatch(/bridge_commands_status_expiry_idx/);
      expect(plans[3]).toMatch(/bridge_commands_client_idx/);
      for (const plan of plans) expect(plan).not.toMatch(/SCAN bridge_commands/);
    } finally {
      db.close();
    }
  });
});
