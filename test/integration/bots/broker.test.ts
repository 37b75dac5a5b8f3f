import { afterEach, describe, expect, it } from 'vitest';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import { ensureUser } from '../../helpers/exchange';
import { MemoryBroker } from '../../fakes/memory-broker';
import { call, Clock, MIN, T0, user, type Bot } from './setup';

const ALICE = user('alice');
let backend: TestBackend | undefined;

afterEach(async () => {
  await backend?.cleanup();
  backend = undefined;
});

/** Flat 1-minute EURUSD bars at 1.1000, bar n opening at T0 + n minutes. */
const bars = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => ({
    time: T0 + (from + i) * MIN,
    open: '1.1000',
    high: '1.1000',
    low: '1.1000',
    close: '1.1000',
    volume: '10',
  }));

describe('a bot on a broker account', () => {
  it("reads the broker's bars, orders through the pipeline, and waits out an outage", async () => {
    const broker = new MemoryBroker();
    broker.bars = new Map([['EURUSD', bars(0, 10)]]);
    const clock = new Clock(T0 + 10 * MIN + 5_000);
    backend = await startTestBackend({ now: clock.now }, { extraBrokers: [broker.definition()] });
    const b = backend;
    ensureUser(b, 'alice');
    const { account } = await call<{ account: { id: string } }>(b, ALICE, 'accounts.create', {
      venue: 'memory',
      name: 'Broker',
      settings: { server: 'DEMO-1' },
      credentials: { apiKey: 'good' },
    });
    const created = await call<Bot>(b, ALICE, 'bots.create', {
      strategyId: 'buy-and-hold',
      accountId: account.id,
      symbol: 'EURUSD',
      interval: '1m',
      capital: '10',
      warmupBars: 5,
    });
    await call(b, ALICE, 'bots.start', { id: created.id });
    await b.features.bots.runner.tick();
    expect(broker.placed).toBe(0);

    // The broker is down as bar 10 closes: the bot keeps running and says why.
    broker.down = true;
    broker.bars.set('EURUSD', bars(0, 11));
    clock.t = T0 + 11 * MIN + 2_000;
    await b.features.bots.runner.tick();
    let view = await call<Bot>(b, ALICE, 'bots.get', { id: created.id });
    expect(view).toMatchObject({ status: 'running', position: '0', lastBarTime: null });
    expect(view.reason).toMatch(/bars unavailable, retried next bar: .*ECONNREFUSED/);

    // Back up for bar 11: the shadow bought on its first warm-up bar and holds 10 / 1.1 =
    // 9.0909… → 9.09 at the 0.01 lot (no fee model for a broker); the bot buys it at market.
    broker.down = false;
    broker.bars.set('EURUSD', bars(0, 12));
    clock.t = T0 + 12 * MIN + 2_000;
    await b.features.bots.runner.tick();
    view = await call<Bot>(b, ALICE, 'bots.get', { id: created.id });
    expect(view).toMatchObject({
      status: 'running',
      position: '9.09',
      avgPrice: '1.1',
      lastBarTime: T0 + 12 * MIN,
      reason: null,
    });
    expect(view.lastOrder).toMatchObject({ side: 'buy', qty: '9.09', outcome: 'accepted' });
    expect(broker.placed).toBe(1);
    expect([...broker.positions.values()]).toEqual([
      expect.objectContaining({ symbol: 'EURUSD', side: 'long', qty: '9.09' }),
    ]);

    // Another outage, then a bar with nothing to do: the note goes, no order is sent.
    broker.down = true;
    clock.t = T0 + 13 * MIN + 2_000;
    await b.features.bots.runner.tick();
    expect((await call<Bot>(b, ALICE, 'bots.get', { id: created.id })).reason).toMatch(
      /bars unavailable/,
    );
    broker.down = false;
    broker.bars.set('EURUSD', bars(0, 14));
    clock.t = T0 + 14 * MIN + 2_000;
    await b.features.bots.runner.tick();
    view = await call<Bot>(b, ALICE, 'bots.get', { id: created.id });
    expect(view).toMatchObject({ reason: null, lastBarTime: T0 + 14 * MIN, position: '9.09' });
    expect(broker.placed).toBe(1);
  });
});
