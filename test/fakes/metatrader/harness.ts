import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { openDatabase, type DatabaseHandle } from '../../../src-main/db/database';
import { BridgeHub } from '../../../src-main/connectors/metatrader/hub';
import { SqliteBridgeStore } from '../../../src-main/features/accounts/bridge-store';
import { hashBridgeToken, newBridgeToken } from '../../../src-main/connectors/metatrader/token';
import type { Platform } from '../../../src-main/connectors/metatrader/protocol';
import { registerBridgeRoutes } from '../../../src-main/transports/bridge/routes';
import type { FakeBrokerHandle } from '../../helpers/broker-conformance';
import { FakeEa } from './ea-client';
import { FakeTerminal } from './terminal';

export interface MetaTraderRig extends FakeBrokerHandle {
  db: DatabaseHandle;
  hub: BridgeHub;
  app: FastifyInstance;
  baseUrl: string;
  accountId: string;
  token: string;
  terminal: FakeTerminal;
  ea: FakeEa;
  /** A new EA instance with the same terminal and state file (a terminal restart). */
  restartEa(): Promise<FakeEa>;
  stateFile: string;
  /** The market moves on a symbol; the EA reports it (positions' current price) at once. */
  movePrice(symbol: string, bid: string, ask?: string): Promise<void>;
}

export interface RigOptions {
  platform?: Platform;
  /** Don't start the EA (it comes online when the test says). */
  eaOffline?: boolean;
  leaseMs?: number;
  settings?: Record<string, string>;
  now?: () => number;
  /** The EA's long-poll wait (ms); 0: plain polling. Default: the EA's own (20 000). */
  longPollMs?: number;
  /** The EA's timer (ms): its polling pace without long-poll, or after a failed poll. */
  pollMs?: number;
  /** EA 1.2 results-on-poll (default) or the 1.1 EA's separate `/ack`. */
  ackOnPoll?: boolean;
  /** EA 1.3 heartbeat on the results poll (default), or the 1.2 EA's separate heartbeat. */
  heartbeatOnPoll?: boolean;
  /** Answer as a Bourse before 1.3 does: a poll carrying a heartbeat is refused (400). */
  asBourse12?: boolean;
}

/** Creates the user and trading-account rows the bridge tables point at. */
export function addAccount(db: DatabaseHandle, accountId: string): void {
  db.write('test.account', () => {
    db.sqlite
      .prepare(
        `INSERT OR IGNORE INTO users (id, email, password_hash, role, ts_created, ts_password_changed)
         VALUES ('u1', 'mt@example.test', 'x', 'owner', 0, 0)`,
      )
      .run();
    db.sqlite
      .prepare(
        `INSERT INTO trading_accounts (id, user_id, name, venue, mode, enabled, base_currency,
           token_hash, token_hint, created_at, updated_at)
         VALUES (?, 'u1', ?, 'metatrader', 'demo', 1, 'USD', ?, 'hint', 0, 0)`,
      )
      .run(accountId, `MT ${accountId}`, `webhook-${accountId}`);
  });
}

/**
 * The whole bridge on loopback: a database with the bridge tables, the hub, a Fastify app with
 * the bridge routes on 127.0.0.1:0, a FakeTerminal and a FakeEa polling it, as the conformance
 * suite's FakeBrokerHandle. EA misbehaviour stands for the broker's: a lost place answer is a
 * lost ack (the command is handed out again after the lease and re-reported), a dropped
 * stream is an EA that stops heartbeating and comes back.
 */
