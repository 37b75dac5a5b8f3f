// REST: order placement round trips over HTTP (autocannon in a separate process) against a
// Fastify hello-world POST served by this same process, interleaved in the same run.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Fastify from 'fastify';
import { createBackend } from '../../../src-main/backend';
import { defaultConfig } from '../../../src-main/config';
import { createOwner, createUser } from '../../helpers/auth';
import { admin } from '../../helpers/exchange';
import { medianCost, requestCost, type RequestCost } from '../cost/request-cost';

export interface RestFigures {
  reqPerSec: number;
  /** Orders the exchange stored during the run, per second (counted in its database). */
  ordersPerSec?: number;
  p50ms: number;
  p99ms: number;
  total: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

interface Request {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

const CLIENT = path.join(__dirname, 'autocannon-client.mjs');

async function cannon(
  url: string,
  requests: Request[],
  duration: number,
  connections: number,
): Promise<RestFigures> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [CLIENT, JSON.stringify({ url, connections, duration, requests })],
    { maxBuffer: 1 << 20 },
  );
  return JSON.parse(stdout.trim().split('\n').pop() as string) as RestFigures;
}

const median = (xs: RestFigures[], key: keyof RestFigures): number =>
  [...xs].map((x) => x[key] ?? 0).sort((a, b) => a - b)[xs.length >> 1] as number;

/** Orders in each `orders.placeBatch` request (20 is what OKX and Bybit allow per call). */
export const REST_BATCH = 20;

export interface RestRow {
  connections: number;
  hello: RestFigures;
  /** POST /api/v1/orders/place, one order per request. */
  orders: RestFigures;
  /** POST /api/v1/orders/placeBatch, REST_BATCH orders per request. */
  batches: RestFigures;
}

/** What one request costs the server (`cost/request-cost.ts`), per target. */
export interface RestCost {
  name: string;
  cost: RequestCost;
}

