// The projector half of the journal probe (test/bench/journal-probe.bench.ts), run in a
// worker thread: it receives batch records (v8-serialised `BatchWrites`) and writes them as
// the normalised rows the product writes today, several records per transaction, into the
// main database through its own connection. It reports how many records it has projected.
import v8 from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import {
  ExchangePersistence,
  type BatchWrites,
} from '../../../src-main/features/exchange/persistence';

const { dbPath, synchronous } = workerData as { dbPath: string; synchronous: string };
const db = new Database(dbPath);
db.pragma('journal_mode = WAL');
db.pragma(`synchronous = ${synchronous}`);
db.pragma('busy_timeout = 5000');
const rows = new ExchangePersistence(db);
const project = db.transaction((records: Uint8Array[]) => {
  for (const r of records) rows.write(v8.deserialize(r) as BatchWrites);
});

parentPort!.postMessage('ready');

let pending: Uint8Array[] = [];
let projected = 0;
parentPort!.on('message', (record: Uint8Array) => {
  pending.push(record);
  if (pending.length === 1) setImmediate(drain);
});

function drain(): void {
  const records = pending;
  pending = [];
  project(records);
  projected += records.length;
  parentPort!.postMessage(projected);
}
