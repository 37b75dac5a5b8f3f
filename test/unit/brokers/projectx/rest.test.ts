import { afterEach, describe, expect, it, vi } from 'vitest';
import { ProjectxRest } from '../../../../src-main/connectors/projectx/rest';

/** The documented limits are modelled in the connector: Bourse waits, the broker never 429s. */

afterEach(() => {
  vi.useRealTimers();
});

function rest() {
  const calls: string[] = [];
  const fetchImpl = (async (url: string | URL | Request) => {
    const path = new URL(String(url)).pathname;
    calls.push(path);
    const body = path.endsWith('loginKey') ? { token: 't' } : { bars: [] };
    return new Response(
      JSON.stringify({ ...body, success: true, errorCode: 0, errorMessage: null }),
      { status: 200 },
    );
  }) as typeof fetch;
  const r = new ProjectxRest({
    baseUrl: 'http://gateway.test',
    userName: 'u',
    apiKey: 'k',
    timeoutMs: 1_000,
    orderTimeoutMs: 1_000,
    deps: { now: () => Date.now(), fetch: fetchImpl },
  });
  return { r, calls };
}

const flush = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

describe('ProjectX request pacing', () => {
  it('holds the 201st call of a minute until the window moves', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const { r, calls } = rest();
    await r.currentToken(); // the login is call 1 of 200
    const done: number[] = [];
    const all = Array.from({ length: 200 }, (_, i) =>
      r.call('/api/Order/searchOpen', {}, 'read').then(() => done.push(i)),
    );
    await vi.advanceTimersByTimeAsync(0);
    await flush();
    expect(calls).toHaveLength(200);
    expect(done).toHaveLength(199);
    await vi.advanceTimersByTimeAsync(60_000);
    await Promise.all(all);
    expect(calls).toHaveLength(201);
  });

  it('paces bars at 50 per 30 s, apart from the rest', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const { r, calls } = rest();
    await r.currentToken();
    const bars = Array.from({ length: 51 }, () => r.call('/api/History/retrieveBars', {}, 'read'));
    await vi.advanceTimersByTimeAsync(0);
    await flush();
    expect(calls.filter((c) => c.endsWith('retrieveBars'))).toHaveLength(50);
    await r.call('/api/Order/searchOpen', {}, 'read'); // not held by the bars limit
    await vi.advanceTimersByTimeAsync(30_000);
    await Promise.all(bars);
    expect(calls.filter((c) => c.endsWith('retrieveBars'))).toHaveLength(51);
  });
});

describe('ProjectX session token', () => {
  it('renews once for many callers at the same moment', async () => {
    let t = 0;
    const calls: Array<{ path: string; auth: string | null }> = [];
    const fetchImpl = (async (url: string | URL | Request, init?: RequestInit) => {
      const path = new URL(String(url)).pathname;
      calls.push({ path, auth: new Headers(init?.headers).get('authorization') });
      const body = path.endsWith('loginKey')
        ? { token: 'first' }
        : path.endsWith('validate')
          ? { newToken: 'second' }
          : { orders: [] };
      return new Response(
        JSON.stringify({ ...body, success: true, errorCode: 0, errorMessage: null }),
      );
    }) as typeof fetch;
    const r = new ProjectxRest({
      baseUrl: 'http://gateway.test',
      userName: 'u',
      apiKey: 'k',
      timeoutMs: 1_000,
      orderTimeoutMs: 1_000,
      deps: { now: () => t, fetch: fetchImpl },
    });
    await Promise.all([1, 2, 3].map(() => r.call('/api/Order/searchOpen', {}, 'read')));
    expect(calls.filter((c) => c.path.endsWith('loginKey'))).toHaveLength(1);
    t += 21 * 3_600_000;
    await Promise.all([1, 2, 3].map(() => r.call('/api/Order/searchOpen', {}, 'read')));
    const validates = calls.filter((c) => c.path.endsWith('validate'));
    expect(validates).toEqual([{ path: '/api/Auth/validate', auth: 'Bearer first' }]);
    expect(calls.slice(-3).map((c) => c.auth)).toEqual([
      'Bearer second',
      'Bearer second',
      'Bearer second',
    ]);
  });
});
