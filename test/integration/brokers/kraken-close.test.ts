import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../../src-main/operations/principal';
import type { BrokerEvent } from '../../../src-main/connectors/broker/port';
import { KrakenConnector } from '../../../src-main/connectors/kraken';
import { createUser } from '../../helpers/auth';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import { trader } from '../../helpers/exchange';
import { ALL_PERMISSIONS, FakeKraken } from '../../fakes/kraken/server';
import type { FakeBook } from '../../fakes/kraken/book';

/**
 * The close attached to a Kraken order (its conditional close), as Bourse shows it: read from
 * Kraken's own `descr.close` text in the strict fake's answers, carried on the streamed
 * reports (which never describe it), and `[]` on an order without one (Kraken's one close is a
 * list of one).
 */

let fake: FakeKraken;

const none = { price: null, offset: null, limitPrice: null, trailPercent: null, trailAmount: null };
const trailPct = { ...none, type: 'trailing_stop', trailPercent: '2' };
const trailAmt = { ...none, type: 'trailing_stop', trailAmount: '250.5' };
const stopLoss = { ...none, type: 'stop_loss', price: '29000' };

/** Limit buys resting under the fake's last price (60,000), one per close and one without. */
const ORDERS = [
  ['pct', { stopLossTrailPercent: '2' }, [trailPct]],
  ['amt', { stopLossTrailAmount: '250.5' }, [trailAmt]],
  ['sl', { stopLoss: '29000' }, [stopLoss]],
  ['plain', {}, []],
] as const;

/** Makes the fake word every close as `text` says (a Kraken that reports it otherwise). */
function reword(book: FakeBook, text: (was: string) => string): void {
  const view = book.view.bind(book);
  book.view = (o) => {
    const v = view(o) as { descr: { close: string } };
    v.descr.close = text(v.descr.close);
    return v;
  };
}

beforeEach(async () => {
  fake = await FakeKraken.start();
});
afterEach(async () => {
  await fake.close();
});

describe('the fake answers descr.close as Kraken does', () => {
  let c: KrakenConnector;
  beforeEach(() => {
    c = new KrakenConnector(
      {
        baseUrl: fake.settings.baseUrl!,
        wsUrl: fake.settings.wsUrl!,
        tier: 'pro',
        timeoutMs: 2000,
        pingMs: 1000,
      },
      { apiKey: fake.secrets.apiKey!, apiSecret: fake.secrets.apiSecret! },
      { now: Date.now, random: () => 0 },
    );
  });
  afterEach(() => c.close());

  const add = (close: Record<string, string>, extra: Record<string, string | undefined> = {}) =>
    c.rest.private<{ descr: Record<string, string>; txid?: string[] }>(
      'AddOrder',
      {
        pair: 'XBTUSD',
        type: 'buy',
        ordertype: 'limit',
        price: '30000',
        volume: '0.001',
        ...close,
        ...extra,
      },
      true,
    );

  it('words the close in AddOrder answers, only when the order has one', async () => {
    const plain = await add({});
    expect(Object.keys(plain.descr)).toEqual(['order']);
    const cases = [
      [
        { 'close[ordertype]': 'stop-loss', 'close[price]': '29000' },
        'close position @ stop loss 29000.0',
      ],
      [
        { 'close[ordertype]': 'take-profit', 'close[price]': '35000' },
        'close position @ take profit 35000.0',
      ],
      [
        { 'close[ordertype]': 'trailing-stop', 'close[price]': '+2%' },
        'close position @ trailing stop +2.0000%',
      ],
      [
        { 'close[ordertype]': 'trailing-stop', 'close[price]': '+250.5' },
        'close position @ trailing stop +250.5',
      ],
      [{ 'close[ordertype]': 'limit', 'close[price]': '66000' }, 'close position @ limit 66000.0'],
    ] as const;
    for (const [close, text] of cases) expect((await add(close)).descr.close).toBe(text);
    // A validate-only order is described the same way, and nothing is placed.
    const checked = await add(cases[0][0], { validate: 'true' });
    expect(checked).toEqual({ descr: expect.objectContaining({ close: cases[0][1] }) });
    expect(checked.txid).toBeUndefined();
  });

  it('lists "" for an order without a close, and none for the close placed on a fill', async () => {
    const plain = (await add({})).txid![0]!;
    const withClose = (await add({ 'close[ordertype]': 'stop-loss', 'close[price]': '29000' }))
      .txid![0]!;
    type Listed = Record<string, { descr: { close: string; ordertype: string } }>;
    const open = (await c.rest.private<{ open: Listed }>('OpenOrders')).open;
    expect(open[plain]!.descr.close).toBe('');
    expect(open[withClose]!.descr.close).toBe('close position @ stop loss 29000.0');
    // A market buy fills at once: Kraken places its stop-loss, an order of its own without a
    // close.
    await add(
      { 'close[ordertype]': 'stop-loss', 'close[price]': '58000' },
      { ordertype: 'market', price: undefined },
    );
    const after = (await c.rest.private<{ open: Listed }>('OpenOrders')).open;
    const child = Object.values(after).find((o) => o.descr.ordertype === 'stop-loss');
    expect(child?.descr).toMatchObject({ close: '' });
    const queried = await c.rest.private<Listed>('QueryOrders', { txid: withClose });
    expect(queried[withClose]!.descr.close).toBe('close position @ stop loss 29000.0');
  });
});

