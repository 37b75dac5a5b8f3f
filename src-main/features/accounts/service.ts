import crypto from 'node:crypto';
import { AppError, type InputOf } from '../../../src-shared/contract';
import type { accountsCreate, accountsUpdate } from '../../../src-shared/contract/accounts';
import type { DatabaseHandle } from '../../db/database';
import { parseDecimal } from '../../domain/money';
import { DEFAULT_PAPER_CONFIG, paperConfigProblem, type PaperConfig } from '../../domain/paper';
import type { Logger } from '../../observability/logger';
import type { AccountsPort, AutomationAccount, AutomationVenue } from '../automation/ports';
import type { ExchangeApi } from '../exchange/api';
import type { NotificationService } from '../notifications/service';
import { PaperBroker } from '../../connectors/paper/broker';
import { AccountsRepo, type AccountRow, type FillRow } from './repo';
import type { VenueDriver } from './venues';
import { BRIDGE_HASH, newToken, sha256 } from './tokens';
import { accountView, fillView, positionView, summaryView } from './views';
import { brokerDriver, localDriver, paperDriver } from './venue-drivers';
import type { ExchangeBrackets } from '../../connectors/local-exchange/brackets';
import { PaperTrading } from './paper-trading';
import { PaperInstrumentBook } from './instruments';
import { chargeAllFinancing, checkAccounts, type PaperJobDeps } from './paper-jobs';
import { BrokerAccounts, type BrokerAccountsOptions } from './brokers';
import type { BrokerDefinition } from '../../connectors/broker/port';
import type { SecretStore } from '../../secrets/secret-store';
import type { EventHub } from '../../events/hub';
import type { MarketList } from '../automation/ports';
import { hashBridgeToken, newBridgeToken } from '../../connectors/metatrader/token';

export interface AccountsServiceOptions {
  store: DatabaseHandle;
  exchange: ExchangeApi;
  notifications?: NotificationService;
  log?: Logger;
  now: () => number;
  /** Broker accounts: where credentials go, where their state is pushed, which venues exist. */
  secrets: SecretStore;
  hub: EventHub;
  brokers?: BrokerDefinition[];
  bridgeStatus?: BrokerAccountsOptions['bridgeStatus'];
  /** Keeps alerts' take-profit / stop-loss on the local exchange (entries with them refused without). */
  brackets?: ExchangeBrackets;
}

/** Demo balance of a new paper account when the user names none. */
export const DEFAULT_PAPER_BALANCE = '100000';

/**
 * Trading accounts: each bound to a venue, each with its own webhook token (kept as a hash,
 * looked up in memory on every alert). This is also automation's accounts port.
 */
export class AccountsService implements AccountsPort {
  readonly repo: AccountsRepo;
  readonly paper: PaperBroker;
  /** Futures and CFDs of the paper broker, and the indexes that price them. */
  readonly instruments: PaperInstrumentBook;
  readonly brokers: BrokerAccounts;
  private readonly byId = new Map<string, AccountRow>();
  private readonly byHash = new Map<string, string>();
  private readonly byBridgeHash = new Map<string, string>();
  private readonly drivers = new Map<string, VenueDriver>();
  private readonly venues = new Map<string, AutomationVenue>();

  constructor(private readonly o: AccountsServiceOptions) {
    this.repo = new AccountsRepo(o.store.sqlite);
    this.instruments = new PaperInstrumentBook(o.store, o.exchange, o.now);
    this.paper = new PaperBroker(
      o.exchange,
      this.repo,
      o.notifications,
      o.log,
      o.now,
      this.instruments,
    );
    this.paperTrading = new PaperTrading(this.paper, this.repo, (u, id) => this.own(u, id));
    for (const a of this.repo.accounts()) this.remember(a);
    this.registerVenue(localDriver(o.exchange, o.brackets));
    this.registerVenue(paperDriver(this.paper, this.repo, (id) => this.current(id)));
    this.brokers = new BrokerAccounts({
      store: o.store,
      secrets: o.secrets,
      hub: o.hub,
      now: o.now,
      definitions: o.brokers ?? [],
      current: (id) => this.current(id),
      ...(o.notifications ? { notifications: o.notifications } : {}),
      ...(o.log ? { log: o.log } : {}),
      ...(o.bridgeStatus ? { bridgeStatus: o.bridgeStatus } : {}),
    });
    for (const def of this.brokers.definitions())
      this.registerVenue(brokerDriver(def, this.brokers));
  }

