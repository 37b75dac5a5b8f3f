/**
 * Client addresses as counters see them: one spelling per IPv4 peer, one key per IPv6 /64.
 * Used by every throttle and rate limit that counts per address.
 */

/** `::ffff:1.2.3.4` → `1.2.3.4`, so IPv4 peers compare equal however the socket reports them. */
export function normalizeIp(ip: string | undefined): string {
  if (!ip) return '';
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}

/**
 * The key a client address is counted under: IPv4 as is, IPv6 reduced to its /64 (one
 * host usually owns a whole /64, so counting single addresses would give it 2^64 allowances).
 */
export function addressKey(ip: string | undefined): string {
  const a = normalizeIp(ip);
  if (!a.includes(':')) return a || 'unknown';
  const [head = '', tail = ''] = a.split('::', 2);
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = a.includes('::')
    ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => (g.replace(/^0+/, '') || '0').toLowerCase())
    .join(':')}::/64`;
}
