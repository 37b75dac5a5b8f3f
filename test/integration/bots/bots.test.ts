import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { subDecimal } from '../../../src-shared/decimal';
import { startTestBackend, tempDataDir, type TestBackend } from '../../helpers/backend';
import { rejects } from '../../helpers/exchange';
import {
  call,
  Clock,
  CROSSOVER,
  MIN,
  paperAccount,
  quote,
  seedBars,
  T0,
  user,
  type Bot,
} from './setup';

const ALICE = user('alice');
let open: TestBackend[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const b of open) await b.cleanup();
  open = [];
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function boot(clock: Clock, dataDir?: string) {
  const b = await startTestBackend({ now: clock.now, ...(dataDir ? { dataDir } : {}) });
  open.push(b);
  return b;
}

interface Execution {
  barTime: number;
  side: string | null;
  qty: string | null;
  alertId: string | null;
  outcome: string;
  errorCode: string | null;
  target: string;
}

const bot = (b: TestBackend, id: number) => call<Bot>(b, ALICE, 'bots.get', { id });
const history = async (b: TestBackend, id: number) =>
  (await call<{ items: Execution[] }>(b, ALICE, 'bots.history', { id })).items;
const fills = async (b: TestBackend, accountId: string) =>
  (
    await call<{ items: { side: string; qty: string }[] }>(b, ALICE, 'accounts.fills', {
      id: accountId,
    })
  ).items;
const botLog = async (b: TestBackend) =>
  (
    await call<{ items: { route: string; alertId: string | null; status: string }[] }>(
      b,
      ALICE,
      'automation.log.list',
      {},
    )
  ).items.filter((r) => r.route === 'bot');

/** A paper account, ten flat bars at 30,000 and a started crossover bot (clock just past bar 9). */
async function startedBot(b: TestBackend, clock: Clock) {
  await quote(b, '30090.00', '30110.00');
  const accountId = await paperAccount(b, 'alice');
  seedBars(b, 0, Array<number>(10).fill(30_000));
  const created = await call<Bot>(b, ALICE, 'bots.create', { ...CROSSOVER, accountId });
  expect(created.status).toBe('created');
  const started = await call<Bot>(b, ALICE, 'bots.start', { id: created.id });
  expect(started).toMatchObject({ status: 'running', tsStarted: clock.t, position: '0' });
  // The bars that closed before the start are warm-up: the first step sends nothing.
  await b.features.bots.runner.tick();
  expect(await history(b, created.id)).toEqual([]);
  return { id: created.id, accountId };
}

/** The next bar closes (stored, the clock just past its end) and the runner steps. */
async function barCloses(b: TestBackend, clock: Clock, n: number, close: number) {
  seedBars(b, n, [close]);
  clock.t = T0 + (n + 1) * MIN + 2_000;
  await b.features.bots.runner.tick();
}

