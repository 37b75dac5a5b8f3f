/**
 * `npm run bench:funding [-- --quick]`: the deposit listener catching up 10,000 blocks with
 * 1,000 watched addresses and a deposit every 5 blocks (ETH and an ERC-20, alternating), against
 * a local chain served over HTTP by another process. Baseline, in the same run over the same
 * range: the bare RPC reads a scan needs (every block with its transactions, the token's
 * Transfer logs to the watched addresses), with nothing recorded. Also the event loop's stall
 * while a trader places and cancels orders through the exchange during the catch-up.
 * Figures are printed, never asserted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseAbiItem, type Address } from 'viem';
import { openChainClient } from '../../src-main/connectors/chain/client';
import { startTestBackend, type TestBackend } from '../helpers/backend';
import { admin, ensureUser } from '../helpers/exchange';
import { DEPOSIT_XPUB } from '../integration/funding/setup';

const quick = process.argv.includes('--quick');
const BLOCKS = quick ? 2_000 : 10_000;
const EVERY = 5;
const ADDRESSES = 1_000;
const PER_POLL = 500;
const CHAIN_ID = 31337;
const TRANSFER = parseAbiItem(
  'event Transfer(address indexed from, address indexed to, uint256 value)',
);

interface Ready {
  rpcUrl: string;
  token: Address;
  start: number;
  end: number;
  deposits: number;
}

function startChain(): Promise<{ child: ChildProcess; ready: Ready }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(__dirname, 'funding-chain.ts'),
        String(BLOCKS),
        String(EVERY),
        String(ADDRESSES),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('ready '));
      if (line) resolve({ child, ready: JSON.parse(line.slice(6)) as Ready });
    });
    child.on('exit', (code) => reject(new Error(`chain process exited with ${code}`)));
  });
}

/** The reads a scan of `start..end` makes, with nothing done with the answers. */
async function bareReads(r: Ready, watched: Address[]): Promise<number> {
  // The listener's own client settings (JSON-RPC batches of 32).
  const client = openChainClient({ chainId: CHAIN_ID, rpcUrl: r.rpcUrl, batchSize: 32 });
  const t0 = performance.now();
  for (let from = r.start; from <= r.end; from += PER_POLL) {
    const to = Math.min(r.end, from + PER_POLL - 1);
    const logs = client.getLogs({
      address: [r.token],
      event: TRANSFER,
      args: { to: watched },
      fromBlock: BigInt(from),
      toBlock: BigInt(to),
    });
    for (let b = from; b <= to; b += 32) {
      const n = Math.min(32, to - b + 1);
      await Promise.all(
        Array.from({ length: n }, (_, i) =>
          client.getBlock({ blockNumber: BigInt(b + i), includeTransactions: true }),
        ),
      );
    }
    await logs;
  }
  return performance.now() - t0;
}

/** A backend watching the bench chain, with the 1,000 deposit addresses issued. */
async function prepare(ready: Ready) {
  const backend = await startTestBackend({ sqliteSynchronous: 'FULL' });
  await backend.invoke(
    'admin.funding.chainSet',
    {
      chainId: CHAIN_ID,
      name: 'Local',
      rpcUrl: ready.rpcUrl,
      xpub: DEPOSIT_XPUB,
      pollMs: 600_000,
      maxBlocksPerPoll: PER_POLL,
      startBlock: ready.start,
    },
    admin(),
  );
  const asset = (code: string, token: string | null, decimals: number) =>
    backend.invoke(
      'admin.funding.assetSet',
      {
        asset: code,
        chainId: CHAIN_ID,
        tokenContract: token,
        tokenDecimals: decimals,
        confirmations: 12,
        depositsEnabled: true,
      },
      admin(),
    );
  await asset('ETH', null, 18);
  await asset('USDT', ready.token, 6);
  const watched: Address[] = [];
  for (let i = 0; i < ADDRESSES; i++) {
    watched.push(
      (await backend.features.funding.depositAddress(`u${i}`, 'ETH')).address as Address,
    );
  }
  ensureUser(backend, 'trader');
  await backend.invoke(
    'admin.ledger.fund',
    { userId: 'trader', asset: 'USDT', amount: '100000000', direction: 'credit', reason: 'bench' },
    admin(),
  );
  return { backend, watched };
}

/** Event-loop delay while a trader places and cancels orders, until `during` settles. */
async function tradingStall(backend: TestBackend, during: Promise<unknown>) {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  let trading = true;
  let orders = 0;
  const trade = async () => {
    while (trading) {
      const o = await backend.features.exchange.place('trader', {
        symbol: 'BTC/USDT',
        side: 'buy',
        type: 'limit',
        price: '1000.00',
        qty: '0.0100',
      });
      await backend.features.exchange.cancel('trader', { orderId: o.orderId });
      orders++;
    }
  };
  delay.enable();
  const t0 = performance.now();
  const [, result] = await Promise.all([trade(), during.finally(() => (trading = false))]);
  const ms = performance.now() - t0;
  delay.disable();
  const p = (q: number) => (delay.percentile(q) / 1e6).toFixed(1);
  return {
    result,
    text: `${p(50)} / ${p(99)} / ${(delay.max / 1e6).toFixed(1)} ms (${orders} orders in ${(ms / 1000).toFixed(1)} s)`,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

void (async () => {
  console.log(
    `bench:funding — ${BLOCKS} blocks, ${ADDRESSES} watched addresses, a deposit every ${EVERY} blocks`,
  );
  const t0 = performance.now();
  const { child, ready } = await startChain();
  console.log(
    `chain prepared in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${ready.deposits} deposits in blocks ${ready.start}..${ready.end}`,
  );
  const backends: TestBackend[] = [];
  try {
    // 1. Throughput: the listener alone against the bare reads, in the same run.
    const a = await prepare(ready);
    backends.push(a.backend);
    const baseline1 = await bareReads(ready, a.watched);
    const l0 = performance.now();
    const reports = await a.backend.features.funding.pollAll();
    const listenerMs = performance.now() - l0;
    const baseline2 = await bareReads(ready, a.watched);
    const baseline = Math.min(baseline1, baseline2);
    const credited = a.backend.store.sqlite
      .prepare("SELECT count(*) AS n FROM deposits WHERE status = 'credited'")
      .get() as { n: number };
    // 2. Stall: a trader's orders alone, then the same while a second backend catches up.
    const b = await prepare(ready);
    backends.push(b.backend);
    const alone = await tradingStall(b.backend, sleep(3_000));
    const withListener = await tradingStall(b.backend, b.backend.features.funding.pollAll());
    console.log('| measure | value |');
    console.log('| --- | ---: |');
    console.log(`| bare getBlock/getLogs over the range (best of 2) | ${baseline.toFixed(0)} ms |`);
    console.log(`| listener catch-up (scan, record, credit) | ${listenerMs.toFixed(0)} ms |`);
    console.log(`| ratio (bare ÷ listener; goal ≥ 0.5) | ${(baseline / listenerMs).toFixed(2)} |`);
    console.log(
      `| blocks scanned / deposits credited | ${reports[0]?.blocksScanned} / ${credited.n} |`,
    );
    console.log(`| event-loop delay p50 / p99 / max, trading alone | ${alone.text} |`);
    console.log(
      `| event-loop delay p50 / p99 / max, trading during catch-up (goal p99 ≤ 20 ms) | ${withListener.text} |`,
    );
  } finally {
    for (const backend of backends) await backend.cleanup();
    child.kill('SIGKILL');
  }
})();
