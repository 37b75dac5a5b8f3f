/**
 * Binance-compatible market streams: the WebSocket half of the `/api/v3` facade, so a bot that
 * reads Binance's public streams (python-binance, binance-connector, hand-written clients) reads
 * Bourse's markets by changing its stream base URL to `ws://127.0.0.1:8420/binance/`.
 * Written from Binance's spot WebSocket streams documentation
 * (https://developers.binance.com/docs/binance-spot-api-docs/web-socket-streams):
 *
 * - raw streams at `/binance/ws/<stream>[/<stream>…]` (each payload as is), combined streams at
 *   `/binance/stream?streams=<stream>/<stream>` (`{"stream", "data"}`), and `/binance/ws` or
 *   `/binance/ws/<connection label>` (any segment without `@`, as CCXT Pro opens) with nothing
 *   subscribed yet;
 * - live requests `SUBSCRIBE`, `UNSUBSCRIBE`, `LIST_SUBSCRIPTIONS`, `SET_PROPERTY` and
 *   `GET_PROPERTY` (`combined`), answered `{"result", "id"}` or `{"code", "msg", "id"}`;
 * - the all-market `!ticker@arr` / `!miniTicker@arr` (each market's ticker as it changes, an
 *   array of one), and streams `<symbol>@trade`, `@aggTrade`, `@kline_<1m|5m|15m|1h|4h|1d>`,
 *   `@bookTicker`, `@depth<5|10|20>` (optionally `@100ms`/`@1000ms`), `@ticker`, `@miniTicker`,
 *   and the diff depth `@depth` / `@depth@100ms`: `depthUpdate` events whose `U`/`u` are the
 *   market's engine event seq, the id space of `/api/v3/depth`'s `lastUpdateId`, so Binance's documented way
 *   to keep a local book (buffer events, fetch a snapshot, drop `u <= lastUpdateId`, apply the
 *   rest checking `U == previous u + 1`) works. Updates are pushed per committed batch, not
 *   gathered over 100 ms or 1 s: sooner than Binance, never later.
 *
 * A door like the WebSocket one: it listens to the event hub's public market-data channels and
 * reads snapshots through catalogue operations (`markets.list`, `marketData.depth`), never the
 * services. This file wires the door: the stream names are parsed in stream-names.ts, each
 * stream's payload is encoded in stream-events.ts, a client's requests are answered in
 * stream-connection.ts and book snapshots are read in stream-books.ts.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { OperationName, OperationOutput } from '../../../src-shared/contract';
import type { BackendConfig } from '../../config';
import type { EventHub, Published } from '../../events/hub';
import type { OperationContext } from '../../operations/context';
import { ANONYMOUS } from '../../operations/principal';
import type { OperationRegistry } from '../../operations/registry';
import { newCorrelationId } from '../../observability/context';
import type { Logger } from '../../observability/logger';
import { isAllowedOrigin } from '../http/local-surface';
import { SymbolMap } from './mapping';
import { BookSnapshots } from './stream-books';
import {
  newConn,
  send,
  serveConnection,
  type Conn,
  type ConnectionDeps,
} from './stream-connection';
import { liveEvent } from './stream-events';
import { channelOf, isBookSubscription } from './stream-names';

export const BINANCE_STREAMS_PREFIX = '/binance';

export interface BinanceStreamsDeps {
  config: BackendConfig;
  hub: EventHub;
  registry: OperationRegistry;
  log: Logger;
  now: () => number;
}

/** Registers `/binance/ws` and `/binance/stream` (closed with the server). */
export function registerBinanceStreams(app: FastifyInstance, deps: BinanceStreamsDeps): void {
  const conns = new Set<Conn>();
  const invoke = operationsFor(deps);
  const books = new BookSnapshots(
    (symbol) => invoke('marketData.depth', { symbol, depth: 20 }),
    conns,
    deps.log,
  );
  const connection: ConnectionDeps = {
    symbols: async () => new SymbolMap((await invoke('markets.list', {})).items),
    firstBook: (conn, name, sub) => books.first(conn, name, sub),
    log: deps.log,
  };

  const unsubscribeHub = deps.hub.subscribe(
    (msg) => fanOut(conns, books, msg, deps.now()),
    (channel) => {
      for (const conn of conns)
        for (const sub of conn.streams.values()) if (channelOf(sub) === channel) return true;
      return false;
    },
  );
  app.addHook('onClose', async () => {
    unsubscribeHub();
    for (const conn of conns) conn.socket.close(1001, 'server shutting down');
  });

  const open = (socket: WebSocket, req: FastifyRequest, combined: boolean, initial: string[]) => {
    if (!isAllowedOrigin(req.headers.origin, req.headers.host, deps.config.allowedOrigins)) {
      socket.close(4003, 'origin not allowed');
      return;
    }
    const conn = newConn(socket, combined);
    conns.add(conn);
    socket.on('close', () => conns.delete(conn));
    serveConnection(conn, initial, connection);
  };
  registerRoutes(app, open);
}

/** Catalogue calls as an anonymous caller on the WebSocket door. */
function operationsFor(deps: BinanceStreamsDeps) {
  const ctx = (): OperationContext => ({
    principal: ANONYMOUS,
    correlationId: newCorrelationId(),
    door: 'ws',
    log: deps.log.child({ door: 'binance-ws' }),
  });
  return <N extends OperationName>(name: N, input: object) =>
    deps.registry.invoke(name, input, ctx()) as Promise<OperationOutput<N>>;
}

/** Sends a hub event to every stream it feeds; a changed book is read once for all of them. */
function fanOut(conns: ReadonlySet<Conn>, books: BookSnapshots, msg: Published, now: number): void {
  let bookSymbol: string | undefined;
  for (const conn of conns) {
    for (const [name, sub] of conn.streams) {
      if (channelOf(sub) !== msg.stream) continue;
      if (isBookSubscription(sub)) {
        bookSymbol = sub.market.symbol;
        continue;
      }
      const payload = liveEvent(sub, msg, now);
      if (payload !== undefined) send(conn, name, payload);
    }
  }
  if (bookSymbol !== undefined) books.refresh(bookSymbol);
}

type Open = (socket: WebSocket, req: FastifyRequest, combined: boolean, initial: string[]) => void;

function registerRoutes(app: FastifyInstance, open: Open): void {
  const namesIn = (text: string): string[] => text.split('/').filter((s) => s !== '');
  /**
   * A path segment without `@` names no stream: it is a connection label (CCXT Pro opens
   * `/ws/<connection index>` and then sends SUBSCRIBE), accepted as Binance accepts it, and the
   * connection waits for requests. A segment with `@` must be a stream Bourse serves.
   */
  const streamsInPath = (text: string): string[] => namesIn(text).filter((s) => s.includes('@'));
  app.get(
    `${BINANCE_STREAMS_PREFIX}/ws`,
    { websocket: true, schema: { hide: true } },
    (socket, req) => open(socket, req, false, []),
  );
  app.get(
    `${BINANCE_STREAMS_PREFIX}/ws/*`,
    { websocket: true, schema: { hide: true } },
    (socket, req) => open(socket, req, false, streamsInPath((req.params as { '*': string })['*'])),
  );
  app.get(
    `${BINANCE_STREAMS_PREFIX}/stream`,
    { websocket: true, schema: { hide: true } },
    (socket, req) =>
      open(socket, req, true, namesIn(String((req.query as { streams?: string }).streams ?? ''))),
  );
}
