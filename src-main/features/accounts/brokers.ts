import type { Static } from '@sinclair/typebox';
import { AppError } from '../../../src-shared/contract';
import type { BrokerStateView, ConnectionReportView } from '../../../src-shared/contract/brokers';
import type { DatabaseHandle } from '../../db/database';
import type { EventHub } from '../../events/hub';
import type { Logger } from '../../observability/logger';
import type { SecretStore } from '../../secrets/secret-store';
import {
  BROKER_ADDRESSES,
  type BrokerDefinition,
  type BrokerField,
  type ConnectionReport,
} from '../../connectors/broker/port';
import { BrokerSession } from '../../connectors/broker/session';
import { BrokerVenue } from '../../connectors/broker/venue';
import type { AutomationVenue } from '../../connectors/venue';
import type { NotificationService } from '../notifications/service';
import { valuationOf } from '../../connectors/broker/fills';
import type { BrokerFill } from '../../connectors/broker/port';
import { SqliteBrokerFills } from './broker-fills';
import { SqliteBrokerJournal } from './broker-journal';
import type { AccountRow } from './repo';
import { brokerOrderView } from './views';

type StateView = Static<typeof BrokerStateView>;

export interface BrokerAccountsOptions {
  store: DatabaseHandle;
  secrets: SecretStore;
  hub: EventHub;
  notifications?: NotificationService;
  log?: Logger;
  now: () => number;
  definitions: BrokerDefinition[];
  /** The account as it is now (settings change while a session lives). */
  current: (accountId: string) => AccountRow;
  /** Extra state for a venue's view (the MetaTrader bridge's EA status). */
  bridgeStatus?: (account: AccountRow) => StateView['bridge'];
}

/** Where the broker is (tests, proxies): checked as addresses whichever venue takes them. */
const ADDRESS_SETTINGS: ReadonlySet<string> = new Set(BROKER_ADDRESSES);

const secretName = (accountId: string) => `broker:${accountId}`;

/** A field's whole number, or the refusal that names the field and its range. */
function wholeNumberIn(f: BrokerField, range: { min: number; max: number }, text: string) {
  const n = /^[0-9]{1,15}$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < range.min || n > range.max) {
    throw new AppError(
      'validation_failed',
      `${f.label} must be a whole number from ${range.min} to ${range.max}`,
      { field: f.name },
    );
  }
  return n;
}

interface Live {
  session: BrokerSession;
  venue: BrokerVenue;
  started: Promise<void>;
}

/**
 * Trading accounts at external brokers: validating a venue's form, testing the connection
 * before anything is saved (and refusing a key that can withdraw for a trade-only account),
 * keeping credentials in the secret store only, and one live session per enabled account
 * whose changes are pushed on the `brokers` stream.
 */
export class BrokerAccounts {
  readonly journal: SqliteBrokerJournal;
  /** Every fill the venues reported, stored once (analytics reads them). */
  readonly fills: SqliteBrokerFills;
  private readonly defs = new Map<string, BrokerDefinition>();
  private readonly live = new Map<string, Live>();
  private readonly dirty = new Map<string, AccountRow>();
  private flushing = false;
  private stopped = false;
  /** Shared by every connector built here (`BrokerDeps.shared`: per-API-key broker limits). */
  private readonly shared = new Map<string, unknown>();

  constructor(private readonly o: BrokerAccountsOptions) {
    this.journal = new SqliteBrokerJournal(o.store);
    this.fills = new SqliteBrokerFills(o.store);
    for (const d of o.definitions) this.defs.set(d.venue, d);
  }

  definition(venue: string): BrokerDefinition | undefined {
    return this.defs.get(venue);
  }

  definitions(): BrokerDefinition[] {
    return [...this.defs.values()];
  }

