import { keygenAsync } from '@noble/ed25519';

const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

/** PKCS#8 wrapping of a 32-byte Ed25519 seed (RFC 8410), as OpenSSL and Node read it. */
const PKCS8_PREFIX = [
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
];

function pem(label: string, der: Uint8Array): string {
  const body = b64(der)
    .replace(/(.{64})/g, '$1\n')
    .trim();
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
}

export interface GeneratedKey {
  /** Raw 32-byte public key, base64: what the backend stores. */
  publicKey: string;
  /** PKCS#8 PEM of the private key: shown once, never sent anywhere. */
  privateKeyPem: string;
}

/** A new Ed25519 key pair, made here in the window with the browser's CSPRNG. */
export async function generateKeyPair(): Promise<GeneratedKey> {
  const { secretKey, publicKey } = await keygenAsync();
  const der = new Uint8Array([...PKCS8_PREFIX, ...secretKey]);
  secretKey.fill(0);
  return { publicKey: b64(publicKey), privateKeyPem: pem('PRIVATE KEY', der) };
}
