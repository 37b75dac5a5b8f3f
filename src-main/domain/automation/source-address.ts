import { TRADINGVIEW_IPS } from '../../../src-shared/contract/automation';
import { normalizeIp } from '../net/client-address';

export { normalizeIp };

/**
 * The address a webhook came from. `X-Forwarded-For` is honoured only when the peer is the
 * configured trusted proxy (a tunnel or reverse proxy on this machine); then the right-most
 * address the proxy appended is the client. Anyone else's forwarded-for header is ignored, so
 * it cannot be used to pass the allowlist.
 */
export function clientAddress(
  peer: string | undefined,
  forwardedFor: string | string[] | undefined,
  trustedProxy: string | null,
): string {
  const p = normalizeIp(peer);
  if (!trustedProxy || p !== normalizeIp(trustedProxy) || !forwardedFor) return p;
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor;
  const hops = header
    .split(',')
    .map((h) => normalizeIp(h.trim()))
    .filter(Boolean);
  return hops[hops.length - 1] ?? p;
}

/** True when `ip` is one of TradingView's published webhook addresses. */
export function isTradingViewAddress(ip: string): boolean {
  return TRADINGVIEW_IPS.includes(normalizeIp(ip));
}
