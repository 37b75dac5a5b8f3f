import { isMessageOf } from '../../../src-shared/contract';
import type { EventHub, Published } from '../../events/hub';
import type { Logger } from '../../observability/logger';
import { LOCAL_ACCOUNT, type History } from './history';
import type { AnalyticsDeps } from './ports';
import type { AnalyticsService } from './service';

/** Changes within this window are pushed as one `pnl` message per user. */
export const PNL_COALESCE_MS = 250;

/**
 * The private `pnl` stream: after a change that moves an account's P&L (a local fill, a
 * paper fill, a broker's state, a price on a market where the user holds something) the
 * user's touched accounts are recomputed and pushed, one message per user per burst. The
 * message is built lazily: nobody subscribed, nothing is computed.
 */
export class PnlLive {
  private readonly dirty = new Map<string, Set<string>>();
  private readonly movedMarkets = new Set<string>();
  /** Markets where each user's local account holds open lots, learned from each read. */
  private readonly localHoldings = new Map<string, Set<string>>();
  private readonly offs: Array<() => void> = [];
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly o: {
      hub: EventHub;
      deps: AnalyticsDeps;
      service: AnalyticsService;
      log: Logger;
      coalesceMs?: number;
    },
  ) {}

  start(): void {
    const { hub, deps } = this.o;
    this.offs.push(
      hub.subscribe(
        (m) => this.onMessage(m),
        (s) => s === 'fills',
      ),
      // Not the `brokers` messages: reading one builds the account's whole state.
      deps.accounts.brokers.onChanged((accountId, userId) => this.touch(userId, accountId)),
      deps.accounts.paper.onFill((accountId) => {
        const userId = deps.accounts.get(accountId)?.userId;
        if (userId) this.touch(userId, accountId);
      }),
      deps.exchange.onEngineEvents((symbol) => {
        this.movedMarkets.add(symbol);
        this.schedule();
      }),
    );
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const off of this.offs.splice(0)) off();
  }

  /** Remembers where the user's local account holds lots (the service calls this on reads). */
  learn(userId: string, h: History): void {
    if (!h.localRead) return;
    const markets = new Set(
      h.book.open.filter((l) => l.accountId === LOCAL_ACCOUNT).map((l) => l.market),
    );
    if (markets.size > 0) this.localHoldings.set(userId, markets);
    else this.localHoldings.delete(userId);
  }

  private onMessage(m: Published): void {
    if (m.audience.kind !== 'user') return;
    if (isMessageOf(m, 'fills')) this.touch(m.audience.userId, LOCAL_ACCOUNT);
  }

  private touch(userId: string, accountId: string): void {
    let ids = this.dirty.get(userId);
    if (!ids) this.dirty.set(userId, (ids = new Set()));
    ids.add(accountId);
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      try {
        this.flush();
      } catch (error) {
        this.o.log.warn({ err: error }, 'pnl stream update failed');
      }
    }, this.o.coalesceMs ?? PNL_COALESCE_MS);
  }

  private flush(): void {
    const { deps, hub } = this.o;
    if (this.movedMarkets.size > 0) {
      const moved = new Set(this.movedMarkets);
      this.movedMarkets.clear();
      for (const id of deps.accounts.paperAccountsHolding(moved)) {
        const userId = deps.accounts.get(id)?.userId;
        if (userId) this.markDirty(userId, id);
      }
      for (const [userId, markets] of this.localHoldings) {
        if ([...markets].some((m) => moved.has(m))) this.markDirty(userId, LOCAL_ACCOUNT);
      }
    }
    const batch = [...this.dirty];
    this.dirty.clear();
    for (const [userId, ids] of batch) {
      hub.publishLazy('pnl', () => this.figures(userId, ids), { kind: 'user', userId });
    }
  }

  /** Built when a door reads the message: a failure must not reach the door's loop. */
  private figures(userId: string, ids: ReadonlySet<string>) {
    const ts = this.o.service.nowMs();
    try {
      return { ts, accounts: this.o.service.liveFigures(userId, ids) };
    } catch (error) {
      this.o.log.warn({ err: error, userId }, 'pnl figures failed');
      return { ts, accounts: [] };
    }
  }

  private markDirty(userId: string, accountId: string): void {
    let ids = this.dirty.get(userId);
    if (!ids) this.dirty.set(userId, (ids = new Set()));
    ids.add(accountId);
  }
}
