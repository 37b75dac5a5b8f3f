import { AppError } from '../src-shared/contract';
import { builtInBrokers } from './connectors/brokers';
import type { BrokerDefinition } from './connectors/broker/port';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { BackendConfig } from './config';
import { openDatabase, type DatabaseHandle } from './db/database';
import { EventHub } from './events/hub';
import { ensurePrivateDir } from './file-modes';
import type { Feature, FeatureContext, FeatureHandle, LiveConnections } from './features/feature';
import {
  accountsFeature,
  analyticsFeature,
  automationFeature,
  backtestFeature,
  botsFeature,
  exchangeFeature,
  fundingFeature,
  identityFeature,
  marketDataFeature,
  secretsFeature,
  simulatorFeature,
  systemFeature,
  withdrawalsFeature,
} from './features';
import { JobScheduler, RUN_RETENTION } from './jobs/scheduler';
import { noAccountsAuthenticator, type Authenticator } from './operations/auth';
import type { Door } from './operations/context';
import type { Principal } from './operations/principal';
import { OperationRegistry } from './operations/registry';
import type { ExchangeQueries } from './features/exchange/queries';
import { appVersion } from './features/system/feature';
import { newCorrelationId, withScope } from './observability/context';
import { createLogger, type Logger } from './observability/logger';
import { createMetrics, type Metrics } from './observability/metrics';
import { migrationsDir } from './paths';
import { createSecretStore, type SecretStore } from './secrets/secret-store';
import { AuditLog } from './features/audit/audit-log';
import { NotificationService } from './features/notifications/service';
import { buildHttpApp, type HttpApp } from './transports/http/app';
import { listeningBaseUrl, localBaseUrl } from './transports/http/base-url';
import { registerWebhookRoutes } from './transports/webhook/routes';
import { registerBridgeRoutes } from './transports/bridge/routes';

type Routes = (app: FastifyInstance) => void | Promise<void>;

/** Handles to a running backend: the same object in Electron, headless mode and tests. */
export interface Backend {
  config: BackendConfig;
  log: Logger;
  metrics: Metrics;
  store: DatabaseHandle;
  hub: EventHub;
  registry: OperationRegistry;
  scheduler: JobScheduler;
  secrets: SecretStore;
  /** What the features provide, by name (`features.exchange`, `features.identity`, …). */
  features: BackendFeatures;
  /** The Fastify app (for `inject` in tests). */
  http: FastifyInstance;
  authenticator(): Authenticator;
  /** Calls an operation as a given principal (IPC door, scripts, tests). */
  invoke(name: string, input: unknown, principal: Principal, door?: Door): Promise<unknown>;
  /** Starts listening; resolves with the base URL. */
  listen(): Promise<string>;
  /** Graceful shutdown: stop accepting, close sockets, stop jobs, close the database. */
  close(timeoutMs?: number): Promise<void>;
}

/**
 * Sets the built-in features up in order, each given the typed services of those before it,
 * and collects their handles (for start and stop) in the same order.
 */
async function wireFeatures(
  ctx: FeatureContext,
  handles: Array<FeatureHandle<unknown>>,
  brokers: BrokerDefinition[],
) {
  const use = async <P>(handle: FeatureHandle<P> | Promise<FeatureHandle<P>>): Promise<P> => {
    const h = await handle;
    handles.push(h);
    return h.provides;
  };
  await use(systemFeature.setup(ctx, {}));
  await use(secretsFeature.setup(ctx, {}));
  const { identity } = await use(identityFeature.setup(ctx, {}));
  const { exchange, deadMan, exchangeQueries } = await use(
    exchangeFeature.setup(ctx, { identity }),
  );
  const { marketData } = await use(marketDataFeature.setup(ctx, { exchange }));
  const { simulator } = await use(simulatorFeature.setup(ctx, { exchange }));
  const { accounts, bridge, exitPlans } = await use(
    accountsFeature.setup(ctx, { exchange, exchangeOrders: orderOrNone(exchangeQueries), brokers }),
  );
  const { automation } = await use(automationFeature.setup(ctx, { accounts, identity }));
  const { backtest } = await use(backtestFeature.setup(ctx, { markets: exchange }));
  const { analytics } = await use(
    analyticsFeature.setup(ctx, { accounts, exchange, exchangeQueries, marketData, automation }),
  );
  const { bots } = await use(
    botsFeature.setup(ctx, { accounts, exchange, marketData, automation, backtest }),
  );
  const { funding } = await use(fundingFeature.setup(ctx, { exchange }));
  const { withdrawals } = await use(withdrawalsFeature.setup(ctx, { exchange, identity, funding }));
  return {
    identity,
    exchange,
    withdrawals,
    deadMan,
    marketData,
    simulator,
    accounts,
    bridge,
    exitPlans,
    automation,
    backtest,
    analytics,
    bots,
    funding,
  };
}

/** What the built-in features provide, by name: derived from the wiring, never restated. */
export type BackendFeatures = Awaited<ReturnType<typeof wireFeatures>>;