  /** Starts the sessions of enabled broker accounts (in the background: a slow broker never holds start-up). */
  startBrokers(): void {
    for (const a of this.byId.values()) {
      if (a.enabled && this.drivers.get(a.venue)?.external) {
        this.brokers
          .ensure(a)
          .catch((error: unknown) =>
            this.o.log?.warn({ err: error, account: a.id }, 'broker session did not start'),
          );
      }
    }
  }

  /** Adds a venue (broker connectors call this at setup). */
  registerVenue(driver: VenueDriver): void {
    if (this.drivers.has(driver.name)) throw new Error(`venue ${driver.name} is registered`);
    this.drivers.set(driver.name, driver);
  }

  venueList() {
    return [...this.drivers.values()].map((d) => ({
      venue: d.name,
      label: d.label,
      positions: d.positions,
      modes: [...d.modes],
      external: d.external,
      fields: d.fields.map(({ secret, ...f }) => ({ ...f, masked: secret })),
      addresses: [...d.addresses],
    }));
  }

  // ---- the automation port -------------------------------------------------------------

  byToken(token: string): AutomationAccount | null {
    const id = this.byHash.get(sha256(token));
    const a = id ? this.byId.get(id) : undefined;
    return a ? this.automationView(a) : null;
  }

  get(accountId: string): AutomationAccount | null {
    const a = this.byId.get(accountId);
    return a ? this.automationView(a) : null;
  }

  listForUser(userId: string): AutomationAccount[] {
    return this.rowsOf(userId).map((a) => this.automationView(a));
  }

  venue(accountId: string): AutomationVenue {
    const a = this.byId.get(accountId);
    if (!a) throw new AppError('unknown_account', `No account ${accountId}`);
    let v = this.venues.get(accountId);
    if (!v) {
      v = this.driver(a.venue).automation(a);
      this.venues.set(accountId, v);
    }
    return v;
  }

  async markets(accountId: string): Promise<MarketList> {
    const a = this.byId.get(accountId);
    if (a && this.drivers.get(a.venue)?.external) {
      const { session } = await this.brokers.ensure(a);
      return session.instruments.map((i) => ({
        symbol: i.symbol,
        aliases: [i.venueId, ...(i.aliases ?? [])],
        assets: [i.baseAsset ?? i.symbol, i.quoteAsset ?? a.baseCurrency],
        tickSize: i.tickSize,
        contractSize: i.contractSize ?? null,
      }));
    }
    return this.instruments.marketList(a?.venue === 'paper');
  }

  // ---- management --------------------------------------------------------------------

  rowsOf(userId: string): AccountRow[] {
    return [...this.byId.values()].filter((a) => a.userId === userId);
  }

  own(userId: string, id: string): AccountRow {
    const a = this.byId.get(id);
    if (!a || a.userId !== userId)
      throw new AppError('unknown_account', `You have no trading account ${id}`, { id }, 404);
    return a;
  }

