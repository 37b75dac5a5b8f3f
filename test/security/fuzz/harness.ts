import { createOwner, createUser, enableTwoFactor, type TestSession } from '../../helpers/auth';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import { generateCase, type FuzzCase, type ParamPool } from './generator';
import { operationsOf, type FuzzOperation, type OpenApiDocument } from './openapi';
import { judge, prototypeSnapshot, type Answer } from './oracle';
import { Rng } from './values';

/**
 * Operations the owner's session does not fuzz, because their success would end the run;
 * anonymous and forged callers still reach them. Others that could end it need a secret the
 * fuzzer never sends (the password for account.changePassword and twoFactor.*, a session id for
 * sessions.revoke), and admin actions on users (ban, role, end sessions) get the victim's id,
 * never the owner's.
 */
export const SANDBOXED: Readonly<Record<string, string>> = {
  'auth.logout': "ends the fuzz owner's session",
};

export interface FuzzFailure {
  c: FuzzCase;
  answer: Answer;
  problems: string[];
}

export interface FuzzReport {
  seed: number;
  requests: number;
  operations: string[];
  statuses: Map<number, number>;
  /** Requests per operation id that got past authentication (not 401). */
  reached: Map<string, number>;
  failures: FuzzFailure[];
  /** Prototype pollution seen after the run (`({}).polluted`, new prototype keys). */
  pollution: string[];
  ms: number;
}

interface Fuzzer {
  backend: TestBackend;
  ops: FuzzOperation[];
  pool: ParamPool;
  owner: TestSession;
  ownerSince: number;
  /** The owner's paper account's webhook token: the owner's credential at the webhook doors. */
  webhookToken: string;
}

/**
 * A backend on a temp directory with the general rate limiter off (a fuzz burst would only
 * meet 429s), an owner with 2FA, and a victim trader whose id fills `{userId}`.
 */
async function setUp(): Promise<Fuzzer> {
  const backend = await startTestBackend({ rateLimitPerMinute: false });
  const owner = await enableTwoFactor(backend, await createOwner(backend));
  const victim = await createUser(backend, 'trader');
  const doc = (
    await backend.http.inject({ method: 'GET', url: '/docs/json' })
  ).json() as OpenApiDocument;
  const jobs = await backend.http.inject({
    method: 'GET',
    url: '/api/v1/jobs',
    headers: owner.headers,
  });
  const jobNames = (jobs.json() as { items: Array<{ name: string }> }).items.map((j) => j.name);
  // A real webhook token for `{token}`: the webhook's handlers run past authentication on
  // purpose, not only when a seed happens to send a body the door refuses before the token.
  const account = await backend.http.inject({
    method: 'POST',
    url: '/api/v1/accounts',
    headers: { ...owner.headers, 'content-type': 'application/json' },
    payload: JSON.stringify({ venue: 'paper', name: 'Fuzz paper' }),
  });
  const webhookToken = (account.json() as { webhookToken: string }).webhookToken;
  return {
    backend,
    ops: operationsOf(doc),
    pool: {
      userId: [victim.userId],
      name: jobNames,
      id: ['1', '2'],
      broker: ['paper', 'local'],
      token: [webhookToken],
    },
    webhookToken,
    owner,
    ownerSince: Date.now(),
  };
}

/** Access tokens live 15 minutes; a long run swaps them through the refresh token. */
async function keepOwnerFresh(f: Fuzzer): Promise<void> {
  if (Date.now() - f.ownerSince < 10 * 60_000) return;
  const res = await f.backend.http.inject({
    method: 'POST',
    url: '/api/v1/auth/refresh',
    payload: { refreshToken: f.owner.refreshToken },
  });
  const body = res.json() as { accessToken: string; refreshToken: string };
  f.owner = { ...f.owner, ...body, headers: { authorization: `Bearer ${body.accessToken}` } };
  f.ownerSince = Date.now();
}

function headersFor(c: FuzzCase, f: Fuzzer): Record<string, string> {
  if (c.caller === 'owner' && c.op.permission === 'webhook-token')
    return { ...c.headers, authorization: `Bearer ${f.webhookToken}` };
  if (c.caller === 'owner') return { ...c.headers, ...f.owner.headers };
  if (c.caller === 'forged')
    return { ...c.headers, authorization: 'Bearer eyJhbGciOiJub25lIn0.e30.' };
  return c.headers;
}

