import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../../src-main/operations/principal';
import { createUser } from '../../helpers/auth';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import { trader } from '../../helpers/exchange';
import { FakeEa } from '../../fakes/metatrader/ea-client';
import { FakeTerminal } from '../../fakes/metatrader/terminal';
import { untilAsync } from '../../helpers/until';

/**
 * A MetaTrader pending order's stop-loss and take-profit (the EA's `sl`/`tp`, null for none),
 * as Bourse shows them: both at once in `closes`, through `brokers.place` and `brokers.state`,
 * with the TypeScript stand-in for the EA polling the backend's own bridge port.
 */

let backend: TestBackend;
let me: Principal;
let dir: string;
let ea: FakeEa | null = null;
let terminal: FakeTerminal;
const invoke = <T>(name: string, input: unknown) => backend.invoke(name, input, me) as Promise<T>;

const none = { offset: null, limitPrice: null, trailPercent: null, trailAmount: null };
const sl = (price: string) => ({ ...none, type: 'stop_loss', price });
const tp = (price: string) => ({ ...none, type: 'take_profit', price });

type OrderView = { orderId: string; clientOrderId: string | null; closes: unknown };
interface State {
  connection: string;
  bridge: { online: boolean } | null;
  orders: OrderView[];
}

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'bourse-mt-closes-'));
  backend = await startTestBackend();
  me = trader((await createUser(backend, 'trader')).userId);
});
afterEach(async () => {
  ea?.crash();
  ea = null;
  await backend.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

/** A MetaTrader account with its EA online. */
async function online(): Promise<string> {
  const url = await backend.listen();
  const created = await invoke<{ account: { id: string }; bridgeToken: string }>(
    'accounts.create',
    { venue: 'metatrader', name: 'MT5 demo', settings: { platform: 'MT5' } },
  );
  const id = created.account.id;
  terminal = new FakeTerminal('MT5');
  ea = new FakeEa({
    baseUrl: url,
    token: created.bridgeToken,
    terminal,
    stateFile: path.join(dir, 'state.json'),
    heartbeatMs: 100,
  });
  await ea.start();
  await untilAsync('the EA online', async () => {
    const s = await invoke<State>('brokers.state', { id });
    return s.bridge?.online === true && s.connection === 'up';
  });
  return id;
}

describe('brokers.place and brokers.state show both closes of a MetaTrader order', () => {
  it('a pending order placed with a stop-loss and a take-profit lists both; one, or none', async () => {
    const id = await online();
    const place = (clientOrderId: string, extra: Record<string, string>) =>
      invoke<OrderView>('brokers.place', {
        id,
        symbol: 'EURUSD',
        side: 'buy',
        type: 'limit',
        qty: '0.10',
        price: '1.05000',
        clientOrderId,
        ...extra,
      });
    const both = await place('mt-both', { stopLoss: '1.04000', takeProfit: '1.09000' });
    expect(both.closes).toEqual([sl('1.04000'), tp('1.09000')]);
    const onlySl = await place('mt-sl', { stopLoss: '1.04500' });
    expect(onlySl.closes).toEqual([sl('1.04500')]);
    const plain = await place('mt-plain', {});
    expect(plain.closes).toEqual([]);
    // The terminal holds them as the EA reports them (`sl`/`tp`, null for none).
    expect([...terminal.orders.values()].map((o) => [o.sl, o.tp])).toEqual([
      ['1.04000', '1.09000'],
      ['1.04500', null],
      [null, null],
    ]);
    const expected = {
      'mt-both': [sl('1.04000'), tp('1.09000')],
      'mt-sl': [sl('1.04500')],
      'mt-plain': [],
    };
    // From the EA's heartbeat (the terminal's pending orders), after a sync as well.
    await ea!.heartbeatNow();
    const closesIn = async () => {
      const s = await invoke<State>('brokers.state', { id });
      return Object.fromEntries(s.orders.map((o) => [o.clientOrderId, o.closes]));
    };
    await expect.poll(closesIn, { timeout: 10_000 }).toEqual(expected);
    await invoke('accounts.sync', { id });
    expect(await closesIn()).toEqual(expected);
  });

  it('shows a stop-loss moved in the terminal, read from the heartbeat', async () => {
    const id = await online();
    const o = await invoke<OrderView>('brokers.place', {
      id,
      symbol: 'EURUSD',
      side: 'sell',
      type: 'limit',
      qty: '0.10',
      price: '1.12000',
      stopLoss: '1.13000',
      takeProfit: '1.08000',
      clientOrderId: 'mt-moved',
    });
    // The trader drags the stop-loss on the chart and removes the take-profit.
    const pending = terminal.orders.get(o.orderId)!;
    terminal.orders.set(o.orderId, { ...pending, sl: '1.12500', tp: null });
    await ea!.heartbeatNow();
    await expect
      .poll(async () => {
        const s = await invoke<State>('brokers.state', { id });
        return s.orders.find((x) => x.orderId === o.orderId)?.closes;
      })
      .toEqual([sl('1.12500')]);
  });
});
