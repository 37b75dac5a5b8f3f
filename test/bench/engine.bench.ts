// Exchange benchmark: our OrderBook against nodejs-order-book on five streams, the durable
// path (place → match → group commit) and REST round trips against a Fastify hello-world.
// Run: npx tsx test/bench/engine.bench.ts [--json out.json] [--quick] [--only engine|durable|rest]
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import type { Runner, Work } from './engine/contenders';
import { lobRunner, oursRunner } from './engine/contenders';
import { CME_FILE, loadMbo } from './engine/cme-mbo';
import type { Stream } from './engine/streams';
import { runDurable } from './engine/durable';
import { REST_BATCH, runRest } from './engine/rest';
import { s1AddOnly, s2Crossing, s3Classic, s4DeepQueues, s5Cme } from './engine/streams';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const jsonAt = args.indexOf('--json');
const jsonOut = jsonAt >= 0 ? args[jsonAt + 1] : undefined;
const REPEATS = quick ? 2 : 5;
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? args[onlyAt + 1] : undefined;
const wants = (part: string): boolean => only === undefined || only === part;
const scale = quick ? 0.2 : 1;

interface Figures {
  opsPerSec: number;
  p50ns: number;
  p99ns: number;
  p999ns: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1] as number;
};

/** One timed pass over all ops: ops per second, no per-op clock reads. */
function throughput(r: Runner, n: number): number {
  r.fresh();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) r.step(i);
  return n / (Number(process.hrtime.bigint() - t0) / 1e9);
}

/** One pass timing every op with hrtime (adds ~50 ns per op to each sample). */
function latencies(r: Runner, n: number): Float64Array {
  r.fresh();
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    r.step(i);
    out[i] = Number(process.hrtime.bigint() - t0);
  }
  return out.sort();
}

const pct = (sorted: Float64Array, p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] as number;

/** Interleaves the contenders REPEATS times and keeps the medians. */
function measure(stream: Stream, runners: Record<string, Runner>): Record<string, Figures> {
  const n = stream.ops.length;
  const names = Object.keys(runners);
  const samples: Record<string, { ops: number[]; p50: number[]; p99: number[]; p999: number[] }> =
    {};
  for (const name of names) samples[name] = { ops: [], p50: [], p99: [], p999: [] };
  for (let rep = 0; rep < REPEATS; rep++) {
    const order = rep % 2 === 0 ? names : [...names].reverse();
    for (const name of order) {
      const r = runners[name] as Runner;
      const s = samples[name]!;
      s.ops.push(throughput(r, n));
      const lat = latencies(r, n);
      s.p50.push(pct(lat, 0.5));
      s.p99.push(pct(lat, 0.99));
      s.p999.push(pct(lat, 0.999));
    }
  }
  const out: Record<string, Figures> = {};
  for (const name of names) {
    const s = samples[name]!;
    out[name] = {
      opsPerSec: median(s.ops),
      p50ns: median(s.p50),
      p99ns: median(s.p99),
      p999ns: median(s.p999),
    };
  }
  return out;
}

function buildStreams(): Stream[] {
  const streams = [
    s1AddOnly(Math.round(200_000 * scale)),
    s2Crossing(Math.round(200_000 * scale)),
    s3Classic(Math.round(500_000 * scale)),
    s4DeepQueues(Math.round(200_000 * scale)),
  ];
  const rows = loadMbo();
  if (rows === null) console.log(`S5 skipped: ${CME_FILE} is absent`);
  else streams.push(s5Cme(rows));
  return streams;
}

const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');
const us = (ns: number): string => (ns / 1000).toFixed(2);

