/**
 * Client side of the fan-out benchmark, in its own process so clients and server do not
 * share one event loop. Opens N sockets, subscribes, counts delivered stream messages and
 * reports over IPC when every socket has seen `expected` messages.
 */
import WebSocket from 'ws';

interface Start {
  url: string;
  clients: number;
  subscribe?: string;
}

process.on('message', (msg: Start | { expect: number }) => {
  if ('url' in msg) void connect(msg);
  else expectMessages(msg.expect);
});

const sockets: WebSocket[] = [];
const counts: number[] = [];
let target = 0;
let started = 0n;

async function connect(start: Start): Promise<void> {
  await Promise.all(
    Array.from(
      { length: start.clients },
      (_, i) =>
        new Promise<void>((resolve, reject) => {
          const ws = new WebSocket(start.url, { perMessageDeflate: false });
          counts[i] = 0;
          ws.on('message', () => {
            counts[i]!++;
            if (target > 0 && counts[i] === target) checkDone();
          });
          ws.once('open', () => {
            if (start.subscribe)
              ws.send(JSON.stringify({ op: 'subscribe', streams: [start.subscribe] }));
            resolve();
          });
          ws.once('error', reject);
          sockets.push(ws);
        }),
    ),
  );
  // Give subscriptions time to land before the server starts publishing.
  setTimeout(() => process.send!({ ready: true }), 200);
}

function expectMessages(n: number): void {
  counts.fill(0);
  target = n;
  started = process.hrtime.bigint();
}

function checkDone(): void {
  if (counts.every((c) => c >= target)) {
    const ns = process.hrtime.bigint() - started;
    process.send!({ done: true, elapsedMs: Number(ns) / 1e6 });
    target = 0;
  }
}
