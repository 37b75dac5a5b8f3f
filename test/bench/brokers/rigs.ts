/**
 * The bench's hands on each venue: a fresh strict fake (or, for MetaTrader, a fake terminal
 * and EA polling Bourse's bridge door) plus a trading account at it created through the real
 * `accounts.create`, and the arrival clock — when an order request first reaches the fake.
 */
import diagnostics_channel from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Backend } from '../../../src-main/backend';
import type { Principal } from '../../../src-main/operations/principal';
import type { FakeBrokerHandle } from '../../helpers/broker-conformance';
import { FakeKraken } from '../../fakes/kraken/server';
import { startTradelockerFake } from '../../fakes/tradelocker';
import { startFakeProjectx } from '../../fakes/projectx/server';
import { FakeTerminal } from '../../fakes/metatrader/terminal';
import { FakeEa } from '../../fakes/metatrader/ea-client';

export type VenueName = 'kraken' | 'tradelocker' | 'projectx' | 'metatrader';
export const VENUES: VenueName[] = ['kraken', 'tradelocker', 'projectx', 'metatrader'];

/** Bourse's client order ids (`newClientOrderId` in connectors/broker/venue.ts). */
const CLIENT_ID = /b[0-9a-f]{16}/;

/** The order-placing request of each HTTP venue, as its fake sees it. */
const ORDER_PATH =
  /(\/0\/private\/AddOrder|\/backend-api\/trade\/accounts\/[^/]+\/orders|\/api\/Order\/place)$/;

/**
 * Client order id → performance.now() when the order request reached a fake: Node's
 * `http.server.request.start` channel fires as the fake's server parses the request line and
 * headers, before its handler runs, so the broker's own processing is never included.
 */
export const arrivals = new Map<string, number>();

/**
 * Every request a fake received, by path (digits folded), with the fake's own time on it
 * (request parsed → answer finished): what a venue asks the broker besides the order.
 */
export const brokerCalls = new Map<string, { n: number; ms: number[] }>();

export function watchArrivals(bournePort: number): void {
  diagnostics_channel.subscribe('http.server.request.start', (msg) => {
    const { request: req, response: res } = msg as {
      request: IncomingMessage;
      response: ServerResponse;
    };
    if (req.socket.localPort === bournePort) return;
    const t = performance.now();
    const where = (req.url ?? '').split('?')[0]!;
    const key = `${req.method} ${where.replace(/\d+/g, 'N')}`;
    const calls = brokerCalls.get(key) ?? { n: 0, ms: [] };
    brokerCalls.set(key, calls);
    calls.n++;
    res.on('finish', () => calls.ms.push(performance.now() - t));
    if (req.method !== 'POST' || !ORDER_PATH.test(where)) return;
    // The id is in the body: read it beside the fake's own handler (both see every chunk).
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const id = CLIENT_ID.exec(body)?.[0];
      if (id && !arrivals.has(id)) arrivals.set(id, t);
    });
  });
}

export interface Rig {
  venue: VenueName;
  accountId: string;
  token: string;
  symbol: string;
  qty: string;
  /** Closes the fake's streams (MetaTrader: the EA falls silent; see `reconnect` in the bench). */
  drop(): void;
  /** MetaTrader only: the EA's silence ends now. */
  resume?(): void;
  close(): Promise<void>;
}

export interface RigContext {
  backend: Backend;
  who: Principal;
  baseUrl: string;
  /** MetaTrader: the EA's poll period (the real EA's default is 1000 ms, its minimum 100). */
  mtPollMs: number;
  /** The EA's long-poll wait (0: plain polling every mtPollMs, as EA 1.0 did). */
  mtLongPollMs: number;
  /** EA 1.2 results on the next poll (false: the 1.1 EA's separate /ack). */
  mtAckOnPoll: boolean;
  mtHeartbeatOnPoll: boolean;
  /** MetaTrader: client order id → performance.now() when the EA's poll brought its command. */
  mtReceived: Map<string, number>;
}

let seq = 0;

/** Only what the venue's form (and the common baseUrl/wsUrl/hubUrl) accepts; the rest is test tuning. */
function formSettings(ctx: RigContext, venue: string, all: Record<string, string>) {
  const def = ctx.backend.features.accounts.brokers.definition(venue)!;
  const known = new Set([...def.fields.map((f) => f.name), 'baseUrl', 'wsUrl', 'hubUrl']);
  return {
    settings: Object.fromEntries(Object.entries(all).filter(([k]) => known.has(k))),
    mode: def.modes.includes('demo') ? 'demo' : 'live',
  };
}

interface Created {
  account: { id: string };
  webhookToken: string;
  bridgeToken?: string;
}

async function createAccount(
  ctx: RigContext,
  venue: string,
  settings: Record<string, string>,
  credentials: Record<string, string>,
): Promise<Created> {
  const form = formSettings(ctx, venue, settings);
  return (await ctx.backend.invoke(
    'accounts.create',
    {
      venue,
      name: `${venue} ${++seq}`,
      mode: form.mode,
      settings: form.settings,
      ...(Object.keys(credentials).length ? { credentials } : {}),
    },
    ctx.who,
  )) as Created;
}

export interface StateView {
  connection: string;
  syncedAt: number | null;
}

export const stateOf = (ctx: RigContext, id: string) =>
  ctx.backend.invoke('brokers.state', { id }, ctx.who) as Promise<StateView>;

