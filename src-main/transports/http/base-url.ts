import type { FastifyInstance } from 'fastify';

/** `http://host:port` as a client on this machine reaches it (a wildcard host via loopback). */
export function localBaseUrl(host: string, port: number): string {
  const h = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `http://${h.includes(':') ? `[${h}]` : h}:${port}`;
}

/** The base URL of the HTTP server once it listens (its real port, even if 0 was asked for). */
export function listeningBaseUrl(app: FastifyInstance | undefined, host: string): string | null {
  const addr = app?.server.address();
  return addr && typeof addr === 'object' ? localBaseUrl(host, addr.port) : null;
}
