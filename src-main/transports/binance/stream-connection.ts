/**
 * One client's connection to the Binance market streams: its subscriptions, its live requests
 * (`SUBSCRIBE`, `UNSUBSCRIBE`, `LIST_SUBSCRIPTIONS`, `SET_PROPERTY`, `GET_PROPERTY`), answered in
 * the order they arrived, and sending with a cap on what a slow reader may leave buffered.
 */
import type { WebSocket } from 'ws';
import type { Logger } from '../../observability/logger';
import type { SymbolMap } from './mapping';
import { wsMessageBudget, type MessageBudget } from '../message-budget';
import {
  StreamRequestError,
  isBookSubscription,
  parseStream,
  type BookSubscription,
  type Subscription,
} from './stream-names';

/** Binance's limit of streams per connection. */
export const MAX_STREAMS = 1024;
/** A client whose send buffer exceeds this is too slow: it is dropped (it reconnects). */
const MAX_BUFFERED = 4 * 1024 * 1024;

export interface Conn {
  socket: WebSocket;
  combined: boolean;
  streams: Map<string, Subscription>;
  /** What each book subscription last received, so an unchanged top is not sent again. */
  lastBook: Map<string, string>;
  /** Requests run one after another: each waits for the one before. */
  queue: Promise<void>;
  budget: MessageBudget;
}

export function newConn(socket: WebSocket, combined: boolean): Conn {
  return {
    socket,
    combined,
    streams: new Map(),
    lastBook: new Map(),
    queue: Promise.resolve(),
    budget: wsMessageBudget(),
  };
}

/** Sends one stream's payload (wrapped as `{stream, data}` on a combined connection). */
export function send(conn: Conn, name: string, payload: unknown): void {
  if (conn.socket.bufferedAmount > MAX_BUFFERED) {
    conn.socket.close(1008, 'too slow');
    return;
  }
  conn.socket.send(JSON.stringify(conn.combined ? { stream: name, data: payload } : payload));
}

/** What a connection needs from the rest of the streams door. */
export interface ConnectionDeps {
  /** The markets by Binance symbol, read when a request names streams. */
  symbols(): Promise<SymbolMap>;
  /** Sends a new book subscription its current snapshot. */
  firstBook(conn: Conn, name: string, sub: BookSubscription): Promise<void>;
  log: Logger;
}

type Request = { method: string; params: unknown[]; id: number | string | null };

function parseRequest(text: string): Request {
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch {
    throw new StreamRequestError(3, 'Invalid JSON: expected a JSON object');
  }
  if (typeof m !== 'object' || m === null || Array.isArray(m)) {
    throw new StreamRequestError(3, 'Invalid JSON: expected a JSON object');
  }
  const r = m as Record<string, unknown>;
  const id = r.id ?? null;
  const idOk =
    id === null ||
    (typeof id === 'number' && Number.isSafeInteger(id)) ||
    (typeof id === 'string' && /^[A-Za-z0-9]{1,36}$/.test(id));
  if (!idOk) {
    throw new StreamRequestError(2, 'Invalid request: request ID must be an unsigned integer');
  }
  if (typeof r.method !== 'string')
    throw new StreamRequestError(2, 'Invalid request: missing field `method`');
  const params = r.params ?? [];
  if (!Array.isArray(params))
    throw new StreamRequestError(2, 'Invalid request: `params` must be an array');
  return { method: r.method, params, id: id as Request['id'] };
}

/**
 * Subscribes, all or nothing. Returns what sends each new book subscription its current
 * snapshot — run after the request's answer, which Binance sends before any data.
 */
