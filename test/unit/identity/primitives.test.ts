import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AppError } from '../../../src-shared/contract';
import {
  API_KEY_SCOPES,
  ROLES,
  ROLE_PERMISSIONS,
  SCOPE_PERMISSIONS,
  isPrivileged,
  permissionsOfKey,
  roleNeedsTwoFactor,
} from '../../../src-shared/contract';
import { ipAllowed, parseAllowlist } from '../../../src-main/features/identity/api-keys';
import {
  decrypt,
  encrypt,
  parseEd25519PublicKey,
} from '../../../src-main/features/identity/crypto';
import { assertAcceptablePassword } from '../../../src-main/features/identity/passwords';
import {
  canonicalQuery,
  canonicalString,
  ReplayCache,
} from '../../../src-main/features/identity/signing';
import {
  ACCOUNT_POLICY,
  BUSY_RETRY_MS,
  Throttle,
  type ThrottleKeys,
} from '../../../src-main/features/identity/throttle';

describe('throttle', () => {
  const keys: ThrottleKeys = [['a', ACCOUNT_POLICY]];
  const refusal = (th: Throttle) => {
    try {
      th.reserve(keys);
    } catch (e) {
      return e as AppError;
    }
    return undefined;
  };

  it('locks after the limit with a retry time, doubling on repeat', () => {
    let t = 1_000_000;
    const th = new Throttle(() => t);
    for (let i = 0; i < 5; i++) th.reserve(keys).fail();
    const err = refusal(th);
    expect(err?.code).toBe('too_many_attempts');
    expect(err?.status).toBe(429);
    expect(err?.details).toEqual({ retryAt: new Date(t + 60_000).toISOString() });
    t += 60_001;
    const attempts = Array.from({ length: 5 }, () => th.reserve(keys));
    for (const a of attempts) a.fail();
    expect(() => th.reserve(keys)).toThrow(new Date(t + 120_000).toISOString());
  });

  it('counts attempts still running, so parallel ones cannot pass the limit', () => {
    const t = 1_000_000;
    const th = new Throttle(() => t);
    const running = Array.from({ length: 5 }, () => th.reserve(keys));
    expect(refusal(th)?.details).toEqual({ retryAt: new Date(t + BUSY_RETRY_MS).toISOString() });
    running[0]!.release();
    const again = th.reserve(keys);
    expect(refusal(th)?.code).toBe('too_many_attempts');
    // A success frees its slot and clears the account's failures; settling twice does nothing.
    for (const a of running.slice(1)) a.fail();
    again.succeed();
    again.fail();
    expect(() => th.reserve(keys).release()).not.toThrow();
  });
});

describe('secret sealing', () => {
  it('round-trips and refuses another context or a tampered ciphertext', () => {
    const key = crypto.randomBytes(32);
    const sealed = encrypt(key, 'JBSWY3DPEHPK3PXP', 'totp:u1');
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(decrypt(key, sealed, 'totp:u1')).toBe('JBSWY3DPEHPK3PXP');
    expect(() => decrypt(key, sealed, 'totp:u2')).toThrow();
    const parts = sealed.split('.');
    parts[3] = Buffer.from('x' + parts[3]).toString('base64url');
    expect(() => decrypt(key, parts.join('.'), 'totp:u1')).toThrow();
  });
});

describe('public keys', () => {
  it('accepts raw base64 and SPKI PEM, refuses other keys', () => {
    const { publicKey } = crypto.generateKeyPairSync('ed25519');
    const raw = (publicKey.export({ format: 'der', type: 'spki' }) as Buffer)
      .subarray(12)
      .toString('base64');
    expect(parseEd25519PublicKey(raw)).toBe(raw);
    expect(parseEd25519PublicKey(publicKey.export({ format: 'pem', type: 'spki' }) as string)).toBe(
      raw,
    );
    const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
    expect(() =>
      parseEd25519PublicKey(rsa.export({ format: 'pem', type: 'spki' }) as string),
    ).toThrow('Ed25519');
    expect(() => parseEd25519PublicKey('aGVsbG8=')).toThrow();
  });
});