/** Waits (1 ms polls of `brokers.state`) until the account's session is up. */
export async function untilUp(ctx: RigContext, id: string, ms = 20_000): Promise<StateView> {
  const end = performance.now() + ms;
  for (;;) {
    const s = await stateOf(ctx, id);
    if (s.connection === 'up' && s.syncedAt !== null) return s;
    if (performance.now() > end) throw new Error(`account ${id} not up: ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 1));
  }
}

async function httpFake(venue: Exclude<VenueName, 'metatrader'>): Promise<FakeBrokerHandle> {
  switch (venue) {
    case 'kraken':
      // Pro tier: the highest trading-counter allowance Kraken documents (180, −3.75/s).
      return FakeKraken.start({ tier: 'pro' });
    case 'tradelocker':
      return startTradelockerFake();
    case 'projectx':
      return startFakeProjectx();
  }
}

/** Kraken: a trade-only key of its own (nonces are per key; a withdraw key is refused). */
function secretsFor(venue: VenueName, fake: FakeBrokerHandle): Record<string, string> {
  if (venue !== 'kraken') return fake.secrets;
  return (fake as FakeKraken).addKey([
    'query_funds',
    'query_open',
    'query_closed',
    'create_orders',
    'cancel_orders',
    'websocket',
  ]);
}

/** A fresh fake and a fresh account on it (fresh rate-limit windows on both sides). */
export async function startRig(
  ctx: RigContext,
  venue: VenueName,
  mtHeartbeatMs = 5_000,
): Promise<Rig> {
  if (venue === 'metatrader') return startMetaTrader(ctx, mtHeartbeatMs);
  const fake = await httpFake(venue);
  const settings = venue === 'kraken' ? { ...fake.settings, tier: 'pro' } : fake.settings;
  const created = await createAccount(ctx, venue, settings, secretsFor(venue, fake));
  await untilUp(ctx, created.account.id);
  return {
    venue,
    accountId: created.account.id,
    token: created.webhookToken,
    symbol: fake.symbol,
    qty: fake.qty,
    drop: () => fake.dropStreams(),
    close: async () => {
      await deleteAccount(ctx, created.account.id);
      await fake.close();
    },
  };
}

/**
 * N accounts on one fake (ProjectX: one per ten), each with its own session and stream. Kraken
 * gets a key per account (nonces are per key); the others accept the same login repeatedly.
 */
export async function startMany(
  ctx: RigContext,
  venue: VenueName,
  n: number,
): Promise<{ ids: string[]; close(): Promise<void> }> {
  if (venue === 'metatrader') {
    const rigs: Rig[] = [];
    for (let i = 0; i < n; i++) rigs.push(await startMetaTrader(ctx));
    return {
      ids: rigs.map((r) => r.accountId),
      close: async () => {
        for (const r of rigs) await r.close();
      },
    };
  }
  // ProjectX's fake counts its 200 requests per 60 s for the whole gateway (the real one per
  // user): ten accounts per fake keep the creation reads under it.
  const perFake = venue === 'projectx' ? 10 : n;
  const fakes: FakeBrokerHandle[] = [];
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    if (i % perFake === 0) fakes.push(await httpFake(venue));
    const fake = fakes.at(-1)!;
    const secrets = secretsFor(venue, fake);
    const settings = venue === 'kraken' ? { ...fake.settings, tier: 'pro' } : fake.settings;
    ids.push((await createAccount(ctx, venue, settings, secrets)).account.id);
  }
  for (const id of ids) await untilUp(ctx, id);
  return {
    ids,
    close: async () => {
      for (const id of ids) await deleteAccount(ctx, id);
      for (const fake of fakes) await fake.close();
    },
  };
}

async function deleteAccount(ctx: RigContext, id: string) {
  // A venue that left a position open (hedging brokers) is flattened before the delete.
  await ctx.backend
    .invoke('accounts.delete', { id }, ctx.who)
    .catch(() => ctx.backend.features.accounts.brokers.release(id));
}

/**
 * MetaTrader: an account (Bourse issues the EA's bridge token), a fake terminal and a fake EA
 * polling Bourse's own HTTP door every `mtPollMs`, heartbeating every 5 s as the real EA does
 * (the reconnect measure shortens it, so that the EA is declared offline in 3 s, not 15).
 */
async function startMetaTrader(ctx: RigContext, heartbeatMs = 5_000): Promise<Rig> {
  const created = await createAccount(ctx, 'metatrader', { platform: 'MT5' }, {});
  const dir = mkdtempSync(path.join(tmpdir(), 'bourse-bench-mt-'));
  const terminal = new FakeTerminal('MT5');
  const execute = terminal.execute.bind(terminal);
  terminal.execute = (cmd) => {
    const t = performance.now();
    const id = CLIENT_ID.exec(JSON.stringify(cmd))?.[0];
    if (id && !ctx.mtReceived.has(id)) ctx.mtReceived.set(id, t);
    return execute(cmd);
  };
  const ea = new FakeEa({
    baseUrl: ctx.baseUrl,
    token: created.bridgeToken!,
    terminal,
    stateFile: path.join(dir, 'state.json'),
    heartbeatMs,
    pollMs: ctx.mtPollMs,
    longPollMs: ctx.mtLongPollMs,
    ackOnPoll: ctx.mtAckOnPoll,
    heartbeatOnPoll: ctx.mtHeartbeatOnPoll,
  });
  await ea.start();
  await untilUp(ctx, created.account.id);
  return {
    venue: 'metatrader',
    accountId: created.account.id,
    token: created.webhookToken,
    symbol: 'EURUSD',
    qty: '0.10',
    drop: () => ea.pauseFor(3_600_000),
    resume: () => ea.pauseFor(0),
    close: async () => {
      ea.crash();
      await deleteAccount(ctx, created.account.id);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