async function main(): Promise<void> {
  const started = Date.now();
  const streams = wants('engine') ? buildStreams() : [];
  const rows: string[] = [];
  const json: Record<string, unknown> = {
    node: process.version,
    cpus: os.cpus().length,
    cpu: os.cpus()[0]?.model,
    repeats: REPEATS,
    streams: {},
  };
  for (const stream of streams) {
    const runners = { ours: oursRunner(stream), 'nodejs-order-book': lobRunner(stream) };
    const work: Record<string, Work> = {};
    for (const [name, r] of Object.entries(runners)) work[name] = r.verify();
    const same = JSON.stringify(work.ours) === JSON.stringify(work['nodejs-order-book']);
    const figures = measure(stream, runners);
    const ours = figures.ours!;
    const lob = figures['nodejs-order-book']!;
    const ratio = ours.opsPerSec / lob.opsPerSec;
    for (const [name, f] of Object.entries(figures)) {
      const w = work[name]!;
      rows.push(
        `| ${stream.name} | ${name} | ${fmt(f.opsPerSec)} | ${us(f.p50ns)} | ${us(f.p99ns)} | ${us(f.p999ns)} | ${name === 'ours' ? ratio.toFixed(2) + '×' : ''} | ${fmt(w.trades)} / ${fmt(w.volume)} | ${w.resting} / ${w.checksum.toString(16)}${same ? '' : ' ⚠'} |`,
      );
    }
    (json.streams as Record<string, unknown>)[stream.name] = {
      what: stream.what,
      ops: stream.ops.length,
      figures,
      work,
      sameWork: same,
      ratio,
    };
    console.error(`${stream.name} done (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  }
  if (streams.length > 0) {
    console.log(
      `\nEngine benchmark — Node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), medians of ${REPEATS} interleaved runs\n`,
    );
    for (const s of streams) console.log(`- ${s.name}: ${s.what}`);
    console.log(
      '\n| stream | engine | ops/s | p50 µs | p99 µs | p99.9 µs | ours ÷ lob | trades / volume | resting / checksum |',
    );
    console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
    for (const row of rows) console.log(row);
    console.log('\n⚠ = the two engines did not do the same work on this stream (see notes).');
  }

  if (wants('durable')) {
    const durable = await runDurable(quick, quick ? 1 : 3);
    json.durable = durable;
    console.log(
      '\nDurable path — orders through validation, reservation, matching, settlement and a group commit (WAL), medians; the in-memory engine on the same orders is the baseline. orders.placeBatch sends each group as one call per user (buys, then sells).\n',
    );
    console.log(
      '| door | synchronous | group commit | orders | orders/s | trades | ÷ in-memory engine |',
    );
    console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: |');
    for (const d of durable) {
      console.log(
        `| ${d.door} | ${d.synchronous} | ${d.batch} | ${fmt(d.orders)} | ${fmt(d.ordersPerSec)} | ${fmt(d.trades)} | ${d.ratioToMemory.toFixed(3)} |`,
      );
    }
  }
  if (wants('rest')) {
    const { rows: rest, cost } = await runRest(quick, quick ? 1 : 3);
    json.rest = rest;
    json.restCost = cost;
    console.log(
      '\nREST — autocannon in a separate process, medians; order placement (crossing limit orders, bearer token, synchronous=FULL; orders/s counted in the database) vs a Fastify hello-world POST in the same process.\n',
    );
    console.log(
      '| connections | target | req/s | orders/s | p50 ms | p99 ms | requests | non-2xx | ÷ hello-world (req/s) |',
    );
    console.log('| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const r of rest) {
      for (const [name, f, orderTarget] of [
        ['Fastify hello-world', r.hello, false],
        ['POST /api/v1/orders/place', r.orders, true],
        [`POST /api/v1/orders/placeBatch (${REST_BATCH} orders)`, r.batches, true],
      ] as const) {
        const ratio = orderTarget ? (f.reqPerSec / r.hello.reqPerSec).toFixed(3) : '';
        const orders = orderTarget ? fmt(f.ordersPerSec ?? 0) : '';
        console.log(
          `| ${r.connections} | ${name} | ${fmt(f.reqPerSec)} | ${orders} | ${f.p50ms} | ${f.p99ms} | ${fmt(f.total)} | ${f.non2xx} | ${ratio} |`,
        );
      }
    }
    console.log(
      '\nCost per request on the server, 10 connections (process CPU with every thread, event-loop busy time, JavaScript heap allocated; medians):\n',
    );
    console.log(
      '| target | requests | CPU µs | event loop µs | heap KB | ÷ hello-world (CPU / heap) |',
    );
    console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
    const helloCost = cost[0]!.cost;
    for (const { name, cost: c } of cost) {
      const ratio =
        c === helloCost
          ? ''
          : `${(c.cpuUs / helloCost.cpuUs).toFixed(1)} / ${(c.allocKB / helloCost.allocKB).toFixed(1)}`;
      console.log(
        `| ${name} | ${fmt(c.requests)} | ${c.cpuUs.toFixed(0)} | ${c.loopUs.toFixed(0)} | ${c.allocKB.toFixed(1)} | ${ratio} |`,
      );
    }
  }
  console.log(`Total ${((Date.now() - started) / 1000).toFixed(0)} s.`);
  if (jsonOut !== undefined) writeFileSync(jsonOut, JSON.stringify(json, null, 2));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
