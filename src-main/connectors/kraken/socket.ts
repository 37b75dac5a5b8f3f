import WebSocket from 'ws';
import { backoffDelay } from '../broker/backoff';

export interface KrakenSocketOptions<T> {
  url: string;
  /** Ping period; a connection silent for two periods is dropped and reopened. */
  pingMs: number;
  random?: () => number;
  /** Before each connection (a WebSocket token, pair precisions); a throw is a drop. */
  prepare(): Promise<T>;
  /** The connection is open: subscribe. */
  onOpen(prepared: T): void;
  /** A message; `lost` drops the connection (a refused subscription). */
  onMessage(text: string, lost: (reason: string) => void): void;
  /** The connection dropped (a reconnect is already scheduled). */
  onDown(reason: string): void;
}

/**
 * One Kraken WebSocket v2 connection kept open: ping/pong with silence detection, and on any
 * drop a reconnect after a jittered backoff (reset by `connected()` once subscriptions are
 * acknowledged). The private executions stream and the public market stream both ride on it.
 */
export class KrakenSocket<T> {
  /** Connections opened so far. */
  connections = 0;
  /** Increases with every connection: a callback from an older one can tell it is stale. */
  generation = 0;
  private ws: WebSocket | null = null;
  private stopped = false;
  private attempt = 0;
  private reqId = 0;
  private lastSeen = 0;
  private pingTimer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(private readonly o: KrakenSocketOptions<T>) {}

  get isStopped(): boolean {
    return this.stopped;
  }

  start(): void {
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.ws?.terminate();
    this.ws = null;
  }

  /** Subscriptions are up: the next drop starts its backoff from the beginning. */
  connected(): void {
    this.attempt = 0;
  }

  send(method: string, params?: Record<string, unknown>): void {
    this.ws?.send(JSON.stringify({ method, ...(params ? { params } : {}), req_id: ++this.reqId }));
  }

  private async connect(): Promise<void> {
    let prepared: T;
    try {
      prepared = await this.o.prepare();
    } catch (e) {
      this.down((e as Error).message);
      return;
    }
    if (this.stopped) return;
    this.connections++;
    this.generation++;
    const ws = new WebSocket(this.o.url);
    this.ws = ws;
    let wasDown = false;
    const lost = (reason: string) => {
      if (wasDown) return;
      wasDown = true;
      if (this.pingTimer) clearInterval(this.pingTimer);
      ws.terminate();
      if (this.ws === ws) this.ws = null;
      this.down(reason);
    };
    ws.on('open', () => {
      this.lastSeen = Date.now();
      this.o.onOpen(prepared);
      this.pingTimer = setInterval(() => {
        if (Date.now() - this.lastSeen > 2 * this.o.pingMs) lost('no answer to ping');
        else this.send('ping');
      }, this.o.pingMs);
      this.pingTimer.unref();
    });
    ws.on('message', (data) => {
      this.lastSeen = Date.now();
      this.o.onMessage(String(data), lost);
    });
    ws.on('close', (code) => lost(`closed (${code})`));
    ws.on('error', (e) => lost(e.message));
  }

  private down(reason: string): void {
    if (this.stopped) return;
    this.o.onDown(reason);
    const wait = backoffDelay(this.attempt++, {
      baseMs: 500,
      maxMs: 30_000,
      random: this.o.random,
    });
    this.retryTimer = setTimeout(() => void this.connect(), wait);
    this.retryTimer.unref();
  }
}
