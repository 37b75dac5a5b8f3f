import { afterEach, describe, expect, it } from 'vitest';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
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

interface Position {
  symbol: string;
  qty: string;
  margin: string;
  kind?: string;
}

/**
 * A bot trades the paper broker's BTC-FUT as it trades a spot market: bars of the market that
 * prices it (BTC/USDT), its shadow a futures-style backtest with the instrument's own terms,
 * orders in whole contracts, margin held per contract.
 */
describe('a bot on a paper future', () => {
  it('follows its shadow in whole contracts of BTC-FUT, margin held per contract', async () => {
    const clock = new Clock(T0 + 10 * MIN + 5_000);
    const b = (backend = await startTestBackend({ now: clock.now }));
    await quote(b, '30090.00', '30110.00');
    const accountId = await paperAccount(b, 'alice');
    seedBars(b, 0, Array<number>(10).fill(30_000));
    const { id } = await call<Bot>(b, ALICE, 'bots.create', {
      ...CROSSOVER,
      symbol: 'BTC-FUT',
      accountId,
    });
    await call(b, ALICE, 'bots.start', { id });
    await b.features.bots.runner.tick();
    seedBars(b, 10, [30_100]);
    clock.t = T0 + 11 * MIN + 2_000;
    await b.features.bots.runner.tick();

    const bot = await call<Bot>(b, ALICE, 'bots.get', { id });
    expect(bot.status).toBe('running');
    const contracts = Number(bot.position);
    expect(Number.isInteger(contracts)).toBe(true);
    expect(contracts).toBeGreaterThan(0);
    const { items } = await call<{ items: Position[] }>(b, ALICE, 'accounts.positions', {
      id: accountId,
    });
    const held = items.find((p) => p.symbol === 'BTC-FUT');
    expect(held?.qty).toBe(bot.position);
    // The seeded terms: 65 USDT initial margin per contract.
    expect(Number(held?.margin)).toBe(65 * contracts);
  });

  it('refuses an instrument priced by a simulated index (no bars to read), saying why', async () => {
    const b = (backend = await startTestBackend());
    const accountId = await paperAccount(b, 'alice');
    const refused = await call(b, ALICE, 'bots.create', {
      ...CROSSOVER,
      symbol: 'SPX-FUT',
      accountId,
    }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'unsupported_by_venue' });
    expect(String((refused as Error).message)).toMatch(/index:SPX, which keeps no bars/);
  });
});
