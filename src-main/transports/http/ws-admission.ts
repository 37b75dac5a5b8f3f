import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../../src-shared/contract';
import { addressKey } from '../../domain/net/client-address';
import type { Metrics } from '../../observability/metrics';

export interface WsLimits {
  /** Open WebSocket connections one client address may hold (IPv6 per /64). */
  perAddress: number;
  /** Open WebSocket connections the whole server holds. */
  total: number;
}

/**
 * Open WebSocket connections, counted per client address and in all, across every door that
 * upgrades (`/ws`, the Binance streams, the Binance WebSocket API). The request budget counts
 * upgrade *attempts*; a connection then stays open for free, so without this one caller could
 * hold thousands of sockets (file descriptors the database and the other clients need).
 * A connection is counted from the moment its upgrade request arrives — before the handshake,
 * so a burst of parallel upgrades cannot all pass the check — until its TCP socket closes,
 * which also releases an upgrade that was refused or failed half-way.
 */
export class WsAdmission {
  private readonly open = new Map<string, number>();
  private count = 0;
  private readonly counted = new WeakSet<Socket>();

  constructor(
    private readonly limits: WsLimits,
    private readonly metrics?: Pick<Metrics, 'wsConnections' | 'wsRefused'>,
  ) {}

  /** Counts the connection behind `socket` for `ip`, or throws `too_many_connections`. */
  admit(ip: string, socket: Socket): void {
    if (this.counted.has(socket)) return;
    const key = addressKey(ip);
    const mine = this.open.get(key) ?? 0;
    if (mine >= this.limits.perAddress) {
      this.metrics?.wsRefused.inc({ scope: 'address' });
      throw refusal(`this address already holds ${mine} open WebSocket connections`, {
        limit: this.limits.perAddress,
        scope: 'address',
      });
    }
    if (this.count >= this.limits.total) {
      this.metrics?.wsRefused.inc({ scope: 'server' });
      throw refusal('the server holds as many WebSocket connections as it accepts', {
        limit: this.limits.total,
        scope: 'server',
      });
    }
    this.counted.add(socket);
    this.open.set(key, mine + 1);
    this.count++;
    this.metrics?.wsConnections.inc();
    socket.once('close', () => this.release(key));
  }

  private release(key: string): void {
    this.count--;
    this.metrics?.wsConnections.dec();
    const left = (this.open.get(key) ?? 1) - 1;
    if (left > 0) this.open.set(key, left);
    else this.open.delete(key);
  }
}

function refusal(why: string, details: { limit: number; scope: 'address' | 'server' }): AppError {
  return new AppError(
    'too_many_connections',
    `Too many WebSocket connections: ${why}. Close some (one connection carries many streams) and try again`,
    details,
  );
}

const isUpgrade = (req: FastifyRequest): boolean =>
  (req.headers.upgrade ?? '').toLowerCase() === 'websocket';

/**
 * Refuses a WebSocket upgrade past the limits with a 429 problem, before the handshake. Plain
 * HTTP requests pass untouched.
 */
export function installWsAdmission(
  app: FastifyInstance,
  limits: WsLimits,
  metrics: Metrics,
): WsAdmission {
  const admission = new WsAdmission(limits, metrics);
  app.addHook('onRequest', (req, _reply, done) => {
    if (!isUpgrade(req)) return done();
    try {
      admission.admit(req.ip, req.raw.socket);
      done();
    } catch (err) {
      done(err as AppError);
    }
  });
  return admission;
}
