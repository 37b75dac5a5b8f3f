/**
 * `npm run bench:compaction`: how long one pass of `simulator.compact` blocks the event loop,
 * per chunk size, on 15 simulated minutes of the four default markets. Baseline: the same
 * 1 ms timer with the backend idle, measured in the same run. Figures are printed, never
 * asserted; the receiver's budget they are held against is the webhook's 60 ms p99.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createBackend } from '../../src-main/backend';
import { defaultConfig } from '../../src-main/config';
import { compactSystemHistory } from '../../src-main/features/exchange/history';
import { SIMULATOR_OWNER_PREFIX } from '../../src-main/features/simulator/service';
import { worstStall } from './stall';

const STEPS = 900; // 15 minutes of one-second steps
const SYMBOLS = ['BTC/USDT', 'ETH/USDT', 'ETH/BTC', 'EUR/USD'];

async function pass(chunk: number | 'idle') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bourse-bench-compact-'));
  let clock = Date.UTC(2026, 0, 1);
  const backend = await createBackend(
    defaultConfig({
      mode: 'headless',
      dataDir: dir,
      port: 0,
      logLevel: 'silent',
      logToFile: false,
      secrets: 'memory',
      now: () => clock,
    }),
  );
  try {
    const sim = backend.features.simulator;
    for (let i = 0; i < STEPS; i++) {
      clock += 1000;
      for (const s of SYMBOLS) await sim.step(s, clock);
    }
    const exchange = backend.features.exchange;
    if (chunk === 'idle') {
      return { ...(await worstStall(() => new Promise((r) => setTimeout(r, 300)))), entries: 0 };
    }
    let entries = 0;
    const r = await worstStall(async () => {
      const report = await compactSystemHistory(exchange, backend.store.sqlite, {
        ownerPrefix: SIMULATOR_OWNER_PREFIX,
        before: clock + 1,
        chunk,
      });
      entries = report.entries;
    });
    return { ...r, entries };
  } finally {
    await backend.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void (async () => {
  console.log(
    `bench:compaction — ${STEPS} simulated seconds × ${SYMBOLS.length} markets, median of 3`,
  );
  console.log('| chunk | entries removed | pass ms | worst event-loop stall ms |');
  console.log('| ---: | ---: | ---: | ---: |');
  for (const chunk of ['idle', 1000, 5000] as const) {
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await pass(chunk));
    runs.sort((a, b) => a.worstMs - b.worstMs);
    const m = runs[1]!;
    const name = chunk === 'idle' ? 'idle (baseline)' : chunk.toLocaleString('en');
    console.log(
      `| ${name} | ${m.entries.toLocaleString('en')} | ${m.totalMs.toFixed(0)} | ${m.worstMs.toFixed(1)} |`,
    );
  }
})();
