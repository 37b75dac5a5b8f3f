import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema } from 'fastify';
import { AppError } from '../../../src-shared/contract';
import { compileValidator } from '../../operations/validation';
import { toProblem } from '../http/problem';
import { RequestBudget } from '../http/rate-limit';
import {
  AckSchema,
  HeartbeatSchema,
  PollSchema,
  type AckWire,
  type HeartbeatWire,
  type PollWire,
  type ResultWire,
} from './schema';

/**
 * What the routes need of the bridge hub (`connectors/metatrader/hub.ts` provides it; a
 * transport sees connectors only through this shape).
 */
export interface BridgeHubPort {
  heartbeat(accountId: string, hb: HeartbeatWire): void;
  /**
   * The next commands; when none is ready, held up to `waitMs` (long-poll). Null: the client
   * went away (`signal` aborted) and nothing was handed out. `beforeLease` runs after a wait,
   * before any command is handed out, and may throw to refuse.
   */
  longPoll(
    accountId: string,
    o: {
      max?: number | undefined;
      waitMs?: number | undefined;
      signal?: AbortSignal | undefined;
      beforeLease?: (() => void) | undefined;
    },
  ): Promise<unknown[] | null>;
  /** Answers every held poll at once (the server is closing). */
  release(): void;
  /** Resolves once every change made so far is on disk (awaited before results or a heartbeat are answered). */
  durable(): Promise<void>;
  ack(accountId: string, id: string, result: ResultWire): 'recorded' | 'duplicate' | 'unknown';
}

export interface BridgeRouteDeps {
  hub: BridgeHubPort;
  /** The account whose bridge token this is (by its SHA-256), or null. */
  accountForToken(token: string): string | null;
  now?: () => number;
  /** Requests per minute per client address, counted before any token lookup (default 1200). */
  perMinute?: number;
  /** Wrong tokens per minute per address before the address is refused outright (default 10). */
  failuresPerMinute?: number;
}

/** Tokens are `mtb_` + 43 base64url characters; anything unlike a token is refused unread. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{16,200}$/;

const validHeartbeat = compileValidator(HeartbeatSchema);
const validPoll = compileValidator(PollSchema);
const validAck = compileValidator(AckSchema);

function bearerOf(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  const m = typeof h === 'string' ? /^Bearer\s+(\S+)$/i.exec(h) : null;
  return m?.[1];
}

function sendProblem(reply: FastifyReply, req: FastifyRequest, err: unknown) {
  const problem = toProblem(err, req.id);
  const retry = (problem.details as { retryAfterMs?: unknown } | undefined)?.retryAfterMs;
  if (problem.status === 429 && typeof retry === 'number') {
    reply.header('retry-after', String(Math.max(1, Math.ceil(retry / 1000))));
  }
  return reply
    .status(problem.status)
    .type('application/problem+json')
    .send(JSON.stringify(problem));
}

/**
 * The MetaTrader bridge door: `POST /bridge/mt/v1/heartbeat`, `/poll` and `/ack`, called by
 * the Bourse Bridge EA over `WebRequest` with `Authorization: Bearer <bridge token>`. Every
 * request is counted per client address before its token is looked at; an address that sent
 * too many wrong tokens is refused before any lookup. A wrong token answers 401 and nothing
 * from its body is read or stored. Bodies are validated strictly (400 `validation_failed`
 * naming the field).
 */
