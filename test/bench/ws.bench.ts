/**
 * `npm run bench:ws`: messages/s delivered by Bourse's WebSocket door (EventHub → /ws, with
 * per-connection subscription and audience checks) to 100 and 1,000 local clients, as a ratio
 * to a raw `ws` broadcast of the same pre-serialized frames, measured in the same run.
 * Target: ratio ≥ 0.5. Figures are printed, never asserted.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { WebSocketServer } from 'ws';
import type { StreamPayloads } from '../../src-shared/contract';
import { mulDecimal } from '../../src-shared/decimal';
import { startTestBackend, type TestBackend } from '../helpers/backend';

const MESSAGES = Number(process.env.BENCH_WS_MESSAGES ?? 200);
const REPEATS = Number(process.env.BENCH_WS_REPEATS ?? 5);
const CLIENT_COUNTS = [100, 1000];
const STREAM = 'tape:BTC/USDT';

/** Public trades as the tape carries them (the hub takes only a stream's real payload). */
const payloads: Array<StreamPayloads[typeof STREAM]> = Array.from({ length: MESSAGES }, (_, i) => {
  const price = (30000 + (i % 50) * 0.5).toFixed(2);
  return {
    tradeId: i + 1,
    price,
    qty: '0.0125',
    quoteQty: mulDecimal(price, '0.0125'),
    takerSide: i % 2 ? 'buy' : 'sell',
    ts: 1_700_000_000_000 + i,
  };
});
const frames = payloads.map((data, i) => JSON.stringify({ stream: STREAM, seq: i + 1, data }));

interface Server {
  url: string;
  publishAll(): Promise<void>;
  close(): Promise<void>;
}

/** Yield to the loop every few messages so sockets flush as a real server would. */
async function inChunks(count: number, each: (i: number) => void): Promise<void> {
  for (let i = 0; i < count; i++) {
    each(i);
    if (i % 20 === 19) await new Promise((r) => setImmediate(r));
  }
}

async function rawServer(): Promise<Server> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await new Promise((r) => wss.once('listening', r));
  const port = (wss.address() as { port: number }).port;
  return {
    url: `ws://127.0.0.1:${port}`,
    publishAll: () =>
      inChunks(frames.length, (i) => {
        for (const client of wss.clients) client.send(frames[i]!);
      }),
    close: () => new Promise((r) => wss.close(() => r(undefined))),
  };
}

async function bourseServer(): Promise<Server & { backend: TestBackend }> {
  const backend = await startTestBackend({
    rateLimitPerMinute: false,
    wsConnections: false,
    connections: false,
  });
  const url = (await backend.listen()).replace('http', 'ws') + '/ws';
  return {
    backend,
    url,
    publishAll: () =>
      inChunks(payloads.length, (i) => {
        const data = payloads[i];
        if (data) backend.hub.publish(STREAM, data);
      }),
    close: () => backend.cleanup(),
  };
}

function request<T>(child: ChildProcess, msg: object, key: string): Promise<T> {
  return new Promise((resolve) => {
    const on = (m: Record<string, unknown>) => {
      if (m[key]) {
        child.off('message', on);
        resolve(m as T);
      }
    };
    child.on('message', on);
    child.send(msg);
  });
}

async function measure(server: Server, clients: number, subscribe: boolean): Promise<number[]> {
  const child = fork(path.join(__dirname, 'ws/clients.ts'), [], { execArgv: ['--import', 'tsx'] });
  await request(
    child,
    { url: server.url, clients, subscribe: subscribe ? STREAM : undefined },
    'ready',
  );
  const rates: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    const done = request<{ elapsedMs: number }>(child, { expect: MESSAGES }, 'done');
    await new Promise((res) => setTimeout(res, 20));
    await server.publishAll();
    const { elapsedMs } = await done;
    rates.push((clients * MESSAGES) / (elapsedMs / 1000));
  }
  child.kill();
  return rates;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const rows: string[] = [];
  const json: Record<string, unknown> = {};
  for (const clients of CLIENT_COUNTS) {
    const raw = await rawServer();
    const ours = await bourseServer();
    const rawRates: number[] = [];
    const ourRates: number[] = [];
    // Interleave the contenders so drift in machine load hits both alike.
    for (let round = 0; round < 2; round++) {
      rawRates.push(...(await measure(raw, clients, false)));
      ourRates.push(...(await measure(ours, clients, true)));
    }
    await raw.close();
    await ours.close();
    const ratio = median(ourRates) / median(rawRates);
    rows.push(
      `| ${clients} | ${Math.round(median(rawRates)).toLocaleString('en')} | ${Math.round(median(ourRates)).toLocaleString('en')} | ${ratio.toFixed(2)} |`,
    );
    json[`clients_${clients}`] = {
      rawMsgsPerSec: median(rawRates),
      bourseMsgsPerSec: median(ourRates),
      ratio,
    };
  }
  const table = [
    `WebSocket fan-out: ${MESSAGES} messages × clients, ${REPEATS * 2} runs each, medians (target ratio ≥ 0.5)`,
    '',
    '| clients | raw ws broadcast (msg/s) | Bourse /ws (msg/s) | ratio |',
    '| ---: | ---: | ---: | ---: |',
    ...rows,
  ].join('\n');
  console.log(table);
  const out = process.argv.indexOf('--json');
  if (out > 0) fs.writeFileSync(process.argv[out + 1]!, JSON.stringify(json, null, 2));
}

void main().then(() => process.exit(0));
