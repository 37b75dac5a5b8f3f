// Throttles that count before they verify (issue #22, item 2). Every burst below is sent in
// parallel: an attempt must be counted before argon2 or the TOTP check runs, or a burst passes
// the gate before the first failure is known. The verifiers are counted, so each test pins how
// many guesses really reached them. Rate limits key on the client address (X-Forwarded-For only
// from a configured proxy) and on the verified account, never on a header a client makes up.
import crypto from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type * as Passwords from '../../src-main/features/identity/passwords';
import { TwoFactor } from '../../src-main/features/identity/two-factor';
import { startTestBackend, type TestBackend } from '../helpers/backend';
import {
  TEST_PASSWORD,
  createApiKey,
  createOwner,
  createUser,
  identityOf,
  signedHeaders,
  totpCode,
  type TestSession,
} from '../helpers/auth';

/** How many password checks (argon2) ran: real accounts and the dummy for unknown ones. */
const argon2 = vi.hoisted(() => ({ calls: 0 }));
vi.mock('../../src-main/features/identity/passwords', async (importOriginal) => {
  const real = await importOriginal<typeof Passwords>();
  return {
    ...real,
    verifyPassword: (hash: string, password: string) => {
      argon2.calls++;
      return real.verifyPassword(hash, password);
    },
    verifyDummy: (password: string) => {
      argon2.calls++;
      return real.verifyDummy(password);
    },
  };
});

const START = Date.UTC(2026, 0, 5, 12, 0, 10);
let clock = START;
const now = () => clock;

type Res = LightMyRequestResponse;
const statuses = (rs: Res[]) => rs.map((r) => r.statusCode).sort();
const count = (rs: Res[], status: number) => rs.filter((r) => r.statusCode === status).length;

/** A 429 in the problem+json shape, with a stable code and a Retry-After in seconds. */
function expectTooMany(r: Res, code: 'too_many_attempts' | 'rate_limited') {
  expect(r.statusCode).toBe(429);
  expect(r.headers['content-type']).toContain('application/problem+json');
  expect(r.json()).toMatchObject({ status: 429, code, title: 'Too Many Requests' });
  expect(Number(r.headers['retry-after'])).toBeGreaterThanOrEqual(1);
}

function parallel(n: number, send: (i: number) => Promise<Res>): Promise<Res[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => send(i)));
}