async function send(f: Fuzzer, c: FuzzCase): Promise<Answer> {
  const res = await f.backend.http.inject({
    method: c.method as 'GET',
    url: c.url,
    headers: headersFor(c, f),
    ...(c.payload === undefined ? {} : { payload: c.payload }),
  });
  return {
    status: res.statusCode,
    contentType: String(res.headers['content-type'] ?? ''),
    body: res.body,
  };
}

/** Runs `requests` generated cases against a fresh backend and judges every answer. */
export async function runFuzz(opts: {
  seed: number;
  requests: number;
  onProgress?: (done: number) => void;
}): Promise<FuzzReport> {
  const started = Date.now();
  const before = prototypeSnapshot();
  const f = await setUp();
  const rng = new Rng(opts.seed);
  const report: FuzzReport = {
    seed: opts.seed,
    requests: 0,
    operations: f.ops.map((o) => o.id),
    statuses: new Map(),
    reached: new Map(),
    failures: [],
    pollution: [],
    ms: 0,
  };
  try {
    for (let n = 0; n < opts.requests; n++) {
      const c = generateCase(n, f.ops, f.pool, rng);
      if (c.caller === 'owner' && SANDBOXED[c.op.id]) c.caller = 'anonymous';
      if (n % 500 === 0) {
        await keepOwnerFresh(f);
        opts.onProgress?.(n);
      }
      const answer = await send(f, c);
      report.requests++;
      report.statuses.set(answer.status, (report.statuses.get(answer.status) ?? 0) + 1);
      if (answer.status !== 401)
        report.reached.set(c.op.id, (report.reached.get(c.op.id) ?? 0) + 1);
      const problems = judge(c, answer);
      if (problems.length) report.failures.push({ c, answer, problems });
    }
  } finally {
    await f.backend.cleanup();
  }
  if (({} as Record<string, unknown>).polluted !== undefined)
    report.pollution.push('({}).polluted is set');
  const after = prototypeSnapshot();
  if (after !== before) report.pollution.push(`prototype keys changed: ${before} -> ${after}`);
  report.ms = Date.now() - started;
  return report;
}

/** A failing case as something to paste: who, method, URL, body, and why it failed. */
export function reproducer(failure: FuzzFailure, seed: number): string {
  const { c, answer, problems } = failure;
  const body =
    c.payload === undefined
      ? ''
      : c.payload.length > 600
        ? `${c.payload.slice(0, 600)}… (${c.payload.length} chars)`
        : c.payload;
  return [
    `#${c.n} seed=${seed} ${c.op.id} as ${c.caller} [${c.mutation}]`,
    `  ${c.method} ${c.url.length > 300 ? `${c.url.slice(0, 300)}…` : c.url}`,
    ...Object.entries(c.headers).map(([k, v]) => `  ${k}: ${v}`),
    ...(body ? [`  ${body}`] : []),
    `  -> ${answer.status} ${answer.body.slice(0, 400)}`,
    `  ✗ ${problems.join('; ')}`,
  ].join('\n');
}

/** Status counts and failures, grouped by operation and rule, for a terminal. */
export function summary(r: FuzzReport, maxShown = 20): string {
  const statuses = [...r.statuses.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`);
  const byRule = new Map<string, FuzzFailure[]>();
  for (const fl of r.failures) {
    const key = `${fl.c.op.id}: ${fl.problems[0]!.replace(/\(.*$|: .*$/, '')}`;
    byRule.set(key, [...(byRule.get(key) ?? []), fl]);
  }
  const lines = [
    `fuzz seed=${r.seed} requests=${r.requests} operations=${r.operations.length} in ${(r.ms / 1000).toFixed(1)} s`,
    `statuses: ${statuses.join(' ')}`,
    `failures: ${r.failures.length} (${byRule.size} distinct)`,
    ...r.pollution.map((p) => `POLLUTION: ${p}`),
  ];
  for (const [key, list] of [...byRule.entries()].slice(0, maxShown)) {
    lines.push(`\n== ${key} (${list.length}×), first:`, reproducer(list[0]!, r.seed));
  }
  return lines.join('\n');
}
