/**
 * Hides secrets in a raw alert before it is stored: every occurrence of the given secrets
 * (the webhook token, a passphrase) and the values of `token`/`passphrase`/`secret` fields in
 * JSON, `key=value` and PineConnector forms.
 */
export function maskSecrets(raw: string, secrets: readonly string[]): string {
  let out = raw;
  for (const s of secrets) {
    if (s.length >= 4) out = out.split(s).join('***');
  }
  out = out.replace(
    /("(?:token|passphrase|secret|password)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi,
    '$1"***"',
  );
  out = out.replace(
    /\b(token|passphrase|secret|password)(\s*=\s*)("[^"]*"|[^\s,;&]+)/gi,
    '$1$2***',
  );
  return out;
}

/** The first characters of a token, enough to recognise it in a log, never to use it. */
export function tokenHint(token: string): string {
  return token.length <= 6 ? '***' : `${token.slice(0, 4)}…`;
}
