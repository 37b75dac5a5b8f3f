import { HDKey } from '@scure/bip32';
import { mnemonicToSeedSync } from '@scure/bip39';
import { DEV_MNEMONIC } from './local-chain';

/** The account-level keys (m/44'/60'/0') of a mnemonic: what a wallet exports for watching. */
export function accountKeys(mnemonic = DEV_MNEMONIC): { xpub: string; xprv: string } {
  const account = HDKey.fromMasterSeed(mnemonicToSeedSync(mnemonic)).derive("m/44'/60'/0'");
  return { xpub: account.publicExtendedKey, xprv: account.privateExtendedKey };
}

/** The dev mnemonic's account xpub: its `0/i` addresses are the harness's dev accounts. */
export const DEV_XPUB = accountKeys().xpub;
