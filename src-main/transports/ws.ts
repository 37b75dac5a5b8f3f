import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import {
  AppError,
  MAX_STREAMS_PER_CONNECTION,
  WS_CLOSE,
  isKnownStream,
  marketOfStream,
  type OperationOutput,
} from '../../src-shared/contract';
import type { BackendConfig } from '../config';
import { mayReceive } from '../events/audience';
import type { EventHub } from '../events/hub';
import type { Authenticator } from '../operations/auth';
import { ANONYMOUS, expiryOf, type Principal, userIdOf } from '../operations/principal';
import type { Logger } from '../observability/logger';
import { newCorrelationId } from '../observability/context';
import type { OperationRegistry } from '../operations/registry';
import { isAllowedOrigin } from './http/local-surface';
import { wsMessageBudget, type MessageBudget } from './message-budget';

export interface WsDeps {
  config: BackendConfig;
  hub: EventHub;
  authenticator: Authenticator;
  /** For the list of markets, which per-market stream names must name. */
  registry: OperationRegistry;
  log: Logger;
}

/** Control over live connections: identity closes a user's sockets when sessions end. */
export interface WsServerHandle {
  count(): number;
  /** Closes connections whose principal matches, with a reason the client sees. */
  closeWhere(match: (principal: Principal) => boolean, reason: string): number;
  closeAll(reason: string): void;
}

interface Conn {
  socket: WebSocket;
  principal: Principal;
  /** When the token behind `principal` expires (ms); a new `auth` moves it. */
  expiresAt?: number;
  streams: Set<string>;
  /** Messages are handled one after another: an `auth` completes before the next subscribe. */
  queue: Promise<void>;
  budget: MessageBudget;
}

/** A client whose send buffer exceeds this is too slow: drop it and let it resync. */
const MAX_BUFFERED = 4 * 1024 * 1024;
/** How often live connections are re-checked against revocations (≤ 1 s as promised). */
const REVALIDATE_MS = 500;

type ClientMessage =
  | { op: 'auth'; token: string }
  | { op: 'subscribe'; streams: string[] }
  | { op: 'unsubscribe'; streams: string[] }
  | { op: 'ping' };

function parseMessage(text: string): ClientMessage {
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch {
    throw new AppError('bad_request', 'Messages are JSON objects');
  }
  const m = msg as Record<string, unknown>;
  if (typeof m !== 'object' || m === null || typeof m.op !== 'string') {
    throw new AppError('validation_failed', 'A message needs an "op"');
  }
  if (m.op === 'auth' && typeof m.token === 'string') return m as ClientMessage;
  if (m.op === 'ping') return { op: 'ping' };
  if ((m.op === 'subscribe' || m.op === 'unsubscribe') && Array.isArray(m.streams)) {
    const ok =
      m.streams.length <= 100 && m.streams.every((s) => typeof s === 'string' && s.length <= 100);
    if (ok) return m as ClientMessage;
  }
  throw new AppError('validation_failed', `Unknown or malformed op "${String(m.op)}"`);
}

function send(conn: Conn, payload: unknown): void {
  if (conn.socket.bufferedAmount > MAX_BUFFERED) {
    conn.socket.close(WS_CLOSE.tooSlow, 'too slow: resubscribe and resync from a snapshot');
    return;
  }
  conn.socket.send(JSON.stringify(payload));
}

/** Forwards hub messages to the connections subscribed (and allowed) to their stream. */
function fanOut(hub: EventHub, conns: ReadonlySet<Conn>): () => void {
  return hub.subscribe(
    (msg) => {
      let frame: string | undefined;
      for (const conn of conns) {
        if (!conn.streams.has(msg.stream) || !mayReceive(conn.principal, msg)) continue;
        frame ??= JSON.stringify({ stream: msg.stream, seq: msg.seq, data: msg.data });
        if (conn.socket.bufferedAmount > MAX_BUFFERED)
          conn.socket.close(WS_CLOSE.tooSlow, 'too slow');
        else conn.socket.send(frame);
      }
    },
    (stream) => {
      for (const conn of conns) if (conn.streams.has(stream)) return true;
      return false;
    },
  );
}

function expired(conn: Conn, now: () => number): boolean {
  return conn.expiresAt !== undefined && now() >= conn.expiresAt;
}

/** The client sees why first (an error it can act on), then the close. */
function endExpired(conn: Conn): void {
  if (conn.socket.readyState !== conn.socket.OPEN) return;
  send(conn, {
    op: 'error',
    code: 'token_expired',
    message: 'The token expired: send {"op":"auth"} with a fresh one before it does',
  });
  conn.socket.close(WS_CLOSE.tokenExpired, 'token expired');
}

/**
 * Re-checks live connections every REVALIDATE_MS: an expired token ends its connection, a
 * revoked session or key closes it. Returns the function that stops the checks.
 */
function watchAuth(deps: WsDeps, conns: ReadonlySet<Conn>): () => void {
  const revalidate = setInterval(() => {
    const check = deps.authenticator.stillValid;
    for (const conn of conns) {
      if (expired(conn, deps.config.now)) endExpired(conn);
      else if (check && conn.principal.kind !== 'anonymous' && !check(conn.principal)) {
        conn.socket.close(WS_CLOSE.sessionEnded, 'session ended');
      }
    }
  }, REVALIDATE_MS);
  revalidate.unref();
  return () => clearInterval(revalidate);
}

