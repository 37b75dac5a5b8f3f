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
