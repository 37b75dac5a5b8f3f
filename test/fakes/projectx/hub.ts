import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { HubPush } from './state';

/**
 * A hub of the fake gateway: the SignalR JSON hub protocol over a raw WebSocket, strictly
 * enough for the official client. Handshake `{"protocol":"json","version":1}` + 0x1e
 * answered `{}`; invocations (type 1) answered by completions (type 3) when they carry an
 * invocation id; pings (6) both ways; close (7). The token must come as `access_token`.
 * `FakeHub` is the protocol; the user and market hubs only declare their methods.
 */

const RS = '\u001e';

/** A hub method: a subscription (or its undoing) to a topic, keyed by its argument. */
export interface HubMethod {
  topic: string;
  subscribe: boolean;
  args: 0 | 1;
  /** Why the gateway refuses this argument for this user, or null when it takes it. */
  check?(arg: unknown, user: string): string | null;
}

interface Session {
  ws: WebSocket;
  user: string;
  handshaken: boolean;
  buffer: string;
  subs: Set<string>;
  /** Stays open but sends nothing (a half-dead connection). */
  muted?: boolean;
}

export interface HubOptions {
  path: string;
  /** The user a token belongs to, or null when it is not (or no longer) valid. */
  userOf(token: string): string | null;
  methods: Record<string, HubMethod>;
  pingMs: number;
}

export class FakeHub {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sessions = new Set<Session>();
  /** Hub method calls seen, for tests (`SubscribeOrders:7001`, `SubscribeContractQuotes:CON.…`). */
  readonly calls: string[] = [];
  private readonly pinger: ReturnType<typeof setInterval>;

  constructor(protected readonly o: HubOptions) {
    this.pinger = setInterval(() => {
      for (const s of this.sessions) if (s.handshaken) this.send(s, { type: 6 });
    }, o.pingMs);
    this.pinger.unref();
  }

  /** The http server's `upgrade`: refuses (401) a missing or invalid access_token. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    const token = url.searchParams.get('access_token');
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const user = token ? this.o.userOf(token) : null;
    if (url.pathname !== this.o.path || !user || (bearer && this.o.userOf(bearer) !== user)) {
      socket.end(
        `HTTP/1.1 ${url.pathname !== this.o.path ? '404 Not Found' : '401 Unauthorized'}\r\n\r\n`,
      );
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.attach(ws, user));
  }

  private attach(ws: WebSocket, user: string): void {
    const s: Session = { ws, user, handshaken: false, buffer: '', subs: new Set() };
    this.sessions.add(s);
    ws.on('close', () => this.sessions.delete(s));
    ws.on('message', (data, isBinary) => {
      if (isBinary) return this.fail(s, 'binary frames are not the JSON protocol');
      s.buffer += data.toString();
      let at: number;
      while ((at = s.buffer.indexOf(RS)) >= 0) {
        const record = s.buffer.slice(0, at);
        s.buffer = s.buffer.slice(at + 1);
        this.onRecord(s, record);
      }
    });
  }

  private onRecord(s: Session, record: string): void {
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(record) as Record<string, unknown>;
    } catch {
      return this.fail(s, 'record is not JSON');
    }
    if (!s.handshaken) {
      if (msg.protocol !== 'json' || msg.version !== 1) {
        s.ws.send(
          JSON.stringify({ error: `The protocol '${String(msg.protocol)}' is not supported.` }) +
            RS,
        );
        s.ws.close();
        return;
      }
      s.handshaken = true;
      s.ws.send('{}' + RS);
      return;
    }
    if (msg.type === 6) return;
    if (msg.type === 7) return void s.ws.close();
    if (msg.type !== 1) return this.fail(s, `unexpected message type ${String(msg.type)}`);
    this.invoke(s, msg);
  }

  private invoke(s: Session, msg: Record<string, unknown>): void {
    const target = String(msg.target);
    const args = Array.isArray(msg.arguments) ? (msg.arguments as unknown[]) : [];
    const id = typeof msg.invocationId === 'string' ? msg.invocationId : undefined;
    const reply = (error?: string) => {
      if (id !== undefined)
        this.send(
          s,
          error
            ? { type: 3, invocationId: id, error }
            : { type: 3, invocationId: id, result: null },
        );
    };
    const m = this.o.methods[target];
    if (!m) return reply(`Unknown hub method '${target}'`);
    if (args.length !== m.args) {
      return reply(
        `Failed to invoke '${target}' due to an error on the server. InvalidDataException: Invocation provides ${args.length} argument(s) but target expects ${m.args}.`,
      );
    }
    const arg = m.args ? args[0] : undefined;
    const refused = m.args && m.check ? m.check(arg, s.user) : null;
    if (refused) return reply(`Failed to invoke '${target}': ${refused}`);
    this.calls.push(m.args ? `${target}:${String(arg)}` : target);
    const key = m.args ? `${m.topic}:${String(arg)}` : m.topic;
    if (m.subscribe) s.subs.add(key);
    else s.subs.delete(key);
    reply();
  }

  /** Sends an invocation to every session subscribed to `key` (of `owner`, when given). */
  protected push(key: string, target: string, args: unknown[], owner?: string): void {
    for (const s of this.sessions) {
      if (s.handshaken && (owner === undefined || s.user === owner) && s.subs.has(key)) {
        this.send(s, { type: 1, target, arguments: args });
      }
    }
  }