describe('login, 2FA and recovery-code throttles under parallel bursts', () => {
  let backend: TestBackend;
  const loginFrom = (remoteAddress: string, email: string, password: string) =>
    backend.http.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password },
      remoteAddress,
    });
  const secondFactor = (remoteAddress: string, challenge: string, code: string) =>
    backend.http.inject({
      method: 'POST',
      url: '/api/v1/auth/2fa',
      payload: { challenge, code },
      remoteAddress,
    });
  async function challengeOf(s: TestSession, remoteAddress = '10.2.0.1'): Promise<string> {
    const r = await loginFrom(remoteAddress, s.email, TEST_PASSWORD);
    expect(r.json().status).toBe('two_factor_required');
    return r.json().challenge as string;
  }
  /** Six-digit codes that are not valid now (none within the accepted ±1 step). */
  function wrongCodes(s: TestSession, n: number): string[] {
    const valid = new Set([-1, 0, 1].map((k) => totpCode(backend, s.totpSecret!, k)));
    const codes: string[] = [];
    for (let i = 0; codes.length < n; i++) {
      const c = String(100_000 + ((i * 7919) % 900_000));
      if (!valid.has(c)) codes.push(c);
    }
    return codes;
  }

  beforeAll(async () => {
    backend = await startTestBackend({ now });
    await createOwner(backend);
  });
  afterAll(async () => backend.cleanup());
  beforeEach(() => {
    clock += 2 * 60 * 60_000; // past every lock and window of earlier tests
    argon2.calls = 0;
  });

  it('12 parallel wrong passwords: 5 reach argon2, 7 answer 429; the right one waits for the lock', async () => {
    const s = await createUser(backend, 'trader', { twoFactor: false });
    argon2.calls = 0;
    const burst = await parallel(12, (i) => loginFrom('10.1.0.1', s.email, `wrong password ${i}`));
    expect(argon2.calls).toBe(5);
    expect(count(burst, 401)).toBe(5);
    expect(count(burst, 429)).toBe(7);
    for (const r of burst.filter((x) => x.statusCode === 429))
      expectTooMany(r, 'too_many_attempts');
    for (const r of burst.filter((x) => x.statusCode === 401))
      expect(r.json().code).toBe('invalid_credentials');

    // The account is locked now: even the right password is not checked, from any address.
    const locked = await loginFrom('10.1.0.2', s.email, TEST_PASSWORD);
    expectTooMany(locked, 'too_many_attempts');
    expect(argon2.calls).toBe(5);
    const retryAt = Date.parse(locked.json().details.retryAt as string);
    expect(Number(locked.headers['retry-after'])).toBe(Math.ceil((retryAt - clock) / 1000));
    clock = retryAt + 1;
    expect((await loginFrom('10.1.0.1', s.email, TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('the right password inside a burst is not refused by its own failures', async () => {
    const s = await createUser(backend, 'trader', { twoFactor: false });
    // One right and three wrong in parallel: under the limit, so each gets its true answer.
    const burst = await parallel(4, (i) =>
      loginFrom('10.1.1.1', s.email, i === 0 ? TEST_PASSWORD : `wrong password ${i}`),
    );
    expect(statuses(burst)).toEqual([200, 401, 401, 401]);
  });

  it('40 parallel wrong logins from one address: 30 reach argon2, 10 answer 429', async () => {
    argon2.calls = 0;
    const burst = await parallel(40, (i) =>
      loginFrom('10.3.0.1', `nobody-${i}@example.test`, 'wrong password!'),
    );
    expect(argon2.calls).toBe(30);
    expect(count(burst, 401)).toBe(30);
    expect(count(burst, 429)).toBe(10);
    for (const r of burst.filter((x) => x.statusCode === 429))
      expectTooMany(r, 'too_many_attempts');
    // The address is locked, another address is not.
    expectTooMany(
      await loginFrom('10.3.0.1', 'x@example.test', 'wrong password!'),
      'too_many_attempts',
    );
    expect((await loginFrom('10.3.0.2', 'x@example.test', 'wrong password!')).statusCode).toBe(401);
    expect(argon2.calls).toBe(31);
  });

  it('X-Forwarded-For from a peer that is not a configured proxy buys no fresh allowance', async () => {
    argon2.calls = 0;
    const burst = await parallel(40, (i) =>
      backend.http.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: `xff-${i}@example.test`, password: 'wrong password!' },
        remoteAddress: '10.4.0.1',
        headers: { 'x-forwarded-for': `203.0.113.${i}` },
      }),
    );
    expect(argon2.calls).toBe(30);
    expect(count(burst, 429)).toBe(10);
  });

  it('12 parallel wrong TOTP codes: 5 reach the check, 7 answer 429; the right code waits', async () => {
    const s = await createUser(backend, 'trader', { twoFactor: true });
    clock += 60_000;
    const challenge = await challengeOf(s);
    const verify = vi.spyOn(TwoFactor.prototype, 'verify');
    try {
      const burst = await parallel(12, (i) =>
        secondFactor('10.5.0.1', challenge, wrongCodes(s, 12)[i]!),
      );
      expect(verify).toHaveBeenCalledTimes(5);
      expect(count(burst, 401)).toBe(5);
      expect(count(burst, 429)).toBe(7);
      for (const r of burst.filter((x) => x.statusCode === 429))
        expectTooMany(r, 'too_many_attempts');
      const right = await secondFactor('10.5.0.2', challenge, totpCode(backend, s.totpSecret!));
      expectTooMany(right, 'too_many_attempts');
      expect(verify).toHaveBeenCalledTimes(5);
      clock = Date.parse(right.json().details.retryAt as string) + 1;
    } finally {
      verify.mockRestore();
    }
    const fresh = await challengeOf(s);
    const ok = await secondFactor('10.5.0.1', fresh, totpCode(backend, s.totpSecret!));
    expect(ok.statusCode).toBe(200);
  });

  it('12 parallel wrong recovery codes: 5 are checked, 7 answer 429; a right one is not spent while locked', async () => {
    const s = (await createUser(backend, 'trader', { twoFactor: true })) as TestSession & {
      recoveryCodes: string[];
    };
    const challenge = await challengeOf(s);
    const verify = vi.spyOn(TwoFactor.prototype, 'verify');
    try {
      const burst = await parallel(12, (i) =>
        secondFactor('10.6.0.1', challenge, `wrong-code${String(i).padStart(2, 'a')}`),
      );
      expect(verify).toHaveBeenCalledTimes(5);
      expect(count(burst, 401)).toBe(5);
      expect(count(burst, 429)).toBe(7);
      const right = await secondFactor('10.6.0.1', challenge, s.recoveryCodes[0]!);
      expectTooMany(right, 'too_many_attempts');
      expect(verify).toHaveBeenCalledTimes(5);
      clock = Date.parse(right.json().details.retryAt as string) + 1;
    } finally {
      verify.mockRestore();
    }
    const ok = await secondFactor('10.6.0.1', await challengeOf(s), s.recoveryCodes[0]!);
    expect(ok.statusCode).toBe(200);
  });

  it('signed-in code confirmations (new recovery codes) are throttled the same way', async () => {
    const s = await createUser(backend, 'trader', { twoFactor: true });
    const verify = vi.spyOn(TwoFactor.prototype, 'verify');
    try {
      // The right password frees its slot once checked; the wrong codes behind it are counted.
      const burst = await parallel(8, (i) =>
        backend.http.inject({
          method: 'POST',
          url: '/api/v1/2fa/recovery-codes',
          payload: { password: TEST_PASSWORD, code: wrongCodes(s, 8)[i]! },
          headers: s.headers,
          remoteAddress: '10.7.0.1',
        }),
      );
      const reachedCodeCheck = verify.mock.calls.length;
      expect(reachedCodeCheck).toBeLessThanOrEqual(5);
      expect(count(burst, 403)).toBe(reachedCodeCheck);
      expect(count(burst, 429)).toBe(8 - reachedCodeCheck);
      for (const r of burst.filter((x) => x.statusCode === 403))
        expect(r.json().code).toBe('invalid_code');
    } finally {
      verify.mockRestore();
    }
  });

  it('the same valid TOTP code checked twice in parallel is accepted once', async () => {
    const s = await createUser(backend, 'trader', { twoFactor: true });
    clock += 60_000;
    const id = identityOf(backend);
    // Both checks start from the same row, as two requests read before either has finished.
    const row = id.users.require(s.userId);
    const code = totpCode(backend, s.totpSecret!);
    const both = await Promise.all([
      id.twoFactor.verify(row, code),
      id.twoFactor.verify(row, code),
    ]);
    expect(both.sort()).toEqual([false, true]);
  });
});