describe('a built-in bot on a paper account', () => {
  it('orders on a cross, survives a restart without a duplicate, and closes on stop', async () => {
    const dataDir = tempDataDir();
    dirs.push(dataDir);
    const clock = new Clock(T0 + 10 * MIN + 5_000);
    let b = await boot(clock, dataDir);
    const { id, accountId } = await startedBot(b, clock);

    // Bar 10 closes at 30,100: the 2-bar SMA crosses above the 3-bar one. The shadow buys at
    // the close plus the paper spread as slippage (1 bp: 30,103.01) with 100 % of 1,000 less
    // 0.05 % commission: 1000 / (30103.01 × 1.0005) = 0.03320… → 0.0332 at the 0.0001 lot.
    await barCloses(b, clock, 10, 30_100);
    const alertId = `bot:${id}:${T0 + 11 * MIN}`;
    const [first] = await history(b, id);
    expect(first).toMatchObject({
      side: 'buy',
      qty: '0.0332',
      target: '0.0332',
      alertId,
      outcome: 'accepted',
    });
    expect(await botLog(b)).toEqual([expect.objectContaining({ alertId, status: 'accepted' })]);
    expect((await fills(b, accountId)).map((f) => [f.side, Number(f.qty)])).toEqual([
      ['buy', 0.0332],
    ]);
    let view = await bot(b, id);
    expect(view).toMatchObject({
      status: 'running',
      position: '0.0332',
      lastBarTime: T0 + 11 * MIN,
      lastSignal: 'buy market (cross-up)',
      mark: '30100.00',
      uptimeMs: 57_000,
      lastOrder: expect.objectContaining({ alertId, outcome: 'accepted' }),
    });
    // Shadow, in USDT's 6 decimals: notional 0.0332 × 30,103.01 = 999.419932, fee 0.05 % of
    // it = 0.499709966 → 0.49971; cash 1000 − 999.419932 − 0.49971 = 0.080358; marked at the
    // close: 0.080358 + 0.0332 × 30,100 = 999.400358; over the live period −0.599642.
    expect(view.shadow).toEqual({
      position: 0.0332,
      equity: '999.400358',
      pnl: '-0.599642',
      trades: 0,
      bars: 6,
    });
    expect(view.drift).toBe(subDecimal(view.livePnl, '-0.599642'));

    // A crash after the order left but before its outcome was written: the row is pending again
    // and the bot's book does not know the fill.
    b.store.sqlite
      .prepare(`UPDATE bot_executions SET outcome = 'pending' WHERE bot_id = ?`)
      .run(id);
    b.store.sqlite.prepare(`UPDATE bots SET position = '0', avg_price = NULL WHERE id = ?`).run(id);
    await b.close();
    open = [];
    b = await boot(clock, dataDir);
    await b.features.bots.runner.start();
    // Re-sent with the same alert id: the pipeline answered the first outcome, nothing traded.
    expect(await fills(b, accountId)).toHaveLength(1);
    expect((await botLog(b)).map((r) => r.status)).toEqual(['duplicate', 'accepted']);
    view = await bot(b, id);
    expect(view).toMatchObject({ status: 'running', position: '0.0332' });
    expect(view.lastOrder).toMatchObject({ outcome: 'accepted', alertId });

    // Stepping again on the same bar, and on a bar that changes nothing, sends nothing.
    await b.features.bots.runner.tick();
    await barCloses(b, clock, 11, 30_100);
    expect(await history(b, id)).toHaveLength(1);
    expect(await fills(b, accountId)).toHaveLength(1);
    expect((await bot(b, id)).lastBarTime).toBe(T0 + 12 * MIN);

    await rejects(call(b, ALICE, 'bots.delete', { id }), 'conflict');
    const stopped = await call<Bot>(b, ALICE, 'bots.stop', { id, closePosition: true });
    expect(stopped).toMatchObject({ status: 'stopped', position: '0', uptimeMs: null });
    expect(stopped.lastOrder).toMatchObject({ side: 'sell', qty: '0.0332', outcome: 'accepted' });
    expect((await fills(b, accountId)).map((f) => f.side)).toEqual(['sell', 'buy']);
    await rejects(call(b, ALICE, 'bots.start', { id }), 'conflict');
    await call(b, ALICE, 'bots.delete', { id });
    await rejects(bot(b, id), 'not_found');
    const trail = b.store.sqlite
      .prepare(`SELECT action, target FROM audit_events WHERE action LIKE 'bot.%' ORDER BY id`)
      .all();
    expect(trail).toEqual(
      ['bot.create', 'bot.start', 'bot.stop', 'bot.delete'].map((action) => ({
        action,
        target: String(id),
      })),
    );
  });

  it('is refused by the emergency stop, shows why, and catches up once re-armed', async () => {
    const clock = new Clock(T0 + 10 * MIN + 5_000);
    const b = await boot(clock);
    const { id, accountId } = await startedBot(b, clock);
    const pushed: { audience: unknown; data: Bot }[] = [];
    b.hub.subscribe(
      (m) => pushed.push({ audience: m.audience, data: m.data as Bot }),
      (s) => s === 'bots',
    );
    await call(b, ALICE, 'automation.emergencyStop', { accountId });

    await barCloses(b, clock, 10, 30_100);
    let view = await bot(b, id);
    expect(view).toMatchObject({ status: 'running', position: '0' });
    expect(view.lastOrder).toMatchObject({ outcome: 'rejected', errorCode: 'risk_rejected' });
    expect(view.reason).toMatch(/emergency stop/);
    expect(await fills(b, accountId)).toEqual([]);
    // The refusal was pushed on alice's `bots` stream as it happened.
    expect(pushed.at(-1)).toEqual({
      audience: { kind: 'user', userId: 'alice' },
      data: expect.objectContaining({ id, reason: view.reason }),
    });

    // Re-armed: the next bar has no new signal, but the shadow still holds 0.0332: the bot
    // follows it with a new alert id.
    await call(b, ALICE, 'automation.rearm', { accountId });
    await barCloses(b, clock, 11, 30_100);
    view = await bot(b, id);
    expect(view).toMatchObject({ position: '0.0332', reason: null });
    expect(view.lastOrder).toMatchObject({
      alertId: `bot:${id}:${T0 + 12 * MIN}`,
      outcome: 'accepted',
    });
  });

  it('sends nothing while paused, and catches up with its backtest when resumed', async () => {
    const clock = new Clock(T0 + 10 * MIN + 5_000);
    const b = await boot(clock);
    const { id, accountId } = await startedBot(b, clock);
    expect(await call<Bot>(b, ALICE, 'bots.pause', { id })).toMatchObject({
      status: 'paused',
      uptimeMs: null,
    });
    await rejects(call(b, ALICE, 'bots.pause', { id }), 'conflict');
    await barCloses(b, clock, 10, 30_100);
    await barCloses(b, clock, 11, 30_100);
    expect(await history(b, id)).toEqual([]);
    expect(await fills(b, accountId)).toEqual([]);
    // Resumed after bar 11: the cross was on bar 10, but the shadow holds 0.0332 since.
    await call(b, ALICE, 'bots.start', { id });
    await b.features.bots.runner.tick();
    const [only, ...rest] = await history(b, id);
    expect(rest).toEqual([]);
    expect(only).toMatchObject({
      barTime: T0 + 12 * MIN,
      side: 'buy',
      qty: '0.0332',
      outcome: 'accepted',
    });
  });

  it("is another user's not_found, and cannot use another user's account", async () => {
    const clock = new Clock(T0 + 10 * MIN + 5_000);
    const b = await boot(clock);
    const { id, accountId } = await startedBot(b, clock);
    const mallory = user('mallory');
    await paperAccount(b, 'mallory');
    for (const [name, input] of [
      ['bots.get', { id }],
      ['bots.history', { id }],
      ['bots.pause', { id }],
      ['bots.stop', { id, closePosition: true }],
      ['bots.delete', { id }],
    ] as const) {
      await rejects(call(b, mallory, name, input), 'not_found');
    }
    expect(await call(b, mallory, 'bots.list', {})).toEqual({ items: [] });
    await rejects(call(b, mallory, 'bots.create', { ...CROSSOVER, accountId }), 'unknown_account');
    expect((await bot(b, id)).status).toBe('running');
  });

  it('validates what it is created with', async () => {
    const clock = new Clock(T0);
    const b = await boot(clock);
    const accountId = await paperAccount(b, 'alice');
    const bad = (patch: object, code: string) =>
      rejects(call(b, ALICE, 'bots.create', { ...CROSSOVER, accountId, ...patch }), code);
    await bad({ params: { fast: 1 } }, 'validation_failed');
    await bad({ params: { fats: 2 } }, 'validation_failed');
    await bad({ strategyId: 'nope' }, 'not_found');
    await bad({ symbol: 'DOGE/USDT' }, 'unknown_symbol');
    await bad({ interval: '2m' }, 'validation_failed');
    await bad({ capital: '0' }, 'validation_failed');
    await bad({ capital: '-5' }, 'validation_failed');
  });
});

