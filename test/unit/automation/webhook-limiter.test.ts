import { describe, expect, it } from 'vitest';
import { addressKey, WebhookLimiter } from '../../../src-main/features/automation/webhook-limiter';

describe('addressKey', () => {
  it('keeps IPv4 (also IPv4-mapped) and reduces IPv6 to its /64', () => {
    expect(addressKey('203.0.113.9')).toBe('203.0.113.9');
    expect(addressKey('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(addressKey('2001:db8:1:2::5')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:0DB8:0001:0002:ffff:1:2:3')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey(undefined)).toBe('unknown');
  });
});

describe('WebhookLimiter', () => {
  it('counts tokens and addresses apart, per minute of the injected clock', () => {
    let now = 120_000;
    const l = new WebhookLimiter({ token: 2, address: 1 }, () => now);
    expect(l.admitAddress('198.51.100.1')).toMatchObject({ allowed: true });
    expect(l.admitAddress('198.51.100.1')).toEqual({
      allowed: false,
      firstRefusal: true,
      retryAfterMs: 60_000,
    });
    expect(l.admitAddress('198.51.100.1').firstRefusal).toBe(false);
    expect(l.admitToken('acct-1').allowed).toBe(true);
    expect(l.admitToken('acct-1').allowed).toBe(true);
    expect(l.admitToken('acct-1').allowed).toBe(false);
    now += 59_999;
    expect(l.admitAddress('198.51.100.1')).toMatchObject({ allowed: false, retryAfterMs: 1 });
    now += 1;
    expect(l.admitAddress('198.51.100.1').allowed).toBe(true);
    expect(l.admitToken('acct-1').allowed).toBe(true);
  });

  it('bounds its memory: past 10,000 addresses the new ones share one allowance', () => {
    const l = new WebhookLimiter({ token: 5, address: 3 }, () => 0);
    for (let i = 0; i < 10_000; i++) l.admitAddress(`10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`);
    const fresh = ['192.0.2.1', '192.0.2.2', '192.0.2.3', '192.0.2.4'];
    expect(fresh.map((ip) => l.admitAddress(ip).allowed)).toEqual([true, true, true, false]);
    expect(l.admitToken('acct-1').allowed).toBe(true); // verified tokens are unaffected
  });

  it('never refuses when turned off', () => {
    const l = new WebhookLimiter(false, () => 0);
    for (let i = 0; i < 1000; i++) expect(l.admitAddress('198.51.100.1').allowed).toBe(true);
  });
});
