import net from 'node:net';

/**
 * DNS-rebinding defence: a page on evil.example that resolves to 127.0.0.1 still sends
 * `Host: evil.example`. We accept loopback names, IP literals and names the user listed.
 */
export function isAllowedHost(hostHeader: string | undefined, allowedHosts: string[]): boolean {
  if (!hostHeader) return false;
  const name = hostnameOf(hostHeader);
  if (name === undefined) return false;
  if (name === 'localhost' || net.isIP(name) !== 0) return true;
  return allowedHosts.map((h) => h.toLowerCase()).includes(name);
}

/** `host[:port]` or `[v6][:port]` → host, lower-cased; undefined when malformed. */
export function hostnameOf(hostHeader: string): string | undefined {
  const value = hostHeader.trim().toLowerCase();
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    if (end < 0) return undefined;
    const rest = value.slice(end + 1);
    if (rest && !/^:\d{1,5}$/.test(rest)) return undefined;
    return value.slice(1, end);
  }
  const m = /^([a-z0-9.-]+)(:\d{1,5})?$/.exec(value);
  return m ? m[1] : undefined;
}

/**
 * Browsers send Origin on cross-site writes and WebSocket upgrades. Same-origin (Origin's
 * host equals the Host header) or an origin the user listed is accepted; a missing Origin
 * means a non-browser client (curl, a bot), which CSRF cannot use.
 */
export function isAllowedOrigin(
  origin: string | undefined,
  hostHeader: string | undefined,
  allowedOrigins: string[],
): boolean {
  if (origin === undefined) return true;
  if (allowedOrigins.includes(origin)) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (hostHeader === undefined) return false;
  const defaultPort = url.protocol === 'https:' ? '443' : '80';
  const originPort = url.port || defaultPort;
  const name = hostnameOf(hostHeader);
  const hostPort = /:(\d{1,5})$/.exec(hostHeader.trim())?.[1] ?? defaultPort;
  const originName = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return name === originName && hostPort === originPort;
}