describe('the connector', () => {
  it("carries the close on the stream's reports, which never describe it", async () => {
    const c = new KrakenConnector(
      {
        baseUrl: fake.settings.baseUrl!,
        wsUrl: fake.settings.wsUrl!,
        tier: 'pro',
        timeoutMs: 2000,
        pingMs: 1000,
      },
      { apiKey: fake.secrets.apiKey!, apiSecret: fake.secrets.apiSecret! },
      { now: Date.now, random: () => 0 },
    );
    const events: BrokerEvent[] = [];
    c.subscribe((e) => events.push(e));
    await expect
      .poll(() => events.some((e) => e.type === 'connection' && e.state === 'up'))
      .toBe(true);
    const placed = await c.place({
      clientOrderId: 'stream-1',
      symbol: 'BTC/USD',
      side: 'buy',
      type: 'limit',
      qty: '0.001',
      price: '30000',
      stopLossTrailAmount: '250.5',
    });
    expect(placed.closes).toEqual([trailAmt]);
    await c.cancel(placed.orderId);
    const reports = () =>
      events.flatMap((e) =>
        e.type === 'order' && e.order.orderId === placed.orderId ? [e.order] : [],
      );
    await expect.poll(() => reports().map((o) => o.status)).toContain('cancelled');
    // `pending`, `new` and the cancel: each with the close, though none of them names it.
    for (const o of reports()) expect(o.closes).toEqual([trailAmt]);
    await c.close();
  });
});

describe('brokers.state shows the close attached to each Kraken order', () => {
  let backend: TestBackend;
  let me: Principal;
  const invoke = <T>(name: string, input: unknown) => backend.invoke(name, input, me) as Promise<T>;
  type OrderView = { orderId: string; clientOrderId: string | null; closes: unknown };

  beforeEach(async () => {
    backend = await startTestBackend();
    me = trader((await createUser(backend, 'trader')).userId);
  });
  afterEach(() => backend.cleanup());

  /** A Kraken account on the fake, and the four limit buys placed through `brokers.place`. */
  async function placeAll(): Promise<{ id: string; placed: Map<string, OrderView> }> {
    const { account } = await invoke<{ account: { id: string } }>('accounts.create', {
      venue: 'kraken',
      name: 'Kraken',
      settings: { baseUrl: fake.settings.baseUrl, wsUrl: fake.settings.wsUrl },
      credentials: fake.addKey(ALL_PERMISSIONS.filter((p) => p !== 'withdraw')),
    });
    const placed = new Map<string, OrderView>();
    for (const [name, close] of ORDERS) {
      const o = await invoke<OrderView>('brokers.place', {
        id: account.id,
        symbol: 'BTC/USD',
        side: 'buy',
        type: 'limit',
        qty: '0.001',
        price: '30000',
        clientOrderId: `close-${name}`,
        ...close,
      });
      placed.set(name, o);
    }
    return { id: account.id, placed };
  }

  const closesIn = async (id: string) => {
    const s = await invoke<{ orders: OrderView[] }>('brokers.state', { id });
    return Object.fromEntries(s.orders.map((o) => [o.clientOrderId, o.closes]));
  };
  const expected = Object.fromEntries(ORDERS.map(([name, , close]) => [`close-${name}`, close]));

  it('from the placement, the stream and a sync: trailing by percent, by amount, a stop-loss, none', async () => {
    const { id, placed } = await placeAll();
    for (const [name, , closes] of ORDERS) expect(placed.get(name)!.closes).toEqual(closes);
    // Before any sync: what the stream and the placements reported.
    await expect.poll(() => closesIn(id), { timeout: 10_000 }).toEqual(expected);
    await invoke('accounts.sync', { id });
    expect(await closesIn(id)).toEqual(expected);
  });

  it("prefers Kraken's report to what Bourse sent", async () => {
    const { id } = await placeAll();
    // Kraken reports every close trailing 3 %: a sync shows Kraken's, not what was sent.
    reword(fake.book, (was) => (was ? 'close position @ trailing stop +3.0000%' : ''));
    await invoke('accounts.sync', { id });
    const three = { ...none, type: 'trailing_stop', trailPercent: '3' };
    expect(await closesIn(id)).toEqual({
      'close-pct': [three],
      'close-amt': [three],
      'close-sl': [three],
      'close-plain': [],
    });
  });

  it('shows what Bourse placed when Kraken words a close in a form it does not read', async () => {
    reword(fake.book, (was) => (was ? 'close position @ something new 1' : ''));
    const { id } = await placeAll();
    await invoke('accounts.sync', { id });
    expect(await closesIn(id)).toEqual(expected);
  });
});