  async create(userId: string, input: InputOf<typeof accountsCreate>) {
    const driver = this.drivers.get(input.venue);
    if (!driver) {
      throw new AppError(
        'unknown_venue',
        `No venue "${input.venue}"; available: ${[...this.drivers.keys()].join(', ')}`,
        { field: 'venue' },
      );
    }
    const name = input.name.trim();
    if (this.repo.nameTaken(userId, name, '')) {
      throw new AppError('conflict', `You already have an account named "${name}"`, {
        field: 'name',
      });
    }
    const mode = input.mode ?? driver.modes[0]!;
    if (!driver.modes.includes(mode)) {
      throw new AppError(
        'validation_failed',
        `${driver.label} accounts are ${driver.modes.join(' or ')} only`,
        {
          field: 'mode',
        },
      );
    }
    if (driver.external) return this.createBroker(userId, name, mode, driver, input);
    for (const f of ['settings', 'credentials', 'tradeOnly', 'outageQueueSec'] as const) {
      if (input[f] !== undefined) {
        throw new AppError('validation_failed', `${f} is for broker accounts`, { field: f });
      }
    }
    const currency = input.baseCurrency ?? driver.defaultCurrency;
    const asset = this.o.exchange.asset(currency);
    if (!asset) {
      throw new AppError('unknown_asset', `No asset ${currency} to keep the account in`, {
        field: 'baseCurrency',
      });
    }
    const paperConfig =
      driver.name === 'paper'
        ? this.checkedConfig({ ...DEFAULT_PAPER_CONFIG, ...input.paperConfig })
        : null;
    if (driver.name !== 'paper' && (input.paperConfig || input.initialBalance)) {
      throw new AppError(
        'validation_failed',
        'paperConfig and initialBalance are for paper accounts',
        {
          field: input.paperConfig ? 'paperConfig' : 'initialBalance',
        },
      );
    }
    let initial = 0n;
    if (driver.name === 'paper') {
      const parsed = parseDecimal(input.initialBalance ?? DEFAULT_PAPER_BALANCE, asset.scale);
      if (!parsed.ok || parsed.value <= 0n) {
        throw new AppError(
          'invalid_amount',
          `initialBalance must be a positive ${currency} amount with at most ${asset.scale} decimals`,
          {
            field: 'initialBalance',
          },
        );
      }
      initial = parsed.value;
    }
    const token = newToken();
    const now = this.o.now();
    const row: AccountRow = {
      id: crypto.randomUUID(),
      userId,
      name,
      venue: driver.name,
      mode,
      enabled: true,
      baseCurrency: currency,
      tokenHash: sha256(token),
      tokenHint: token.slice(-4),
      paperConfig,
      brokerSettings: null,
      credentialsRef: null,
      outageQueueMs: 0,
      createdAt: now,
      updatedAt: now,
      lastSyncedAt: null,
    };
    this.o.store.write('accounts.create', () => this.repo.insert(row));
    this.remember(row);
    if (initial > 0n) {
      try {
        await this.paper.fund(row, initial, `demo balance of ${name}`);
      } catch (error) {
        // No account without its balance: undo the row (it has no fills or positions yet).
        this.o.store.write('accounts.create.undo', () => this.repo.delete(row.id, now));
        this.forget(row);
        throw error;
      }
    }
    return this.withToken(row, token);
  }

  /**
   * A broker account: the connection is tested (and the credentials stored in the secret
   * store) before the row is written, so a wrong key leaves nothing behind.
   */
  private async createBroker(
    userId: string,
    name: string,
    mode: 'demo' | 'live',
    driver: VenueDriver,
    input: InputOf<typeof accountsCreate>,
  ) {
    if (input.paperConfig || input.initialBalance) {
      throw new AppError(
        'validation_failed',
        'paperConfig and initialBalance are for paper accounts',
        {
          field: input.paperConfig ? 'paperConfig' : 'initialBalance',
        },
      );
    }
    const def = this.brokers.definition(driver.name)!;
    const id = crypto.randomUUID();
    const { settings, report } = await this.brokers.connect(id, def, input, mode);
    // A venue that calls Bourse (the MetaTrader EA) presents a token Bourse issued: shown
    // once, kept as its hash among the settings (never shown back).
    const bridge = def.inbound ? newBridgeToken() : null;
    if (bridge) settings[BRIDGE_HASH] = bridge.hash;
    const token = newToken();
    const now = this.o.now();
    const row: AccountRow = {
      id,
      userId,
      name,
      venue: driver.name,
      mode,
      enabled: true,
      baseCurrency: input.baseCurrency ?? report.account.currency ?? driver.defaultCurrency,
      tokenHash: sha256(token),
      tokenHint: token.slice(-4),
      paperConfig: null,
      brokerSettings: settings,
      credentialsRef: this.brokers.credentialsRefFor(id, input.credentials),
      outageQueueMs: (input.outageQueueSec ?? 0) * 1000,
      createdAt: now,
      updatedAt: now,
      lastSyncedAt: null,
    };
    try {
      this.o.store.write('accounts.create', () => this.repo.insert(row));
    } catch (error) {
      await this.brokers.forgetCredentials(row);
      throw error;
    }
    this.remember(row);
    this.brokers.ensure(row).catch(() => undefined);
    return {
      ...this.withToken(row, token),
      connection: report,
      ...(bridge ? { bridgeToken: bridge.token } : {}),
    };
  }

