/**
 * `npm run bench:durable-tables`: what each table costs the durable path. The durable
 * benchmark's stream (FULL, group 100, 20,000 orders, `orders.place`) runs with the batch
 * writer's rows for ONE table dropped after funding — postings, orders, journal entries or
 * trades — against the product writing them all, interleaved in rotating order, medians. The
 * difference in µs per order is that table's share. A measurement only: every table is part of
 * what an acknowledgement promises, and none may be skipped in the product.
 */
import type { Backend } from '../../src-main/backend';
import { durablePass, orderStream } from './engine/durable';

type Table = 'none' | 'ledger_postings' | 'orders' | 'ledger_entries' | 'trades';
const TABLES: Table[] = ['none', 'ledger_postings', 'orders', 'ledger_entries', 'trades'];
const ROUNDS = Number(process.env.ROUNDS ?? 4);
const ORDERS = 20_000;

/** The writer's private row buffers, reached from here only to switch one of them off. */
interface Writer {
  insertPosting: { add: unknown };
  insertEntry: { add: unknown };
  insertTrade: { add: unknown };
  insertOrder: { addRow: unknown };
  updateOrder: { run: unknown };
}

/** Drops one table's rows from every batch; returns the undo. */
function dropRows(backend: Backend, table: Table): () => void {
  const w = backend.features.exchange.db as unknown as Writer;
  const off = <T extends object>(target: T, method: keyof T, value: unknown): (() => void) => {
    (target as Record<keyof T, unknown>)[method] = value;
    return () => delete (target as Record<keyof T, unknown>)[method]; // back to the prototype's
  };
  const nothing = (): void => undefined;
  switch (table) {
    case 'none':
      return nothing;
    case 'ledger_postings':
      return off(w.insertPosting, 'add', nothing);
    case 'ledger_entries':
      return off(w.insertEntry, 'add', nothing);
    case 'trades':
      return off(w.insertTrade, 'add', nothing);
    case 'orders': {
      const a = off(w.insertOrder, 'addRow', nothing);
      // "Updated one row", so the writer does not fall back to inserting the order whole.
      const b = off(w.updateOrder, 'run', () => ({ changes: 1 }));
      return () => (a(), b());
    }
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;

void (async () => {
  const stream = orderStream(ORDERS, 7);
  const samples = new Map<Table, number[]>(TABLES.map((t) => [t, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const order = TABLES.map((_, i) => TABLES[(i + round) % TABLES.length]!);
    for (const table of order) {
      const r = await durablePass('FULL', 100, stream, 'orders.place', async (backend) =>
        dropRows(backend, table),
      );
      samples.get(table)!.push(r.ordersPerSec);
    }
    console.error(`round ${round + 1}/${ROUNDS} done`);
  }
  const perOrder = (t: Table) => 1e6 / median(samples.get(t)!);
  const all = perOrder('none');
  console.log(
    `bench:durable-tables — FULL, group 100, ${ORDERS.toLocaleString('en')} orders, ${ROUNDS} rounds, medians`,
  );
  console.log(
    '| rows dropped | orders/s (min–max) | µs per order | the table costs (µs per order) |',
  );
  console.log('| --- | ---: | ---: | ---: |');
  for (const t of TABLES) {
    const s = samples.get(t)!;
    const range = `${Math.round(Math.min(...s)).toLocaleString('en')}–${Math.round(Math.max(...s)).toLocaleString('en')}`;
    const name = t === 'none' ? 'none (the product)' : t;
    const cost = t === 'none' ? '—' : (all - perOrder(t)).toFixed(1);
    console.log(
      `| ${name} | ${Math.round(median(s)).toLocaleString('en')} (${range}) | ${perOrder(t).toFixed(1)} | ${cost} |`,
    );
  }
})();