export interface BackendOptions {
  /**
   * Features set up after the built-in ones (test probes, benchmark baselines): they get every
   * built-in feature's services; what they provide stays theirs.
   */
  extraFeatures?: Array<Feature<BackendFeatures, unknown>>;
  /** HTTP routes outside the catalogue, added after the built-in ones (benchmark baselines). */
  extraRoutes?: Routes[];
  /** Validate handler outputs against their schemas (on in tests). */
  checkOutputs?: boolean;
  /** Broker venues beyond the built-in ones (tests: an in-memory broker). */
  extraBrokers?: BrokerDefinition[];
}

/**
 * Hourly, as SQLite advises for connections that stay open (the app runs for days); each pass
 * is bounded by `analysis_limit` and usually does nothing.
 */
export const DATABASE_OPTIMIZE_SCHEDULE = '41 * * * *';
export const JOBS_PRUNE_SCHEDULE = '29 * * * *';

/** The process-wide services every feature is given: logs, metrics, database, hub, jobs, secrets. */
async function openInfrastructure(config: BackendConfig, checkOutputs: boolean) {
  // Owner-only before anything is written inside it (file-modes.ts).
  const looseDataDir = ensurePrivateDir(config.dataDir);
  const log = createLogger({
    level: config.logLevel,
    dir: config.logToFile ? path.join(config.dataDir, 'logs') : undefined,
    stdout: config.mode === 'headless',
  });
  const tightened = (file: string) => log.warn({ file }, 'tightened permissions to owner-only');
  if (looseDataDir) tightened(config.dataDir);
  const metrics = createMetrics();
  const store = openDatabase({
    onTightened: tightened,
    file: path.join(config.dataDir, 'bourse.sqlite'),
    synchronous: config.sqliteSynchronous,
    nativeBinding: config.sqliteNativeBinding,
    migrationsDir: migrationsDir(),
    txHistogram: metrics.dbTransaction,
    backgroundCheckpoints: config.sqliteBackgroundCheckpoints,
    onCheckpointError: (err) =>
      log.warn({ err }, 'WAL checkpoint worker failed; SQLite checkpoints inside commits again'),
  });
  const hub = new EventHub();
  const registry = new OperationRegistry(metrics, checkOutputs);
  const notifications = new NotificationService(store, hub, config.now);
  const audit = new AuditLog(store, config.now);
  const scheduler = new JobScheduler(store, notifications, hub, log, config.now);
  scheduler.register({
    name: 'database.optimize',
    description: "Refreshes SQLite's query-planner statistics of tables that grew",
    schedule: DATABASE_OPTIMIZE_SCHEDULE,
    notifyOnFailure: false,
    run() {
      store.optimize();
      return {};
    },
  });
  scheduler.register({
    name: 'jobs.prune',
    description: `Deletes job runs queued over ${RUN_RETENTION.days} days ago (each job keeps its newest ${RUN_RETENTION.keepPerJob})`,
    schedule: JOBS_PRUNE_SCHEDULE,
    notifyOnFailure: false,
    async run() {
      return { deleted: await scheduler.prune(config.now()) };
    },
  });
  const secrets = await createSecretStore(config.secrets, config.dataDir, undefined, {
    passphrase: config.takeSecretsPassphrase?.(),
    kdf: config.secretsKdf,
  });
  if (secrets.kind === 'unavailable' || secrets.kind === 'encrypted-file') {
    log.warn(secrets.description);
  }
  return { log, metrics, store, hub, registry, notifications, audit, scheduler, secrets };
}

type Infrastructure = Awaited<ReturnType<typeof openInfrastructure>>;

/** An order of a user as the exchange's queries read it, or undefined when there is none. */
function orderOrNone(q: ExchangeQueries) {
  return (userId: string, ref: { orderId?: number; clientOrderId?: string }) => {
    try {
      return q.getOrder(userId, ref);
    } catch (error) {
      if (error instanceof AppError && error.code === 'unknown_order') return undefined;
      throw error;
    }
  };
}

/**
 * The doors are built before the identity feature may install the real authenticator, so
 * they hold this one, which asks whichever authenticator is current on every call.
 */
function delegatingAuthenticator(current: () => Authenticator): Authenticator {
  return {
    fromHttp: (c) => current().fromHttp(c),
    fromToken: (t, ip) => current().fromToken(t, ip),
    stillValid: (p) => current().stillValid?.(p) ?? true,
    fromKeySignature: (m) => {
      const authenticator = current();
      if (!authenticator.fromKeySignature) {
        throw new AppError('unauthenticated', 'No accounts exist yet: keys cannot be checked');
      }
      return authenticator.fromKeySignature(m);
    },
  };
}

/** How long open connections may take to finish (answers, WebSocket close handshakes). */
const HTTP_CLOSE_GRACE_MS = 2_000;

