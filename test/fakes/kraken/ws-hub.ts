import type { WebSocket } from 'ws';

/** Fields Kraken's WebSocket v2 sends as JSON numbers (the fake stores decimal strings). */
const NUMERIC = [
  'order_qty',
  'limit_price',
  'cum_qty',
  'cum_cost',
  'avg_price',
  'last_qty',
  'last_price',
  'cost',
  'qty',
];

/** JSON text with the numeric fields written as bare numbers, digit for digit. */
function wsJson(v: unknown): string {
  const text = JSON.stringify(v);
  const re = new RegExp(`"(${NUMERIC.join('|')})":"(-?\\d+(?:\\.\\d+)?)"`, 'g');
  return text.replace(re, '"$1":$2');
}

const stamp = () => new Date().toISOString();

/**
 * The fake's `ws-auth.kraken.com/v2`: `subscribe` to `executions` with a token from
 * GetWebSocketsToken, `ping`→`pong`, heartbeats, and execution reports pushed by the book.
 */
export class WsHub {
  readonly tokens = new Map<string, number>();
  private readonly clients = new Set<WebSocket>();
  private readonly subscribed = new Set<WebSocket>();
  /** Connections that stay open but go silent (no pongs, heartbeats or pushes). */
  private readonly muted = new Set<WebSocket>();
  private seq = 0;
  private readonly beat: NodeJS.Timeout;
  snapshot: () => Record<string, unknown>[] = () => [];

  constructor(
    private readonly clock: () => number,
    heartbeatMs: number,
  ) {
    this.beat = setInterval(() => {
      for (const ws of this.subscribed) {
        if (!this.muted.has(ws)) ws.send(JSON.stringify({ channel: 'heartbeat' }));
      }
    }, heartbeatMs);
    this.beat.unref();
  }

  attach(ws: WebSocket): void {
    this.clients.add(ws);
    ws.on('close', () => {
      this.clients.delete(ws);
      this.subscribed.delete(ws);
    });
    ws.on('message', (data) => {
      if (!this.muted.has(ws)) this.onMessage(ws, String(data));
    });
  }

  private onMessage(ws: WebSocket, text: string): void {
    let m: { method?: string; req_id?: number; params?: Record<string, unknown> };
    try {
      m = JSON.parse(text) as typeof m;
    } catch {
      ws.send(JSON.stringify({ error: 'EGeneral:Invalid arguments', success: false }));
      return;
    }
    const base = { method: m.method, req_id: m.req_id, time_in: stamp(), time_out: stamp() };
    if (m.method === 'ping') {
      ws.send(JSON.stringify({ ...base, method: 'pong' }));
      return;
    }
    if (m.method !== 'subscribe' || m.params?.channel !== 'executions') {
      ws.send(JSON.stringify({ ...base, success: false, error: 'EGeneral:Invalid arguments' }));
      return;
    }
    const token = m.params.token;
    const until = typeof token === 'string' ? this.tokens.get(token) : undefined;
    if (until === undefined || until < this.clock()) {
      // (unverified) the exact error text for a bad or expired token.
      ws.send(JSON.stringify({ ...base, success: false, error: 'EAccount:Invalid token' }));
      return;
    }
    // A token in use by a subscription does not expire (Kraken's docs).
    this.tokens.set(token as string, Number.MAX_SAFE_INTEGER);
    this.subscribed.add(ws);
    ws.send(
      JSON.stringify({
        ...base,
        success: true,
        result: { channel: 'executions', snapshot: true, maxratecount: 60 },
      }),
    );
    const snap = m.params.snap_orders === false ? [] : this.snapshot();
    ws.send(wsJson({ channel: 'executions', type: 'snapshot', data: snap, sequence: ++this.seq }));
  }

  push(item: Record<string, unknown>): void {
    const text = wsJson({
      channel: 'executions',
      type: 'update',
      data: [item],
      sequence: ++this.seq,
    });
    for (const ws of this.subscribed) if (!this.muted.has(ws)) ws.send(text);
  }

  /** Every open connection goes silent without closing (a half-dead link). */
  muteAll(): void {
    for (const ws of this.clients) this.muted.add(ws);
  }

  /** Closes every connection from the server side. */
  dropAll(): void {
    for (const ws of this.clients) ws.terminate();
  }

  close(): void {
    clearInterval(this.beat);
    this.dropAll();
  }
}