describe('a bot of user strategy code runs in the sandbox', () => {
  const save = (b: TestBackend, onBar: string) =>
    call<{ id: string }>(b, ALICE, 'backtest.strategies.save', {
      language: 'js',
      source: `defineStrategy({ name: 'probe', params: [], create() { return { onBar(ctx) { ${onBar} } }; } });`,
    });

  it('follows the position the sandboxed replay holds', async () => {
    const clock = new Clock(T0 + 10 * MIN + 5_000);
    const b = await boot(clock);
    const { accountId } = await startedBot(b, clock);
    const s = await save(b, 'if (ctx.position <= 0) ctx.buy({ quantity: 0.01, tag: "in" });');
    const created = await call<Bot>(b, ALICE, 'bots.create', {
      ...CROSSOVER,
      params: {},
      strategyId: s.id,
      accountId,
    });
    await call(b, ALICE, 'bots.start', { id: created.id });
    await barCloses(b, clock, 10, 30_000);
    const view = await bot(b, created.id);
    expect(view).toMatchObject({ status: 'running', position: '0.01' });
    expect(view.lastOrder).toMatchObject({ side: 'buy', qty: '0.01', outcome: 'accepted' });
  });

  it('goes to error when the strategy loops forever, and the backend keeps answering', async () => {
    const clock = new Clock(T0 + 10 * MIN + 5_000);
    const b = await boot(clock);
    const { accountId } = await startedBot(b, clock);
    const s = await save(b, 'for (;;) {}');
    const created = await call<Bot>(b, ALICE, 'bots.create', {
      ...CROSSOVER,
      params: {},
      strategyId: s.id,
      accountId,
      timeLimitSeconds: 1,
    });
    await call(b, ALICE, 'bots.start', { id: created.id });
    seedBars(b, 10, [30_100]);
    clock.t = T0 + 11 * MIN + 2_000;
    const stepping = b.features.bots.runner.tick();
    // The replay spins in its worker: the backend thread answers meanwhile.
    expect((await call<Bot>(b, ALICE, 'bots.get', { id: created.id })).status).toBe('running');
    await stepping;
    const view = await bot(b, created.id);
    expect(view.status).toBe('error');
    expect(view.reason).toMatch(/time limit/);
    expect(view.uptimeMs).toBeNull();
    const notes = await call<{ items: { kind: string; level: string; body: string }[] }>(
      b,
      ALICE,
      'notifications.list',
      {},
    );
    expect(notes.items.filter((n) => n.kind === 'bots.error')).toEqual([
      expect.objectContaining({ level: 'error', body: view.reason }),
    ]);
  });
});
