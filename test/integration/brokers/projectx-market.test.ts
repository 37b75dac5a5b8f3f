import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { BrokerEvent, BrokerQuote } from '../../../src-main/connectors/broker/port';
import { projectxDefinition, type ProjectxConnector } from '../../../src-main/connectors/projectx';
import { startFakeProjectx, type FakeProjectxOptions } from '../../fakes/projectx/server';

/** Live quotes of the ProjectX connector from the market hub of the strict fake. */

const T = Date.parse('2026-12-07T15:30:00Z');
const MNQ = 'CON.F.US.MNQ.Z26';
const MES = 'CON.F.US.MES.Z26';
const MCLE = 'CON.F.US.MCLE.F27';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function setup(opts: FakeProjectxOptions = {}, settings: Record<string, string> = {}) {
  let t = T;
  const now = () => t;
  const fake = await startFakeProjectx({ now, ...opts });
  const warnings: Array<{ obj: object; msg: string }> = [];
  const log = { warn: (obj: object, msg: string) => warnings.push({ obj, msg }), info() {} };
  const c = projectxDefinition.create({ ...fake.settings, ...settings }, fake.secrets, {
    now,
    log,
    random: () => 0.1,
  }) as ProjectxConnector;
  cleanup.push(
    () => fake.close(),
    () => c.close(),
  );
  const events: BrokerEvent[] = [];
  const listen = () => {
    const stop = c.subscribe((e) => events.push(e));
    cleanup.push(async () => stop());
    return stop;
  };
  const quotes = () =>
    events.flatMap((e) => (e.type === 'quote' ? [e.quote] : ([] as BrokerQuote[])));
  const connection = () => events.flatMap((e) => (e.type === 'connection' ? [e.state] : []));
  const tick = (ms: number) => (t += ms);
  return { fake, c, events, listen, quotes, connection, warnings, tick };
}

const until = async (pred: () => boolean, ms = 5_000) => {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setImmediate(r));
  }
};
const subscribed = (calls: string[], id: string) =>
  calls.filter((x) => x === `SubscribeContractQuotes:${id}`).length;

