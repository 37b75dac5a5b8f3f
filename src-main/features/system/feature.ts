import {
  AppError,
  adminAuditList,
  jobsList,
  jobsRuns,
  jobsTrigger,
  notificationsList,
  notificationsMarkRead,
  systemHealth,
  systemVersion,
} from '../../../src-shared/contract';
import { defineFeature } from '../feature';
import { toJobRunView } from '../../jobs/scheduler';
import { secretsStatusOf } from '../secrets/feature';
import { bind } from '../../operations/registry';
import { userIdOf, type Principal } from '../../operations/principal';

declare const __BOURSE_VERSION__: string | undefined;

/** The version from package.json (injected at build time, read from disk otherwise). */
export function appVersion(): string {
  if (typeof __BOURSE_VERSION__ === 'string') return __BOURSE_VERSION__;
  return process.env.npm_package_version ?? '0.1.0';
}

function isAdmin(principal: Principal): boolean {
  return principal.kind !== 'anonymous' && principal.permissions.has('admin.system');
}

/** Health, version, jobs, notifications and the audit trail: the backend's own operations. */
export const systemFeature = defineFeature({
  name: 'system',
  setup(ctx) {
    const started = ctx.config.now();
    ctx.registry.registerAll([
      bind(systemHealth, () => {
        const checks: Record<string, string> = {};
        try {
          ctx.store.sqlite.prepare('SELECT 1').get();
          checks.database = 'ok';
        } catch (err) {
          checks.database = (err as Error).message;
        }
        const secrets = secretsStatusOf(ctx.secrets);
        checks.secrets = secrets.state === 'ready' ? 'ok' : secrets.description;
        const degraded = checks.database !== 'ok';
        return {
          status: degraded ? ('degraded' as const) : ('ok' as const),
          uptimeMs: ctx.config.now() - started,
          checks,
        };
      }),
      bind(systemVersion, () => ({
        name: 'Bourse',
        version: appVersion(),
        node: process.versions.node,
        mode: ctx.config.mode,
        schemaVersion: ctx.store.schemaVersion(),
        apiBaseUrl: ctx.listeningUrl(),
      })),
      bind(jobsList, () => ({
        items: ctx.scheduler.definitions().map((def) => {
          const last = ctx.scheduler.lastRun(def.name);
          return {
            name: def.name,
            description: def.description,
            schedule: def.schedule ?? null,
            nextRunAt: ctx.scheduler.nextRunAt(def.name),
            lastRun: last ? toJobRunView(last) : null,
          };
        }),
      })),
      bind(jobsRuns, (input) => ({
        items: ctx.scheduler.runs(input.job, input.limit ?? 50).map(toJobRunView),
      })),
      bind(jobsTrigger, (input, op) => {
        if (!ctx.scheduler.definitions().some((d) => d.name === input.name)) {
          throw new AppError('not_found', `No job named "${input.name}"`);
        }
        const runId = ctx.scheduler.enqueue(input.name, null);
        ctx.audit.recordFor(op, 'job.trigger', input.name, { runId });
        return { runId };
      }),
      bind(adminAuditList, (input) => ctx.audit.list(input)),
      bind(notificationsList, (input, op) => ({
        items: ctx.notifications.list(
          userIdOf(op.principal),
          isAdmin(op.principal),
          input.unreadOnly ?? false,
          input.limit ?? 100,
        ),
      })),
      bind(notificationsMarkRead, (input, op) => ({
        updated: ctx.notifications.markRead(
          userIdOf(op.principal),
          isAdmin(op.principal),
          input.ids,
        ),
      })),
    ]);
    return { provides: {} };
  },
});
