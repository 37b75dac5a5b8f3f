/**
 * The bench's hands on each venue: a fresh strict fake (or, for MetaTrader, a fake terminal
 * and EA polling Bourse's bridge door) plus a trading account at it created through the real
 * `accounts.create`, and the arrival clock — when an order request first reaches the fake.
 * The fakes and the fake EA run in a child process (`fake-host.ts`, on the other core), as a
 * broker runs on another machine: their work is not on Bourse's event loop.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Backend } from '../../../src-main/backend';
import type { Principal } from '../../../src-main/operations/principal';
import type { EaOptions, Flushed, HostRequest, HttpVenue } from './fake-host';

export type VenueName = 'kraken' | 'tradelocker' | 'projectx' | 'metatrader';
export const VENUES: VenueName[] = ['kraken', 'tradelocker', 'projectx', 'metatrader'];

/**
 * Client order id → performance.now() (this process's clock) when the order request reached a
 * fake: Node's `http.server.request.start` channel in the fakes' process fires as the fake's
 * server parses the request line and headers, before its handler runs, so the broker's own
 * processing is never included. Filled by `collect()`.
 */
export const arrivals = new Map<string, number>();

type Calls = Map<string, { n: number; ms: number[] }>;

/** CLOCK_MONOTONIC ms (the child's clock too) minus this process's performance.now(). */
const monoOffset = Number(process.hrtime.bigint()) / 1e6 - performance.now();

class FakeHost {
  private readonly child: ChildProcess;
  private seq = 0;
  private readonly waiting = new Map<number, { ok(v: unknown): void; fail(e: Error): void }>();
  readonly ready: Promise<unknown>;

  constructor() {
    this.child = fork(path.join(__dirname, 'fake-host.ts'), [], { execArgv: ['--import', 'tsx'] });
    this.ready = new Promise((ok, fail) => this.waiting.set(0, { ok, fail }));
    this.child.on('message', (m: { seq: number; value?: unknown; error?: string }) => {
      const w = this.waiting.get(m.seq);
      this.waiting.delete(m.seq);
      if (m.error !== undefined) w?.fail(new Error(`fake host: ${m.error}`));
      else w?.ok(m.value);
    });
    this.child.on('exit', (code) => {
      for (const w of this.waiting.values()) w.fail(new Error(`fake host exited (${code})`));
      this.waiting.clear();
    });
  }

  async request<T>(req: HostRequest): Promise<T> {
    await this.ready;
    const seq = ++this.seq;
    return new Promise<T>((ok, fail) => {
      this.waiting.set(seq, { ok: ok as (v: unknown) => void, fail });
      this.child.send({ seq, req });
    });
  }

  stop() {
    this.child.disconnect();
  }
}

let host: FakeHost | undefined;
const theHost = () => (host ??= new FakeHost());

/** Ends the fakes' process (the bench calls it before exiting). */
export function stopFakes(): void {
  host?.stop();
  host = undefined;
}

/**
 * Everything the fakes saw since the last call: arrivals and the EA's received commands go
 * into `arrivals` and `ctx.mtReceived` (this process's clock); the requests the fakes answered
 * are returned. Call it after a run, before reading its samples: an arrival is reported by the
 * fakes' process and may come in after the broker's answer.
 */
export async function collect(ctx: RigContext): Promise<Calls> {
  const got = await theHost().request<Flushed>({ op: 'flush' });
  for (const [id, t] of got.arrivals) arrivals.set(id, t - monoOffset);
  for (const [id, t] of got.received) ctx.mtReceived.set(id, t - monoOffset);
  return new Map(got.calls);
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
  /**
   * MetaTrader: client order id → performance.now() when the EA's poll brought its command
   * (filled by `collect()`).
   */
  mtReceived: Map<string, number>;
}

let seq = 0;

