import { describe, expect, it } from 'vitest';
import {
  chainToLedger,
  checkAssetFunding,
  confirmationsAt,
  ledgerToChain,
  linksOnto,
  parseContractAddress,
  type AssetFundingSettings,
} from '../../../src-main/domain/funding';

const ETH: AssetFundingSettings = {
  chainId: 31337,
  tokenContract: null,
  tokenDecimals: 18,
  confirmations: 3,
  depositsEnabled: true,
  withdrawalsEnabled: false,
  withdrawalFee: 0n,
  withdrawalMin: 0n,
  autoApproveLimit: 100n,
  dualApprovalLimit: 1000n,
};
const code = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error!.code);

describe('asset funding settings', () => {
  it('accepts sound settings and lower-cases the contract', () => {
    const r = checkAssetFunding(
      { ...ETH, tokenContract: '0x5FbDB2315678afecb367f032d93F642f64180aa3', tokenDecimals: 6 },
      6,
    );
    expect(r.ok && r.value.tokenContract).toBe('0x5fbdb2315678afecb367f032d93f642f64180aa3');
  });

  it('names what is wrong', () => {
    expect(code(checkAssetFunding({ ...ETH, confirmations: 0 }, 8))).toBe('invalid_confirmations');
    expect(code(checkAssetFunding({ ...ETH, tokenDecimals: 6 }, 8))).toBe('invalid_decimals');
    expect(code(checkAssetFunding({ ...ETH, tokenContract: '0x12', tokenDecimals: 18 }, 8))).toBe(
      'invalid_token_contract',
    );
    expect(code(checkAssetFunding({ ...ETH, withdrawalFee: -1n }, 8))).toBe('invalid_limit');
    expect(code(checkAssetFunding({ ...ETH, dualApprovalLimit: 99n }, 8))).toBe('invalid_limit');
    expect(code(checkAssetFunding({ ...ETH, dualApprovalLimit: null }, 8))).toBe('ok');
  });

  it('checks EIP-55 when the address is mixed case', () => {
    // One letter's case flipped from the checksummed form.
    expect(code(parseContractAddress('0x5FbDB2315678afecb367f032d93F642f64180aA3'))).toBe(
      'invalid_token_contract',
    );
    expect(code(parseContractAddress('0x5fbdb2315678afecb367f032d93f642f64180aa3'))).toBe('ok');
  });
});

describe('chain units and scan rules', () => {
  it('credits whole minor units and keeps the remainder', () => {
    // 1.234567891234567891 ETH at ledger scale 8: 1.23456789 credited, 1234567891 wei left.
    expect(chainToLedger(1_234_567_891_234_567_891n, 18, 8)).toEqual({
      amount: 123_456_789n,
      remainder: 1_234_567_891n,
    });
    expect(chainToLedger(5_000_000n, 6, 6)).toEqual({ amount: 5_000_000n, remainder: 0n });
    expect(ledgerToChain(123_456_789n, 18, 8)).toBe(1_234_567_890_000_000_000n);
  });

  it('commits only blocks that chain onto the tip', () => {
    const tip = { number: 10n, hash: '0xa' };
    const b11 = { number: 11n, hash: '0xb', parentHash: '0xa' };
    const b12 = { number: 12n, hash: '0xc', parentHash: '0xb' };
    expect(linksOnto(tip, [b11, b12])).toBe(true);
    expect(linksOnto(tip, [b11, { ...b12, parentHash: '0xz' }])).toBe(false);
    expect(linksOnto({ number: 10n, hash: '0xother' }, [b11])).toBe(false);
    expect(linksOnto(tip, [b12])).toBe(false);
    expect(linksOnto({ number: 10n, hash: null }, [b11])).toBe(true);
  });

  it('counts confirmations against the verified cursor, the block itself included', () => {
    expect(confirmationsAt(12n, 10n)).toBe(3);
    expect(confirmationsAt(9n, 10n)).toBe(0);
  });
});
