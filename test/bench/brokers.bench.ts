/**
 * `npm run bench:brokers` (issue #24, "Measured"), against each venue's strict fake (in a child
 * process), through the real webhook receiver, automation pipeline, accounts and connectors:
 *
 * 1. Alert → order request leaving Bourse, at 1, 10 and 100 alerts/s (open loop). Start: the
 *    client sends the webhook request. End: the fake's HTTP server starts parsing the order
 *    request (Node's `http.server.request.start` channel, before the fake's handler: the
 *    broker's own time is excluded). The fakes (and the fake EA) run in a child process
 *    (`brokers/fake-host.ts`): a broker's work is not on Bourse's event loop, as in life. MetaTrader has no request to a broker: its end is when
 *    the fake EA's poll brings the command (before OrderSend), and, separately, when Bourse
 *    queued it for the EA (Bourse's own part, without the poll wait).
 *    Baseline, paired with every venue run (same alerts, same schedule, order alternated):
 *    the same alert to the paper broker, ending when the paper fill is committed (the paper
 *    broker's `order()` resolves, i.e. the fill row and its ledger entry are in SQLite).
 *    Every venue run gets a fresh fake and a fresh account (fresh rate-limit windows); the
 *    alerts per run are capped where the venue's documented limit would otherwise make the
 *    run a measure of the limiter (see CAP).
 * 2. Memory per connected account: N accounts of one venue, each session up with its stream
 *    open; heap and RSS after gc(), minus before, divided by N. The fakes run in their own
 *    process (until 2026-12-06 they ran in this one, and their share was counted as Bourse's).
 * 3. Reconnect and resync: the fake drops the streams; time until the account's state is `up`
 *    with a `syncedAt` newer than before the drop (read with `brokers.state` every 1 ms).
 *
 * Figures are printed, never asserted. Env: BENCH_BROKERS_RATES (1,10,100),
 * BENCH_BROKERS_SECONDS (per rate; default 20/10/5), BENCH_BROKERS_ROUNDS (3),
 * BENCH_BROKERS_VENUES, BENCH_BROKERS_ACCOUNTS (50), BENCH_BROKERS_DROPS (5),
 * BENCH_BROKERS_MT_POLL_MS (1000, the EA's default: its retry pace), BENCH_BROKERS_MT_LONGPOLL_MS
 * (20000, the EA's LongPollSec; 0 = the 1.0 EA's plain polling), BENCH_BROKERS_MT_ACK_ON_POLL
 * (1, EA 1.2's results on the next poll; 0 = the 1.1 EA's separate /ack),
 * BENCH_BROKERS_MT_HEARTBEAT_ON_POLL (1, EA 1.3's heartbeat on that poll, which long-polls;
 * 0 = the 1.2 EA's separate heartbeat), BENCH_BROKERS_ONLY (latency,memory,reconnect),
 * BENCH_BROKERS_DIAG=no-day-pnl (diagnosis: ProjectX without its per-alert day-P&L read),
 * BENCH_BROKERS_DIAG=tail (each run's five slowest alerts, with when they were sent, and the job
 * runs and GC pauses of ≥ 5 ms during the pair).
 */
import http from 'node:http';
import v8 from 'node:v8';
import vm from 'node:vm';
import { ProjectxConnector } from '../../src-main/connectors/projectx';
import { identityOf, login } from '../helpers/auth';
import { startTestBackend } from '../helpers/backend';
import { trader } from '../helpers/exchange';
import { setUpTrading } from '../integration/automation/setup';
import {
  arrivals,
  collect,
  startMany,
  startRig,
  stateOf,
  stopFakes,
  untilUp,
  VENUES,
  type RigContext,
  type VenueName,
} from './brokers/rigs';

