import {
  catalogue,
  httpRouteOf,
  isErrorBody,
  type ErrorBody,
  type OperationSpec,
  type StreamMessage,
} from '../../../src-shared/contract';
import { StreamRefs } from '../../../src-shared/stream-refs';

/** How the client reaches the backend: the preload bridge (desktop) or HTTP + WebSocket. */
export interface Transport {
  readonly kind: 'ipc' | 'http';
  call(name: string, input: unknown, token?: string): Promise<unknown>;
  subscribe(streams: string[], handler: (m: StreamMessage) => void, token?: string): () => void;
  /** The session's access token changed (refresh, sign-out): live streams carry on with it. */
  setToken?(token: string | undefined): void;
}

/** An error answered by the backend, with its stable code. */
export class ClientError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ClientError';
  }
}

function toClientError(body: ErrorBody, status?: number): ClientError {
  return new ClientError(body.code, body.message, body.details, status);
}

interface Bridge {
  call(name: string, input: unknown, token?: string): Promise<unknown>;
  subscribe(streams: string[], handler: (m: StreamMessage) => void, token?: string): () => void;
}

/** Inside Electron: the typed bridge exposed by the preload. */
export function bridgeTransport(bridge: Bridge): Transport {
  return {
    kind: 'ipc',
    async call(name, input, token) {
      try {
        return await bridge.call(name, input, token);
      } catch (err) {
        // Electron passes only the message of a rejection; the main process put the body there.
        const text = err instanceof Error ? err.message : String(err);
        const json = text.slice(text.indexOf('{'));
        try {
          const body: unknown = JSON.parse(json);
          if (isErrorBody(body)) throw toClientError(body);
        } catch (inner) {
          if (inner instanceof ClientError) throw inner;
        }
        throw new ClientError('internal', text);
      }
    },
    subscribe: (streams, handler, token) => bridge.subscribe(streams, handler, token),
  };
}

const specs = new Map<string, OperationSpec>(catalogue.map((s) => [s.name, s as OperationSpec]));

function buildRequest(spec: OperationSpec, input: Record<string, unknown>) {
  const { method, path } = httpRouteOf(spec);
  const rest = { ...input };
  const url = path.replace(/:([A-Za-z0-9_]+)/g, (_m, key: string) => {
    const value = rest[key];
    delete rest[key];
    return encodeURIComponent(String(value));
  });
  if (method === 'GET') {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(rest)) if (v !== undefined) qs.set(k, String(v));
    const q = qs.toString();
    return { method, url: `/api/v1${url}${q ? `?${q}` : ''}`, body: undefined };
  }
  return { method, url: `/api/v1${url}`, body: JSON.stringify(rest) };
}

/** In a browser against the headless server: REST for calls, one WebSocket for streams. */
export function httpTransport(baseUrl: string, wsUrl: string): Transport {
  const streams = new StreamSocket(wsUrl);
  return {
    kind: 'http',
    async call(name, input, token) {
      const spec = specs.get(name);
      if (!spec) throw new ClientError('unknown_operation', `No operation named "${name}"`);
      const req = buildRequest(spec, (input ?? {}) as Record<string, unknown>);
      const headers: Record<string, string> = {};
      if (req.body !== undefined) headers['content-type'] = 'application/json';
      if (token) headers.authorization = `Bearer ${token}`;
      const res = await fetch(baseUrl + req.url, { method: req.method, headers, body: req.body });
      const body: unknown = await res.json().catch(() => null);
      if (!res.ok) {
        if (isErrorBody(body)) throw toClientError(body, res.status);
        // problem+json (RFC 9457): `detail` is the message; `details` (the field at fault…) stays.
        const problem = body as { code?: string; detail?: string; details?: unknown } | null;
        throw new ClientError(
          problem?.code ?? 'internal',
          problem?.detail ?? res.statusText,
          problem?.details,
          res.status,
        );
      }
      return body;
    },
    subscribe: (names, handler, token) => streams.subscribe(names, handler, token),
    setToken: (token) => streams.setToken(token),
  };
}

type Handler = (m: StreamMessage) => void;

/**
 * One reconnecting WebSocket shared by every subscription of the page. It is authenticated
 * with the session's current access token, sent again whenever the session refreshes it: the
 * server closes a connection whose token expires (`WS_CLOSE.tokenExpired`).
 */
export class StreamSocket {
  private socket?: WebSocket;
  private readonly subs = new Map<Handler, string[]>();
  private readonly refs = new StreamRefs();
  private token?: string;
  private retry = 0;

  constructor(
    private readonly url: string,
    private readonly open: (url: string) => WebSocket = (u) => new WebSocket(u),
  ) {}

  subscribe(streams: string[], handler: Handler, token?: string): () => void {
    if (token !== undefined && token !== this.token) this.setToken(token);
    this.subs.set(handler, streams);
    this.refs.add(streams);
    this.ensure();
    this.send({ op: 'subscribe', streams });
    return () => {
      if (!this.subs.delete(handler)) return;
      const unwanted = this.refs.remove(streams);
      if (unwanted.length) this.send({ op: 'unsubscribe', streams: unwanted });
    };
  }

  /** A refreshed token re-authenticates the live connection before the old one expires. */
  setToken(token: string | undefined): void {
    this.token = token;
    if (token) this.send({ op: 'auth', token });
  }

  private ensure(): void {
    if (this.socket && this.socket.readyState <= this.socket.OPEN) return;
    const socket = this.open(this.url);
    this.socket = socket;
    socket.onopen = () => {
      this.retry = 0;
      if (this.token) this.send({ op: 'auth', token: this.token });
      for (const streams of this.subs.values()) this.send({ op: 'subscribe', streams });
    };
    socket.onmessage = (e) => {
      const msg = JSON.parse(String(e.data)) as StreamMessage & { op?: string };
      if (msg.op || !msg.stream) return;
      for (const [handler, streams] of this.subs) if (streams.includes(msg.stream)) handler(msg);
    };
    socket.onclose = () => {
      if (this.subs.size === 0) return;
      const delay = Math.min(10_000, 250 * 2 ** this.retry++);
      setTimeout(() => this.ensure(), delay);
    };
  }

  private send(message: object): void {
    const socket = this.socket;
    if (socket && socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  }
}