  update(userId: string, input: InputOf<typeof accountsUpdate>) {
    const a = this.own(userId, input.id);
    const next: AccountRow = { ...a, updatedAt: this.o.now() };
    if (input.name !== undefined) {
      const name = input.name.trim();
      if (this.repo.nameTaken(userId, name, a.id))
        throw new AppError('conflict', `You already have an account named "${name}"`, {
          field: 'name',
        });
      next.name = name;
    }
    if (input.enabled !== undefined) next.enabled = input.enabled;
    if (input.paperConfig) {
      if (!a.paperConfig)
        throw new AppError('validation_failed', 'paperConfig is for paper accounts', {
          field: 'paperConfig',
        });
      next.paperConfig = this.checkedConfig({ ...a.paperConfig, ...input.paperConfig });
    }
    this.o.store.write('accounts.update', () => this.repo.update(next));
    this.remember(next);
    if (this.drivers.get(next.venue)?.external && next.enabled !== a.enabled) {
      // Disabled: the session (and its stream) stops; enabled: it starts again.
      if (!next.enabled) void this.brokers.release(next.id);
      else this.brokers.ensure(next).catch(() => undefined);
    }
    return this.view(next);
  }

  regenerateToken(userId: string, id: string) {
    const a = this.own(userId, id);
    const token = newToken();
    const next = {
      ...a,
      tokenHash: sha256(token),
      tokenHint: token.slice(-4),
      updatedAt: this.o.now(),
    };
    this.o.store.write('accounts.token', () => this.repo.update(next));
    this.byHash.delete(a.tokenHash);
    this.remember(next);
    return this.withToken(next, token);
  }

  async delete(userId: string, id: string) {
    const a = this.own(userId, id);
    const open = this.driver(a.venue).openPositions(a);
    if (open > 0) {
      throw new AppError(
        'positions_open',
        `${a.name} has ${open} open position${open === 1 ? '' : 's'}; close ${open === 1 ? 'it' : 'them'} before deleting the account`,
        { openPositions: open },
      );
    }
    if (a.venue === 'paper') await this.paper.cancelPending(a, {});
    // The demo balance goes back to the paper broker, so deleted accounts hold nothing.
    const left = a.venue === 'paper' ? this.paper.balance(a) : 0n;
    if (left > 0n) await this.paper.fund(a, -left, `${a.name} deleted`);
    this.o.store.write('accounts.delete', () => this.repo.delete(a.id, this.o.now()));
    this.forget(a);
    if (this.drivers.get(a.venue)?.external) {
      await this.brokers.release(a.id);
      await this.brokers.forgetCredentials(a);
    }
    return { ok: true as const };
  }

  async sync(userId: string, id: string) {
    const a = this.own(userId, id);
    await this.driver(a.venue).sync(a);
    const next = { ...a, lastSyncedAt: this.o.now() };
    this.o.store.write('accounts.sync', () => this.repo.update(next));
    this.remember(next);
    return this.view(next);
  }

  positions(userId: string, id: string) {
    const a = this.own(userId, id);
    const rows = a.venue === 'paper' ? this.repo.positions(a.id) : [];
    return {
      items: rows.map((r) => positionView(this.paper, r, a)),
      summary: this.view(a).summary,
    };
  }

  fills(userId: string, id: string, limit = 100) {
    const a = this.own(userId, id);
    return { items: this.repo.fills(a.id, limit).map(fillView) };
  }

  // ---- reads for analytics -------------------------------------------------------------

  /** Every fill of a paper account up to `until`, oldest first. */
  paperFills(accountId: string, until: number): FillRow[] {
    return this.repo.fillsUntil(accountId, until);
  }

  /** Every stored fill of a broker account up to `until`, oldest first. */
  brokerFills(accountId: string, until: number) {
    return this.brokers.fills.until(accountId, until);
  }

  /** The fill a waiting paper order became; null while it waits, or once cancelled. */
  paperOrderFill(pendingId: number): number | null {
    return this.repo.pending(pendingId)?.fillId ?? null;
  }

