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
}

/** What the EA remembers per command id: `started` before OrderSend, the result after. */
type Memory = Record<string, { started: true; result?: CommandResult }>;

/**
 * A TypeScript stand-in for BourseBridge.mq5/.mq4, speaking the same protocol over HTTP: an
 * OnTimer loop that heartbeats every `heartbeatMs` (and right after executing), polls, runs
 * each command at most once against a FakeTerminal, writes what it ran to its state file
 * before acknowledging, and re-reports a remembered result when a command comes back.
 */
export class FakeEa {
  readonly heartbeatMs: number;
  readonly pollMs: number;
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

  constructor(private readonly o: FakeEaOptions) {
    this.heartbeatMs = o.heartbeatMs ?? 30;
    this.pollMs = o.pollMs ?? 10;
    this.memory = existsSync(o.stateFile)
      ? (JSON.parse(readFileSync(o.stateFile, 'utf8')) as Memory)
      : {};
  }

  /** OnInit: the first heartbeat (with symbols), then the timer. */
  async start(): Promise<void> {
    this.running = true;
    await this.heartbeat();
    this.schedule();
  }

  /** The terminal or the EA dies: no goodbye, no more requests. */
  crash(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
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

  private schedule(): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.loop = this.tick()
        .catch(() => undefined)
        .finally(() => this.schedule());
    }, this.pollMs);
  }

  /** One OnTimer pass. */
  async tick(): Promise<void> {
    if (Date.now() < this.pausedUntil) return;
    if (Date.now() - this.lastHeartbeat >= this.heartbeatMs) await this.heartbeat();
    const poll = await this.post<{ serverTime: number; commands: Command[] }>('/poll', {});
    if (!poll?.commands.length) return;
    const results: { id: string; result: CommandResult }[] = [];
    for (const cmd of poll.commands) {
      results.push({ id: cmd.id, result: this.runOnce(cmd, poll.serverTime) });
      if (!this.running) return; // crashed mid-queue
    }
    if (this.dropAcks > 0) this.dropAcks--;
    else await this.post('/ack', { results });
    await this.heartbeat();
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
    this.lastHeartbeat = Date.now();
    const ok = await this.post('/heartbeat', body);
    if (ok) this.sentSymbols = true;
  }

  private async post<T>(path: string, body: unknown): Promise<T | null> {
    const res = await fetch(`${this.o.baseUrl}/bridge/mt/v1${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.o.token}` },
      body: JSON.stringify(body),
    });
    this.statuses.push(res.status);
    const text = await res.text();
    return res.ok ? (JSON.parse(text) as T) : null;
  }
}
