import {
  HttpTransportType,
  HubConnectionBuilder,
  HubConnectionState,
  LogLevel,
  type HubConnection,
  type ILogger,
} from '@microsoft/signalr';
import { backoffDelay } from '../broker/backoff';
import type { BrokerDeps, ConnectionState } from '../broker/port';

/**
 * One SignalR connection to a gateway hub (`/hubs/user` or `/hubs/market`), kept up by
 * Bourse's own loop: the official client over WebSockets without negotiation, the token both
 * in `access_token` (as the docs show) and as the client's bearer header. Subscriptions do not
 * survive a reconnect, so every connection runs `subscribeAll` again; reconnects use jittered
 * backoff and a fresh token each time (checked over REST after a failed attempt, a new login
 * after a `GatewayLogout`), so a first connection that fails is retried too.
 */

export interface HubLoopOptions {
  /** For logs: which hub this is. */
  name: 'user' | 'market';
  hubUrl: string;
  timeoutMs: number;
  /** Server silence after which the connection counts as lost. */
  serverTimeoutMs: number;
  token(): Promise<string>;
  /** A token checked with the gateway (after a failed attempt). */
  confirmedToken(): Promise<string>;
  relogin(): Promise<string>;
  /** Puts the hub's event handlers on a new connection, before it starts. */
  register(conn: HubConnection): void;
  /** Subscribes a started connection to what it should push; a throw fails the attempt. */
  subscribeAll(conn: HubConnection): Promise<void>;
  /** `connecting`, then `up` once subscribed; `down` (with a redacted reason) when lost. */
  onState(state: ConnectionState, reason?: string): void;
  deps: BrokerDeps;
}

/** The documented bare object, or the `{action, data}` wrapper seen live (§3.8). */
export function unwrap<T>(payload: unknown): T {
  if (payload && typeof payload === 'object' && 'data' in payload && 'action' in payload) {
    return (payload as { data: T }).data;
  }
  return payload as T;
}

/** Hides the token in anything the SignalR client logs (it logs the socket URL). */
export const redact = (text: string): string =>
  text.replace(/access_token=[^&\s]+/g, 'access_token=***').replace(/Bearer \S+/g, 'Bearer ***');

/** The market hub next to a user hub URL (`…/hubs/user` → `…/hubs/market`). */
export function marketHubUrlOf(hubUrl: string): string {
  const trimmed = hubUrl.replace(/\/+$/, '');
  return /\/hubs\/user$/.test(trimmed)
    ? trimmed.replace(/\/hubs\/user$/, '/hubs/market')
    : new URL('/hubs/market', trimmed).toString();
}

export class HubLoop {
  private conn: HubConnection | null = null;
  /** The connection once `subscribeAll` has finished on it. */
  private subscribed: HubConnection | null = null;
  private generation = 0;
  private stopped = false;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private needLogin = false;
  /** The last attempt failed: check the token over REST before the next one. */
  private needCheck = false;

  constructor(private readonly o: HubLoopOptions) {}

  start(): void {
    void this.connect();
  }

  /** The connection when it is up and subscribed, else null. */
  live(): HubConnection | null {
    return this.subscribed && this.subscribed.state === HubConnectionState.Connected
      ? this.subscribed
      : null;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.generation++;
    if (this.timer) clearTimeout(this.timer);
    const conn = this.conn;
    this.conn = null;
    this.subscribed = null;
    await conn?.stop().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const gen = ++this.generation;
    this.o.onState('connecting');
    let conn: HubConnection | null = null;
    try {
      const token = this.needLogin
        ? await this.o.relogin()
        : this.needCheck
          ? await this.o.confirmedToken()
          : await this.o.token();
      this.needLogin = false;
      this.needCheck = false;
      if (gen !== this.generation) return;
      conn = this.build(token);
      conn.onclose((err) => this.lost(gen, err?.message ?? 'the hub closed the connection'));
      this.conn = conn;
      await conn.start();
      if (gen !== this.generation) return void (await conn.stop());
      await this.o.subscribeAll(conn);
      if (gen !== this.generation) return;
      this.attempt = 0;
      this.subscribed = conn;
      this.o.onState('up');
    } catch (e) {
      const reason = redact(e instanceof Error ? e.message : String(e));
      // The client does not say why an upgrade failed (a 401 reads like any other).
      this.needCheck = true;
      this.lost(gen, reason);
      await conn?.stop().catch(() => undefined);
    }
  }

  private build(token: string): HubConnection {
    const url = new URL(this.o.hubUrl);
    url.searchParams.set('access_token', token);
    const conn = new HubConnectionBuilder()
      .withUrl(url.toString(), {
        skipNegotiation: true,
        transport: HttpTransportType.WebSockets,
        accessTokenFactory: () => token,
        timeout: this.o.timeoutMs,
        logger: this.logger(),
      })
      .withServerTimeout(this.o.serverTimeoutMs)
      .withKeepAliveInterval(Math.min(15_000, Math.floor(this.o.serverTimeoutMs / 2)))
      .build();
    this.o.register(conn);
    conn.on('GatewayLogout', () => {
      this.needLogin = true;
      void conn.stop();
    });
    return conn;
  }

  /** A connection (or an attempt) ended: report it once and try again after a pause. */
  private lost(gen: number, reason: string): void {
    if (gen !== this.generation || this.stopped) return;
    this.generation++;
    this.conn = null;
    this.subscribed = null;
    this.o.onState('down', redact(reason));
    const delay = backoffDelay(this.attempt++, {
      baseMs: 500,
      maxMs: 30_000,
      ...(this.o.deps.random ? { random: this.o.deps.random } : {}),
    });
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.connect();
    }, delay);
  }

  private logger(): ILogger {
    const log = this.o.deps.log;
    const hub = this.o.name;
    return {
      log(level: LogLevel, message: string) {
        if (level >= LogLevel.Warning && level !== LogLevel.None) {
          log?.warn({ venue: 'projectx', hub }, redact(message));
        }
      },
    };
  }
}