/** The markets that exist now (per-market streams must name one), read through the catalogue. */
async function marketsNow(deps: WsDeps): Promise<Set<string>> {
  const ctx = {
    principal: ANONYMOUS,
    correlationId: newCorrelationId(),
    door: 'ws' as const,
    log: deps.log,
  };
  const out = (await deps.registry.invoke(
    'markets.list',
    {},
    ctx,
  )) as OperationOutput<'markets.list'>;
  return new Set(out.items.map((m) => m.symbol));
}

/** Refuses the whole request unless every name is served and the total stays under the cap. */
async function checkSubscribe(deps: WsDeps, conn: Conn, streams: string[]): Promise<void> {
  const known = streams.some((s) => marketOfStream(s) !== undefined)
    ? await marketsNow(deps)
    : new Set<string>();
  const unknown = streams.filter((s) => !isKnownStream(s, known));
  if (unknown.length > 0) {
    throw new AppError('unknown_stream', `No such stream: ${unknown.slice(0, 5).join(', ')}`, {
      streams: unknown.slice(0, 20),
    });
  }
  const total = new Set([...conn.streams, ...streams]).size;
  if (total > MAX_STREAMS_PER_CONNECTION) {
    throw new AppError(
      'too_many_subscriptions',
      `At most ${MAX_STREAMS_PER_CONNECTION} streams per connection: unsubscribe some first`,
      { limit: MAX_STREAMS_PER_CONNECTION },
    );
  }
}

/** Subscribes or unsubscribes, answering with each stream's current seq to resync from. */
async function changeSubscriptions(
  deps: WsDeps,
  conn: Conn,
  msg: Extract<ClientMessage, { streams: string[] }>,
): Promise<void> {
  if (msg.op === 'subscribe') await checkSubscribe(deps, conn, msg.streams);
  for (const s of msg.streams) {
    if (msg.op === 'subscribe') conn.streams.add(s);
    else conn.streams.delete(s);
  }
  const uid = userIdOf(conn.principal);
  const seqs = Object.fromEntries(
    msg.streams.map((s) => [s, Math.max(deps.hub.seqOf(s), uid ? deps.hub.seqOf(s, uid) : 0)]),
  );
  send(conn, {
    op: msg.op === 'subscribe' ? 'subscribed' : 'unsubscribed',
    streams: msg.streams,
    seqs,
  });
}

async function handleMessage(deps: WsDeps, conn: Conn, text: string): Promise<void> {
  const msg = parseMessage(text);
  // A late refresh is still a refresh; anything else on an expired connection ends it.
  if (msg.op !== 'auth' && expired(conn, deps.config.now)) return endExpired(conn);
  if (msg.op === 'ping') return send(conn, { op: 'pong' });
  if (msg.op === 'auth') {
    const principal = await deps.authenticator.fromToken(msg.token);
    conn.principal = principal;
    conn.expiresAt = expiryOf(principal);
    return send(conn, { op: 'auth', ok: true });
  }
  return changeSubscriptions(deps, conn, msg);
}

/** A new connection (origin already checked): its messages are handled one after another. */
function accept(deps: WsDeps, conns: Set<Conn>, socket: WebSocket): void {
  const conn: Conn = {
    socket,
    principal: ANONYMOUS,
    streams: new Set(),
    queue: Promise.resolve(),
    budget: wsMessageBudget(),
  };
  conns.add(conn);
  socket.on('close', () => conns.delete(conn));
  socket.on('message', (data) => {
    if (!conn.budget.take()) {
      socket.close(WS_CLOSE.tooManyMessages, 'too many messages');
      return;
    }
    conn.queue = conn.queue
      .then(() => handleMessage(deps, conn, data.toString()))
      .catch((err: unknown) => {
        const e = err instanceof AppError ? err : new AppError('internal', 'Internal error');
        send(conn, { op: 'error', code: e.code, message: e.message });
      });
  });
}

/**
 * `/ws`: subscribe to streams, authenticate with a token for private ones. Messages are
 * `{stream, seq, data}`; `seq` is per channel, so a gap means "fetch a snapshot and resync".
 */
export function registerWebSocket(app: FastifyInstance, deps: WsDeps): WsServerHandle {
  const conns = new Set<Conn>();
  const unsubscribeHub = fanOut(deps.hub, conns);
  const stopWatching = watchAuth(deps, conns);
  app.addHook('onClose', async () => {
    stopWatching();
    unsubscribeHub();
  });

  app.get('/ws', { websocket: true, schema: { hide: true } }, (socket, req) => {
    if (!isAllowedOrigin(req.headers.origin, req.headers.host, deps.config.allowedOrigins)) {
      socket.close(WS_CLOSE.originNotAllowed, 'origin not allowed');
      return;
    }
    accept(deps, conns, socket);
  });

  return {
    count: () => conns.size,
    closeWhere(match, reason) {
      let n = 0;
      for (const conn of conns) {
        if (match(conn.principal)) {
          conn.socket.close(WS_CLOSE.sessionEnded, reason);
          n++;
        }
      }
      return n;
    },
    closeAll(reason) {
      for (const conn of conns) conn.socket.close(1001, reason);
    },
  };
}
