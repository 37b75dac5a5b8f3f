import type crypto from 'node:crypto';
import { getPublicKeyAsync, signAsync } from '@noble/ed25519';
import { Secret } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { readRealData } from '../../helpers/real-data';
import { ed25519KeyObject } from '../../../src-main/features/identity/crypto';
import { verifyEd25519 } from '../../../src-main/features/identity/signing';
import { totpFor } from '../../../src-main/features/identity/two-factor';

const hex = (h: string) => Buffer.from(h, 'hex');
/** Verifies as the API-key path does: raw key → KeyObject (a malformed key is a rejection). */
function verifies(pkHex: string, msgHex: string, sigHex: string): boolean {
  let key: crypto.KeyObject;
  try {
    key = ed25519KeyObject(hex(pkHex).toString('base64'));
  } catch {
    return false;
  }
  return verifyEd25519(key, hex(msgHex), hex(sigHex));
}

describe('RFC 6238 Appendix B (SHA-1) with Bourse’s TOTP settings', () => {
  // The RFC's 8-digit values; Bourse uses 6 digits, which are the last 6 (same truncation).
  const vectors: Array<[number, string]> = [
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ];
  const secret = Secret.fromUTF8('12345678901234567890').base32;
  it.each(vectors)('T = %i s gives …%s', (seconds, eight) => {
    const totp = totpFor(secret, 'rfc6238@example.test');
    const timestamp = seconds * 1000;
    expect(totp.generate({ timestamp })).toBe(eight.slice(2));
    expect(totp.validate({ token: eight.slice(2), timestamp, window: 0 })).toBe(0);
    // ±1 step tolerance, not more.
    expect(totp.validate({ token: eight.slice(2), timestamp: timestamp + 30_000, window: 1 })).toBe(
      -1,
    );
    expect(
      totp.validate({ token: eight.slice(2), timestamp: timestamp + 60_000, window: 1 }),
    ).toBeNull();
  });
});

describe('RFC 8032 Ed25519 tests 1–3', () => {
  const cases = [
    {
      name: 'TEST 1',
      secret: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
      pub: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
      msg: '',
      sig: 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
    },
    {
      name: 'TEST 2',
      secret: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
      pub: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
      msg: '72',
      sig: '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
    },
    {
      name: 'TEST 3',
      secret: 'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
      pub: 'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
      msg: 'af82',
      sig: '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a',
    },
  ];
  it.each(cases)('$name: the renderer’s keys sign it and the server verifies it', async (c) => {
    // Key generation and signing as the renderer does them (@noble/ed25519)…
    expect(Buffer.from(await getPublicKeyAsync(hex(c.secret))).toString('hex')).toBe(c.pub);
    expect(Buffer.from(await signAsync(hex(c.msg), hex(c.secret))).toString('hex')).toBe(c.sig);
    // …and verification as the server does it (node:crypto), including one flipped bit.
    expect(verifies(c.pub, c.msg, c.sig)).toBe(true);
    const bad = hex(c.sig);
    bad[5] = (bad[5] as number) ^ 1;
    expect(verifies(c.pub, c.msg, bad.toString('hex'))).toBe(false);
  });
});

describe('Wycheproof Ed25519 (all vectors of test/fixtures/vectors/ed25519_test.json)', () => {
  const data = JSON.parse(readRealData('vectors/ed25519_test.json')) as {
    numberOfTests: number;
    testGroups: Array<{
      publicKey: { pk: string };
      tests: Array<{ tcId: number; comment: string; msg: string; sig: string; result: string }>;
    }>;
  };
  const all = data.testGroups.flatMap((g) => g.tests.map((t) => ({ ...t, pk: g.publicKey.pk })));

  it('has every vector the file announces', () => {
    expect(all).toHaveLength(data.numberOfTests);
    expect(all.length).toBe(151);
  });

  it.each(all)('tcId $tcId ($result) $comment', (t) => {
    expect(t.result === 'valid' || t.result === 'invalid').toBe(true);
    expect(verifies(t.pk, t.msg, t.sig)).toBe(t.result === 'valid');
  });
});
