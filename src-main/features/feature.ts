import type { FastifyInstance } from 'fastify';
import type { BackendConfig } from '../config';
import type { DatabaseHandle } from '../db/database';
import type { EventHub } from '../events/hub';
import type { JobScheduler } from '../jobs/scheduler';
import type { Authenticator } from '../operations/auth';
import type { OperationRegistry } from '../operations/registry';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import type { SecretStore } from '../secrets/secret-store';
import type { AuditLog } from './audit/audit-log';
import type { NotificationService } from './notifications/service';
import type { WsServerHandle } from '../transports/ws';

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
  /** Services shared between features, by name (e.g. `exchange`, `identity`). */
  services: Map<string, unknown>;
  /** Replaces the default (no accounts) authenticator; identity calls this. */
  setAuthenticator(authenticator: Authenticator): void;
  /** Extra HTTP routes outside the catalogue (webhook receivers, facades). */
  addRoutes(register: (app: FastifyInstance) => void | Promise<void>): void;
  /** Live WebSocket connections (available once the HTTP app is built). */
  ws(): WsServerHandle;
}

/**
 * A capability of the backend (system, exchange, identity, …): it builds its services,
 * registers its operations and jobs, and may run something while the backend is up.
 */
export interface Feature {
  name: string;
  setup(ctx: FeatureContext): void | Promise<void>;
  /** After every feature is set up and the database is ready (e.g. rebuild books). */
  start?(): void | Promise<void>;
  /** Before the database closes, in reverse order. */
  stop?(): void | Promise<void>;
}