describe('request rate limits key on the address and the verified account', () => {
  const LIMIT = 10;
  let backend: TestBackend;
  let trader: TestSession;

  beforeAll(async () => {
    backend = await startTestBackend({ now, rateLimitPerMinute: LIMIT });
    await createOwner(backend);
    trader = await createUser(backend, 'trader', { twoFactor: false });
  });
  afterAll(async () => backend.cleanup());
  beforeEach(() => {
    clock += 2 * 60_000; // a fresh window for every test
  });

  const version = (remoteAddress: string, headers: Record<string, string> = {}) =>
    backend.http.inject({ method: 'GET', url: '/api/v1/version', remoteAddress, headers });

  it('a fresh made-up X-Bourse-Key gets no fresh allowance', async () => {
    const burst = await parallel(LIMIT + 5, () =>
      version('10.10.0.1', { 'x-bourse-key': `ak_${crypto.randomBytes(8).toString('hex')}` }),
    );
    expect(count(burst, 429)).toBe(5);
    expect(count(burst, 401)).toBe(LIMIT);
    for (const r of burst.filter((x) => x.statusCode === 429)) expectTooMany(r, 'rate_limited');
    // Another address has its own budget; the window ends on the injected clock.
    expect((await version('10.10.0.2')).statusCode).toBe(200);
    expect((await version('10.10.0.1')).statusCode).toBe(429);
    clock += 60_000;
    expect((await version('10.10.0.1')).statusCode).toBe(200);
  });

  it('X-Forwarded-For is ignored when no proxy is configured', async () => {
    const burst = await parallel(LIMIT + 3, (i) =>
      version('10.11.0.1', { 'x-forwarded-for': `198.51.100.${i}` }),
    );
    expect(count(burst, 200)).toBe(LIMIT);
    expect(count(burst, 429)).toBe(3);
  });

  it('IPv6 clients are counted per /64: new addresses in the prefix buy no fresh allowance', async () => {
    const burst = await parallel(LIMIT + 4, (i) =>
      version(`2001:db8:7:1::${(i + 1).toString(16)}`),
    );
    expect(count(burst, 200)).toBe(LIMIT);
    expect(count(burst, 429)).toBe(4);
    // Another /64 has its own budget.
    expect((await version('2001:db8:7:2::1')).statusCode).toBe(200);
  });

  it('one account spread over many addresses has one budget', async () => {
    const burst = await parallel(LIMIT + 4, (i) =>
      backend.http.inject({
        method: 'GET',
        url: '/api/v1/sessions',
        headers: trader.headers,
        remoteAddress: `10.12.0.${i + 1}`,
      }),
    );
    expect(count(burst, 200)).toBe(LIMIT);
    expect(count(burst, 429)).toBe(4);
    for (const r of burst.filter((x) => x.statusCode === 429)) expectTooMany(r, 'rate_limited');
    // Anonymous calls from those addresses are not charged to the account.
    expect((await version('10.12.0.1')).statusCode).toBe(200);
  });

  it('signed API-key requests are charged to the key owner, over both doors', async () => {
    const key = await createApiKey(backend, trader, { scopes: ['read'] });
    clock += 60_000;
    const signedGet = (i: number) =>
      backend.http.inject({
        method: 'GET',
        url: '/api/v1/balances',
        headers: signedHeaders(key, 'GET', '/api/v1/balances', '', { timestamp: clock + i }),
        remoteAddress: `10.13.0.${i + 1}`,
      });
    const first = await parallel(LIMIT - 2, signedGet);
    expect(count(first, 200)).toBe(LIMIT - 2);
    // The same account's budget, now through the Binance facade, from other addresses.
    const binance = await parallel(4, (i) => {
      const query = new URLSearchParams({
        timestamp: String(clock + 100 + i),
        recvWindow: '5000',
      }).toString();
      const signature = crypto.sign(null, Buffer.from(query), key.privateKey).toString('base64');
      return backend.http.inject({
        method: 'GET',
        url: `/api/v3/account?${query}&signature=${encodeURIComponent(signature)}`,
        headers: { 'x-mbx-apikey': key.id },
        remoteAddress: `10.14.0.${i + 1}`,
      });
    });
    expect(count(binance, 429)).toBe(2);
    const refused = binance.find((r) => r.statusCode === 429)!;
    expect(refused.json()).toMatchObject({ code: -1003, bourse: { code: 'rate_limited' } });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });

  it('made-up X-MBX-APIKEY values on the Binance facade share the address budget', async () => {
    const burst = await parallel(LIMIT + 2, (i) =>
      backend.http.inject({
        method: 'GET',
        url: `/api/v3/account?timestamp=${clock}&signature=AAAA`,
        headers: { 'x-mbx-apikey': `made-up-${i}` },
        remoteAddress: '10.15.0.1',
      }),
    );
    expect(count(burst, 429)).toBe(2);
    const refused = burst.find((r) => r.statusCode === 429)!;
    expect(refused.json().code).toBe(-1003);
  });
});

