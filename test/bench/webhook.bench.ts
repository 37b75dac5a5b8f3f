/**
 * `npm run bench:webhook`: latency of a TradingView alert from receipt to acknowledged
 * execution, through the real HTTP receiver, on the local exchange and on the paper broker,
 * at 1, 10 and 100 alerts/s (open loop: requests leave on schedule whether or not earlier ones
 * have answered). Baseline, same server and same client: a Fastify hello-world POST.
 * Reported per run: client round trip p50/p95/p99 and the server's own receipt→answer time
 * (the webhook log's latency). Target: p99 < 60 ms. Figures are printed, never asserted.
 *
 * Then what one alert costs the server (process CPU, event-loop time and JavaScript heap
 * allocated per request, `cost/request-cost.ts`), against the hello-world's cost, from a
 * load generator in another process. `BENCH_WEBHOOK_ONLY=cost` runs that part alone (paired
 * before/after comparisons), `=latency` the first part alone.
 */
import http from 'node:http';
import type { FastifyInstance } from 'fastify';
import { login } from '../helpers/auth';
import { identityOf } from '../helpers/auth';
import { startTestBackend } from '../helpers/backend';
import { setUpTrading } from '../integration/automation/setup';
import { medianCost, requestCost, type CostRequest, type RequestCost } from './cost/request-cost';

const ONLY = process.env.BENCH_WEBHOOK_ONLY ?? '';
const RATES =
  ONLY === 'cost' ? [] : (process.env.BENCH_WEBHOOK_RATES ?? '1,10,100').split(',').map(Number);
/** Requests per cost measurement, and measurements per target (alternated, medians). */
const COST_N = Number(process.env.BENCH_WEBHOOK_COST_N ?? 2000);
const COST_ROUNDS = ONLY === 'latency' ? 0 : Number(process.env.BENCH_WEBHOOK_COST_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_WEBHOOK_SECONDS ?? 0);
/** Seconds per rate: enough samples for a p99 without taking minutes at 1/s. */
const secondsFor = (rate: number) => SECONDS || (rate === 1 ? 30 : rate === 10 ? 15 : 10);

/** The baseline: a route outside the catalogue, on the same server. */
const hello = (app: FastifyInstance) => {
  app.post('/bench/hello', async () => ({ hello: 'world' }));
};

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

