import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestBackend, tempDataDir } from '../../helpers/backend';
import { bars, finished, trader, type RunView } from './setup';

const dataDir = tempDataDir('bourse-backtest-restart-');
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('backtest results are persisted', () => {
  it('survive a restart: dataset, run, metrics, trades and exports', async () => {
    let backend = await startTestBackend({ dataDir });
    const me = await trader(backend);
    const d = await me.invoke<{ dataset: { id: number } }>('backtest.datasets.import', {
      name: 'weekly',
      content: bars('2006-week-001.txt'),
    });
    const queued = await me.invoke<RunView>('backtest.run', {
      datasetId: d.dataset.id,
      strategyId: 'buy-and-hold',
      assumptions: { commission: { kind: 'percent', rate: 0.001 } },
    });
    const before = await finished(backend, me, queued);
    const json = await me.invoke<{ content: string }>('backtest.runs.export', {
      id: queued.id,
      format: 'json',
    });
    await backend.close();

    backend = await startTestBackend({ dataDir });
    try {
      const after = await backend.invoke('backtest.runs.get', { id: queued.id }, me.principal);
      expect(after).toEqual(before);
      expect(
        await backend.invoke(
          'backtest.runs.export',
          { id: queued.id, format: 'json' },
          me.principal,
        ),
      ).toMatchObject({ content: json.content });
      const list = (await backend.invoke('backtest.datasets.list', {}, me.principal)) as {
        items: { id: number; barCount: number }[];
      };
      expect(list.items).toEqual([expect.objectContaining({ id: d.dataset.id, barCount: 52 })]);
    } finally {
      await backend.close();
    }
  });
});
