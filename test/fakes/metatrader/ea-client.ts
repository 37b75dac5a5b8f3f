import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type {
  Command,
  CommandResult,
  HeartbeatBody,
} from '../../../src-main/connectors/metatrader/protocol';
import type { FakeTerminal } from './terminal';

export interface FakeEaOptions {
  baseUrl: string;
  token: string;
  terminal: FakeTerminal;
  /** The EA's memory of executed command ids (the real EA keeps it in FILE_COMMON). */
  stateFile: string;
  heartbeatMs?: number;
  pollMs?: number;
  /**
   * Long-poll (the EA's `LongPollSec`): each poll asks Bourse to hold it up to this long for
   * a command, capped at the time left to the next heartbeat. 0: plain polling every
   * `pollMs`. Default 20 000.
   */
  longPollMs?: number;
  /**
   * EA 1.2: results ride on the next poll (`/poll` with `results`, answered at once), so a
   * burst costs one round trip per batch; false: the 1.1 EA's `/ack`, heartbeat, poll.
   * Default true. An old Bourse refusing `results` (400) makes the EA fall back to `/ack`.
   */
  ackOnPoll?: boolean;
  /**
   * EA 1.3: the heartbeat rides on the results poll, which is also the next long-poll, so a
   * burst costs one round trip in all. False: the 1.2 EA's results poll answered at once,
   * then a heartbeat, then a new poll. Default true. A Bourse refusing `heartbeat` in a poll
   * (400) makes the EA send the same results again without it, and behave as 1.2 from then on.
   */
  heartbeatOnPoll?: boolean;
}

/** What the EA remembers per command id: `started` before OrderSend, the result after. */
type Memory = Record<string, { started: true; result?: CommandResult }>;

/**
 * A TypeScript stand-in for BourseBridge.mq5/.mq4, speaking the same protocol over HTTP: an
 * OnTimer loop that heartbeats every `heartbeatMs` (and right after executing), polls, runs
 * each command at most once against a FakeTerminal, writes what it ran to its state file
 * before acknowledging, and re-reports a remembered result when a command comes back. With
 * long-poll (the default) it polls again as soon as a poll returns, as the real EA does;
 * after a failed poll, or one answered empty well before its wait (another poll of the
 * account replaced it, Bourse is closing), it goes back to the `pollMs` pace.
 */
export class FakeEa {
  readonly heartbeatMs: number;
  readonly pollMs: number;
  readonly longPollMs: number;
  /** HTTP statuses the EA received, newest last. */
  readonly statuses: number[] = [];
  private memory: Memory;
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private lastHeartbeat = 0;
  private pausedUntil = 0;
  private dropAcks = 0;
  private crashAfterExecute = false;
  private crashMidSend: 'beforeSend' | 'afterSend' | null = null;
  private sentSymbols = false;
  private loop: Promise<void> = Promise.resolve();
  /** Ends the request in flight when the EA dies or loses its network (the socket closes). */
  private inflight = new AbortController();
  /** Poll bodies sent, newest last (what a test checks of the long-poll). */
  readonly polls: { waitMs?: number; results?: unknown[]; heartbeat?: HeartbeatBody }[] = [];
  /** Heartbeats sent on their own (`/heartbeat`). */
  heartbeatsApart = 0;
  /** Acks sent on their own (`/ack`), newest last. */
  readonly acks: unknown[][] = [];
  private ackOnPoll: boolean;
  private heartbeatOnPoll: boolean;

  constructor(private readonly o: FakeEaOptions) {
    this.heartbeatMs = o.heartbeatMs ?? 30;
    this.pollMs = o.pollMs ?? 10;
    this.longPollMs = o.longPollMs ?? 20_000;
    this.ackOnPoll = o.ackOnPoll ?? true;
    this.heartbeatOnPoll = (o.heartbeatOnPoll ?? true) && this.ackOnPoll;
    this.memory = existsSync(o.stateFile)
      ? (JSON.parse(readFileSync(o.stateFile, 'utf8')) as Memory)
      : {};
  }

  /** OnInit: the first heartbeat (with symbols), then the timer. */
  async start(): Promise<void> {
    this.running = true;
    await this.heartbeat();
    this.schedule(this.longPollMs > 0);
  }

  /** The terminal or the EA dies: no goodbye, no more requests. */
  crash(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.inflight.abort();
  }

