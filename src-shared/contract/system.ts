import { Type } from '@sinclair/typebox';
import { Empty, Obj, TimestampMs } from './common';
import { defineOperation } from './define';

export const systemHealth = defineOperation({
  name: 'system.health',
  summary: 'Liveness and readiness of the backend',
  access: 'public',
  http: { method: 'GET', path: '/health' },
  input: Empty,
  output: Obj({
    status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
    uptimeMs: Type.Integer(),
    checks: Type.Record(Type.String(), Type.Union([Type.Literal('ok'), Type.String()])),
  }),
});

export const systemVersion = defineOperation({
  name: 'system.version',
  summary: 'Application version and runtime',
  access: 'public',
  http: { method: 'GET', path: '/version' },
  input: Empty,
  output: Obj({
    name: Type.String(),
    version: Type.String(),
    node: Type.String(),
    mode: Type.Union([Type.Literal('desktop'), Type.Literal('headless')]),
    schemaVersion: Type.Integer({ description: 'Number of database migrations applied' }),
    apiBaseUrl: Type.Union([Type.String(), Type.Null()], {
      description:
        'Where this backend answers HTTP on this machine (REST under /api/v1, the Binance-compatible API under /api/v3, docs at /docs); null while it does not listen',
    }),
  }),
});

export const JobRun = Obj({
  id: Type.Integer(),
  job: Type.String(),
  status: Type.Union(
    ['queued', 'running', 'succeeded', 'failed', 'cancelled'].map((s) => Type.Literal(s)),
  ),
  attempt: Type.Integer(),
  progress: Type.Union([Type.Number(), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
  correlationId: Type.String(),
  tsQueued: TimestampMs,
  tsStarted: Type.Union([TimestampMs, Type.Null()]),
  tsFinished: Type.Union([TimestampMs, Type.Null()]),
});

export const jobsList = defineOperation({
  name: 'jobs.list',
  summary: 'Registered jobs with their schedule and last run',
  access: 'admin.system',
  http: { method: 'GET', path: '/jobs' },
  input: Empty,
  output: Obj({
    items: Type.Array(
      Obj({
        name: Type.String(),
        description: Type.String(),
        schedule: Type.Union([Type.String(), Type.Null()]),
        nextRunAt: Type.Union([TimestampMs, Type.Null()]),
        lastRun: Type.Union([JobRun, Type.Null()]),
      }),
    ),
  }),
});

export const jobsRuns = defineOperation({
  name: 'jobs.runs',
  summary: 'Run history, newest first',
  access: 'admin.system',
  http: { method: 'GET', path: '/jobs/runs' },
  input: Obj({
    job: Type.Optional(Type.String({ maxLength: 100 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  }),
  output: Obj({ items: Type.Array(JobRun) }),
});

export const jobsTrigger = defineOperation({
  name: 'jobs.trigger',
  summary: 'Run a registered job now',
  access: 'admin.system',
  mutates: true,
  http: { method: 'POST', path: '/jobs/:name/trigger' },
  input: Obj({ name: Type.String({ minLength: 1, maxLength: 100 }) }),
  output: Obj({ runId: Type.Integer() }),
});

export const Notification = Obj({
  id: Type.Integer(),
  level: Type.Union([Type.Literal('info'), Type.Literal('warning'), Type.Literal('error')]),
  kind: Type.String(),
  title: Type.String(),
  body: Type.String(),
  tsCreated: TimestampMs,
  tsRead: Type.Union([TimestampMs, Type.Null()]),
});

export const notificationsList = defineOperation({
  name: 'notifications.list',
  summary: "The caller's notifications (and system ones for admins), newest first",
  access: 'authenticated',
  http: { method: 'GET', path: '/notifications' },
  input: Obj({
    unreadOnly: Type.Optional(Type.Boolean()),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  }),
  output: Obj({ items: Type.Array(Notification) }),
});

export const notificationsMarkRead = defineOperation({
  name: 'notifications.markRead',
  summary: 'Mark notifications as read',
  access: 'authenticated',
  mutates: true,
  http: { method: 'POST', path: '/notifications/read' },
  input: Obj({ ids: Type.Array(Type.Integer(), { minItems: 1, maxItems: 500 }) }),
  output: Obj({ updated: Type.Integer() }),
});

export const systemOperations = [
  systemHealth,
  systemVersion,
  jobsList,
  jobsRuns,
  jobsTrigger,
  notificationsList,
  notificationsMarkRead,
] as const;