  /**
   * Checks the form against the venue's fields, tests the connection with it and, when the
   * credentials are right and allowed, stores them (secret store) under the account's id.
   * Answers the settings to keep in the database and the connection report.
   */
  async connect(
    accountId: string,
    def: BrokerDefinition,
    input: {
      settings?: Record<string, string>;
      credentials?: Record<string, string>;
      tradeOnly?: boolean;
    },
    mode: 'demo' | 'live',
  ): Promise<{ settings: Record<string, string>; report: ConnectionReport }> {
    const settings = { ...input.settings };
    const credentials = { ...input.credentials };
    for (const f of def.fields) {
      const given = f.secret ? credentials : settings;
      const wrong = f.secret ? settings : credentials;
      if (f.name in wrong) {
        throw new AppError(
          'validation_failed',
          `${f.label} goes in ${f.secret ? 'credentials' : 'settings'}`,
          { field: f.name },
        );
      }
      const v = given[f.name]?.trim();
      if (!v && f.default !== undefined && !f.secret) settings[f.name] = f.default;
      if (!v && f.required && f.default === undefined) {
        throw new AppError('validation_failed', `${f.label} is required`, { field: f.name });
      }
      if (v && f.integer) settings[f.name] = String(wholeNumberIn(f, f.integer, v));
      if (v && f.options && !f.options.includes(v)) {
        throw new AppError(
          'validation_failed',
          `${f.label} must be one of ${f.options.join(', ')}`,
          {
            field: f.name,
          },
        );
      }
    }
    const known = new Set(def.fields.map((f) => f.name));
    const addresses = new Set<string>(def.addresses ?? BROKER_ADDRESSES);
    for (const k of Object.keys(settings)) {
      if (!known.has(k) && !addresses.has(k))
        throw new AppError('validation_failed', `${def.label} has no setting "${k}"`, { field: k });
    }
    for (const k of Object.keys(credentials)) {
      if (!known.has(k))
        throw new AppError('validation_failed', `${def.label} has no credential "${k}"`, {
          field: k,
        });
    }
    for (const k of ADDRESS_SETTINGS) if (settings[k]) checkUrl(k, settings[k]);
    if (def.inbound) {
      // The remote side (an EA) connects to Bourse once it has the token: nothing to test yet.
      const connector = build(def, settings, credentials, {
        now: this.o.now,
        accountId,
        mode,
        shared: this.shared,
      });
      await connector.close();
      const now = this.o.now();
      return {
        settings,
        report: {
          account: { id: accountId, name: def.label, currency: null },
          permissions: { read: true, trade: true, withdraw: null },
          skewMs: 0,
          serverTime: now,
          notes: ['Not connected yet: install the EA with the bridge token shown below.'],
        },
      };
    }
    const connector = build(def, settings, credentials, {
      now: this.o.now,
      accountId,
      mode,
      shared: this.shared,
    });
    let report: ConnectionReport;
    try {
      report = await connector.testConnection();
    } finally {
      await connector.close().catch(() => undefined);
    }
    if (input.tradeOnly !== false && report.permissions.withdraw === true) {
      throw new AppError(
        'broker_key_too_powerful',
        'This key can withdraw funds. Create a key with trading permissions only, or untick "trade-only key".',
        { field: 'credentials' },
      );
    }
    if (!report.permissions.trade) {
      throw new AppError('broker_permission_denied', `${def.label}: this key cannot trade`, {
        field: 'credentials',
      });
    }
    if (Object.keys(credentials).length > 0) {
      await this.o.secrets.set(secretName(accountId), JSON.stringify(credentials));
    }
    return { settings, report };
  }