describe('a configured trusted proxy', () => {
  const LIMIT = 40;
  let backend: TestBackend;
  beforeAll(async () => {
    backend = await startTestBackend({
      now,
      rateLimitPerMinute: LIMIT,
      trustedProxies: ['10.20.0.1'],
    });
  });
  afterAll(async () => backend.cleanup());

  const via = (remoteAddress: string, forwardedFor: string) =>
    backend.http.inject({
      method: 'GET',
      url: '/api/v1/version',
      remoteAddress,
      headers: { 'x-forwarded-for': forwardedFor },
    });

  it('names the client: each client behind the proxy has its own budget', async () => {
    clock += 2 * 60_000;
    const a = await parallel(LIMIT + 1, () => via('10.20.0.1', '198.51.100.1'));
    expect(count(a, 429)).toBe(1);
    expect((await via('10.20.0.1', '198.51.100.2')).statusCode).toBe(200);
    // A client cannot forge its way out: the proxy appends the real peer, which is what counts.
    expect((await via('10.20.0.1', '203.0.113.9, 198.51.100.1')).statusCode).toBe(429);
  });

  it('is the only peer whose X-Forwarded-For is read', async () => {
    clock += 2 * 60_000;
    const burst = await parallel(LIMIT + 2, (i) => via('10.21.0.1', `198.51.100.${i + 10}`));
    expect(count(burst, 429)).toBe(2);
  });

  it('throttles logins per forwarded client, not per proxy', async () => {
    clock += 2 * 60 * 60_000;
    const burst = await parallel(32, (i) =>
      backend.http.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: `p-${i}@example.test`, password: 'wrong password!' },
        remoteAddress: '10.20.0.1',
        headers: { 'x-forwarded-for': i < 31 ? '198.51.100.50' : '198.51.100.51' },
      }),
    );
    // 31 from one client: 30 checked, 1 refused; the other client's attempt is checked.
    expect(count(burst, 429)).toBe(1);
    expect(burst[31]!.statusCode).toBe(401);
  });
});