export async function runRest(
  quick: boolean,
  repeats: number,
): Promise<{ rows: RestRow[]; cost: RestCost[] }> {
  const duration = quick ? 2 : 5;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bourse-bench-rest-'));
  // Rate limiting is a per-client guard (6,000/min by default); off here to measure the path.
  const backend = await createBackend(
    defaultConfig({
      mode: 'headless',
      dataDir: dir,
      port: 0,
      logLevel: 'silent',
      logToFile: false,
      secrets: 'memory',
      rateLimitPerMinute: false,
    }),
  );
  // Diagnosis only (docs/benchmarks.md, #27): secondary indexes dropped before the run, to
  // bound what fewer index writes per order could give. Never a configuration to ship.
  for (const index of (process.env.BENCH_REST_DROP_INDEXES ?? '').split(',').filter(Boolean)) {
    if (!/^[a-z_]+$/.test(index)) throw new Error(`not an index name: ${index}`);
    backend.store.sqlite.exec(`DROP INDEX ${index}`);
    console.error(`bench:engine rest: dropped ${index} (diagnosis)`);
  }
  const hello = Fastify();
  hello.post('/hello', async () => ({ ok: true }));
  try {
    const url = await backend.listen();
    const helloUrl = await hello.listen({ host: '127.0.0.1', port: 0 });
    await createOwner(backend);
    const alice = await createUser(backend, 'trader');
    const bob = await createUser(backend, 'trader');
    for (const [userId, asset, amount] of [
      [alice.userId, 'USDT', '100000000000'],
      [bob.userId, 'BTC', '10000000'],
    ] as const) {
      await backend.invoke(
        'admin.ledger.fund',
        { userId, asset, amount, direction: 'credit', reason: 'benchmark funding' },
        admin(),
      );
    }
    const order = (
      side: 'buy' | 'sell',
      price: string,
      headers: Record<string, string>,
    ): Request => ({
      method: 'POST',
      path: '/api/v1/orders/place',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ symbol: 'BTC/USDT', side, type: 'limit', price, qty: '0.0010' }),
    });
    // Buys and sells that cross over a three-tick band: most placements also trade.
    const orders = [
      order('buy', '30000.01', alice.headers),
      order('sell', '30000.00', bob.headers),
      order('buy', '30000.02', alice.headers),
      order('sell', '30000.01', bob.headers),
    ];
    // The same crossing prices, REST_BATCH orders per request: a bot quoting a ladder.
    const batch = (
      side: 'buy' | 'sell',
      prices: string[],
      headers: Record<string, string>,
    ): Request => ({
      method: 'POST',
      path: '/api/v1/orders/placeBatch',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({
        orders: Array.from({ length: REST_BATCH }, (_, i) => ({
          symbol: 'BTC/USDT',
          side,
          type: 'limit',
          price: prices[i % prices.length],
          qty: '0.0010',
        })),
      }),
    });
    const batches = [
      batch('buy', ['30000.01', '30000.02'], alice.headers),
      batch('sell', ['30000.00', '30000.01'], bob.headers),
    ];
    const helloReq: Request[] = [
      {
        method: 'POST',
        path: '/hello',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      },
    ];
    const pick = (xs: RestFigures[]): RestFigures => ({
      reqPerSec: median(xs, 'reqPerSec'),
      ordersPerSec: median(xs, 'ordersPerSec'),
      p50ms: median(xs, 'p50ms'),
      p99ms: median(xs, 'p99ms'),
      total: xs.reduce((s, x) => s + x.total, 0),
      non2xx: xs.reduce((s, x) => s + x.non2xx, 0),
      errors: xs.reduce((s, x) => s + x.errors, 0),
      timeouts: xs.reduce((s, x) => s + x.timeouts, 0),
    });
    const stored = () =>
      (backend.store.sqlite.prepare('SELECT count(*) AS n FROM orders').get() as { n: number }).n;
    /** The exchange's group commits so far: how many, and their total time in seconds. */
    const commits = async () => {
      const { values } = await backend.metrics.dbTransaction.get();
      const of = (suffix: string) =>
        values.find((v) => v.metricName?.endsWith(suffix) && v.labels.name === 'exchange.batch')
          ?.value ?? 0;
      return { count: of('_count'), seconds: of('_sum') };
    };
    /** A run against the exchange, with the orders it really stored (refused ones are not). */
    const ordersRun = async (requests: Request[], connections: number) => {
      const before = stored();
      const c0 = await commits();
      const f = await cannon(url, requests, duration, connections);
      const c1 = await commits();
      // How well the group commit groups: orders per transaction and the mean commit time.
      const n = c1.count - c0.count;
      console.error(
        `  ${requests[0]?.path} × ${connections}: ${stored() - before} orders in ${n} commits ` +
          `(${((stored() - before) / Math.max(n, 1)).toFixed(1)} per commit, ` +
          `${((1000 * (c1.seconds - c0.seconds)) / Math.max(n, 1)).toFixed(2)} ms each)`,
      );
      return { ...f, ordersPerSec: (stored() - before) / duration };
    };
    const out: RestRow[] = [];
    for (const connections of [10, 100]) {
      const h: RestFigures[] = [];
      const o: RestFigures[] = [];
      const b: RestFigures[] = [];
      for (let rep = 0; rep < repeats; rep++) {
        h.push(await cannon(helloUrl, helloReq, duration, connections));
        o.push(await ordersRun(orders, connections));
        b.push(await ordersRun(batches, connections));
        console.error(`rest ${connections} connections, round ${rep + 1}/${repeats} done`);
      }
      out.push({ connections, hello: pick(h), orders: pick(o), batches: pick(b) });
    }
    // The cost of one request on the server, hello-world against one-order placements, at 10
    // connections: process CPU, event-loop time and heap allocated (steadier than req/s).
    const costTargets: Array<[string, string, Request[]]> = [
      ['Fastify hello-world', helloUrl, helloReq],
      ['POST /api/v1/orders/place', url, orders],
    ];
    const measured = costTargets.map(() => [] as RequestCost[]);
    for (let rep = 0; rep < (quick ? 1 : 2); rep++) {
      for (const [i, [, target, requests]] of costTargets.entries()) {
        measured[i]!.push(await requestCost(target, requests, quick ? 1000 : 3000, 10));
      }
    }
    const cost = costTargets.map(([name], i) => ({ name, cost: medianCost(measured[i]!) }));
    return { rows: out, cost };
  } finally {
    await hello.close();
    await backend.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
