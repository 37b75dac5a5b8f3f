// The backend as a child process for the crash test: it places a stream of orders and
// prints one line per ACKNOWLEDGED command (`ack <json>`), until the parent kills it. Before
// each orders.placeBatch it prints the batch's client ids (`sent <json>`).
// Usage: tsx crash-child.ts <dataDir> <round> <seed>
import { createBackend } from '../../../src-main/backend';
import { defaultConfig } from '../../../src-main/config';
import { trader } from '../../helpers/exchange';

const [dataDir = '', roundText = '0', seedText = '1'] = process.argv.slice(2);
const round = Number(roundText);
let x = Number(seedText) >>> 0 || 1;
const rnd = (): number => {
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  return (x >>> 0) / 2 ** 32;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;

async function main(): Promise<void> {
  const backend = await createBackend(
    defaultConfig({
      mode: 'headless',
      dataDir,
      port: 0,
      logLevel: 'silent',
      logToFile: false,
      secrets: 'memory',
    }),
  );
  const users = ['alice', 'bob', 'carol'] as const;
  const ack = (line: Record<string, unknown>): void => {
    process.stdout.write(`ack ${JSON.stringify(line)}\n`);
  };
  process.stdout.write('ready\n');

  let n = 0;
  // Groups of commands in flight together, so kills land inside group commits too.
  for (;;) {
    const group = Array.from({ length: 1 + Math.floor(rnd() * 20) }, () => {
      const user = pick(users);
      const clientOrderId = `r${round}-${n++}`;
      const r = rnd();
      const side = pick(['buy', 'sell'] as const);
      const price = (30_000 + Math.floor(rnd() * 20) - 10).toFixed(2);
      const qty = (0.001 * (1 + Math.floor(rnd() * 5))).toFixed(4);
      const input =
        r < 0.7
          ? { symbol: 'BTC/USDT', side, type: 'limit', price, qty, clientOrderId }
          : r < 0.8
            ? { symbol: 'BTC/USDT', side, type: 'market', qty, clientOrderId }
            : r < 0.85
              ? { symbol: 'BTC/USDT', side, type: 'limit', price, qty, tif: 'IOC', clientOrderId }
              : null;
      if (r >= 0.95) {
        // dave's resting bids below everyone else's prices, a few per call: none is refused,
        // so after a kill a batch is found whole or not at all (it is one transaction).
        const ids = Array.from({ length: 2 + Math.floor(rnd() * 5) }, () => `r${round}-${n++}`);
        const orders = ids.map((cid) => ({
          symbol: 'BTC/USDT',
          side: 'buy',
          type: 'limit',
          price: (28_000 + Math.floor(rnd() * 500)).toFixed(2),
          qty: '0.0010',
          clientOrderId: cid,
        }));
        process.stdout.write(`sent ${JSON.stringify({ user: 'dave', ids })}\n`);
        return backend.invoke('orders.placeBatch', { orders }, trader('dave')).then((out) => {
          for (const res of (out as { results: Array<Record<string, unknown>> }).results) {
            // The parent's all-or-none check counts on no refusal: stop loudly if one comes.
            if (res.ok !== true) throw new Error(`batch order refused: ${JSON.stringify(res)}`);
            ack({ kind: 'place', user: 'dave', ...(res.order as object) });
          }
        });
      }
      if (input === null) {
        return backend
          .invoke('orders.cancelAll', { symbol: 'BTC/USDT' }, trader(user))
          .then(() => ack({ kind: 'cancelAll', user }))
          .catch(() => undefined);
      }
      return backend
        .invoke('orders.place', input, trader(user))
        .then((o) => {
          const out = o as { orderId: number; status: string; filledQty: string };
          ack({ kind: 'place', user, clientOrderId, ...out });
        })
        .catch(() => undefined); // a rejection (funds, band) acknowledges nothing durable
    });
    await Promise.all(group);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
