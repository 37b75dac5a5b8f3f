/**
 * What one request costs the server, measured in the server's own process while a load
 * generator in another process (autocannon) sends a fixed number of requests: process CPU
 * (every thread: the loop, libuv's pool doing fsyncs, the checkpoint worker), the event loop's
 * busy time, and the bytes the JavaScript heap allocated (V8's sampling heap profiler, counting
 * objects already collected too). Allocation is what drives garbage collection and its pauses,
 * and unlike throughput it barely moves with the machine's load, so a change shows in it.
 */
import { execFile } from 'node:child_process';
import inspector from 'node:inspector';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';

export interface CostRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** `[<id>]` is replaced by a fresh id per request (alerts that must not be deduplicated). */
  body: string;
}

export interface RequestCost {
  requests: number;
  non2xx: number;
  /** Process CPU (user + system, all threads) per request, µs; the idle backend's own taken out. */
  cpuUs: number;
  /** Event-loop busy time per request, µs. */
  loopUs: number;
  /** JavaScript heap allocated per request, KB (sampled every 1 KB). */
  allocKB: number;
}

const CLIENT = path.join(__dirname, '..', 'engine', 'autocannon-client.mjs');

interface HeapNode {
  selfSize: number;
  children: HeapNode[];
}
const bytes = (n: HeapNode): number => n.children.reduce((s, c) => s + bytes(c), n.selfSize);

function post<T>(session: inspector.Session, method: string, params?: object): Promise<T> {
  return new Promise((resolve, reject) =>
    session.post(method, params ?? {}, (err, result) => (err ? reject(err) : resolve(result as T))),
  );
}

/** How long the idle backend is watched before each run (see `requestCost`). */
const IDLE_MS = 1000;

/** The process's CPU (µs) and event-loop busy time (ms) per ms while no request comes. */
async function background(ms: number): Promise<{ cpuUsPerMs: number; loopMsPerMs: number }> {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const elu0 = performance.eventLoopUtilization();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const elu = performance.eventLoopUtilization(elu0);
  const cpu = process.cpuUsage(cpu0);
  const took = performance.now() - t0;
  return { cpuUsPerMs: (cpu.user + cpu.system) / took, loopMsPerMs: elu.active / took };
}

/** Runs the load generator: `amount` requests, cycling through `requests`. */
async function load(
  url: string,
  requests: CostRequest[],
  amount: number,
  connections: number,
): Promise<{ total: number; non2xx: number }> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [CLIENT, JSON.stringify({ url, connections, amount, idReplacement: true, requests })],
    { maxBuffer: 1 << 20 },
  );
  return JSON.parse(stdout.trim().split('\n').pop() as string) as { total: number; non2xx: number };
}

/**
 * Sends `amount` requests (cycling through `requests`) over `connections` connections, twice:
 * once timed (CPU, event loop), once under the heap profiler (allocation), whose stack
 * sampling would otherwise inflate the times.
 */
export async function requestCost(
  url: string,
  requests: CostRequest[],
  amount: number,
  connections: number,
): Promise<RequestCost> {
  // The backend works when idle too (simulated liquidity, scheduled jobs): that work's rate,
  // measured just before, is taken out of the run's figures.
  const idle = await background(IDLE_MS);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const elu0 = performance.eventLoopUtilization();
  const timed = await load(url, requests, amount, connections);
  const elu = performance.eventLoopUtilization(elu0);
  const cpu = process.cpuUsage(cpu0);
  const ms = performance.now() - t0;
  const n = Math.max(timed.total, 1);

  const session = new inspector.Session();
  session.connect();
  try {
    await post(session, 'HeapProfiler.enable');
    await post(session, 'HeapProfiler.startSampling', {
      samplingInterval: 1024,
      includeObjectsCollectedByMinorGC: true,
      includeObjectsCollectedByMajorGC: true,
    });
    const sampled = await load(url, requests, amount, connections);
    const { profile } = await post<{ profile: { head: HeapNode } }>(
      session,
      'HeapProfiler.stopSampling',
    );
    return {
      requests: timed.total + sampled.total,
      non2xx: timed.non2xx + sampled.non2xx,
      cpuUs: Math.max(0, cpu.user + cpu.system - idle.cpuUsPerMs * ms) / n,
      loopUs: (Math.max(0, elu.active - idle.loopMsPerMs * ms) * 1000) / n,
      allocKB: bytes(profile.head) / 1024 / Math.max(sampled.total, 1),
    };
  } finally {
    await post(session, 'HeapProfiler.disable').catch(() => undefined);
    session.disconnect();
  }
}

/** Medians of several measurements, field by field. */
export function medianCost(xs: RequestCost[]): RequestCost {
  const med = (k: keyof RequestCost) =>
    [...xs].map((x) => x[k]).sort((a, b) => a - b)[xs.length >> 1] as number;
  return {
    requests: xs.reduce((s, x) => s + x.requests, 0),
    non2xx: xs.reduce((s, x) => s + x.non2xx, 0),
    cpuUs: med('cpuUs'),
    loopUs: med('loopUs'),
    allocKB: med('allocKB'),
  };
}