  /** OnDeinit: the goodbye heartbeat, then stop. */
  async stop(): Promise<void> {
    this.crash();
    await this.loop;
    await this.heartbeat('stopping');
  }

  /** Stops heartbeating and polling for `ms` (the terminal lost its network), then resumes. */
  pauseFor(ms: number): void {
    this.pausedUntil = Date.now() + ms;
    this.inflight.abort();
  }

  /** The next ack is lost after the commands ran (the hub hands them out again after the lease). */
  dropNextAck(): void {
    this.dropAcks++;
  }

  /** The EA dies right after running the next command, before acknowledging it. */
  crashAfterNextExecute(): void {
    this.crashAfterExecute = true;
  }

  /**
   * The EA dies while running the next command, after writing `started` and before writing
   * its result: before OrderSend reached the server, or after the order was made.
   */
  crashDuringNextExecute(when: 'beforeSend' | 'afterSend'): void {
    this.crashMidSend = when;
  }

  /** Sends a heartbeat now (after a fill, to push it). */
  async heartbeatNow(): Promise<void> {
    await this.heartbeat();
  }

  /** Commands this EA instance remembers running. */
  remembered(): string[] {
    return Object.keys(this.memory);
  }

  private schedule(again = false): void {
    if (!this.running) return;
    this.timer = setTimeout(
      () => {
        this.loop = this.tick()
          .catch(() => false)
          .then((next) => this.schedule(next));
      },
      again ? 0 : this.pollMs,
    );
  }

  /** The wait to ask for: the long-poll, capped at the time left to the next heartbeat. */
  private pollWait(): number {
    if (this.longPollMs <= 0) return 0;
    const toHeartbeat = this.lastHeartbeat + this.heartbeatMs - Date.now();
    return Math.max(0, Math.min(this.longPollMs, toHeartbeat));
  }

  /** One OnTimer pass; true when the next poll should go out at once (long-poll). */
  async tick(): Promise<boolean> {
    if (Date.now() < this.pausedUntil) return false;
    if (Date.now() - this.lastHeartbeat >= this.heartbeatMs) await this.heartbeat();
    const waitMs = this.pollWait();
    const started = Date.now();
    let poll = await this.poll(waitMs > 0 ? { waitMs } : {});
    if (!poll) return false;
    if (!poll.commands.length) {
      // Answered empty well before the wait: replaced or closing; don't spin.
      return this.longPollMs > 0 && Date.now() - started >= waitMs / 2;
    }
    // A burst: run what came, hand the results in with the next poll, and go on while it
    // brings more. EA 1.3: that poll carries the heartbeat showing the fills and is held like
    // any long-poll; EA 1.2: it is answered at once, and a heartbeat follows the burst.
    let heartbeatSent = false;
    while (poll?.commands.length) {
      const results: { id: string; result: CommandResult }[] = [];
      for (const cmd of poll.commands) {
        results.push({ id: cmd.id, result: this.runOnce(cmd, poll.serverTime) });
        if (!this.running) return false; // crashed mid-queue
      }
      heartbeatSent = false;
      if (this.dropAcks > 0) {
        this.dropAcks--;
        break;
      }
      if (!this.ackOnPoll) {
        await this.ack(results);
        break;
      }
      if (this.heartbeatOnPoll) {
        const wait = this.pollWait();
        this.lastHeartbeat = Date.now();
        poll = await this.poll({
          results,
          heartbeat: this.heartbeatBody(),
          ...(wait > 0 ? { waitMs: wait } : {}),
        });
        if (poll) {
          heartbeatSent = true;
          continue;
        }
        if (this.statuses.at(-1) !== 400) break;
        this.heartbeatOnPoll = false; // a Bourse before 1.3: the same results without it
      }
      poll = await this.poll({ results });
      if (!poll && this.statuses.at(-1) === 400) await this.ack(results); // an older Bourse
    }
    if (!heartbeatSent) await this.heartbeat();
    return this.longPollMs > 0;
  }

  private async poll(body: {
    waitMs?: number;
    results?: { id: string; result: CommandResult }[];
    heartbeat?: HeartbeatBody;
  }): Promise<{ serverTime: number; commands: Command[] } | null> {
    this.polls.push(body);
    const answer = await this.post<{ serverTime: number; commands: Command[] }>('/poll', body);
    if (answer && body.heartbeat) this.sentSymbols = true;
    if (!answer && body.results && !body.heartbeat && this.statuses.at(-1) === 400) {
      // A Bourse before 1.2 refuses `results` in a poll: acknowledge apart from now on.
      this.ackOnPoll = false;
    }
    return answer;
  }

