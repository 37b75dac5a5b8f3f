/**
 * `npm run bench:journal-probe`: would the journal design of docs/durable-journal.md lift the
 * durable path? The exchange's batch writer is swapped, after funding, for what that design
 * acknowledges on: the batch's effects serialised (`v8.serialize`) into ONE row of a separate
 * SQLite file committed with `synchronous=FULL`. Six contenders, interleaved, FULL/100 on the
 * durable benchmark's stream:
 *
 * - `rows`: the product as it is (normalised rows, one FULL commit per group) — the baseline;
 * - `journal`: the journal row only, nothing projected (the design's ceiling; not durable as
 *   a product: the normalised tables never receive the batch);
 * - `journal + projector`: the same, with a worker thread writing the records as normalised
 *   rows into the main database (`synchronous=NORMAL`), as the design proposes;
 * - `journal + spinning thread`: the ceiling with a worker that only burns CPU, to separate
 *   what the projector's SQLite work costs the first core from what any second busy thread does;
 * - `compact journal` (± projector): the same with a 200-byte-per-order row written instead of
 *   the v8 record (~156 KB per 100 orders), at no encoding cost — the best a hand-made binary
 *   encoding could do (the projector still receives, and the path still encodes, the v8 record).
 *
 * Printed: orders/s (median), process CPU time per order (all threads), the encoding's time and
 * the journal's bytes, and the projector's lag (records not yet projected) when the last group
 * was acknowledged. Never asserted.
 */
import path from 'node:path';
import v8 from 'node:v8';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { Backend } from '../../src-main/backend';
import type { BatchWrites } from '../../src-main/features/exchange/persistence';
import { durablePass, orderStream } from './engine/durable';

type Contender =
  | 'rows'
  | 'journal'
  | 'journal + projector'
  | 'journal + spinning thread'
  | 'compact journal'
  | 'compact journal + projector';
const CONTENDERS: Contender[] = [
  'rows',
  'journal',
  'journal + projector',
  'journal + spinning thread',
  'compact journal',
  'compact journal + projector',
];
/**
 * The `compact` contenders stand for a hand-made binary record instead of `v8.serialize`
 * (~156 KB per 100 orders): a zero-filled row of this many bytes per order, written at no
 * encoding cost — an upper bound for such an encoder, which was not written.
 */
const COMPACT_BYTES_PER_ORDER = 200;
const ROUNDS = Number(process.env.ROUNDS ?? 6);
const ORDERS = 20_000;

interface Sample {
  ordersPerSec: number;
  cpuMicrosPerOrder: number;
  lag: number;
  encodeMicrosPerOrder: number;
  /** Journal bytes per 100 orders. */
  recordBytesPer100: number;
}

