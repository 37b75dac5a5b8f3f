/**
 * Watch-only deposit addresses: derived from an account-level extended public key
 * (`m/44'/60'/0'`, depth 3) at `0/i`, as wallets derive their receive addresses. Only public
 * keys are involved; the key that can spend never reaches Bourse.
 */
import { HDKey } from '@scure/bip32';
import { getAddress, keccak256, toHex, type Address } from 'viem';
import type { Result } from '../money';
import { err, ok } from '../money';

/** secp256k1 field prime; y² = x³ + 7 over it. */
const P = 2n ** 256n - 2n ** 32n - 977n;

function powMod(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n;
  let b = base % mod;
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % mod;
    b = (b * b) % mod;
    e >>= 1n;
  }
  return result;
}

function bytesToBigInt(bytes: Uint8Array): bigint {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n;
}

/**
 * The uncompressed point (x‖y, 64 bytes) of a compressed secp256k1 public key: an address is
 * the keccak of the uncompressed form. P ≡ 3 (mod 4), so √a = a^((P+1)/4).
 */
function decompress(compressed: Uint8Array): Uint8Array {
  const x = bytesToBigInt(compressed.subarray(1));
  let y = powMod((powMod(x, 3n, P) + 7n) % P, (P + 1n) / 4n, P);
  if ((y & 1n) !== BigInt(compressed[0]! & 1)) y = P - y;
  const out = new Uint8Array(64);
  for (let i = 0; i < 32; i++) {
    out[31 - i] = Number((x >> BigInt(8 * i)) & 0xffn);
    out[63 - i] = Number((y >> BigInt(8 * i)) & 0xffn);
  }
  return out;
}

/** The EIP-55 checksummed address of a compressed public key. */
export function addressOfPublicKey(compressed: Uint8Array): Address {
  const hash = keccak256(toHex(decompress(compressed)));
  return getAddress(`0x${hash.slice(-40)}`);
}

/**
 * Parses an account-level xpub: a public (not private) extended key at depth 3. Refuses
 * `xprv…` outright (it can spend) and keys at other depths (addresses would not match the
 * wallet's). Codes: `invalid_xpub`, `private_key_refused`.
 */
export function parseAccountXpub(text: string): Result<HDKey> {
  const trimmed = text.trim();
  if (/^[xtyz]prv/.test(trimmed)) {
    return err('private_key_refused', 'that is a private key (xprv); give the xpub only');
  }
  let key: HDKey;
  try {
    key = HDKey.fromExtendedKey(trimmed);
  } catch (e) {
    return err('invalid_xpub', `not an extended public key: ${(e as Error).message}`);
  }
  if (key.privateKey) return err('private_key_refused', 'that key can spend; give the xpub');
  if (key.depth !== 3) {
    return err(
      'invalid_xpub',
      `the xpub must be account-level (m/44'/60'/0', depth 3); this one has depth ${key.depth}`,
    );
  }
  return ok(key);
}

/** The receive address `0/index` under an account xpub. */
export function depositAddressAt(account: HDKey, index: number): Address {
  if (!Number.isInteger(index) || index < 0 || index >= 2 ** 31) {
    throw new RangeError(`address index ${index} out of range`);
  }
  const child = account.deriveChild(0).deriveChild(index);
  return addressOfPublicKey(child.publicKey!);
}