const env = process.env;
const RATES = (env.BENCH_BROKERS_RATES ?? '1,10,100').split(',').map(Number);
const SECONDS = Number(env.BENCH_BROKERS_SECONDS ?? 0);
const secondsFor = (rate: number) => SECONDS || (rate === 1 ? 20 : rate === 10 ? 10 : 5);
const ROUNDS = Number(env.BENCH_BROKERS_ROUNDS ?? 3);
const ACCOUNTS = Number(env.BENCH_BROKERS_ACCOUNTS ?? 50);
const DROPS = Number(env.BENCH_BROKERS_DROPS ?? 5);
const MT_POLL_MS = Number(env.BENCH_BROKERS_MT_POLL_MS ?? 1000);
const MT_LONGPOLL_MS = Number(env.BENCH_BROKERS_MT_LONGPOLL_MS ?? 20_000);
const MT_ACK_ON_POLL = env.BENCH_BROKERS_MT_ACK_ON_POLL !== '0';
const MT_HEARTBEAT_ON_POLL = env.BENCH_BROKERS_MT_HEARTBEAT_ON_POLL !== '0';
const ONLY = new Set((env.BENCH_BROKERS_ONLY ?? 'latency,memory,reconnect').split(','));
/** Diagnosis: print each run's slowest alerts, when they were sent (BENCH_BROKERS_DIAG=tail). */
const TAIL_DIAG = env.BENCH_BROKERS_DIAG === 'tail';
const SELECTED = (env.BENCH_BROKERS_VENUES?.split(',') as VenueName[] | undefined) ?? VENUES;

/**
 * Alerts per venue run at most. Above these, orders queue in the connector's model of the
 * broker's limit by design, and the run would time the limiter: Kraken pro tier's trading
 * counter (180 per pair, −3.75/s), ProjectX's 200 requests per 60 s (each alert costs one,
 * the order — the day's trades are read only when a daily rule is set — and the session's
 * reads at connection count too),
 * MetaTrader's 20 commands per 10 s. TradeLocker's fake announces 200/s per route.
 */
const CAP: Record<VenueName, number> = {
  kraken: 150,
  projectx: 150,
  metatrader: 18,
  tradelocker: 1_000,
};

/**
 * Pause between two drops. Kraken's re-sync spends 5 points of the key's REST counter (token,
 * balances, open orders, trade history ×2), which the pro tier earns back at 1 per second:
 * drops 200 ms apart would time the counter's wait (~5 s each once it is spent), not the
 * reconnect — a real link does not drop five times a second.
 */
const DROP_GAP_MS: Record<VenueName, number> = {
  kraken: 6_000,
  projectx: 200,
  tradelocker: 200,
  metatrader: 200,
};

const gc: () => void =
  (globalThis as { gc?: () => void }).gc ??
  (() => {
    v8.setFlagsFromString('--expose-gc');
    return vm.runInNewContext('gc') as () => void;
  })();

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

