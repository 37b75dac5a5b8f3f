import { afterEach, describe, expect, it } from 'vitest';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import { ensureUser } from '../../helpers/exchange';
import { MemoryBroker } from '../../fakes/memory-broker';
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
let backend: TestBackend | undefined;

afterEach(async () => {
  await backend?.cleanup();
  backend = undefined;
});

interface Execution {
  barTime: number;
  side: string | null;
  qty: string | null;
  liveBefore: string;
  target: string;
  adjustment: string | null;
  outcome: string;
}

const bot = (b: TestBackend, id: number) => call<Bot>(b, ALICE, 'bots.get', { id });
const history = async (b: TestBackend, id: number) =>
  (await call<{ items: Execution[] }>(b, ALICE, 'bots.history', { id })).items;
const notes = async (b: TestBackend) =>
  (
    await call<{ items: { kind: string; level: string; body: string }[] }>(
      b,
      ALICE,
      'notifications.list',
      {},
    )
  ).items.filter((n) => n.kind === 'bots.position');

/** The next bar closes (stored, the clock just past its end) and the runner steps. */
async function barCloses(b: TestBackend, clock: Clock, n: number, close: number) {
  seedBars(b, n, [close]);
  clock.t = T0 + (n + 1) * MIN + 2_000;
  await b.features.bots.runner.tick();
}

describe('a bot whose position is closed outside it', () => {
  it('on paper: shrinks to what the account holds, never adopts more, and says why', async () => {
    const clock = new Clock(T0 + 10 * MIN + 5_000);
    const b = (backend = await startTestBackend({ now: clock.now }));
    await quote(b, '30090.00', '30110.00');
    const accountId = await paperAccount(b, 'alice');
    seedBars(b, 0, Array<number>(10).fill(30_000));
    const { id } = await call<Bot>(b, ALICE, 'bots.create', { ...CROSSOVER, accountId });
    await call(b, ALICE, 'bots.start', { id });
    await b.features.bots.runner.tick();

    // Bar 10 crosses up: the bot buys its target 0.0332 (as in bots.test.ts).
    await barCloses(b, clock, 10, 30_100);
    const bought = await bot(b, id);
    expect(bought.position).toBe('0.0332');
    // The paper broker filled it at 30,113.05 (the ask 30,110 with its slippage).
    expect(bought.avgPrice).toBe('30113.05');

    // The user closes 0.0132 by hand: the account holds 0.02 of the bot's 0.0332.
    await call(b, ALICE, 'accounts.closePosition', {
      id: accountId,
      symbol: 'BTC/USDT',
      qty: '0.0132',
    });
    await barCloses(b, clock, 11, 30_100);
    let [last] = await history(b, id);
    // The belief shrank to 0.02 before the target was reconciled: the bot buys back the
    // 0.0132 the backtest still holds, not nothing (which it would have believed before).
    expect(last).toMatchObject({
      liveBefore: '0.02',
      target: '0.0332',
      side: 'buy',
      qty: '0.0132',
      outcome: 'accepted',
    });
    expect(last!.adjustment).toBe(
      'position closed outside the bot: the account holds 0.02 BTC/USDT, the bot believed ' +
        "0.0332; it now holds 0.02 (the 0.0132 closed is booked at the bar's close 30100.00)",
    );
    const after = await bot(b, id);
    expect(after.position).toBe('0.0332');
    // The closed 0.0132 is realised at the bar's close against the bot's average entry:
    // (30,100 − 30,113.05) × 0.0132 = −13.05 × 0.0132 = −0.17226; the buy-back at 30,113.05
    // keeps the average.
    expect(after).toMatchObject({ realisedPnl: '-0.17226', avgPrice: '30113.05' });
    expect(await notes(b)).toEqual([
      expect.objectContaining({ level: 'warning', body: last!.adjustment }),
    ]);

    // The user buys 0.01 more by hand: the account holds more than the bot; nothing changes.
    await call(b, ALICE, 'accounts.placeOrder', {
      id: accountId,
      symbol: 'BTC/USDT',
      side: 'buy',
      qty: '0.01',
    });
    await barCloses(b, clock, 12, 30_100);
    expect(await history(b, id)).toHaveLength(2);
    expect((await bot(b, id)).position).toBe('0.0332');

    // A close of everything by hand: the bot holds nothing and buys its target again.
    await call(b, ALICE, 'accounts.closePosition', { id: accountId, symbol: 'BTC/USDT' });
    await barCloses(b, clock, 13, 30_100);
    [last] = await history(b, id);
    expect(last).toMatchObject({ liveBefore: '0', side: 'buy', qty: '0.0332' });
    expect(last!.adjustment).toMatch(/the account holds 0 BTC\/USDT, the bot believed 0\.0332/);
    expect(await notes(b)).toHaveLength(2);
  });

  it('on a broker account: a stop that closed the position at the broker is noticed', async () => {
    const broker = new MemoryBroker();
    const flat = (to: number) =>
      Array.from({ length: to }, (_, i) => ({
        time: T0 + i * MIN,
        open: '1.1000',
        high: '1.1000',
        low: '1.1000',
        close: '1.1000',
        volume: '10',
      }));
    broker.bars = new Map([['EURUSD', flat(10)]]);
    const clock = new Clock(T0 + 10 * MIN + 5_000);
    const b = (backend = await startTestBackend(
      { now: clock.now },
      { extraBrokers: [broker.definition()] },
    ));
    ensureUser(b, 'alice');
    const { account } = await call<{ account: { id: string } }>(b, ALICE, 'accounts.create', {
      venue: 'memory',
      name: 'Broker',
      settings: { server: 'DEMO-1' },
      credentials: { apiKey: 'good' },
    });
    const { id } = await call<Bot>(b, ALICE, 'bots.create', {
      strategyId: 'buy-and-hold',
      accountId: account.id,
      symbol: 'EURUSD',
      interval: '1m',
      capital: '10',
      warmupBars: 5,
    });
    await call(b, ALICE, 'bots.start', { id });
    await b.features.bots.runner.tick();
    broker.bars.set('EURUSD', flat(11));
    clock.t = T0 + 11 * MIN + 2_000;
    await b.features.bots.runner.tick();
    // 10 / 1.1 = 9.0909… → 9.09 at the 0.01 lot (as in broker.test.ts).
    expect((await bot(b, id)).position).toBe('9.09');
    expect(broker.placed).toBe(1);

    // A stop at the broker sells it all at 1.0950: the stream reports the fill and the close.
    const order = [...broker.orders.values()][0]!;
    broker.fill(
      { ...order, orderId: 'STOP-1', clientOrderId: null, side: 'sell' },
      '9.09',
      '1.0950',
    );
    broker.net('EURUSD', 'sell', '9.09', '1.0950');
    broker.bars.set('EURUSD', flat(12));
    clock.t = T0 + 12 * MIN + 2_000;
    await b.features.bots.runner.tick();
    const [last] = await history(b, id);
    expect(last).toMatchObject({ liveBefore: '0', side: 'buy', qty: '9.09', outcome: 'accepted' });
    expect(last!.adjustment).toMatch(/the account holds 0 EURUSD, the bot believed 9\.09/);
    expect(broker.placed).toBe(2);
    expect((await bot(b, id)).position).toBe('9.09');
    expect(await notes(b)).toHaveLength(1);
  });
});