describe('ProjectX market hub quotes', () => {
  for (const marketPayloadShape of ['bare', 'wrapped'] as const) {
    it(`quotes arrive as exact decimals at the tick's decimals (${marketPayloadShape})`, async () => {
      const { fake, c, listen, quotes } = await setup({ marketPayloadShape });
      listen();
      c.watchQuotes(['MNQ', 'MCLE1!']);
      await until(() => fake.market.calls.length === 2);
      expect([...fake.market.calls].sort()).toEqual([
        `SubscribeContractQuotes:${MCLE}`,
        `SubscribeContractQuotes:${MNQ}`,
      ]);
      fake.quote('MNQ', { bestBid: '21000.25', bestAsk: '21000.5', lastPrice: '21000.25' });
      // Doubles as a gateway computing prices would send them (binary noise past the tick).
      fake.quote(MCLE, {
        bestBid: 61.370000000000005,
        bestAsk: 61.38000000000001,
        lastPrice: 61.38,
      });
      await until(() => quotes().length === 2);
      expect(quotes()).toEqual([
        { symbol: 'MNQ', bid: '21000.25', ask: '21000.5', last: '21000.25', at: T },
        { symbol: 'MCLE', bid: '61.37', ask: '61.38', last: '61.38', at: T },
      ]);
    });
  }

  it('a quote sent as data alone is matched by its symbol id (unverified form)', async () => {
    const { fake, c, listen, quotes } = await setup({
      marketQuoteArgs: 'data-only',
      marketPayloadShape: 'wrapped',
    });
    listen();
    c.watchQuotes(['MNQ', 'MES']);
    await until(() => fake.market.calls.length === 2);
    fake.quote('MES', { lastPrice: '6000.25' });
    fake.quote('MNQ', { bestBid: '21000' });
    await until(() => quotes().length === 2);
    expect(quotes()).toEqual([
      { symbol: 'MES', bid: null, ask: null, last: '6000.25', at: T },
      { symbol: 'MNQ', bid: '21000', ask: null, last: null, at: T },
    ]);
  });

  it('a partial quote merges with the last known quote of its contract', async () => {
    const { fake, c, listen, quotes, tick } = await setup();
    listen();
    c.watchQuotes(['MES']);
    await until(() => subscribed(fake.market.calls, MES) === 1);
    fake.quote('MES', { bestBid: '6000', bestAsk: '6000.25', lastPrice: '6000.25' });
    tick(1_000);
    fake.quote('MES', { lastPrice: '6000.5' });
    tick(1_000);
    fake.quote('MES', { bestAsk: '6000.75' });
    await until(() => quotes().length === 3);
    expect(quotes().slice(1)).toEqual([
      { symbol: 'MES', bid: '6000', ask: '6000.25', last: '6000.5', at: T + 1_000 },
      { symbol: 'MES', bid: '6000', ask: '6000.75', last: '6000.5', at: T + 2_000 },
    ]);
  });

  it('a new watch set unsubscribes the removed contracts and subscribes the added', async () => {
    const { fake, c, listen, quotes } = await setup();
    listen();
    c.watchQuotes(['MNQ', 'MES']);
    await until(() => fake.market.calls.length === 2);
    c.watchQuotes(['MES', 'MCLE']);
    await until(() => fake.market.calls.length === 4);
    expect(fake.market.calls.slice(2)).toEqual([
      `UnsubscribeContractQuotes:${MNQ}`,
      `SubscribeContractQuotes:${MCLE}`,
    ]);
    fake.quote('MNQ', { lastPrice: '21000' });
    fake.quote('MES', { lastPrice: '6001' });
    await until(() => quotes().length === 1);
    expect(quotes()[0]).toMatchObject({ symbol: 'MES', last: '6001' });
    // The same set again changes nothing.
    c.watchQuotes(['MCLE', 'MES']);
    fake.quote('MCLE', { lastPrice: '61.4' });
    await until(() => quotes().length === 2);
    expect(fake.market.calls).toHaveLength(4);
  });

  it('an empty set closes the market connection; the user hub stays up', async () => {
    const { fake, c, listen, connection } = await setup();
    listen();
    c.watchQuotes(['MNQ']);
    await until(() => subscribed(fake.market.calls, MNQ) === 1 && fake.market.count() === 1);
    c.watchQuotes([]);
    await until(() => fake.market.count() === 0);
    expect(fake.hub.count()).toBe(1);
    expect(connection()).toEqual(['connecting', 'up']);
    c.watchQuotes(['MNQ']);
    await until(() => subscribed(fake.market.calls, MNQ) === 2);
  });

  it('connects only while someone listens, and closes when the last listener leaves', async () => {
    const { fake, c, listen } = await setup();
    c.watchQuotes(['MNQ']);
    await until(() => fake.requests.some((r) => r.path === '/api/Contract/available'));
    for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
    expect(fake.market.count()).toBe(0);
    const stop = listen();
    await until(() => subscribed(fake.market.calls, MNQ) === 1);
    stop();
    await until(() => fake.market.count() === 0);
  });

  it('a dropped market socket reconnects, subscribes again and quotes flow; no connection event', async () => {
    const { fake, c, listen, quotes, connection, warnings } = await setup();
    listen();
    c.watchQuotes(['MNQ', 'MES']);
    await until(() => fake.market.calls.length === 2 && connection().includes('up'));
    fake.quote('MNQ', { bestBid: '21000', bestAsk: '21000.25', lastPrice: '21000' });
    await until(() => quotes().length === 1);
    fake.market.drop();
    await until(() => fake.market.calls.length === 4);
    expect([...fake.market.calls.slice(2)].sort()).toEqual([
      `SubscribeContractQuotes:${MES}`,
      `SubscribeContractQuotes:${MNQ}`,
    ]);
    // The merge state survives the reconnect: a partial quote still has the old bid and ask.
    fake.quote('MNQ', { lastPrice: '21000.25' });
    await until(() => quotes().length === 2);
    expect(quotes()[1]).toMatchObject({ bid: '21000', ask: '21000.25', last: '21000.25' });
    expect(connection()).toEqual(['connecting', 'up']);
    expect(warnings.some((w) => /market hub connection lost/.test(w.msg))).toBe(true);
  });

  it('a refused token on a market reconnect logs in again; logs never carry the token', async () => {
    const { fake, c, listen, quotes, connection, warnings } = await setup();
    listen();
    c.watchQuotes(['MNQ']);
    await until(() => subscribed(fake.market.calls, MNQ) === 1);
    fake.revokeTokens();
    fake.market.drop();
    await until(() => subscribed(fake.market.calls, MNQ) === 2, 10_000);
    expect(fake.requests.filter((r) => r.path === '/api/Auth/loginKey')).toHaveLength(2);
    fake.quote('MNQ', { lastPrice: '21000' });
    await until(() => quotes().length === 1);
    expect(connection()).toEqual(['connecting', 'up']);
    expect(JSON.stringify(warnings)).not.toMatch(/eyJ\./);
  });

  it('a market hub that cannot connect is logged and retried, never an account event', async () => {
    const { fake, c, listen, connection, warnings } = await setup(
      {},
      { marketHubUrl: 'http://127.0.0.1:1/hubs/market' },
    );
    // Reaching the fake's user hub proves the derived default is not used.
    listen();
    c.watchQuotes(['MNQ']);
    await until(() => warnings.filter((w) => /market hub connection lost/.test(w.msg)).length >= 2);
    expect(connection()).toEqual(['connecting', 'up']);
    expect(fake.market.count()).toBe(0);
  });

  it('an unknown symbol is logged and skipped', async () => {
    const { fake, c, listen, warnings } = await setup();
    listen();
    c.watchQuotes(['NOPE', 'MES']);
    await until(() => fake.market.calls.length === 1);
    expect(fake.market.calls).toEqual([`SubscribeContractQuotes:${MES}`]);
    expect(warnings).toContainEqual({
      obj: expect.objectContaining({ symbol: 'NOPE' }),
      msg: expect.stringMatching(/unknown symbol/),
    });
  });
});

