import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../../../src-main/db/database';
import type { BridgeHub, HubEvent } from '../../../../src-main/connectors/metatrader/hub';
import { HeldPolls } from '../../../../src-main/connectors/metatrader/held-polls';
import { hubOnMemory } from '../../../fakes/metatrader/harness';
import { heartbeatBody } from '../../../fakes/metatrader/heartbeat';

const A = 'acct-a';
const B = 'acct-b';
const cancelAll = { action: 'cancel_all' as const };
/** Long enough that a test passing never waits it out: the wake is what answers. */
const LONG = 10_000;

/** Whether a promise has settled yet (after the microtasks queued so far). */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  void p.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((r) => setImmediate(r));
  return done;
}

describe('BridgeHub long-poll', () => {
  let db: DatabaseHandle;
  let t: number;
  let hub: BridgeHub;
  beforeEach(() => {
    t = 1_000_000;
    ({ db, hub } = hubOnMemory(() => t));
  });
  afterEach(() => {
    hub.stop(); // answers anything a failed test left held
    db.close();
  });

  it('answers at once when a command is ready, or when waitMs is 0 (an EA before 1.1)', async () => {
    expect(await hub.longPoll(A, {})).toEqual([]);
    expect(await hub.longPoll(A, { waitMs: 0 })).toEqual([]);
    hub.enqueue(A, cancelAll);
    expect((await hub.longPoll(A, { waitMs: LONG }))?.map((c) => c.id)).toEqual(['c1']);
  });

  it('a held poll is answered when a command for its account is queued, and only then', async () => {
    const held = hub.longPoll(A, { waitMs: LONG });
    hub.enqueue(B, cancelAll);
    expect(await settled(held)).toBe(false);
    expect(hub.store.command('c1')?.status).toBe('queued');
    hub.enqueue(A, { action: 'cancel', ticket: '7' });
    const got = await held;
    expect(got?.map((c) => [c.id, c.action])).toEqual([['c2', 'cancel']]);
    // The lease is taken when the answer is made.
    expect(hub.store.command('c2')).toMatchObject({ status: 'sent', sentAt: t });
  });

  it('answers empty when waitMs passes', async () => {
    const started = performance.now();
    expect(await hub.longPoll(A, { waitMs: 50 })).toEqual([]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('a second poll of the account answers the first at once, empty; the second gets the command', async () => {
    const first = hub.longPoll(A, { waitMs: LONG });
    const second = hub.longPoll(A, { waitMs: LONG });
    expect(await first).toEqual([]);
    expect(await settled(second)).toBe(false);
    hub.enqueue(A, cancelAll);
    expect((await second)?.map((c) => c.id)).toEqual(['c1']);
    // A plain poll replaces a held one as well.
    const third = hub.longPoll(A, { waitMs: LONG });
    expect(await hub.longPoll(A, {})).toEqual([]);
    expect(await third).toEqual([]);
  });

  it('a client that goes away drops its waiter: nothing is handed out for it', async () => {
    const gone = new AbortController();
    const held = hub.longPoll(A, { waitMs: LONG, signal: gone.signal });
    gone.abort();
    expect(await held).toBeNull();
    hub.enqueue(A, cancelAll);
    expect(hub.store.command('c1')?.status).toBe('queued');
    // An already aborted signal never waits.
    expect(await hub.longPoll(A, { waitMs: LONG, signal: gone.signal })).toBeNull();
  });

  it('refuses to hand out after the wait when beforeLease throws (the token was revoked)', async () => {
    let revoked = false;
    const held = hub.longPoll(A, {
      waitMs: LONG,
      beforeLease: () => {
        if (revoked) throw new Error('revoked');
      },
    });
    revoked = true;
    hub.enqueue(A, cancelAll);
    await expect(held).rejects.toThrow('revoked');
    expect(hub.store.command('c1')?.status).toBe('queued');
  });

  it('releasing the account or stopping the hub answers held polls empty; a stopped hub holds none', async () => {
    const held = hub.longPoll(A, { waitMs: LONG });
    const other = hub.longPoll(B, { waitMs: LONG });
    hub.release(A);
    expect(await held).toEqual([]);
    expect(await settled(other)).toBe(false);
    hub.release();
    expect(await other).toEqual([]);
    const again = hub.longPoll(A, { waitMs: LONG });
    hub.stop();
    expect(await again).toEqual([]);
    expect(await settled(hub.longPoll(A, { waitMs: LONG }))).toBe(true);
  });

  it('a handed-out command whose lease runs out during the wait is handed out again, same id', async () => {
    hub.enqueue(A, cancelAll);
    expect(hub.poll(A).map((c) => c.id)).toEqual(['c1']);
    t += 10_000 - 30; // 30 ms of lease left
    const held = hub.longPoll(A, { waitMs: LONG });
    expect(await settled(held)).toBe(false);
    t += 30; // the hub's clock reaches the lease's end as its timer fires
    expect((await held)?.map((c) => c.id)).toEqual(['c1']);
  });

  it('an ack wakes a held poll: the commands behind the acknowledged one are no longer blocked', async () => {
    hub.enqueue(A, cancelAll);
    hub.enqueue(A, { action: 'cancel', ticket: '9' });
    expect(hub.poll(A, 1).map((c) => c.id)).toEqual(['c1']);
    const held = hub.longPoll(A, { waitMs: LONG, max: 1 });
    expect(await settled(held)).toBe(false);
    hub.ack(A, 'c1', { ok: true, retcode: 10009, message: 'done', executedAt: 1 });
    expect((await held)?.map((c) => c.id)).toEqual(['c2']);
  });

  it('a held poll counts as the EA being alive; an EA whose heartbeats stop still goes offline', async () => {
    const events: HubEvent['type'][] = [];
    hub.on(A, (e) => events.push(e.type));
    const hb = heartbeatBody({}, { heartbeatMs: 100, pollMs: 1_000, gmtTime: 1 });
    hub.heartbeat(A, hb);
    t += 250;
    const gone = new AbortController();
    const held = hub.longPoll(A, { waitMs: 1_000, signal: gone.signal });
    t += 500; // past three intervals, but the EA is inside a held poll
    hub.sweep();
    expect(hub.status(A).online).toBe(true);
    gone.abort();
    await held;
    t += 500; // 1 250 ms since the heartbeat: three intervals plus the wait it asked for
    hub.sweep();
    expect(hub.status(A).online).toBe(true);
    t += 51;
    hub.sweep();
    expect(hub.status(A)).toMatchObject({ online: false, offlineSince: 1_000_000 });
    // Without a held poll the old rule stands: three intervals.
    hub.heartbeat(A, hb);
    t += 301;
    hub.sweep();
    expect(hub.status(A).online).toBe(false);
    expect(events).toEqual(['heartbeat', 'online', 'offline', 'heartbeat', 'online', 'offline']);
  });
});

describe('HeldPolls', () => {
  it('holds one poll per account and forgets a poll once it is answered', async () => {
    const held = new HeldPolls();
    const a = held.wait(A, LONG);
    expect(held.isHeld(A)).toBe(true);
    held.wake(A, 'command');
    expect(await a).toBe('command');
    expect(held.isHeld(A)).toBe(false);
    held.wake(A, 'command'); // nothing held: nothing happens
    const b = held.wait(A, LONG, undefined, 5);
    expect(await b).toBe('lease');
    expect(held.isHeld(A)).toBe(false);
  });
});