export function registerBridgeRoutes(app: FastifyInstance, deps: BridgeRouteDeps): void {
  const now = deps.now ?? Date.now;
  const budget = new RequestBudget(deps.perMinute ?? 1200, now);
  const failures = new Map<string, { start: number; count: number }>();
  const failLimit = deps.failuresPerMinute ?? 10;

  const authenticate = (req: FastifyRequest): string => {
    const address = req.socket.remoteAddress ?? req.ip;
    budget.take(`bridge:${address}`);
    const t = now();
    let f = failures.get(address);
    if (f && t - f.start >= 60_000) failures.delete(address);
    f = failures.get(address);
    if (f && f.count >= failLimit) {
      throw new AppError('rate_limited', 'Too many wrong bridge tokens: wait a minute', {
        retryAfterMs: f.start + 60_000 - t,
      });
    }
    const token = bearerOf(req);
    const accountId = token && TOKEN_SHAPE.test(token) ? deps.accountForToken(token) : null;
    if (accountId) return accountId;
    if (failures.size > 10_000) failures.clear();
    failures.set(address, { start: f?.start ?? t, count: (f?.count ?? 0) + 1 });
    throw new AppError(
      'unauthenticated',
      'Unknown bridge token: copy it again from Bourse (Accounts → MetaTrader → EA setup)',
    );
  };

  /**
   * Results and heartbeats are on disk before the EA is answered (their commits are synced
   * off the event loop). A failed sync answers 503 and the EA sends the same again: results
   * and heartbeats are idempotent. Commands are handed out only once synced (the hub's
   * `longPoll` waits for that).
   */
  const durable = async () => {
    try {
      await deps.hub.durable();
    } catch {
      throw new AppError('unavailable', 'Bourse could not store this on disk; send it again');
    }
  };

  /**
   * A poll held for a while is re-checked before it takes a lease: the token may have been
   * revoked meanwhile (account disabled or deleted). Not a guess, so not counted as one.
   */
  const stillValid = (req: FastifyRequest, accountId: string) => () => {
    const token = bearerOf(req);
    if (!token || deps.accountForToken(token) !== accountId) {
      throw new AppError('unauthenticated', 'The bridge token was revoked while the poll waited');
    }
  };

  void app.register(async (scope) => {
    const callers = new WeakMap<FastifyRequest, string>();
    scope.setErrorHandler((err, req, reply) => sendProblem(reply, req, err));
    // Before the body is read: a wrong token costs no parsing, and its body is never looked at.
    scope.addHook('onRequest', async (req) => {
      callers.set(req, authenticate(req));
    });
    // Held polls answer (empty) at once, or closing would wait for them; their connections
    // close after the answer (the server only closes connections idle when it starts closing).
    let closing = false;
    scope.addHook('preClose', (done) => {
      closing = true;
      deps.hub.release();
      done();
    });
    const route = <B>(
      path: string,
      bodyLimit: number,
      validate: (v: unknown) => void,
      handle: (accountId: string, body: B, req: FastifyRequest, reply: FastifyReply) => unknown,
    ) =>
      scope.post(path, { bodyLimit, schema: bridgeRouteDoc(path) }, async (req, reply) => {
        const accountId = callers.get(req);
        if (!accountId) throw new AppError('unauthenticated', 'Unknown bridge token');
        validate(req.body);
        return reply.send(await handle(accountId, req.body as B, req, reply));
      });

    route<HeartbeatWire>(
      '/bridge/mt/v1/heartbeat',
      1024 * 1024,
      validHeartbeat,
      async (id, body) => {
        deps.hub.heartbeat(id, body);
        await durable();
        return { ok: true, serverTime: now() };
      },
    );
    const acknowledge = (id: string, results: AckWire['results']) =>
      results.map((r) => ({ id: r.id, status: deps.hub.ack(id, r.id, r.result) }));
    // A heartbeat (up to 1 MB) may ride on the poll (EA 1.3), with up to 256 KB of results.
    route<PollWire>('/bridge/mt/v1/poll', 1280 * 1024, validPoll, async (id, body, req, reply) => {
      // Results first: the commands they finish no longer block the ones after them. Then the
      // heartbeat, which the EA took after running them (so it shows their fills).
      const acked = body.results ? acknowledge(id, body.results) : undefined;
      if (body.heartbeat) deps.hub.heartbeat(id, body.heartbeat);
      // Their sync starts now and is awaited before the answer: a held poll does not wait on
      // the disk for commits made during its wait.
      const stored = acked || body.heartbeat ? durable() : undefined;
      stored?.catch(() => undefined);
      // The client going away ends a held poll: no lease is taken for an answer nobody reads.
      const gone = new AbortController();
      const onClose = () => {
        if (!reply.raw.writableFinished) gone.abort();
      };
      reply.raw.on('close', onClose);
      try {
        const commands = await deps.hub.longPoll(id, {
          max: body.max,
          waitMs: body.waitMs,
          signal: gone.signal,
          beforeLease: stillValid(req, id),
        });
        await stored;
        if (closing) void reply.header('connection', 'close');
        return { serverTime: now(), commands: commands ?? [], ...(acked ? { acked } : {}) };
      } finally {
        reply.raw.off('close', onClose);
      }
    });
    route<AckWire>('/bridge/mt/v1/ack', 256 * 1024, validAck, async (id, body) => {
      const results = acknowledge(id, body.results);
      await durable();
      return { results };
    });
  });
}

/**
 * What the OpenAPI document says of a bridge route. Documentation only: bodies are validated
 * by the handlers (strict TypeBox checks naming the field), not by Fastify.
 */
function bridgeRouteDoc(path: string): FastifySchema {
  const what: Record<string, string> = {
    '/bridge/mt/v1/heartbeat': "The EA's terminal, account, positions, orders and recent deals",
    '/bridge/mt/v1/poll':
      'The next commands for the EA, in order (a command not acknowledged is handed out again); with `waitMs`, held until a command is queued (long-poll); with `results`, those are acknowledged first (answered in `acked`, as `/ack` answers); with `heartbeat`, it is stored after them as `/heartbeat` stores it',
    '/bridge/mt/v1/ack':
      'Results of commands the EA executed (a second report of an id is ignored)',
  };
  return {
    summary: what[path] ?? path,
    tags: ['MetaTrader bridge'],
    description:
      'Called by the Bourse Bridge EA over WebRequest with `Authorization: Bearer <bridge token>` (docs/brokers/metatrader.md).',
    // Not a catalogue operation: the account's bridge token is the credential.
    'x-permission': 'bridge-token',
  } as unknown as FastifySchema;
}
