import { describe, expect, it } from 'vitest';
import { krakenSignature, NonceSource } from '../../../../src-main/connectors/kraken/sign';

describe('Kraken API-Sign', () => {
  it('matches the vector in Kraken’s authentication guide (buy 1.25 XBTUSD at 37500)', () => {
    const sig = krakenSignature(
      '/0/private/AddOrder',
      '1616492376594',
      'nonce=1616492376594&ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=1.25',
      'kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==',
    );
    expect(sig).toBe(
      '4/dpxb3iT4tp/ZCVEwSnEsLxx0bqyhLpdfOpc6fn7OR8+UClSV5n9E6aSS8MPtnRfp32bAb0nmbRn6H8ndwLUQ==',
    );
  });

  it('matches the golden test of the official Rust SDK (signer.rs)', () => {
    const sig = krakenSignature(
      '/0/private/Balance',
      '1700000000000000000',
      'nonce=1700000000000000000',
      'AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=',
    );
    expect(sig).toBe(
      '6i7+cpXVLDDnDOekgsRcgFQhkYFyPDSSxhSVA8OrA6vjziXcy2K1DP3n7f9B/Kgni71WjBSQusZKxduRsdF20Q==',
    );
  });

  it('changes with any byte of path, nonce or body', () => {
    const s = 'AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=';
    const a = krakenSignature('/0/private/Balance', '1', 'nonce=1', s);
    expect(krakenSignature('/0/private/BalanceEx', '1', 'nonce=1', s)).not.toBe(a);
    expect(krakenSignature('/0/private/Balance', '2', 'nonce=1', s)).not.toBe(a);
    expect(krakenSignature('/0/private/Balance', '1', 'nonce=2', s)).not.toBe(a);
  });
});

describe('NonceSource', () => {
  it('is strictly increasing when the clock stands still or goes back', () => {
    let t = 1_700_000_000_000;
    const n = new NonceSource(() => t);
    const a = BigInt(n.next());
    const b = BigInt(n.next());
    t -= 5_000;
    const c = BigInt(n.next());
    expect(a).toBe(1_700_000_000_000_000n);
    expect(b).toBe(a + 1n);
    expect(c).toBe(b + 1n);
    t += 10_000;
    expect(BigInt(n.next())).toBe(1_700_000_005_000_000n);
  });

  it('stays unique across many calls in one millisecond', () => {
    const n = new NonceSource(() => 42);
    const all = Array.from({ length: 1000 }, () => n.next());
    expect(new Set(all).size).toBe(1000);
  });
});