function post(url: URL, path: string, body: string) {
  return new Promise<{ status: number; body: string; t0: number }>((resolve, reject) => {
    const t0 = performance.now();
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
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (data += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data, t0 }));
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
const median = (v: number[]) => pct(v, 50);
const f = (x: number, w = 7) => (Number.isNaN(x) ? '—'.padStart(w) : x.toFixed(2).padStart(w));

interface Run {
  venue: VenueName | 'paper';
  pairedWith: VenueName;
  rate: number;
  round: number;
  lat: number[];
  /** Each sample with its alert's index and send time (BENCH_BROKERS_DIAG=tail). */
  tail: Array<{ i: number; ms: number; sentAt: number }>;
  /** MetaTrader: alert sent → command queued for the EA. */
  queued: number[];
  /** Answered alerts, read into `lat` by `settle` once the fakes have reported (`collect`). */
  answered: Array<{ i: number; orderId: string; t0: number; sentAt: number }>;
  errors: number;
  unmatched: number;
}

async function main() {
  const backend = await startTestBackend(
    { rateLimitPerMinute: false, webhookRatePerMinute: false, sqliteSynchronous: 'FULL' },
    { checkOutputs: false },
  );
  const base = new URL(await backend.listen());
  const setupToken = identityOf(backend).takeSetupToken();
  await backend.http.inject({
    method: 'POST',
    url: '/api/v1/setup/owner',
    payload: { email: 'bench@example.test', password: 'correct horse battery staple', setupToken },
  });
  const { userId } = await login(backend, 'bench@example.test');
  const trading = await setUpTrading(backend, userId, { paper: true, depth: '50', base: '5' });
  const who = trader(userId);
  const mtReceived = new Map<string, number>();
  const mtQueued = new Map<string, number>();
  const ctx: RigContext = {
    backend,
    who,
    baseUrl: base.origin,
    mtPollMs: MT_POLL_MS,
    mtLongPollMs: MT_LONGPOLL_MS,
    mtAckOnPoll: MT_ACK_ON_POLL,
    mtHeartbeatOnPoll: MT_HEARTBEAT_ON_POLL,
    mtReceived,
  };
  if (env.BENCH_BROKERS_DIAG === 'no-day-pnl') {
    // Diagnosis only: without the connector's day P&L, the risk rules sum Bourse's own
    // results and ProjectX makes one request per alert instead of two.
    delete (ProjectxConnector.prototype as { realisedPnlSince?: unknown }).realisedPnlSince;
  }

  // The paper baseline's end: the fill committed (order() resolves after the transaction).
  const paperFills = new Map<number, number>();
  const paper = backend.features.accounts.paper;
  const paperOrder = paper.order.bind(paper);
  paper.order = async (...args) => {
    const out = await paperOrder(...args);
    paperFills.set(out.fill.id, performance.now());
    return out;
  };
  // MetaTrader: Bourse's part ends when the command is queued for the EA.
  const bridge = backend.features.bridge;
  const enqueue = bridge.enqueue.bind(bridge);
  bridge.enqueue = (...args) => {
    const cmd = enqueue(...args);
    const id = /b[0-9a-f]{16}/.exec(JSON.stringify(cmd))?.[0];
    if (id) mtQueued.set(id, performance.now());
    return cmd;
  };
  const clientIdOf = backend.store.sqlite.prepare(
    'SELECT client_order_id AS id FROM broker_orders WHERE account_id = ? AND venue_order_id = ?',
  );
  const alert = (prefix: string, i: number, symbol: string, qty: string) =>
    JSON.stringify({
      version: 'unify.v1',
      id: `${prefix}-${i}`,
      intent: { side: i % 2 ? 'sell' : 'buy', type: 'market', symbol, qty },
    });

  /** `n` alerts at `rate`/s on schedule; each sample ends where `end` says. */
  async function openLoop(run: Run, token: string, n: number, body: (i: number) => string) {
    const start = performance.now();
    const pending: Array<Promise<void>> = [];
    let shown = 0;
    for (let i = 0; i < n; i++) {
      const wait = start + (i * 1000) / run.rate - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      pending.push(
        post(base, `/hooks/tv/${token}`, body(i)).then(
          (r) => {
            const orderId = /"orderId":"([^"]+)"/.exec(r.body)?.[1];
            if (r.status !== 200 || !orderId) {
              run.errors++;
              if (shown++ < 2)
                console.error(`${run.venue}@${run.rate}: HTTP ${r.status} ${r.body.slice(0, 300)}`);
              return;
            }
            run.answered.push({ i, orderId, t0: r.t0, sentAt: r.t0 - start });
          },
          () => void run.errors++,
        ),
      );
    }
    await Promise.all(pending);
  }

  /** The run's samples, once `collect()` has brought the fakes' arrivals in. */
  function settle(run: Run) {
    for (const { i, orderId, t0, sentAt } of run.answered) {
      const end = endOf(run, orderId);
      if (end === undefined) run.unmatched++;
      else {
        run.lat.push(end - t0);
        if (TAIL_DIAG) run.tail.push({ i, ms: end - t0, sentAt });
      }
      const q = run.venue === 'metatrader' ? queuedOf(run, orderId) : undefined;
      if (q !== undefined) run.queued.push(q - t0);
    }
  }

  const accountOf = new Map<Run, string>();
  const clientOf = (run: Run, orderId: string) =>
    (clientIdOf.get(accountOf.get(run), orderId) as { id: string } | undefined)?.id;
  const endOf = (run: Run, orderId: string): number | undefined => {
    if (run.venue === 'paper') return paperFills.get(Number(orderId.replace(/^paper-/, '')));
    const cid = clientOf(run, orderId);
    if (!cid) return undefined;
    return run.venue === 'metatrader' ? mtReceived.get(cid) : arrivals.get(cid);
  };
  const queuedOf = (run: Run, orderId: string) => {
    const cid = clientOf(run, orderId);
    return cid ? mtQueued.get(cid) : undefined;
  };

  const runs: Run[] = [];
  // Requests each venue made at its fake during its runs, per alert, with the fake's time.
  const callsPerVenue = new Map<VenueName, Map<string, { n: number; ms: number[] }>>();
  const addCalls = (
    venue: VenueName,
    calls: Map<string, { n: number; ms: number[] }>,
    alerts: number,
  ) => {
    const mine = callsPerVenue.get(venue) ?? new Map<string, { n: number; ms: number[] }>();
    callsPerVenue.set(venue, mine);
    for (const [k, v] of calls) {
      const c = mine.get(k) ?? { n: 0, ms: [] };
      c.n += v.n;
      c.ms.push(...v.ms);
      mine.set(k, c);
    }
    alertsPerVenue.set(venue, (alertsPerVenue.get(venue) ?? 0) + alerts);
  };
  const alertsPerVenue = new Map<VenueName, number>();
  // Diagnosis (tail): job runs and GC pauses of ≥ 5 ms, to set beside each pair's slowest alerts.
  const happenings: Array<{ t: number; what: string }> = [];
  if (TAIL_DIAG) {
    backend.hub.subscribe(
      (m) => {
        const run = m.data as { job?: string; status?: string };
        happenings.push({ t: performance.now(), what: `job ${run.job} ${run.status}` });
      },
      (stream) => stream === 'jobs',
    );
    new PerformanceObserver((list) => {
      for (const e of list.getEntries())
        if (e.duration >= 5)
          happenings.push({ t: e.startTime, what: `gc ${e.duration.toFixed(1)} ms` });
    }).observe({ entryTypes: ['gc'] });
  }
  if (ONLY.has('latency')) {
    // Warm-up (not measured): JIT, statements, each connector's code paths.
    for (let i = 0; i < 30; i++)
      await post(base, `/hooks/tv/${trading.paperToken}`, alert('warm', i, 'BTC/USDT', '0.001'));
    for (const venue of SELECTED) {
      const rig = await startRig(ctx, venue);
      for (let i = 0; i < (venue === 'metatrader' ? 2 : 20); i++)
        await post(base, `/hooks/tv/${rig.token}`, alert(`warm-${venue}`, i, rig.symbol, rig.qty));
      await rig.close();
    }
    for (let round = 0; round < ROUNDS; round++) {
      for (const rate of RATES) {
        for (const [k, venue] of SELECTED.entries()) {
          const n = Math.min(rate * secondsFor(rate), CAP[venue]);
          const rig = await startRig(ctx, venue);
          const mk = (v: Run['venue']): Run => ({
            venue: v,
            pairedWith: venue,
            rate,
            round,
            lat: [],
            tail: [],
            queued: [],
            answered: [],
            errors: 0,
            unmatched: 0,
          });
          const vRun = mk(venue);
          const pRun = mk('paper');
          const pairStart = performance.now();
          accountOf.set(vRun, rig.accountId);
          const doVenue = async () => {
            await collect(ctx); // what the fake saw before the run is not the run's
            await openLoop(vRun, rig.token, n, (i) =>
              alert(`${venue}-${round}-${rate}`, i, rig.symbol, rig.qty),
            );
            addCalls(venue, await collect(ctx), n);
          };
          const doPaper = () =>
            openLoop(pRun, trading.paperToken!, n, (i) =>
              alert(`p-${venue}-${round}-${rate}`, i, 'BTC/USDT', '0.001'),
            );
          // Paired, the order alternated (A B, B A) so neither side always runs first.
          if ((round + k) % 2 === 0) {
            await doPaper();
            await doVenue();
          } else {
            await doVenue();
            await doPaper();
          }
          await collect(ctx);
          settle(vRun);
          settle(pRun);
          runs.push(pRun, vRun);
          await rig.close();
          console.error(
            `round ${round + 1} ${rate}/s ${venue}: n=${n} venue p99 ${f(pct(vRun.lat, 99))} ms, paper p99 ${f(pct(pRun.lat, 99))} ms`,
          );
          if (TAIL_DIAG) {
            for (const r of [vRun, pRun]) {
              const worst = [...r.tail].sort((a, b) => b.ms - a.ms).slice(0, 5);
              console.error(
                `  slowest ${r.venue}: ${worst.map((w) => `#${w.i} ${f(w.ms)} ms (sent +${f(w.sentAt)} ms)`).join(', ')}`,
              );
            }
            const during = happenings.filter((h) => h.t >= pairStart && !h.what.endsWith('queued'));
            if (during.length)
              console.error(
                `  meanwhile (+ms from the pair's start): ${during.map((h) => `${h.what} +${(h.t - pairStart).toFixed(0)}`).join(', ')}`,
              );
          }
        }
      }
    }
  }

  const memory: Array<{ venue: VenueName; n: number; heapMb: number; rssMb: number }> = [];
  if (ONLY.has('memory')) {
    for (const venue of SELECTED) {
      const settle = () => new Promise((r) => setTimeout(r, 1_500));
      await settle();
      gc();
      gc();
      const before = process.memoryUsage();
      const many = await startMany(ctx, venue, ACCOUNTS);
      await settle(); // streams open, first pushes and polls done
      gc();
      gc();
      const after = process.memoryUsage();
      const up = (await Promise.all(many.ids.map((id) => stateOf(ctx, id)))).filter(
        (s) => s.connection === 'up',
      ).length;
      memory.push({
        venue,
        n: up,
        heapMb: (after.heapUsed - before.heapUsed) / ACCOUNTS / 2 ** 20,
        rssMb: (after.rss - before.rss) / ACCOUNTS / 2 ** 20,
      });
      await many.close();
      console.error(`memory ${venue}: ${up}/${ACCOUNTS} up`);
    }
  }

  const reconnect: Array<{ venue: VenueName; ms: number[]; downMs: number[]; failed: number }> = [];
  if (ONLY.has('reconnect')) {
    for (const venue of SELECTED) {
      // MetaTrader: an EA heartbeating each second is declared offline after 3 s of silence.
      const rig = await startRig(ctx, venue, 1_000);
      const r = { venue, ms: [] as number[], downMs: [] as number[], failed: 0 };
      for (let i = 0; i < DROPS; i++) {
        const before = (await untilUp(ctx, rig.accountId)).syncedAt!;
        let t0 = performance.now();
        rig.drop();
        let sawDown = false;
        const end = t0 + 30_000;
        for (;;) {
          const s = await stateOf(ctx, rig.accountId);
          if (!sawDown && s.connection !== 'up') {
            sawDown = true;
            r.downMs.push(performance.now() - t0);
            if (rig.resume) {
              // Timed from the EA's return, not from its silence (3 heartbeats: a setting). The
              // return comes at a random point of the EA's poll period, as a real one would.
              await new Promise((res) => setTimeout(res, Math.random() * MT_POLL_MS));
              t0 = performance.now();
              rig.resume();
            }
          }
          if (s.connection === 'up' && s.syncedAt !== null && s.syncedAt > before) {
            r.ms.push(performance.now() - t0);
            break;
          }
          if (performance.now() > end) {
            r.failed++;
            rig.resume?.();
            break;
          }
          await new Promise((res) => setTimeout(res, 1));
        }
        await new Promise((res) => setTimeout(res, DROP_GAP_MS[venue]));
      }
      reconnect.push(r);
      await rig.close();
      console.error(`reconnect ${venue}: ${r.ms.map((x) => x.toFixed(0)).join(' ')} ms`);
    }
  }

  // ---- report -------------------------------------------------------------------------
  console.log(
    `\nbench:brokers — ${new Date().toISOString()} — Node ${process.version}, SQLite synchronous=${backend.config.sqliteSynchronous}, ${ROUNDS} round(s), MetaTrader EA ${MT_LONGPOLL_MS ? `long-poll ${MT_LONGPOLL_MS} ms` : `poll ${MT_POLL_MS} ms`}${!MT_ACK_ON_POLL ? ', /ack (1.1)' : MT_HEARTBEAT_ON_POLL ? ', results and heartbeat on a long-poll (1.3)' : ', results on poll (1.2)'}`,
  );
  if (runs.length) {
    console.log(
      '\nalert → order request leaving Bourse (ms; paper: alert → paper fill committed, paired runs)',
    );
    console.log(
      'rate   venue         n/run | venue p50  p99   | paper p50  p99   | p50 ÷   p99 ÷ (pooled) | p99 ÷ per round | errors unmatched',
    );
    for (const rate of RATES) {
      for (const venue of SELECTED) {
        const v = runs.filter((r) => r.venue === venue && r.rate === rate);
        const p = runs.filter(
          (r) => r.venue === 'paper' && r.pairedWith === venue && r.rate === rate,
        );
        const vl = v.flatMap((r) => r.lat);
        const pl = p.flatMap((r) => r.lat);
        const perRound = v.map((r, i) => pct(r.lat, 99) / pct(p[i]!.lat, 99));
        const n = Math.min(rate * secondsFor(rate), CAP[venue]);
        console.log(
          `${String(rate).padStart(3)}/s  ${venue.padEnd(12)} ${String(n).padStart(5)} | ${f(pct(vl, 50))} ${f(pct(vl, 99))} | ${f(pct(pl, 50))} ${f(pct(pl, 99))} | ${f(pct(vl, 50) / pct(pl, 50))} ${f(pct(vl, 99) / pct(pl, 99))}        | ${perRound
            .map((x) => x.toFixed(2))
            .join(' ')
            .padEnd(
              15,
            )} | ${v.reduce((a, r) => a + r.errors, 0)}+${p.reduce((a, r) => a + r.errors, 0)} ${v.reduce((a, r) => a + r.unmatched, 0)}+${p.reduce((a, r) => a + r.unmatched, 0)}`,
        );
        const q = v.flatMap((r) => r.queued);
        if (q.length)
          console.log(
            `       ${'(queued for EA)'.padEnd(18)} | ${f(pct(q, 50))} ${f(pct(q, 99))} |                   | ${f(pct(q, 50) / pct(pl, 50))} ${f(pct(q, 99) / pct(pl, 99))}`,
          );
      }
    }
  }
  if (callsPerVenue.size) {
    console.log(
      "\nrequests at the fake during the venue runs, per alert (fake's own time p50/p99 ms; streams' polls included)",
    );
    for (const [venue, calls] of callsPerVenue) {
      const alerts = alertsPerVenue.get(venue) ?? 1;
      for (const [k, c] of [...calls].sort((a, b) => b[1].n - a[1].n))
        console.log(
          `${venue.padEnd(12)} ${k.padEnd(48)} ${(c.n / alerts).toFixed(2).padStart(6)}  ${f(pct(c.ms, 50))} ${f(pct(c.ms, 99))}`,
        );
    }
  }
  if (memory.length) {
    console.log(`\nmemory per connected account (${ACCOUNTS} accounts, after gc; goal ≤ 5 MB)`);
    for (const m of memory)
      console.log(
        `${m.venue.padEnd(12)} heap ${f(m.heapMb)} MB  rss ${f(m.rssMb)} MB  (${m.n}/${ACCOUNTS} up)`,
      );
  }
  if (reconnect.length) {
    console.log(
      '\nreconnect and resync after a dropped stream (ms; drop → up with a fresh syncedAt)',
    );
    for (const r of reconnect)
      console.log(
        `${r.venue.padEnd(12)} median ${f(median(r.ms))}  max ${f(Math.max(...r.ms))}  | down seen after: median ${f(median(r.downMs))}  | ${r.ms.length}/${DROPS} ok`,
      );
  }
  agent.destroy();
  stopFakes();
  await backend.cleanup();
}

void main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