  /** Sessions open now. */
  count(): number {
    return this.sessions.size;
  }

  /** Cuts every connection (no close message: a network drop). */
  drop(): void {
    for (const s of this.sessions) s.ws.terminate();
  }

  /** The open sessions go silent (no pings, no pushes) without closing. */
  mute(): void {
    for (const s of this.sessions) s.muted = true;
  }

  /** Sends a GatewayLogout to every session. */
  logout(): void {
    for (const s of this.sessions)
      this.send(s, { type: 1, target: 'GatewayLogout', arguments: [] });
  }

  close(): void {
    clearInterval(this.pinger);
    this.drop();
    this.wss.close();
  }

  private send(s: Session, msg: object): void {
    if (!s.muted && s.ws.readyState === s.ws.OPEN) s.ws.send(JSON.stringify(msg) + RS);
  }

  private fail(s: Session, error: string): void {
    this.send(s, { type: 7, error, allowReconnect: false });
    s.ws.close();
  }
}

/** The user hub (`/hubs/user`): account, order, position and trade pushes of one's accounts. */
export class FakeUserHub extends FakeHub {
  private readonly payloadShape: 'wrapped' | 'bare';

  constructor(
    o: Omit<HubOptions, 'methods'> & {
      accountsOf(user: string): number[];
      payloadShape: 'wrapped' | 'bare';
    },
  ) {
    const account = (arg: unknown, user: string) =>
      typeof arg === 'number' && o.accountsOf(user).includes(arg)
        ? null
        : `account ${String(arg)} is not yours.`;
    const methods: Record<string, HubMethod> = {};
    for (const [topic, name, args] of [
      ['accounts', 'Accounts', 0],
      ['orders', 'Orders', 1],
      ['positions', 'Positions', 1],
      ['trades', 'Trades', 1],
    ] as const) {
      for (const subscribe of [true, false]) {
        methods[`${subscribe ? 'S' : 'Uns'}ubscribe${name}`] = {
          topic,
          subscribe,
          args,
          ...(args ? { check: account } : {}),
        };
      }
    }
    super({ path: o.path, userOf: o.userOf, pingMs: o.pingMs, methods });
    this.payloadShape = o.payloadShape;
  }

  /** Delivers a push to every session subscribed to its topic and account. */
  publish(p: HubPush, owner: string): void {
    const key = p.topic === 'accounts' ? 'accounts' : `${p.topic}:${p.accountId}`;
    const payload = this.payloadShape === 'wrapped' ? { action: p.action, data: p.data } : p.data;
    this.push(key, p.target, [payload], owner);
  }
}