/**
 * Closes the HTTP door: answers in flight and WebSocket close handshakes get `graceMs`, then
 * whatever connection is still open is cut. A client that holds a connection (a window that
 * does not answer the close frame, a bot mid-request) must not keep the features from
 * stopping: the shutdown timeout would otherwise close the database under running timers and
 * broker sessions.
 */
async function closeHttp(httpApp: HttpApp, graceMs: number): Promise<void> {
  const closed = httpApp.app.close();
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), graceMs);
  });
  const outcome = await Promise.race([closed.then(() => 'closed' as const), grace]);
  clearTimeout(timer);
  if (outcome === 'late') {
    httpApp.sockets.destroyAll();
    await closed;
  }
}

/**
 * Graceful shutdown: stop accepting, close sockets (cutting those still open after a grace),
 * stop jobs, stop the features in reverse order, then close the database, after `timeoutMs`
 * even if a step hangs.
 */
async function shutdown(
  { log, scheduler, hub, store }: Infrastructure,
  httpApp: HttpApp,
  handles: ReadonlyArray<FeatureHandle<unknown>>,
  timeoutMs: number,
): Promise<void> {
  // Set when the timeout wins: the database closes, so no feature may start stopping after.
  let abandoned = false;
  const steps = async () => {
    httpApp.ws.closeAll('server shutting down');
    await closeHttp(httpApp, Math.min(HTTP_CLOSE_GRACE_MS, timeoutMs / 4));
    await scheduler.stop();
    for (const handle of [...handles].reverse()) {
      if (abandoned) return;
      await handle.stop?.();
    }
    hub.clear();
  };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      log.warn({ timeoutMs }, 'shutdown timed out; closing the database anyway');
      resolve();
    }, timeoutMs);
  });
  const running = steps().catch((err: unknown) => log.error({ err }, 'shutdown step failed'));
  try {
    await Promise.race([running, timeout]);
  } finally {
    abandoned = true;
    clearTimeout(timer);
    // The WAL checkpoint worker's connection closes first, so the main connection's close is
    // the last: it checkpoints and removes the WAL before shutdown returns (bounded: a stuck
    // worker must not hold the shutdown).
    if (store.checkpointer) {
      let guard: NodeJS.Timeout | undefined;
      const bound = new Promise<void>((resolve) => (guard = setTimeout(resolve, 2_000)));
      await Promise.race([store.checkpointer.stop(), bound]);
      clearTimeout(guard);
    }
    store.close();
    log.flush?.();
  }
}

/** The composition root. Builds everything; nothing listens until `listen()`. */
export async function createBackend(
  config: BackendConfig,
  options: BackendOptions = {},
): Promise<Backend> {
  const infra = await openInfrastructure(config, options.checkOutputs ?? false);
  const { log, metrics, store, hub, registry, scheduler, secrets } = infra;
  let authenticator: Authenticator = noAccountsAuthenticator;
  // Built after the features, but features may ask for it later.
  const built: { http?: HttpApp } = {};
  const listeningUrl = () => (built.http ? listeningBaseUrl(built.http.app, config.host) : null);
  const noConnections: LiveConnections = { closeWhere: () => 0 };

  const ctx: FeatureContext = {
    ...infra,
    config,
    setAuthenticator: (a) => (authenticator = a),
    listeningUrl,
    baseUrl: () => listeningUrl() ?? localBaseUrl(config.host, config.port),
    connections: () => built.http?.ws ?? noConnections,
  };
  const handles: Array<FeatureHandle<unknown>> = [];
  const features = await wireFeatures(ctx, handles, [
    ...builtInBrokers(),
    ...(options.extraBrokers ?? []),
  ]);
  for (const extra of options.extraFeatures ?? []) handles.push(await extra.setup(ctx, features));

  const httpApp = await buildHttpApp({
    config,
    registry,
    authenticator: delegatingAuthenticator(() => authenticator),
    hub,
    metrics,
    log,
    version: appVersion(),
    extraRoutes: [
      (app) => registerWebhookRoutes(app, () => features.automation.pipeline),
      (app) =>
        registerBridgeRoutes(app, {
          hub: features.bridge,
          accountForToken: (token) => features.accounts.accountForBridgeToken(token),
          now: config.now,
        }),
      ...(options.extraRoutes ?? []),
    ],
  });
  built.http = httpApp;
  for (const handle of handles) await handle.start?.();
  scheduler.start();

  let closing: Promise<void> | undefined;
  return {
    config,
    log,
    metrics,
    store,
    hub,
    registry,
    scheduler,
    secrets,
    features,
    http: httpApp.app,
    authenticator: () => authenticator,
    invoke(name, input, principal, door = 'internal') {
      const correlationId = newCorrelationId();
      return withScope({ correlationId }, () =>
        registry.invoke(name, input, { principal, correlationId, door, log }),
      );
    },
    async listen() {
      return httpApp.app.listen({ host: config.host, port: config.port });
    },
    close(timeoutMs = 10_000) {
      closing ??= shutdown(infra, httpApp, handles, timeoutMs);
      return closing;
    },
  };
}
