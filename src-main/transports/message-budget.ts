/**
 * What one WebSocket connection may send: a burst of `burst` messages, then `perSecond` a
 * second (a token bucket). Counted as each message arrives, before it is
 * parsed or its token or signature checked, so a flood costs the server one subtraction per
 * message and ends the connection instead of queueing work behind it.
 */
export class MessageBudget {
  private tokens: number;
  private at: number;

  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
    private readonly now: () => number,
  ) {
    this.tokens = burst;
    this.at = now();
  }

  /** Spends one message; false when the connection has none left. */
  take(): boolean {
    const t = this.now();
    // A clock that steps back (a wall clock set back) refills nothing rather than taking away.
    const elapsed = Math.max(0, t - this.at);
    this.tokens = Math.min(this.burst, this.tokens + (elapsed / 1000) * this.perSecond);
    this.at = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/**
 * Every WebSocket door's budget: enough for a screen or a bot subscribing to a hundred streams
 * one message each, then twenty a second. (Binance allows 5 a second on its streams; Bourse is
 * more lenient, so nothing that works against Binance is cut here.)
 */
export const WS_MESSAGE_BURST = 100;
export const WS_MESSAGES_PER_SECOND = 20;

/**
 * A rate, so it runs on the monotonic clock, not the backend's wall clock: a wall clock set back
 * (or a test's frozen one) must not cut connections or stop refilling.
 */
export const wsMessageBudget = (): MessageBudget =>
  new MessageBudget(WS_MESSAGE_BURST, WS_MESSAGES_PER_SECOND, () => performance.now());
