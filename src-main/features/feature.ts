import type { BackendConfig } from '../config';
import type { DatabaseHandle } from '../db/database';
import type { EventHub } from '../events/hub';
import type { JobScheduler } from '../jobs/scheduler';
import type { Authenticator } from '../operations/auth';
import type { Principal } from '../operations/principal';
import type { OperationRegistry } from '../operations/registry';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import type { SecretStore } from '../secrets/secret-store';
import type { AuditLog } from './audit/audit-log';
import type { NotificationService } from './notifications/service';

/**
 * The live connections a feature may end (a banned user's, a revoked key's). Declared here so
 * a feature knows no door: the WebSocket server satisfies it.
 */
export interface LiveConnections {
  /** Closes connections whose principal matches, with a reason the client sees. */
  closeWhere(match: (principal: Principal) => boolean, reason: string): number;
}

/** What the composition root hands every feature while it sets itself up. */
export interface FeatureContext {
  config: BackendConfig;
  store: DatabaseHandle;
  hub: EventHub;
  log: Logger;
  metrics: Metrics;
  registry: OperationRegistry;
  scheduler: JobScheduler;
  notifications: NotificationService;
  /** The audit trail every feature records its security- and money-relevant actions in. */
  audit: AuditLog;
  secrets: SecretStore;
  /** Replaces the default (no accounts) authenticator; identity calls this. */
  setAuthenticator(authenticator: Authenticator): void;
  /** Where the HTTP server listens (its real port), or null until it does. */
  listeningUrl(): string | null;
  /** The listening URL, or before the server listens the configured host and port. */
  baseUrl(): string;
  /** Live connections (none until the transports are built: closing then does nothing). */
  connections(): LiveConnections;
}

/**
 * What a feature's setup hands back: the services it offers later features (`provides`), and
 * what it runs while the backend is up. A fresh handle per backend: tests run several at once.
 */
export interface FeatureHandle<P> {
  provides: P;
  /** After every feature is set up and the database is ready (e.g. rebuild books). */
  start?(): void | Promise<void>;
  /** Before the database closes, in reverse order. */
  stop?(): void | Promise<void>;
}

/**
 * A capability of the backend (system, exchange, identity, …): given the context and the typed
 * services of the features set up before it (`deps`), it builds its own, registers its
 * operations and jobs, and returns its handle.
 */
export interface Feature<Deps = object, Provides = object> {
  name: string;
  setup(
    ctx: FeatureContext,
    deps: Deps,
  ): FeatureHandle<Provides> | Promise<FeatureHandle<Provides>>;
}

/** Declares a feature; the types of `deps` and `provides` follow from its `setup`. */
export function defineFeature<Deps = object, Provides = object>(
  feature: Feature<Deps, Provides>,
): Feature<Deps, Provides> {
  return feature;
}