  /** The live session of an account, started on first use. */
  async ensure(a: AccountRow): Promise<Live> {
    if (this.stopped) throw new AppError('unavailable', 'Bourse is stopping');
    let l = this.live.get(a.id);
    if (!l) {
      const def = this.defs.get(a.venue);
      if (!def)
        throw new AppError('unknown_venue', `Venue ${a.venue} is not available in this build`);
      const raw = a.credentialsRef ? await this.o.secrets.get(a.credentialsRef) : null;
      if (a.credentialsRef && raw === null) {
        throw new AppError(
          'broker_auth_failed',
          `The credentials of ${a.name} are missing from the ${this.o.secrets.description}; delete and re-create the account`,
        );
      }
      const credentials = raw ? (JSON.parse(raw) as Record<string, string>) : {};
      const connector = def.create(a.brokerSettings ?? {}, credentials, {
        now: this.o.now,
        accountId: a.id,
        mode: a.mode,
        shared: this.shared,
        ...(this.o.log ? { log: this.o.log } : {}),
      });
      const session = new BrokerSession(connector, {
        now: this.o.now,
        onChange: () => this.changed(a),
        onFill: (f, replayed) =>
          this.queueFill(() => {
            // A fill seen before (re-sync, reconnect) is neither stored nor announced again;
            // one first seen in the venue's history is stored but not announced (it may be old).
            if (!this.recordFill(a, session, f) || replayed) return;
            this.o.notifications?.notify({
              userId: a.userId,
              level: 'info',
              kind: 'brokers.fill',
              title: `${a.name}: ${f.side} ${f.qty} ${f.symbol} @ ${f.price}`,
              body: `Order ${f.orderId}${f.clientOrderId ? ` (${f.clientOrderId})` : ''} filled at ${def.label}.`,
            });
          }),
        ...(this.o.log ? { log: this.o.log } : {}),
      });
      const venue = new BrokerVenue(session, this.journal, {
        accountId: a.id,
        currency: a.baseCurrency,
        now: this.o.now,
        outageQueueMs: () => this.o.current(a.id).outageQueueMs,
        onLateOutcome: (text) =>
          this.o.notifications?.notify({
            userId: a.userId,
            level: 'warning',
            kind: 'brokers.order',
            title: `${a.name}: ${text}`,
            body: text,
          }),
      });
      const started = session.start().then(async () => {
        if (session.state === 'up') await venue.recover().catch(() => 0);
      });
      l = { session, venue, started };
      this.live.set(a.id, l);
    }
    await l.started;
    return l;
  }

  /**
   * Stores a fill the stream reported, valued by the instrument the session knows; true when
   * it was new. A fill that cannot be stored (the database refused) is logged, not thrown:
   * the stream must go on, and the venue's next replay of it stores it then.
   */
  private recordFill(a: AccountRow, session: BrokerSession, f: BrokerFill): boolean {
    try {
      const value = valuationOf(session.instrument(f.symbol), a.baseCurrency);
      return this.fills.record(a.id, f, value, value.currency, this.o.now());
    } catch (err) {
      this.o.log?.warn({ err, accountId: a.id, fillId: f.fillId }, 'broker fill not stored');
      return true;
    }
  }

  /** The automation venue of an account: each call waits for the session's first read. */
  venueOf(a: AccountRow): AutomationVenue {
    const live = () => this.ensure(this.o.current(a.id));
    return {
      exposure: async (market) => (await live()).venue.exposure(market),
      execute: async (intent) => (await live()).venue.execute(intent),
      cancelAll: async () => (await live()).venue.cancelAll(),
      closeAll: async () => (await live()).venue.closeAll(),
      realisedSince: async (since) => (await live()).venue.realisedSince(since),
    };
  }

  async test(a: AccountRow): Promise<Static<typeof ConnectionReportView>> {
    const l = await this.ensure(a);
    return l.session.connector.testConnection();
  }

  async sync(a: AccountRow): Promise<void> {
    const l = await this.ensure(a);
    await l.session.sync();
  }

  /** Instruments of an account (for symbol resolution), from its session. */
  instruments(a: AccountRow) {
    return this.live.get(a.id)?.session.instruments ?? [];
  }

  openPositions(a: AccountRow): number {
    return this.live.get(a.id)?.session.positions.size ?? 0;
  }

  state(a: AccountRow): StateView {
    const s = this.live.get(a.id)?.session;
    return {
      accountId: a.id,
      venue: a.venue,
      connection: !a.enabled ? 'disabled' : (s?.state ?? 'connecting'),
      lastError: s?.lastError ?? null,
      skewMs: s?.skewMs ?? null,
      syncedAt: s?.syncedAt ?? null,
      instruments: s?.instruments.length ?? 0,
      balances: s ? [...s.balances] : [],
      positions: s
        ? s.valuedPositions(a.baseCurrency).map((p) => ({
            symbol: p.symbol,
            side: p.side,
            qty: p.qty,
            avgPrice: p.avgPrice,
            markPrice: p.markPrice,
            unrealisedPnl: p.unrealisedPnl,
            positionId: p.positionId ?? null,
          }))
        : [],
      orders: s ? [...s.orders.values()].map(brokerOrderView) : [],
      trailing: s?.trailing ?? { entry: false, stopLoss: false, amount: false },
      bridge: this.o.bridgeStatus?.(a) ?? null,
    };
  }

