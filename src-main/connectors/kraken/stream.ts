import type { BrokerDeps, BrokerEvent } from '../broker/port';
import { ExecutionMapper, type CloseOf, type Execution } from './executions';
import { parseKrakenJson } from './json';
import { KrakenSocket } from './socket';

export interface KrakenStreamOptions {
  wsUrl: string;
  /** A fresh token from GetWebSocketsToken (REST) for each connection. */
  token: () => Promise<string>;
  emit: (e: BrokerEvent) => void;
  /** The conditional close known for an order: the executions channel does not carry it. */
  closeOf?: CloseOf;
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
  private readonly mapper: ExecutionMapper;
  private readonly socket: KrakenSocket<string>;

  constructor(private readonly o: KrakenStreamOptions) {
    this.mapper = new ExecutionMapper(o.closeOf);
    this.socket = new KrakenSocket<string>({
      url: o.wsUrl,
      pingMs: o.pingMs,
      ...(o.deps.random ? { random: o.deps.random } : {}),
      prepare: async () => {
        try {
          return await o.token();
        } catch (e) {
          throw new Error(`cannot get a WebSocket token: ${(e as Error).message}`);
        }
      },
      onOpen: (token) =>
        this.socket.send('subscribe', {
          channel: 'executions',
          token,
          snap_orders: true,
          snap_trades: false,
        }),
      onMessage: (text, lost) => this.onMessage(text, lost),
      onDown: (reason) => {
        o.deps.log?.warn({ venue: 'kraken', reason }, 'Kraken stream down; reconnecting');
        o.emit({ type: 'connection', state: 'down', reason });
      },
    });
  }

  start(): void {
    this.o.emit({ type: 'connection', state: 'connecting' });
    this.socket.start();
  }

  stop(): void {
    this.socket.stop();
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
        this.socket.connected();
        this.o.emit({ type: 'connection', state: 'up' });
      } else fail(`subscription refused: ${m.error ?? 'no reason'}`);
      return;
    }
    if (m.channel === 'executions' && Array.isArray(m.data)) {
      for (const x of m.data) for (const e of this.mapper.map(x)) this.o.emit(e);
    }
  }
}
