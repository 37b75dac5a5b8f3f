import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDataDir, startTestBackend } from '../../helpers/backend';
import { admin, exchangeOf, fund } from '../../helpers/exchange';

const CHILD = path.join(__dirname, 'crash-child.ts');
// A soak: BOURSE_CRASH_ROUNDS=40 BOURSE_CRASH_SEED=7 npx vitest run test/integration/exchange/crash.test.ts
const ROUNDS = Number(process.env.BOURSE_CRASH_ROUNDS ?? 6);
const SEED = Number(process.env.BOURSE_CRASH_SEED ?? 42);
const USERS = ['alice', 'bob', 'carol', 'dave'];
/** Lifecycle rank: an order may only be found in the same or a later state after a crash. */
const RANK: Record<string, number> = {
  new: 0,
  partially_filled: 1,
  filled: 2,
  cancelled: 2,
  expired: 2,
  rejected: 2,
};

interface Ack {
  kind: 'place' | 'cancelAll';
  user: string;
  clientOrderId?: string;
  orderId?: number;
  status?: string;
  filledQty?: string;
}

/** xorshift32: the kill points are random but reproducible from the seed. */
function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

/** The client ids of one orders.placeBatch call, printed before it was sent. */
interface SentBatch {
  user: string;
  ids: string[];
}

/** Runs the backend in a child process and SIGKILLs it after `killAfter` acknowledgements. */
function runUntilKilled(dataDir: string, round: number, killAfter: number, extraMs: number) {
  return new Promise<{ acks: Ack[]; batches: SentBatch[] }>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', CHILD, dataDir, String(round), String(SEED * 1000 + round)],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const acks: Ack[] = [];
    const batches: SentBatch[] = [];
    let buffered = '';
    let stderr = '';
    let killing = false;
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        // Everything printed before the kill was acknowledged, even if read after it.
        if (line.startsWith('ack ')) acks.push(JSON.parse(line.slice(4)) as Ack);
        if (line.startsWith('sent ')) batches.push(JSON.parse(line.slice(5)) as SentBatch);
      }
      if (!killing && acks.length >= killAfter) {
        killing = true;
        setTimeout(() => child.kill('SIGKILL'), extraMs);
      }
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve({ acks, batches });
      else reject(new Error(`child exited with ${code ?? signal}: ${stderr.slice(-2000)}`));
    });
  });
}

describe('crash safety (SIGKILL at random points)', () => {
  const dataDir = tempDataDir('bourse-crash-');
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it(
    `keeps every acknowledged order and a consistent ledger across ${ROUNDS} kills (seed ${SEED})`,
    async () => {
      const setup = await startTestBackend({ dataDir });
      for (const user of USERS) {
        await fund(setup, user, 'USDT', '100000000');
        await fund(setup, user, 'BTC', '1000');
      }
      await setup.close();

      const rnd = prng(SEED);
      const acked = new Map<string, Ack>();
      let totalAcks = 0;
      let totalBatches = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const { acks, batches } = await runUntilKilled(
          dataDir,
          round,
          20 + Math.floor(rnd() * 300),
          Math.floor(rnd() * 25),
        );
        totalAcks += acks.length;
        totalBatches += batches.length;
        for (const a of acks) if (a.kind === 'place') acked.set(`${a.user}/${a.clientOrderId}`, a);

        // Restart in this process: books and balances are rebuilt from the database.
        const backend = await startTestBackend({ dataDir });
        try {
          const sqlite = backend.store.sqlite;
          // 1. Every acknowledged order is there, in the same or a later state.
          const byClient = sqlite.prepare(
            'SELECT id, status, filled_qty AS filled FROM orders WHERE user_id = ? AND client_order_id = ?',
          );
          for (const a of acked.values()) {
            const row = byClient.get(a.user, a.clientOrderId) as
              { id: number; status: string; filled: number } | undefined;
            expect(row, `acknowledged ${a.user}/${a.clientOrderId} lost`).toBeDefined();
            expect(row!.id).toBe(a.orderId);
            expect(RANK[row!.status]!).toBeGreaterThanOrEqual(RANK[a.status!]!);
            if (RANK[a.status!] === 2) expect(row!.status).toBe(a.status);
            expect(row!.filled / 10_000).toBeGreaterThanOrEqual(Number(a.filledQty));
          }
          // 1b. A batch (one transaction) is found whole or not at all, acknowledged or not.
          for (const b of batches) {
            const found = b.ids.filter((cid) => byClient.get(b.user, cid) !== undefined).length;
            expect([0, b.ids.length], `batch ${b.ids.join(',')} half applied`).toContain(found);
          }
          // 2. No fill applied twice or half: each order's filled lots equal its trades.
          const mismatched = sqlite
            .prepare(
              `SELECT o.id, o.filled_qty, COALESCE(SUM(t.qty), 0) AS traded FROM orders o
             LEFT JOIN trades t ON t.symbol = o.symbol AND (t.buy_order_id = o.id OR t.sell_order_id = o.id)
             GROUP BY o.id HAVING o.filled_qty != traded`,
            )
            .all();
          expect(mismatched).toEqual([]);
          const overfilled = sqlite
            .prepare('SELECT id FROM orders WHERE qty > 0 AND filled_qty + open_qty > qty')
            .all();
          expect(overfilled).toEqual([]);
          // 3. Ledger invariants: sums, signs, holds = open orders' reservations, balances = postings.
          const report = (await backend.invoke('admin.ledger.reconcile', {}, admin())) as {
            ok: boolean;
            problems: unknown[];
          };
          expect(report.problems).toEqual([]);
          expect(report.ok).toBe(true);
          // 4. The rebuilt book holds exactly the open orders the database holds, uncrossed.
          const engine = exchangeOf(backend).market('BTC/USDT').engine;
          expect(engine.checkInvariants()).toEqual([]);
          const resting = engine
            .snapshot()
            .orders.map((o) => o.orderId)
            .sort((a, b) => a - b);
          const open = (
            sqlite
              .prepare(
                "SELECT id FROM orders WHERE symbol = 'BTC/USDT' AND waiting = 0 AND status IN ('new', 'partially_filled') ORDER BY id",
              )
              .all() as Array<{ id: number }>
          ).map((r) => r.id);
          expect(resting).toEqual(open);
        } finally {
          await backend.close();
        }
      }
      // The run must have exercised something: acknowledged orders, and trades among them.
      expect(totalAcks).toBeGreaterThan(ROUNDS * 20);
      expect(totalBatches).toBeGreaterThan(0);
      const check = await startTestBackend({ dataDir });
      const trades = check.store.sqlite.prepare('SELECT count(*) AS n FROM trades').get() as {
        n: number;
      };
      await check.close();
      expect(trades.n).toBeGreaterThan(0);
    },
    180_000 + ROUNDS * 10_000,
  );
});