  /** Stops the session (disable, delete). */
  async release(accountId: string): Promise<void> {
    const l = this.live.get(accountId);
    if (!l) return;
    this.live.delete(accountId);
    await l.venue.settle();
    await l.session.stop().catch(() => undefined);
  }

  /** Removes the credentials from the secret store (delete). */
  async forgetCredentials(a: AccountRow): Promise<void> {
    if (a.credentialsRef) await this.o.secrets.delete(a.credentialsRef);
  }

  credentialsRefFor(accountId: string, credentials: Record<string, string> | undefined) {
    return credentials && Object.keys(credentials).length > 0 ? secretName(accountId) : null;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled([...this.live.keys()].map((id) => this.release(id)));
    this.flushFills();
  }

  private readonly fillJobs: Array<() => void> = [];
  private fillsQueued = false;

  /**
   * Stores fills (and their notifications) once per event-loop turn, in one deferred commit
   * synced off the loop right after. A polling venue hands over a second's fills at once
   * (TradeLocker: ~100 at 100 alerts/s), and a commit each held the loop for tens of ms. A
   * power cut in the millisecond before the sync loses them unless the venue's history
   * (Kraken, ProjectX: read at each sync) hands them back.
   */
  private queueFill(job: () => void): void {
    this.fillJobs.push(job);
    if (this.fillsQueued) return;
    this.fillsQueued = true;
    setImmediate(() => this.flushFills());
  }

  private flushFills(): void {
    this.fillsQueued = false;
    const jobs = this.fillJobs.splice(0);
    if (jobs.length === 0 || !this.o.store.sqlite.open) return;
    this.o.store.writeDeferred('brokers.fills', () => {
      for (const job of jobs) {
        try {
          job();
        } catch (err) {
          // One fill's notification must not undo the others' records.
          this.o.log?.warn({ err }, 'broker fill not announced');
        }
      }
    });
    this.o.store.syncSoon();
  }

  private readonly changeListeners = new Set<(accountId: string, userId: string) => void>();

  /**
   * Called once per burst of changes of an account (its balances, positions, orders or
   * connection), with no state built: for those that only need to know which account moved.
   */
  onChanged(listener: (accountId: string, userId: string) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Coalesces a burst of changes into one `brokers` message per account. */
  private changed(a: AccountRow) {
    this.dirty.set(a.id, a);
    if (this.flushing) return;
    this.flushing = true;
    setImmediate(() => {
      this.flushing = false;
      const rows = [...this.dirty.values()];
      this.dirty.clear();
      if (this.stopped) return;
      // Lazily: the state (every position valued, every order) is built only for a screen
      // that is subscribed, not per poll of every account nobody is watching.
      for (const r of rows) {
        this.o.hub.publishLazy('brokers', () => this.state(r), { kind: 'user', userId: r.userId });
        for (const l of this.changeListeners) l(r.id, r.userId);
      }
    });
  }
}

/** A connector from the form; a setting its venue refuses (a bad number…) is the user's error. */
function build(
  def: BrokerDefinition,
  settings: Record<string, string>,
  credentials: Record<string, string>,
  deps: Parameters<BrokerDefinition['create']>[2],
) {
  try {
    return def.create(settings, credentials, deps);
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError(
      'validation_failed',
      `${def.label}: ${e instanceof Error ? e.message : 'invalid settings'}`,
    );
  }
}

/** A broker URL setting: https, or http only to this machine (fakes, local bridges). */
function checkUrl(field: string, value: string) {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new AppError('validation_failed', `${field} is not a URL`, { field });
  }
  const local = ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
  const ok =
    u.protocol === 'https:' || u.protocol === 'wss:' || (local && /^(http|ws):$/.test(u.protocol));
  if (!ok) {
    throw new AppError('validation_failed', `${field} must be https (http only to this machine)`, {
      field,
    });
  }
}
