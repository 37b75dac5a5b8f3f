import net from 'node:net';
import { addressKey, normalizeIp } from '../../domain/net/client-address';
import { addressList } from '../../config';
import type { Metrics } from '../../observability/metrics';

export interface ConnectionLimits {
  /** Open TCP connections one peer address may hold (IPv6 per /64). */
  perAddress: number;
  /** Open TCP connections the server holds (Node's `maxConnections`). */
  total: number;
}

/**
 * Bounds the TCP connections the HTTP server holds, per peer address and in all, counted as
 * they are accepted: before any byte is read, so an idle or trickling connection (one that
 * never completes a request, which the request budget never sees) still counts. Past the
 * per-address bound a new connection is closed at once; past the total, Node drops it. Without
 * this, one peer could open thousands of sockets and hold each until the header timeout,
 * taking the file descriptors the database and everyone else need.
 *
 * Trusted proxies are exempt: every client behind one arrives from its address (their
 * requests are still counted per client by the request budget).
 */
export function limitConnections(
  server: net.Server,
  limits: ConnectionLimits,
  trustedProxies: readonly string[],
  metrics?: Pick<Metrics, 'connectionsRefused'>,
): void {
  server.maxConnections = limits.total;
  server.on('drop', () => metrics?.connectionsRefused.inc({ scope: 'server' }));
  const proxies = addressList(trustedProxies);
  const open = new Map<string, number>();
  server.on('connection', (socket: net.Socket) => {
    const peer = normalizeIp(socket.remoteAddress);
    if (proxies.check(peer, net.isIPv6(peer) ? 'ipv6' : 'ipv4')) return;
    const key = addressKey(peer);
    const mine = open.get(key) ?? 0;
    if (mine >= limits.perAddress) {
      metrics?.connectionsRefused.inc({ scope: 'address' });
      socket.destroy();
      return;
    }
    open.set(key, mine + 1);
    socket.once('close', () => {
      const left = (open.get(key) ?? 1) - 1;
      if (left > 0) open.set(key, left);
      else open.delete(key);
    });
  });
}
