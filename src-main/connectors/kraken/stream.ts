import WebSocket from 'ws';
import { backoffDelay } from '../broker/backoff';
import type { BrokerDeps, BrokerEvent } from '../broker/port';
import { ExecutionMapper, type Execution } from './executions';
import { parseKrakenJson } from './json';

export interface KrakenStreamOptions {
  wsUrl: string;
  /** A fresh token from GetWebSocketsToken (REST) for each connection. */
  token: () => Promise<string>;
  emit: (e: BrokerEvent) => void;
  deps: BrokerDeps;
  /** Ping period; a connection silent for two periods is dropped and reopened. */
  pingMs: number;
}

/**
 * The private WebSocket v2 `executions` channel: token, subscribe, ping/pong, reconnect with
 * backoff and jitter. Emits `connection` events (`up` once the subscription is acknowledged)
 * and never replays: after `up` the caller re-syncs over REST.
 */
export class KrakenStream {
  private ws: WebSocket | null = null;
  private stopped = false;
  private attempt = 0;
  private reqId = 0;
  private lastSeen = 0;
  private pingTimer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private readonly mapper = new ExecutionMapper();

  constructor(private readonly o: KrakenStreamOptions) {}

  start(): void {
    this.o.emit({ type: 'connection', state: 'connecting' });
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.ws?.terminate();
    this.ws = null;
  }

  private async connect(): Promise<void> {
    let token: string;
    try {
      token = await this.o.token();
    } catch (e) {
      this.down(`cannot get a WebSocket token: ${(e as Error).message}`);
      return;
    }
    if (this.stopped) return;
    const ws = new WebSocket(this.o.wsUrl);
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
      ws.send(
        JSON.stringify({
          method: 'subscribe',
          params: { channel: 'executions', token, snap_orders: true, snap_trades: false },
          req_id: ++this.reqId,
        }),
      );
      this.pingTimer = setInterval(() => {
        if (Date.now() - this.lastSeen > 2 * this.o.pingMs) lost('no answer to ping');
        else ws.send(JSON.stringify({ method: 'ping', req_id: ++this.reqId }));
      }, this.o.pingMs);
    });
    ws.on('message', (data) => {
      this.lastSeen = Date.now();
      this.onMessage(String(data), (reason) => lost(reason));
    });
    ws.on('close', (code) => lost(`closed (${code})`));
    ws.on('error', (e) => lost(e.message));
  }

  private onMessage(text: string, fail: (reason: string) => void): void {
    let m: {
      method?: string;
      success?: boolean;
      error?: string;
      channel?: string;
      data?: Execution[];
    };
    try {
      m = parseKrakenJson(text) as typeof m;
    } catch {
      return;
    }
    if (m.method === 'subscribe') {
      if (m.success) {
        this.attempt = 0;
        this.o.emit({ type: 'connection', state: 'up' });
      } else fail(`subscription refused: ${m.error ?? 'no reason'}`);
      return;
    }
    if (m.channel === 'executions' && Array.isArray(m.data)) {
      for (const x of m.data) for (const e of this.mapper.map(x)) this.o.emit(e);
    }
  }

  private down(reason: string): void {
    if (this.stopped) return;
    this.o.deps.log?.warn({ venue: 'kraken', reason }, 'Kraken stream down; reconnecting');
    this.o.emit({ type: 'connection', state: 'down', reason });
    const wait = backoffDelay(this.attempt++, {
      baseMs: 500,
      maxMs: 30_000,
      random: this.o.deps.random,
    });
    this.retryTimer = setTimeout(() => void this.connect(), wait);
    this.retryTimer.unref();
  }
}