function post(url: URL, path: string, body: string, type: string) {
  return new Promise<{ status: number; body: string; ms: number }>((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path,
        method: 'POST',
        agent,
        headers: { 'content-type': type },
      },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (data += c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: data,
            ms: Number(process.hrtime.bigint() - t0) / 1e6,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
}

interface Run {
  name: string;
  rate: number;
  rtt: number[];
  server: number[];
  errors: number;
}

/** Sends `rate` requests per second for `seconds`, on schedule, and waits for all answers. */
async function openLoop(
  name: string,
  rate: number,
  send: (i: number) => Promise<{ status: number; body: string; ms: number }>,
  serverMs: (body: string) => number | undefined,
): Promise<Run> {
  const n = rate * secondsFor(rate);
  const start = performance.now();
  const pending: Array<Promise<void>> = [];
  const run: Run = { name, rate, rtt: [], server: [], errors: 0 };
  for (let i = 0; i < n; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    pending.push(
      send(i).then(
        (r) => {
          if (r.status !== 200) {
            run.errors++;
            if (run.errors <= 3) console.error(`${name}: HTTP ${r.status} ${r.body.slice(0, 200)}`);
            return;
          }
          run.rtt.push(r.ms);
          const s = serverMs(r.body);
          if (s !== undefined) run.server.push(s);
        },
        () => void run.errors++,
      ),
    );
  }
  await Promise.all(pending);
  return run;
}

const f = (x: number) => (Number.isNaN(x) ? '   —  ' : x.toFixed(2).padStart(6));

async function main() {
  const backend = await startTestBackend(
    {
      rateLimitPerMinute: false,
      webhookRatePerMinute: false,
      // FULL (the default, a commit survives power loss) unless told otherwise for diagnosis.
      sqliteSynchronous: process.env.BENCH_WEBHOOK_SYNC === 'NORMAL' ? 'NORMAL' : 'FULL',
      sqliteBackgroundCheckpoints: process.env.BENCH_WEBHOOK_CHECKPOINTS !== 'inline',
    },
    { extraRoutes: [hello], checkOutputs: false },
  );
  const base = new URL(await backend.listen());
  await post(base, '/bench/hello', '{}', 'application/json');
  const setupToken = identityOf(backend).takeSetupToken();
  await backend.http.inject({
    method: 'POST',
    url: '/api/v1/setup/owner',
    payload: { email: 'bench@example.test', password: 'correct horse battery staple', setupToken },
  });
  const { userId } = await login(backend, 'bench@example.test');
  const trading = await setUpTrading(backend, userId, { paper: true, depth: '50', base: '5' });
  const latencyOf = backend.store.sqlite.prepare(
    'SELECT latency_us AS us FROM automation_webhook_log WHERE id = ?',
  );
  const serverOf = (body: string) => {
    const logId = (JSON.parse(body) as { logId?: number }).logId;
    const row = logId ? (latencyOf.get(logId) as { us: number } | undefined) : undefined;
    return row ? row.us / 1000 : undefined;
  };
  const alert = (prefix: string, i: number) =>
    JSON.stringify({
      version: 'unify.v1',
      id: `${prefix}-${i}`,
      intent: { side: i % 2 ? 'sell' : 'buy', type: 'market', symbol: 'BTC/USDT', qty: '0.001' },
    });

  // Warm-up (not measured): JIT, prepared statements, the first fsyncs.
  for (let i = 0; i < 50; i++) {
    await post(base, '/bench/hello', '{}', 'application/json');
    await post(base, `/hooks/tv/${trading.token}`, alert('warm', i), 'application/json');
  }
  const runs: Run[] = [];
  for (const rate of RATES) {
    runs.push(
      await openLoop(
        `hello-world POST (baseline)`,
        rate,
        () => post(base, '/bench/hello', '{"ping":1}', 'application/json'),
        () => undefined,
      ),
    );
    runs.push(
      await openLoop(
        `webhook → local exchange`,
        rate,
        (i) => post(base, `/hooks/tv/${trading.token}`, alert(`x${rate}`, i), 'application/json'),
        serverOf,
      ),
    );
    if (trading.paperToken) {
      const token = trading.paperToken;
      runs.push(
        await openLoop(
          `webhook → paper broker`,
          rate,
          (i) => post(base, `/hooks/tv/${token}`, alert(`p${rate}`, i), 'text/plain'),
          serverOf,
        ),
      );
    }
  }
  console.log(
    `\nbench:webhook — ${new Date().toISOString()} — Node ${process.version}, SQLite synchronous=${backend.config.sqliteSynchronous}, WAL checkpoints ${backend.config.sqliteBackgroundCheckpoints ? 'on a worker thread' : 'inside commits (SQLite default)'}`,
  );
  console.log(
    'ms, client round trip (p50 p95 p99) | server receipt→answer (p50 p95 p99) | n | errors',
  );
  for (const r of runs) {
    const server = r.server.length
      ? `${f(pct(r.server, 50))} ${f(pct(r.server, 95))} ${f(pct(r.server, 99))}`
      : '     (n/a)          ';
    console.log(
      `${String(r.rate).padStart(3)}/s  ${r.name.padEnd(30)} ${f(pct(r.rtt, 50))} ${f(pct(r.rtt, 95))} ${f(pct(r.rtt, 99))} | ${server} | ${String(r.rtt.length).padStart(4)} | ${r.errors}`,
    );
  }
  if (runs.length > 0) {
    const worst = Math.max(...runs.filter((r) => r.server.length).map((r) => pct(r.rtt, 99)));
    console.log(`\nworst webhook p99 round trip: ${worst.toFixed(2)} ms (target < 60 ms)`);
  }
  if (COST_ROUNDS > 0) await costs(base.href, trading);
  agent.destroy();
  await backend.cleanup();
}

/** What one request costs the server: hello-world, then an alert to each venue (see top). */
async function costs(url: string, trading: { token: string; paperToken?: string }): Promise<void> {
  const json = { 'content-type': 'application/json' };
  // The alert id is fresh per request (`[<id>]`): a repeated id would be refused as a
  // duplicate. Buys and sells alternate, so the account's cash and position last the run.
  const alert = (side: 'buy' | 'sell', path: string): CostRequest => ({
    method: 'POST',
    path,
    headers: json,
    body: JSON.stringify({
      version: 'unify.v1',
      id: `cost-[<id>]`,
      intent: { side, type: 'market', symbol: 'BTC/USDT', qty: '0.001' },
    }),
  });
  const alerts = (path: string) => [alert('buy', path), alert('sell', path)];
  const targets: Array<[string, CostRequest[]]> = [
    [
      'hello-world POST (baseline)',
      [{ method: 'POST', path: '/bench/hello', headers: json, body: '{"ping":1}' }],
    ],
    ['webhook → local exchange', alerts(`/hooks/tv/${trading.token}`)],
  ];
  if (trading.paperToken) {
    targets.push(['webhook → paper broker', alerts(`/hooks/tv/${trading.paperToken}`)]);
  }
  const connections = 4;
  const measured = new Map<string, RequestCost[]>(targets.map(([name]) => [name, []]));
  for (let round = 0; round < COST_ROUNDS; round++) {
    for (const [name, requests] of targets) {
      measured.get(name)!.push(await requestCost(url, requests, COST_N, connections));
    }
  }
  console.log(
    `\nCost per request on the server (${COST_N} requests × ${COST_ROUNDS} rounds, ${connections} connections, medians; load generator in another process)`,
  );
  console.log(
    '| target | requests | non-2xx | CPU µs | event loop µs | heap KB | CPU ÷ hello | heap ÷ hello |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  const hello = medianCost(measured.get(targets[0]![0])!);
  for (const [name] of targets) {
    const c = medianCost(measured.get(name)!);
    const ratio = (a: number, b: number) => (name === targets[0]![0] ? '' : (a / b).toFixed(1));
    console.log(
      `| ${name} | ${c.requests} | ${c.non2xx} | ${c.cpuUs.toFixed(0)} | ${c.loopUs.toFixed(0)} | ${c.allocKB.toFixed(1)} | ${ratio(c.cpuUs, hello.cpuUs)} | ${ratio(c.allocKB, hello.allocKB)} |`,
    );
  }
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
