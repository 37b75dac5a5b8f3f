#!/usr/bin/env node
// Calls the Bourse REST API with an Ed25519-signed request. Plain Node 20, no dependencies.
//
//   BOURSE_KEY=ak_… BOURSE_PRIVATE_KEY_FILE=bourse-key.pem \
//     node examples/signed-request.mjs GET '/api/v1/notifications?limit=5'
//   node examples/signed-request.mjs POST /api/v1/notifications/read '{"ids":[1]}'
//
// Environment: BOURSE_URL (default http://localhost:8420), BOURSE_KEY (the key id shown in
// Bourse › API keys), BOURSE_PRIVATE_KEY_FILE (the PKCS#8 PEM you downloaded or generated).
import crypto from 'node:crypto';
import fs from 'node:fs';

const [method = 'GET', target = '/api/v1/notifications', body = ''] = process.argv.slice(2);
const base = process.env.BOURSE_URL ?? 'http://localhost:8420';
const keyId = process.env.BOURSE_KEY;
const keyFile = process.env.BOURSE_PRIVATE_KEY_FILE;
if (!keyId || !keyFile) {
  console.error('Set BOURSE_KEY and BOURSE_PRIVATE_KEY_FILE');
  process.exit(2);
}
const privateKey = crypto.createPrivateKey(fs.readFileSync(keyFile, 'utf8'));

// RFC 3986 encoding, pairs sorted by key then value.
const enc = (s) =>
  encodeURIComponent(s).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
const url = new URL(target, base);
const query = [...url.searchParams]
  .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
  .map(([k, v]) => `${enc(k)}=${enc(v)}`)
  .join('&');

const timestamp = String(Date.now());
const recvWindow = ''; // optional, milliseconds (default 5000, at most 60000)
const canonical = [
  'BOURSE-ED25519-V1',
  keyId,
  timestamp,
  recvWindow,
  method.toUpperCase(),
  url.pathname,
  query,
  crypto.createHash('sha256').update(body).digest('hex'),
].join('\n');
const signature = crypto.sign(null, Buffer.from(canonical), privateKey).toString('base64');

const res = await fetch(url, {
  method,
  headers: {
    'X-Bourse-Key': keyId,
    'X-Bourse-Timestamp': timestamp,
    'X-Bourse-Signature': signature,
    ...(recvWindow ? { 'X-Bourse-Recv-Window': recvWindow } : {}),
    ...(body ? { 'Content-Type': 'application/json' } : {}),
  },
  body: body || undefined,
});
console.log(res.status, await res.text());
process.exitCode = res.ok ? 0 : 1;
