/**
 * `npm run bench:bots`: what running bots costs the rest of the backend. The simulator trades
 * BTC/USDT on the local exchange; N ma-crossover bots (each its own fast/slow pair) run on one
 * paper account, every bot replaying its strategy over its window on each closed bar. The
 * clock runs SPEED times faster than real time (one 1-minute bar per real second at 60×) and
 * the runner is stepped once per real second, so every second every bot processes a new bar.
 * Measured in the same run, without bots and then with them: the event-loop delay p99 (how
 * long a request can wait for the thread) and the round trip p99 of webhook alerts sent at a
 * steady rate to the local exchange. Figures are printed, never asserted.
 *
 * Every bot's window holds 1,000 warm-up bars of seeded history plus the live bars.
 *
 * Knobs: BENCH_BOTS (default 50), BENCH_BOTS_SECONDS per phase (20), BENCH_BOTS_RATE alerts/s (10).
 */
import http from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ROLE_PERMISSIONS } from '../../src-shared/contract';
import type { Principal } from '../../src-main/operations/principal';
import { createOwner } from '../helpers/auth';
import { startTestBackend, type TestBackend } from '../helpers/backend';
import { fund } from '../helpers/exchange';

const BOTS = Number(process.env.BENCH_BOTS ?? 50);
const SECONDS = Number(process.env.BENCH_BOTS_SECONDS ?? 20);
const RATE = Number(process.env.BENCH_BOTS_RATE ?? 10);
const SPEED = 60;
/** Simulated minutes before bots start: their warm-up bars. */
const WARM_BARS = 12;
/** Bars of stored history before the run: every bot's warm-up is full (1,000 bars). */
const HISTORY = 1_100;

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function post(url: URL, path: string, body: string) {
  return new Promise<{ status: number; ms: number }>((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path,
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, ms: Number(process.hrtime.bigint() - t0) / 1e6 }),
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Phase {
  name: string;
  lagP99: number;
  lagMax: number;
  rttP50: number;
  rttP99: number;
  alerts: number;
  errors: number;
}

/** Alerts at RATE/s for SECONDS (open loop) while the event-loop delay is sampled. */
async function measure(name: string, send: (i: number) => Promise<{ status: number; ms: number }>) {
  const lag = monitorEventLoopDelay({ resolution: 5 });
  lag.enable();
  const rtt: number[] = [];
  let errors = 0;
  const statuses = new Map<number, number>();
  const pending: Promise<void>[] = [];
  const start = performance.now();
  const n = RATE * SECONDS;
  for (let i = 0; i < n; i++) {
    const wait = start + (i * 1000) / RATE - performance.now();
    if (wait > 0) await sleep(wait);
    pending.push(
      send(i).then(
        (r) => {
          if (r.status === 200) rtt.push(r.ms);
          else {
            errors++;
            statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
          }
        },
        () => void errors++,
      ),
    );
  }
  await Promise.all(pending);
  lag.disable();
  if (errors) console.error(`${name}: refused alerts by HTTP status`, Object.fromEntries(statuses));
  const phase: Phase = {
    name,
    lagP99: lag.percentile(99) / 1e6,
    lagMax: lag.max / 1e6,
    rttP50: pct(rtt, 50),
    rttP99: pct(rtt, 99),
    alerts: rtt.length,
    errors,
  };
  return phase;
}

/**
 * A random walk of HISTORY closed 1-minute bars before `now`, stored as market data keeps
 * them: the bots' windows are full size (1,000 warm-up bars) from their first bar.
 */
function seedHistory(backend: TestBackend, now: number) {
  const insert = backend.store.sqlite.prepare(
    `INSERT OR IGNORE INTO market_candles (symbol, interval, open_time, open, high, low, close, volume, quote_volume, trades)
     VALUES ('BTC/USDT', '1m', ?, ?, ?, ?, ?, 100, ?, 1)`,
  );
  const first = Math.floor(now / 60_000) * 60_000 - HISTORY * 60_000;
  let price = 3_000_000; // 30,000.00 in ticks
  let seed = 7;
  const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  backend.store.write('bench.history', () => {
    for (let i = 0; i < HISTORY; i++) {
      const open = price;
      price = Math.max(100, Math.round(price * (1 + (rand() - 0.5) * 0.004)));
      const [hi, lo] = [Math.max(open, price), Math.min(open, price)];
      insert.run(first + i * 60_000, open, hi, lo, price, String(price * 100));
    }
  });
}

async function main() {
  const t0 = Date.now();
  const clock = () => t0 + (Date.now() - t0) * SPEED;
  const backend = await startTestBackend(
    { now: clock, simulator: true, rateLimitPerMinute: false, webhookRatePerMinute: false },
    { checkOutputs: false },
  );
  const base = new URL(await backend.listen());
  const owner = await createOwner(backend, 'bench@example.test');
  const me: Principal = {
    kind: 'user',
    userId: owner.userId,
    role: 'owner',
    permissions: new Set(ROLE_PERMISSIONS.owner),
  };
  const call = <T>(name: string, input: unknown) => backend.invoke(name, input, me) as Promise<T>;
  await fund(backend, owner.userId, 'USDT', '10000000');
  await fund(backend, owner.userId, 'BTC', '50');
  const local = await call<{ webhookToken: string }>('accounts.create', {
    venue: 'local',
    name: 'Spot',
  });
  const paper = await call<{ account: { id: string } }>('accounts.create', {
    venue: 'paper',
    name: 'Paper',
  });
  seedHistory(backend, clock());
  const alert = (i: number) =>
    JSON.stringify({
      version: 'unify.v1',
      id: `bench-${Date.now()}-${i}`,
      intent: { side: i % 2 ? 'sell' : 'buy', type: 'market', symbol: 'BTC/USDT', qty: '0.001' },
    });
  const send = (i: number) => post(base, `/hooks/tv/${local.webhookToken}`, alert(i));

  // Warm-up bars from the simulator (one per real second), and the JIT on the webhook path.
  for (let i = 0; i < WARM_BARS; i++) {
    await send(i);
    await sleep(1000);
  }
  const ids: number[] = [];
  for (let k = 0; k < BOTS; k++) {
    const fast = 2 + (k % 5);
    const slow = fast + 1 + Math.floor(k / 5);
    const bot = await call<{ id: number }>('bots.create', {
      strategyId: 'ma-crossover',
      params: { fast, slow, allowShort: true },
      accountId: paper.account.id,
      symbol: 'BTC/USDT',
      interval: '1m',
      capital: '1000',
      warmupBars: 1_000,
    });
    ids.push(bot.id);
  }

  const without = await measure('without bots', send);

  for (const id of ids) await call('bots.start', { id });
  let steps = 0;
  let stepMs = 0;
  let stepping = true;
  const loop = (async () => {
    while (stepping) {
      const s = performance.now();
      await backend.features.bots.runner.tick();
      stepMs = Math.max(stepMs, performance.now() - s);
      steps++;
      await sleep(1000);
    }
  })();
  const withBots = await measure(`with ${BOTS} bots`, send);
  stepping = false;
  await loop;

  const history = await Promise.all(
    ids.map((id) => call<{ items: { outcome: string }[] }>('bots.history', { id, limit: 500 })),
  );
  const orders = history.flatMap((h) => h.items).filter((e) => e.outcome !== 'none');
  const errored = (await call<{ items: { status: string }[] }>('bots.list', {})).items.filter(
    (b) => b.status === 'error',
  ).length;

  const f = (x: number) => x.toFixed(2).padStart(8);
  console.log(`\nbench:bots — ${new Date().toISOString()} — Node ${process.version}`);
  console.log(
    `${BOTS} bots, 1m bars at ${SPEED}× (a bar per second), ${SECONDS} s per phase, alerts at ${RATE}/s`,
  );
  console.log('phase              | loop delay p99  max | webhook rtt p50   p99 | alerts errors');
  for (const p of [without, withBots]) {
    console.log(
      `${p.name.padEnd(18)} | ${f(p.lagP99)} ${f(p.lagMax)} | ${f(p.rttP50)} ${f(p.rttP99)} | ${String(p.alerts).padStart(6)} ${p.errors}`,
    );
  }
  console.log(
    `runner: ${steps} passes, slowest ${stepMs.toFixed(1)} ms; bot orders ${orders.length} (${(orders.length / SECONDS).toFixed(1)}/s, ${orders.filter((o) => o.outcome === 'accepted').length} accepted) beside ${RATE} alerts/s; bots in error ${errored}`,
  );
  agent.destroy();
  await backend.cleanup();
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
