import { describe, expect, it } from 'vitest';
import { KrakenRest } from '../../../../src-main/connectors/kraken/rest';

/**
 * Kraken's private calls go out one at a time (each nonce must arrive after the one before);
 * which waiting call goes next is Bourse's choice, and an order must not wait behind reads.
 */
describe('Kraken private calls', () => {
  it('send trading calls before the reads queued ahead of them, nonces rising in send order', async () => {
    const sent: Array<{ method: string; nonce: number }> = [];
    const answers: Array<() => void> = [];
    const fetchStub = ((url: string, init: RequestInit) => {
      const body = new URLSearchParams(String(init.body));
      sent.push({ method: url.split('/').pop()!, nonce: Number(body.get('nonce')) });
      return new Promise<Response>((resolve) =>
        answers.push(() =>
          resolve(new Response(JSON.stringify({ error: [], result: {} }), { status: 200 })),
        ),
      );
    }) as typeof fetch;
    const rest = new KrakenRest({
      baseUrl: 'https://api.kraken.test',
      apiKey: 'key',
      apiSecret: Buffer.from('secret').toString('base64'),
      tier: 'pro',
      timeoutMs: 5_000,
      deps: { now: Date.now, fetch: fetchStub },
    });
    const inFlight = rest.private('Balance');
    await until(() => sent.length === 1);
    const read = rest.private('OpenOrders');
    const order = rest.private('AddOrder', { pair: 'XBTUSD' }, true);
    await new Promise((r) => setImmediate(r));
    expect(sent.map((s) => s.method)).toEqual(['Balance']); // one at a time
    answers.shift()!();
    await inFlight;
    await until(() => sent.length === 2);
    expect(sent[1]!.method).toBe('AddOrder');
    answers.shift()!();
    await order;
    await until(() => sent.length === 3);
    answers.shift()!();
    await read;
    expect(sent.map((s) => s.method)).toEqual(['Balance', 'AddOrder', 'OpenOrders']);
    const nonces = sent.map((s) => s.nonce);
    expect([...nonces].sort((a, b) => a - b)).toEqual(nonces);
    expect(new Set(nonces).size).toBe(3);
  });
});

async function until(ok: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !ok(); i++) await new Promise((r) => setImmediate(r));
  expect(ok()).toBe(true);
}

/**
 * Kraken counts calls and nonces per API key. The connection test and the account's session
 * each build a connector with the same key: counted apart, the session started with a full
 * budget right after the test had spent some, and Kraken refused it (found by bench:brokers'
 * reconnect measure, which then waited ~20 s for the penalty to pass).
 */
describe('Kraken connectors sharing an API key', () => {
  const answering = (
    sent: Array<{ method: string; nonce: bigint; at: number }>,
    now: () => number,
  ) =>
    ((url: string, init: RequestInit) => {
      const body = new URLSearchParams(String(init.body));
      sent.push({ method: url.split('/').pop()!, nonce: BigInt(body.get('nonce')!), at: now() });
      return Promise.resolve(
        new Response(JSON.stringify({ error: [], result: {} }), { status: 200 }),
      );
    }) as typeof fetch;

  function rig(shared: Map<string, unknown> | undefined) {
    let t = 1_800_000_000_000;
    const now = () => t;
    const sent: Array<{ method: string; nonce: bigint; at: number }> = [];
    const slept: number[] = [];
    const sleep = (ms: number) => {
      slept.push(ms);
      t += ms;
      return Promise.resolve();
    };
    const make = () =>
      new KrakenRest({
        baseUrl: 'https://api.kraken.test',
        apiKey: 'the-same-key',
        apiSecret: Buffer.from('secret').toString('base64'),
        tier: 'starter', // 15 points (Bourse keeps 14), −0.33/s
        timeoutMs: 5_000,
        deps: { now, fetch: answering(sent, now), ...(shared ? { shared } : {}) },
        sleep,
      });
    return { make, sent, slept };
  }

  it('count against one budget: the second connector waits for what the first spent', async () => {
    const { make, slept } = rig(new Map());
    const test = make();
    for (let i = 0; i < 14; i++) await test.private('Balance');
    expect(slept).toEqual([]);
    const session = make();
    await session.private('OpenOrders');
    // Over the key's budget by one point at 0.33/s: ~3 s.
    expect(slept).toHaveLength(1);
    expect(slept[0]).toBeGreaterThanOrEqual(3_000);
    expect(slept[0]).toBeLessThan(3_100);
  });

  it('send one call at a time across connectors, nonces rising', async () => {
    const { make, sent } = rig(new Map());
    const a = make();
    const b = make();
    await Promise.all([a.private('Balance'), b.private('OpenOrders'), a.private('BalanceEx')]);
    const nonces = sent.map((s) => s.nonce);
    expect(new Set(nonces).size).toBe(3);
    expect([...nonces].sort((x, y) => (x < y ? -1 : 1))).toEqual(nonces);
  });

  it('without a shared map (a connector on its own) each counts alone, as before', async () => {
    const { make, slept } = rig(undefined);
    const test = make();
    for (let i = 0; i < 14; i++) await test.private('Balance');
    await make().private('OpenOrders');
    expect(slept).toEqual([]);
  });
});
