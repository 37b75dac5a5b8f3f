import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PlaceInput } from '../../../src-main/features/exchange/api';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import { exchangeOf, fund, limit } from '../../helpers/exchange';

let backend: TestBackend;
let commits: number;
beforeEach(async () => {
  backend = await startTestBackend();
  await fund(backend, 'alice', 'USDT', '1000');
  // Counts the exchange's group commits (each is one deferred `exchange.batch` transaction).
  const write = backend.store.writeDeferred;
  commits = 0;
  backend.store.writeDeferred = (name, fn) => {
    if (name === 'exchange.batch') commits++;
    return write(name, fn);
  };
});
afterEach(async () => {
  await backend.cleanup();
});

const order = (price: string) => limit('buy', price, '0.1') as PlaceInput;
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('group commit: which commands share a transaction', () => {
  it('a command that arrives the turn after a burst joins the burst’s commit', async () => {
    const ex = exchangeOf(backend);
    // Two commands in one turn (concurrent requests), a third one turn later: requests of
    // concurrent clients arrive spread over a few turns, and should share one fsync.
    const burst = [ex.place('alice', order('100.00')), ex.place('alice', order('101.00'))];
    await nextTurn();
    const late = ex.place('alice', order('102.00'));
    const placed = await Promise.all([...burst, late]);
    expect(placed.map((o) => o.status)).toEqual(['new', 'new', 'new']);
    expect(commits).toBe(1);
  });

  it('a lone command is committed in its own turn, without waiting for company', async () => {
    const ex = exchangeOf(backend);
    const placed = ex.place('alice', order('100.00'));
    await nextTurn();
    // Committed (and acknowledged) before the next turn began.
    expect(commits).toBe(1);
    expect((await placed).status).toBe('new');
  });

  it('after a batch of N, a flush waits briefly for N commands, and goes once they are in', async () => {
    const ex = exchangeOf(backend);
    await Promise.all([1, 2, 3].map(() => ex.place('alice', order('100.00'))));
    expect(commits).toBe(1);
    // The same three clients come back, one of them a timer tick later than the others.
    const two = [ex.place('alice', order('100.00')), ex.place('alice', order('100.00'))];
    const third = new Promise((resolve) => setTimeout(resolve, 0)).then(() =>
      ex.place('alice', order('100.00')),
    );
    await Promise.all([...two, third]);
    expect(commits).toBe(2);
  });

  it('a steady stream still commits: lingering is bounded', async () => {
    const ex = exchangeOf(backend);
    const placed: Array<Promise<unknown>> = [ex.place('alice', order('100.00'))];
    placed.push(ex.place('alice', order('100.00')));
    // A new command every turn for 20 turns: the queue never stops growing.
    for (let i = 0; i < 20; i++) {
      await nextTurn();
      placed.push(ex.place('alice', order('100.00')));
    }
    await Promise.all(placed);
    expect(commits).toBeGreaterThan(1);
  });
});