/** Swaps the exchange's batch writer for a journal row; returns the undo and the stats. */
async function journalInstead(backend: Backend, contender: Contender) {
  const exchange = backend.features.exchange;
  const dbPath = backend.store.sqlite.name;
  const journal = new Database(path.join(path.dirname(dbPath), 'journal.sqlite'));
  journal.pragma('journal_mode = WAL');
  journal.pragma('synchronous = FULL');
  journal.exec('CREATE TABLE journal (seq INTEGER PRIMARY KEY, body BLOB NOT NULL)');
  const insert = journal.prepare('INSERT INTO journal (seq, body) VALUES (?, ?)');
  const trim = journal.prepare('DELETE FROM journal WHERE seq <= ?');
  const stats = { seq: 0, projected: 0, encodeNs: 0n, bytes: 0 };
  const append = journal.transaction((record: Uint8Array) => {
    insert.run(++stats.seq, record);
    // Records the projector has committed are dropped with the next journal write.
    if (stats.seq % 16 === 0 && stats.projected > 0) trim.run(stats.projected);
  });
  let worker: Worker | undefined;
  const compact = contender.startsWith('compact');
  if (contender.endsWith('projector')) {
    // A worker does not inherit tsx's loader hooks on Node 20: register them in the thread.
    const file = JSON.stringify(path.join(__dirname, 'engine/journal-projector.ts'));
    worker = new Worker(`require('tsx/cjs'); require(${file});`, {
      eval: true,
      workerData: { dbPath, synchronous: 'NORMAL' },
    });
    const ready = new Promise((resolve) => worker!.once('message', resolve));
    worker.on('message', (n: number | 'ready') => {
      if (n !== 'ready') stats.projected = n;
    });
    await ready; // its start-up (loading tsx and the modules) stays out of the timed region
  } else if (contender === 'journal + spinning thread') {
    worker = new Worker('let x = 0; for (;;) x = (x * 31 + 1) | 0;', { eval: true });
  }
  // The exchange writes a batch as `db.write` inside `store.write('exchange.batch')`, a
  // transaction on the main database; in the design the acknowledgement takes no lock there
  // (the projector owns it), so that transaction is skipped too.
  const store = backend.store;
  const mainWrite = store.write;
  store.write = <T>(name: string, fn: () => T): T =>
    name === 'exchange.batch' ? fn() : mainWrite(name, fn);
  exchange.db.write = (w: BatchWrites): void => {
    // The projector thread always gets the real record (a message is a structured clone anyway).
    let record: Uint8Array | undefined;
    if (!compact || worker) {
      const t0 = process.hrtime.bigint();
      record = v8.serialize(w);
      stats.encodeNs += process.hrtime.bigint() - t0;
    }
    const row = compact ? new Uint8Array(COMPACT_BYTES_PER_ORDER * w.orders.length) : record!;
    stats.bytes += row.byteLength;
    append(row);
    if (worker && record) worker.postMessage(record);
  };
  const undo = (): void => {
    delete (exchange.db as { write?: unknown }).write; // back to the prototype's writer
    store.write = mainWrite;
    void worker?.terminate();
    journal.close();
  };
  return { undo, stats };
}

async function sample(
  contender: Contender,
  stream: ReturnType<typeof orderStream>,
): Promise<Sample> {
  let stats: Awaited<ReturnType<typeof journalInstead>>['stats'] | undefined;
  let lagAtEnd = 0;
  const r = await durablePass('FULL', 100, stream, 'orders.place', async (backend) => {
    if (contender === 'rows') return () => undefined;
    const j = await journalInstead(backend, contender);
    stats = j.stats;
    return () => {
      lagAtEnd = contender.endsWith('projector') ? j.stats.seq - j.stats.projected : 0;
      j.undo();
    };
  });
  return {
    ordersPerSec: r.ordersPerSec,
    cpuMicrosPerOrder: (r.cpuSeconds * 1e6) / stream.length,
    lag: lagAtEnd,
    encodeMicrosPerOrder: stats ? Number(stats.encodeNs) / 1000 / stream.length : 0,
    recordBytesPer100: stats ? (stats.bytes * 100) / stream.length : 0,
  };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;

void (async () => {
  const stream = orderStream(ORDERS, 7);
  const samples = new Map<Contender, Sample[]>(CONTENDERS.map((c) => [c, []]));
  for (let round = 0; round < ROUNDS; round++) {
    // Rotate the order each round so no contender always runs first (warm-up) or last.
    const order = CONTENDERS.map((_, i) => CONTENDERS[(i + round) % CONTENDERS.length]!);
    for (const c of order) samples.get(c)!.push(await sample(c, stream));
    console.error(`round ${round + 1}/${ROUNDS} done`);
  }
  const base = median(samples.get('rows')!.map((s) => s.ordersPerSec));
  console.log(
    `bench:journal-probe — FULL, group 100, ${ORDERS.toLocaleString('en')} orders, ${ROUNDS} rounds, medians`,
  );
  console.log(
    '| contender | orders/s | ÷ rows | CPU µs per order (all threads) | encode µs per order | journal KB per 100 orders | projector lag at end (records) |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const c of CONTENDERS) {
    const s = samples.get(c)!;
    const ops = median(s.map((x) => x.ordersPerSec));
    console.log(
      `| ${c} | ${Math.round(ops).toLocaleString('en')} | ${(ops / base).toFixed(2)} | ${median(s.map((x) => x.cpuMicrosPerOrder)).toFixed(1)} | ${median(s.map((x) => x.encodeMicrosPerOrder)).toFixed(1)} | ${(median(s.map((x) => x.recordBytesPer100)) / 1024).toFixed(0)} | ${median(s.map((x) => x.lag))} |`,
    );
  }
})();