async function subscribe(
  conn: Conn,
  names: readonly unknown[],
  deps: ConnectionDeps,
): Promise<() => Promise<void>> {
  if (!names.every((n): n is string => typeof n === 'string')) {
    throw new StreamRequestError(2, 'Invalid request: stream names must be strings');
  }
  // The cap first: a request past it is refused before any name is parsed.
  const total = new Set([...conn.streams.keys(), ...names]).size;
  if (total > MAX_STREAMS) {
    throw new StreamRequestError(
      4,
      `Too many subscriptions: at most ${MAX_STREAMS} streams per connection`,
    );
  }
  const map = await deps.symbols();
  const parsed = names.map((n) => [n, parseStream(n, map)] as const);
  for (const [name, sub] of parsed) conn.streams.set(name, sub);
  return async () => {
    for (const [name, sub] of parsed) {
      if (isBookSubscription(sub)) await deps.firstBook(conn, name, sub);
    }
  };
}

/** The request's result, and what to send after it (a subscription's first snapshots). */
async function answer(
  conn: Conn,
  req: Request,
  deps: ConnectionDeps,
): Promise<{ result: unknown; afterwards?: () => Promise<void> }> {
  switch (req.method) {
    case 'SUBSCRIBE':
      return { result: null, afterwards: await subscribe(conn, req.params, deps) };
    case 'UNSUBSCRIBE':
      for (const n of req.params) {
        if (typeof n === 'string') {
          conn.streams.delete(n);
          conn.lastBook.delete(n);
        }
      }
      return { result: null };
    case 'LIST_SUBSCRIPTIONS':
      return { result: [...conn.streams.keys()] };
    case 'SET_PROPERTY': {
      if (req.params[0] !== 'combined') throw new StreamRequestError(0, 'Unknown property');
      if (typeof req.params[1] !== 'boolean')
        throw new StreamRequestError(1, 'Invalid value type: expected Boolean');
      conn.combined = req.params[1];
      return { result: null };
    }
    case 'GET_PROPERTY':
      if (req.params[0] !== 'combined') throw new StreamRequestError(0, 'Unknown property');
      return { result: conn.combined };
    default:
      throw new StreamRequestError(
        2,
        `Invalid request: unknown variant ${req.method}, expected one of SUBSCRIBE, UNSUBSCRIBE, LIST_SUBSCRIPTIONS, SET_PROPERTY, GET_PROPERTY`,
      );
  }
}

/** Answers one request frame: `{result, id}`, or `{code, msg, id}` when it is refused. */
async function handleRequest(conn: Conn, text: string, deps: ConnectionDeps): Promise<void> {
  let id: Request['id'] = null;
  try {
    const req = parseRequest(text);
    id = req.id;
    const { result, afterwards } = await answer(conn, req, deps);
    conn.socket.send(JSON.stringify({ result, id }));
    await afterwards?.();
  } catch (err) {
    const e = err instanceof StreamRequestError ? err : new StreamRequestError(2, 'Internal error');
    if (!(err instanceof StreamRequestError))
      deps.log.warn({ err }, 'binance streams: request failed');
    conn.socket.send(JSON.stringify({ code: e.code, msg: e.message, id }));
  }
}

/** A close frame's reason is at most 123 bytes of UTF-8. */
function closeReason(text: string): string {
  let out = text;
  while (Buffer.byteLength(out) > 123) out = out.slice(0, -1);
  return out;
}

/**
 * Serves a connection: subscribes the streams named in its URL, then answers its requests in
 * order. Streams named in the URL must all exist: Binance refuses the connection otherwise.
 */
export function serveConnection(conn: Conn, initial: string[], deps: ConnectionDeps): void {
  conn.queue = subscribe(conn, initial, deps)
    .then((sendSnapshots) => sendSnapshots())
    .catch((err: unknown) => {
      const text = err instanceof StreamRequestError ? err.message : 'Internal error';
      conn.socket.close(1008, closeReason(text));
    });
  conn.socket.on('message', (data) => {
    if (!conn.budget.take()) {
      conn.socket.close(1008, 'too many messages');
      return;
    }
    conn.queue = conn.queue.then(() => handleRequest(conn, data.toString(), deps));
  });
}
