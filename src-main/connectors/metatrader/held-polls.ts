/** Why a held poll stopped waiting. */
export type WakeReason =
  /** A command was queued (or one acknowledged) for the account: look again. */
  | 'command'
  /** A handed-out command's lease ran out: it may be handed out again. */
  | 'lease'
  /** The poll's `waitMs` passed. */
  | 'timeout'
  /** A newer poll of the same account took its place (a restarted EA). */
  | 'replaced'
  /** The account's connector closed (bridge reset, account disabled or deleted). */
  | 'released'
  /** The hub or the server is stopping. */
  | 'closing'
  /** The client went away (its socket closed). */
  | 'aborted';

type Wake = (reason: WakeReason) => void;

/**
 * The long-polls the bridge is holding: at most one per account, woken from the enqueue path
 * (event driven, no polling loop), by its own timers, or by its client going away. A newer
 * poll of an account wakes the older one at once (`replaced`), so a restarted EA is never
 * starved by its dead predecessor's request.
 */
export class HeldPolls {
  private readonly held = new Map<string, Wake>();

  /** Wakes the account's held poll, if there is one. */
  wake(accountId: string, reason: WakeReason): void {
    this.held.get(accountId)?.(reason);
  }

  /** Wakes every held poll (the hub or the server is stopping). */
  wakeAll(reason: WakeReason): void {
    for (const wake of [...this.held.values()]) wake(reason);
  }

  isHeld(accountId: string): boolean {
    return this.held.has(accountId);
  }

  /**
   * Waits until woken, `ms` pass (`timeout`), `leaseInMs` pass (`lease`: a handed-out
   * command may be handed out again then), or `signal` aborts. Replaces (wakes) any poll the
   * account already has held.
   */
  wait(
    accountId: string,
    ms: number,
    signal?: AbortSignal,
    leaseInMs?: number,
  ): Promise<WakeReason> {
    this.wake(accountId, 'replaced');
    return new Promise((resolve) => {
      let settled = false;
      const finish: Wake = (reason) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (leaseTimer) clearTimeout(leaseTimer);
        signal?.removeEventListener('abort', onAbort);
        if (this.held.get(accountId) === finish) this.held.delete(accountId);
        resolve(reason);
      };
      const onAbort = () => finish('aborted');
      const timer = setTimeout(() => finish('timeout'), ms);
      const leaseTimer =
        leaseInMs !== undefined && leaseInMs < ms
          ? setTimeout(() => finish('lease'), Math.max(0, leaseInMs))
          : undefined;
      this.held.set(accountId, finish);
      if (signal?.aborted) finish('aborted');
      else signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