describe('ProjectX fake market hub', () => {
  it('refuses a bad token, undocumented methods and arguments that are not a known contract', async () => {
    const { fake, c } = await setup();
    await c.openOrders();
    const token = /Bearer (.+)/.exec(fake.requests.at(-1)!.authorization!)![1]!;
    const url = `${fake.url.replace(/^http/, 'ws')}/hubs/market`;
    const status = (u: string) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(u);
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => {
          ws.close();
          resolve(101);
        });
      });
    expect(await status(url)).toBe(401);
    expect(await status(`${url}?access_token=eyJ.forged`)).toBe(401);
    expect(await status(`${url}?access_token=${token}`)).toBe(101);

    const invocations = [
      ['SubscribeContractQuotes', [MNQ]],
      ['SubscribeContractQuotes', [12345]],
      ['SubscribeContractQuotes', ['CON.F.US.NOPE.Z26']],
      ['SubscribeContractQuotes', [MNQ, MES]],
      ['SubscribeQuotes', [MNQ]],
      ['UnsubscribeContractMarketDepth', [MES]],
    ] as const;
    const answers = await new Promise<Array<Record<string, unknown>>>((resolve) => {
      const got: Array<Record<string, unknown>> = [];
      const ws = new WebSocket(`${url}?access_token=${token}`);
      ws.on('open', () => ws.send('{"protocol":"json","version":1}\u001e'));
      ws.on('message', (d) => {
        for (const r of d.toString().split('\u001e').filter(Boolean)) {
          const msg = JSON.parse(r) as Record<string, unknown>;
          if (got.length === 0 && Object.keys(msg).length === 0) {
            invocations.forEach(([target, args], i) =>
              ws.send(
                JSON.stringify({ type: 1, invocationId: String(i), target, arguments: args }) +
                  '\u001e',
              ),
            );
          }
          if (msg.type === 3) got.push(msg);
        }
        if (got.length === invocations.length) ws.close();
      });
      ws.on('close', () => resolve(got));
    });
    const byId = Object.fromEntries(answers.map((a) => [a.invocationId, a.error ?? 'ok']));
    expect(byId).toEqual({
      0: 'ok',
      1: expect.stringMatching(/not a string/),
      2: expect.stringMatching(/contract CON\.F\.US\.NOPE\.Z26 not found/),
      3: expect.stringMatching(/expects 1/),
      4: expect.stringMatching(/Unknown hub method/),
      5: 'ok',
    });
    expect(fake.market.calls).toEqual([
      `SubscribeContractQuotes:${MNQ}`,
      `UnsubscribeContractMarketDepth:${MES}`,
    ]);
  });
});