  /** Paper accounts with a position on one of `symbols` (their P&L moves with its price). */
  paperAccountsHolding(symbols: ReadonlySet<string>): string[] {
    const ids = new Set<string>();
    for (const p of this.repo.allPositions()) if (symbols.has(p.symbol)) ids.add(p.accountId);
    return [...ids];
  }

  /** Orders, closes and brackets on paper accounts (`paper-trading.ts`). */
  readonly paperTrading: PaperTrading;

  /** Set when the backend stops: no more checks start. */
  stopped = false;
  private checking: Promise<number> | null = null;

  /** Waits for a running check, then refuses new ones (the database is about to close). */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.checking?.catch(() => undefined);
    await this.brokers.stop();
  }

  /** Applies brackets and stop-out to every paper account holding `symbol` (or any). */
  checkPaper(symbols?: Set<string>): Promise<number> {
    if (this.stopped) return Promise.resolve(0);
    const run = (this.checking ?? Promise.resolve(0))
      .catch(() => 0)
      .then(() => (this.stopped ? 0 : this.checkNow(symbols)));
    this.checking = run;
    return run;
  }

  private checkNow(symbols?: Set<string>): Promise<number> {
    return checkAccounts(this.jobDeps(), symbols);
  }

  /** Posts the current financing period of every future/CFD position (`paper-jobs.ts`). */
  chargeFinancing(): Promise<number> {
    return chargeAllFinancing(this.jobDeps());
  }

  private jobDeps(): PaperJobDeps {
    return {
      paper: this.paper,
      exchange: this.o.exchange,
      repo: this.repo,
      instruments: this.instruments,
      account: (id) => {
        const a = this.byId.get(id);
        return a?.paperConfig && !this.stopped ? a : null;
      },
      log: this.o.log,
    };
  }

  hasPaperAccounts(): boolean {
    for (const a of this.byId.values()) if (a.venue === 'paper') return true;
    return false;
  }

  // ---- views ---------------------------------------------------------------------------

  list(userId: string) {
    return { items: this.rowsOf(userId).map((a) => this.view(a)) };
  }

  view(a: AccountRow) {
    return accountView(a, this.driver(a.venue), (x) => this.paper.scaleOf(x));
  }

  private summaryOf(a: AccountRow) {
    return summaryView(a, this.driver(a.venue), (x) => this.paper.scaleOf(x));
  }

  private withToken(a: AccountRow, token: string) {
    return { account: this.view(a), webhookToken: token, webhookPath: `/hooks/tv/${token}` };
  }

  private automationView(a: AccountRow): AutomationAccount {
    return { id: a.id, userId: a.userId, name: a.name, enabled: a.enabled, venue: a.venue };
  }

  /** The enabled account whose MetaTrader bridge token this is, or null (the bridge door asks). */
  accountForBridgeToken(token: string): string | null {
    const id = this.byBridgeHash.get(hashBridgeToken(token));
    const a = id ? this.byId.get(id) : undefined;
    return a?.enabled ? a.id : null;
  }

  private remember(a: AccountRow) {
    const old = this.byId.get(a.id);
    if (old && old.tokenHash !== a.tokenHash) this.byHash.delete(old.tokenHash);
    this.byId.set(a.id, a);
    this.byHash.set(a.tokenHash, a.id);
    const bridgeHash = a.brokerSettings?.[BRIDGE_HASH];
    if (bridgeHash) this.byBridgeHash.set(bridgeHash, a.id);
  }

  private forget(a: AccountRow) {
    this.byId.delete(a.id);
    this.byHash.delete(a.tokenHash);
    const bridgeHash = a.brokerSettings?.[BRIDGE_HASH];
    if (bridgeHash) this.byBridgeHash.delete(bridgeHash);
    this.venues.delete(a.id);
  }

  private driver(name: string): VenueDriver {
    const d = this.drivers.get(name);
    if (!d) throw new AppError('unknown_venue', `Venue ${name} is not available in this build`);
    return d;
  }

  private checkedConfig(c: PaperConfig): PaperConfig {
    const problem = paperConfigProblem(c);
    if (problem) throw new AppError('invalid_paper_config', problem, { field: 'paperConfig' });
    return c;
  }

  private current(id: string): AccountRow {
    const a = this.byId.get(id);
    if (!a) throw new AppError('unknown_account', `Account ${id} was deleted`);
    return a;
  }
}