describe('signing', () => {
  it('canonicalises the query by sorted key and value', () => {
    expect(canonicalQuery({ b: '2', a: ['z', 'y'], c: undefined, 'd e': "it's" })).toBe(
      'a=y&a=z&b=2&d%20e=it%27s',
    );
  });

  it('covers every part of the request', () => {
    const base = {
      keyId: 'k',
      timestamp: '1',
      recvWindow: '',
      method: 'get',
      path: '/p',
      query: {},
      rawBody: '',
    };
    const s = canonicalString(base);
    expect(s.split('\n')).toHaveLength(8);
    expect(s).toContain('\nGET\n');
    for (const change of [
      { keyId: 'j' },
      { timestamp: '2' },
      { path: '/q' },
      { rawBody: '{}' },
      { query: { a: '1' } },
    ]) {
      expect(canonicalString({ ...base, ...change })).not.toBe(s);
    }
  });

  it('remembers signatures until they expire', () => {
    const cache = new ReplayCache();
    expect(cache.remember('x', 100, 0)).toBe(true);
    expect(cache.remember('x', 100, 50)).toBe(false);
    expect(cache.remember('x', 200, 150)).toBe(true);
  });

  it('lets a signature that does not cover the endpoint serve other reads, never a change', () => {
    const read = (endpoint: string) => ({ endpoint, readOnly: true });
    const change = (endpoint: string) => ({ endpoint, readOnly: false });
    const cache = new ReplayCache();
    // Parallel reads with the same parameters: once per endpoint.
    expect(cache.remember('a', 100, 0, read('GET /openOrders'))).toBe(true);
    expect(cache.remember('a', 100, 1, read('GET /myTrades'))).toBe(true);
    expect(cache.remember('a', 100, 2, read('GET /openOrders'))).toBe(false); // a replay
    // A captured read replayed as a change: refused.
    expect(cache.remember('a', 100, 3, change('DELETE /openOrders'))).toBe(false);
    // A change first: nothing else may use its signature.
    expect(cache.remember('b', 100, 0, change('DELETE /order'))).toBe(true);
    expect(cache.remember('b', 100, 1, read('GET /order'))).toBe(false);
    expect(cache.remember('b', 100, 1, change('POST /order'))).toBe(false);
    // A signature that covers its endpoint (no `use`) is spent at once, as before.
    expect(cache.remember('c', 100, 0)).toBe(true);
    expect(cache.remember('c', 100, 1, read('GET /x'))).toBe(false);
  });
});

describe('IP allowlists', () => {
  it('matches addresses and ranges, including IPv4-mapped IPv6', () => {
    const list = parseAllowlist(['10.0.0.0/8', '192.168.1.5', '::1']);
    expect(ipAllowed(list, '10.2.3.4')).toBe(true);
    expect(ipAllowed(list, '::ffff:10.2.3.4')).toBe(true);
    expect(ipAllowed(list, '192.168.1.6')).toBe(false);
    expect(ipAllowed(list, '::1')).toBe(true);
    expect(ipAllowed([], '8.8.8.8')).toBe(true);
    expect(() => parseAllowlist(['10.0.0.0/33'])).toThrow();
    expect(() => parseAllowlist(['example.com'])).toThrow();
    // Read as the trusted-proxy setting reads addresses: one prefix, within the family's bits.
    expect(() => parseAllowlist(['10.0.0.1/32/8'])).toThrow();
    expect(() => parseAllowlist(['fd00::/129'])).toThrow();
    expect(parseAllowlist([' fd00::/64 '])).toEqual(['fd00::/64']);
  });
});

describe('passwords and roles', () => {
  it('refuses common passwords and the email’s name', () => {
    expect(() => assertAcceptablePassword('Password123')).toThrow('common');
    expect(() => assertAcceptablePassword('aaaaaaaaaaaa')).toThrow();
    expect(() => assertAcceptablePassword('jane.doe.smith', 'jane.doe.smith@x.test')).toThrow();
    expect(() => assertAcceptablePassword('tangerine umbrella orbit')).not.toThrow();
  });

  it('gives keys only the scopes their owner’s role allows', () => {
    expect([...permissionsOfKey(['read', 'trade', 'withdraw'], 'viewer')].sort()).toEqual(
      ['authenticated', 'market.read', 'orders.read', 'wallet.read'].sort(),
    );
    expect(permissionsOfKey(['read', 'trade'], 'trader').has('orders.trade')).toBe(true);
    expect(permissionsOfKey(['read', 'trade', 'withdraw'], 'owner').has('apikeys.manage')).toBe(
      false,
    );
  });

  it('requires 2FA exactly for roles with admin permissions or the audit trail', () => {
    for (const role of Object.keys(ROLE_PERMISSIONS)) {
      const privileged = ROLE_PERMISSIONS[role as keyof typeof ROLE_PERMISSIONS].some(
        (p) => p.startsWith('admin.') || p === 'audit.read',
      );
      expect(roleNeedsTwoFactor(role)).toBe(privileged);
    }
    const needs = ROLES.filter((r) => roleNeedsTwoFactor(r));
    expect(needs).toEqual(['owner', 'admin', 'support', 'auditor']);
    // No API key scope can carry a privileged permission (keys skip the 2FA check).
    for (const scope of API_KEY_SCOPES) {
      expect(SCOPE_PERMISSIONS[scope].filter(isPrivileged)).toEqual([]);
    }
  });
});
