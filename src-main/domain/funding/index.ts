/** Funding rules: watch-only addresses, chain ↔ ledger units, settings checks, scan rules. */
export { addressOfPublicKey, depositAddressAt, parseAccountXpub } from './hd';
export { chainToLedger, ledgerToChain, type ChainToLedger } from './amounts';
export {
  checkAssetFunding,
  parseContractAddress,
  MAX_CONFIRMATIONS,
  type AssetFundingSettings,
} from './settings';
export { afterReorg, confirmationsAt, linksOnto, type BlockLink, type Tip } from './scan';
