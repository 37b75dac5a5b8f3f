import { describe, expect, it } from 'vitest';
import { HDKey } from '@scure/bip32';
import { mnemonicToSeedSync } from '@scure/bip39';
import { mnemonicToAccount } from 'viem/accounts';
import { depositAddressAt, parseAccountXpub } from '../../../src-main/domain/funding';
import { DEV_MNEMONIC } from '../../fakes/chain/local-chain';
import { DEV_XPUB, accountKeys } from '../../fakes/chain/xpub';

describe('watch-only deposit addresses', () => {
  it('derive 0/i from the account xpub exactly as the wallet does from the mnemonic', () => {
    const parsed = parseAccountXpub(DEV_XPUB);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    for (const i of [0, 1, 2, 7, 1000]) {
      const expected = mnemonicToAccount(DEV_MNEMONIC, { addressIndex: i }).address;
      expect(depositAddressAt(parsed.value, i)).toBe(expected);
    }
    // Hardhat's well-known account #0, typed from its documentation (EIP-55 mixed case).
    expect(depositAddressAt(parsed.value, 0)).toBe('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266');
  });

  it('refuses private keys and keys that are not account-level', () => {
    const refusedPrivate = parseAccountXpub(accountKeys().xprv);
    expect(refusedPrivate.ok || refusedPrivate.error.code).toBe('private_key_refused');
    const master = HDKey.fromMasterSeed(mnemonicToSeedSync(DEV_MNEMONIC));
    const wrongDepth = parseAccountXpub(master.derive("m/44'/60'").publicExtendedKey);
    expect(wrongDepth.ok || wrongDepth.error.code).toBe('invalid_xpub');
    const garbage = parseAccountXpub('xpub-not-really');
    expect(garbage.ok || garbage.error.code).toBe('invalid_xpub');
  });
});
