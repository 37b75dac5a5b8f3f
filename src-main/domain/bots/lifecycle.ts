/** Where a bot is in its life. */
export type BotStatus = 'created' | 'running' | 'paused' | 'stopped' | 'error';

/** What a user (or the runner) does to a bot. */
export type BotCommand = 'start' | 'pause' | 'stop' | 'fail' | 'delete';

/**
 * The lifecycle as one table: created → running ⇄ paused → stopped; `error` when it cannot
 * run (the runner's `fail`), from which it may be started again once the cause is fixed.
 * `stopped` is final: only `delete` follows. `delete` leaves no state (the row goes).
 */
const TRANSITIONS: Record<BotStatus, Partial<Record<BotCommand, BotStatus>>> = {
  created: { start: 'running', stop: 'stopped' },
  running: { pause: 'paused', stop: 'stopped', fail: 'error' },
  paused: { start: 'running', stop: 'stopped', fail: 'error' },
  error: { start: 'running', stop: 'stopped', fail: 'error' },
  stopped: { delete: 'stopped' },
};

/** The status after `command`, or null when the command does not apply in `from`. */
export function nextStatus(from: BotStatus, command: BotCommand): BotStatus | null {
  return TRANSITIONS[from][command] ?? null;
}