/**
 * Only what the venue's form (and the common baseUrl/wsUrl/hubUrl) accepts, its "Advanced"
 * tuning left at the defaults a user gets: the fakes' own settings shorten timeouts and polls
 * for the tests, which would make these figures another configuration's.
 */
function formSettings(ctx: RigContext, venue: string, all: Record<string, string>) {
  const def = ctx.backend.features.accounts.brokers.definition(venue)!;
  const known = new Set([
    ...def.fields.filter((f) => !f.advanced).map((f) => f.name),
    'baseUrl',
    'wsUrl',
    'hubUrl',
  ]);
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

interface HostedFake {
  handle: number;
  settings: Record<string, string>;
  secrets: Record<string, string>;
  symbol: string;
  qty: string;
}

const startFake = (venue: HttpVenue) => theHost().request<HostedFake>({ op: 'start', venue });
const closeHosted = (handle: number) => theHost().request({ op: 'close', handle });

/** Kraken: a trade-only key of its own (nonces are per key; a withdraw key is refused). */
async function secretsFor(venue: VenueName, fake: HostedFake): Promise<Record<string, string>> {
  if (venue !== 'kraken') return fake.secrets;
  return theHost().request({
    op: 'addKey',
    handle: fake.handle,
    permissions: [
      'query_funds',
      'query_open',
      'query_closed',
      'create_orders',
      'cancel_orders',
      'websocket',
    ],
  });
}

/** A fresh fake and a fresh account on it (fresh rate-limit windows on both sides). */
export async function startRig(
  ctx: RigContext,
  venue: VenueName,
  mtHeartbeatMs = 5_000,
): Promise<Rig> {
  if (venue === 'metatrader') return startMetaTrader(ctx, mtHeartbeatMs);
  const fake = await startFake(venue);
  const settings = venue === 'kraken' ? { ...fake.settings, tier: 'pro' } : fake.settings;
  const created = await createAccount(ctx, venue, settings, await secretsFor(venue, fake));
  await untilUp(ctx, created.account.id);
  return {
    venue,
    accountId: created.account.id,
    token: created.webhookToken,
    symbol: fake.symbol,
    qty: fake.qty,
    drop: () => void theHost().request({ op: 'drop', handle: fake.handle }),
    close: async () => {
      await deleteAccount(ctx, created.account.id);
      await closeHosted(fake.handle);
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
  const fakes: HostedFake[] = [];
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    if (i % perFake === 0) fakes.push(await startFake(venue));
    const fake = fakes.at(-1)!;
    const secrets = await secretsFor(venue, fake);
    const settings = venue === 'kraken' ? { ...fake.settings, tier: 'pro' } : fake.settings;
    ids.push((await createAccount(ctx, venue, settings, secrets)).account.id);
  }
  for (const id of ids) await untilUp(ctx, id);
  return {
    ids,
    close: async () => {
      for (const id of ids) await deleteAccount(ctx, id);
      for (const fake of fakes) await closeHosted(fake.handle);
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
  const ea: EaOptions = {
    baseUrl: ctx.baseUrl,
    token: created.bridgeToken!,
    heartbeatMs,
    pollMs: ctx.mtPollMs,
    longPollMs: ctx.mtLongPollMs,
    ackOnPoll: ctx.mtAckOnPoll,
    heartbeatOnPoll: ctx.mtHeartbeatOnPoll,
  };
  const { handle } = await theHost().request<{ handle: number }>({ op: 'startEa', ea });
  await untilUp(ctx, created.account.id);
  return {
    venue: 'metatrader',
    accountId: created.account.id,
    token: created.webhookToken,
    symbol: 'EURUSD',
    qty: '0.10',
    drop: () => void theHost().request({ op: 'drop', handle }),
    resume: () => void theHost().request({ op: 'resume', handle }),
    close: async () => {
      // The EA stops before the delete, as before (a crash: no goodbye to Bourse).
      await closeHosted(handle);
      await deleteAccount(ctx, created.account.id);
    },
  };
}