export async function startMetaTraderRig(o: RigOptions = {}): Promise<MetaTraderRig> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bourse-mt-'));
  const db = openDatabase({ file: ':memory:', synchronous: 'NORMAL', migrationsDir: 'drizzle' });
  const accountId = 'acct-mt-1';
  addAccount(db, accountId);
  const hub = new BridgeHub({
    store: new SqliteBridgeStore(db),
    leaseMs: o.leaseMs ?? 600,
    sweepMs: 15,
    now: o.now,
  }).start();
  const { token, hash } = newBridgeToken();
  const tokens = new Map([[hash, accountId]]);
  const app = Fastify({ logger: false });
  if (o.asBourse12) {
    // A Bourse before 1.3: its strict poll schema refuses a heartbeat riding on the poll.
    app.addHook('preHandler', async (req, reply) => {
      const body = req.body as { heartbeat?: unknown } | undefined;
      if (req.url.endsWith('/poll') && body?.heartbeat !== undefined) {
        await reply.status(400).send({ code: 'validation_failed', detail: 'heartbeat: unknown' });
      }
    });
  }
  registerBridgeRoutes(app, {
    hub,
    ...(o.now ? { now: o.now } : {}),
    accountForToken: (t) => tokens.get(hashBridgeToken(t)) ?? null,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  const baseUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  const terminal = new FakeTerminal(o.platform ?? 'MT5');
  const stateFile = path.join(dir, 'BourseBridge-state.json');
  const makeEa = () =>
    new FakeEa({
      baseUrl,
      token,
      terminal,
      stateFile,
      heartbeatMs: 100,
      ...(o.longPollMs !== undefined ? { longPollMs: o.longPollMs } : {}),
      ...(o.pollMs !== undefined ? { pollMs: o.pollMs } : {}),
      ...(o.ackOnPoll !== undefined ? { ackOnPoll: o.ackOnPoll } : {}),
      ...(o.heartbeatOnPoll !== undefined ? { heartbeatOnPoll: o.heartbeatOnPoll } : {}),
    });
  let ea = makeEa();
  if (!o.eaOffline) await ea.start();

  const rig: MetaTraderRig = {
    db,
    hub,
    app,
    baseUrl,
    accountId,
    token,
    terminal,
    stateFile,
    get ea() {
      return ea;
    },
    async movePrice(symbol, bid, ask) {
      terminal.movePrice(symbol, bid, ask);
      await ea.heartbeatNow();
    },
    async restartEa() {
      ea.crash();
      ea = makeEa();
      await ea.start();
      return ea;
    },
    settings: {
      accountId,
      platform: o.platform ?? 'MT5',
      resultTimeoutMs: '300',
      findWaitMs: '5000',
      ...o.settings,
    },
    secrets: {},
    badSecrets: {},
    symbol: 'EURUSD',
    qty: '0.10',
    restingBuyPrice: '1.05000',
    async fill(orderId) {
      terminal.fill(orderId);
      await ea.heartbeatNow();
    },
    loseNextPlaceAnswer() {
      ea.dropNextAck();
    },
    failNextRequest() {
      // The EA's closest outage: the terminal loses its trade server for one command.
      terminal.failNext(o.platform === 'MT4' ? 6 : 10031, 'No connection with the trade server');
    },
    dropStreams() {
      ea.pauseFor(500);
    },
    orderCount: () => terminal.ordersCreated,
    async close() {
      ea.crash();
      hub.stop(); // answers held polls
      const closing = app.close();
      // A test client's spare keep-alive connection (undici opens one after an abort) would
      // hold close() until the client drops it, 4 s later.
      app.server.closeAllConnections();
      await closing;
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return rig;
}

/**
 * A bridge hub on a fresh in-memory database with accounts `acct-a` and `acct-b`, on the
 * caller's clock, a 10 s lease and predictable command ids (`c1`, `c2`, …): the unit tests' hub.
 */
export function hubOnMemory(now: () => number): { db: DatabaseHandle; hub: BridgeHub } {
  const db = openDatabase({ file: ':memory:', synchronous: 'NORMAL', migrationsDir: 'drizzle' });
  addAccount(db, 'acct-a');
  addAccount(db, 'acct-b');
  let n = 0;
  const hub = new BridgeHub({
    store: new SqliteBridgeStore(db),
    now,
    leaseMs: 10_000,
    newId: () => `c${++n}`,
  });
  return { db, hub };
}