  private async ack(results: { id: string; result: CommandResult }[]): Promise<void> {
    this.acks.push(results);
    await this.post('/ack', { results });
  }

  private runOnce(cmd: Command, serverTime: number): CommandResult {
    const known = this.memory[cmd.id];
    if (known?.result) return known.result; // handed out again: report, never re-run
    let result: CommandResult;
    if (known?.started) {
      // Died between OrderSend and writing its result: look for what it made.
      result = this.recover(cmd);
    } else if (cmd.expiresAt < serverTime) {
      result = {
        ok: false,
        retcode: 0,
        message: 'expired before the EA ran it',
        bridgeError: 'expired',
        executedAt: this.o.terminal.time(),
      };
    } else {
      this.remember(cmd.id, { started: true });
      const when = this.crashMidSend;
      this.crashMidSend = null;
      if (when === 'beforeSend') return this.die();
      result = this.o.terminal.execute(cmd);
      if (when === 'afterSend') return this.die();
    }
    this.remember(cmd.id, { started: true, result });
    if (this.crashAfterExecute) {
      this.crashAfterExecute = false;
      this.crash();
    }
    return result;
  }

  /** A crash inside OrderSend: nothing more is written or sent (the result is never used). */
  private die(): CommandResult {
    this.crash();
    return { ok: false, retcode: 0, message: 'crashed', executedAt: 0 };
  }

  private recover(cmd: Command): CommandResult {
    const t = this.o.terminal;
    if (cmd.action === 'open') {
      const o = [...t.orders.values()].find((x) => x.comment === cmd.comment);
      const p = [...t.positions.values()].find((x) => x.comment === cmd.comment);
      const ticket = o?.ticket ?? p?.ticket;
      if (ticket) {
        return {
          ok: true,
          retcode: t.platform === 'MT5' ? 10009 : 0,
          message: 'recovered after an EA restart',
          ticket,
          status: o ? 'open' : 'filled',
          executedAt: t.time(),
        };
      }
    }
    return {
      ok: false,
      retcode: t.platform === 'MT5' ? 10012 : 128,
      message: 'the EA restarted during this command; its outcome is unknown',
      executedAt: t.time(),
    };
  }

  private remember(id: string, entry: Memory[string]): void {
    this.memory[id] = entry;
    writeFileSync(this.o.stateFile, JSON.stringify(this.memory));
  }

  private async heartbeat(state?: 'stopping'): Promise<void> {
    const body = this.heartbeatBody(state);
    this.heartbeatsApart++;
    this.lastHeartbeat = Date.now();
    const ok = await this.post('/heartbeat', body, state === 'stopping');
    if (ok) this.sentSymbols = true;
  }

  private heartbeatBody(state?: 'stopping'): HeartbeatBody {
    const t = this.o.terminal;
    const { symbols, ...snap } = t.snapshot();
    const body: HeartbeatBody = {
      ea: {
        version: '1.0.0',
        platform: t.platform,
        build: t.platform === 'MT5' ? 4620 : 1420,
        heartbeatMs: this.heartbeatMs,
        pollMs: this.pollMs,
      },
      terminal: {
        company: 'Fake Broker Ltd',
        name: t.platform === 'MT5' ? 'MetaTrader 5' : 'MetaTrader 4',
        connected: t.connected,
        tradeAllowed: t.tradeAllowed,
        gmtTime: Math.floor(Date.now() / 1000),
      },
      ...snap,
      ...(this.sentSymbols ? {} : { symbols }),
      ...(state ? { state } : {}),
    };
    return body;
  }

  private async post<T>(path: string, body: unknown, evenStopped = false): Promise<T | null> {
    if (this.inflight.signal.aborted) {
      if (!this.running && !evenStopped) return null; // a dead EA sends nothing more
      this.inflight = new AbortController();
    }
    const res = await fetch(`${this.o.baseUrl}/bridge/mt/v1${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.o.token}` },
      body: JSON.stringify(body),
      signal: this.inflight.signal,
    });
    this.statuses.push(res.status);
    const text = await res.text();
    return res.ok ? (JSON.parse(text) as T) : null;
  }
}
