import { useEffect, useState } from 'react';
import { client } from '../../client/client';
import { useBacktest } from '../../stores/backtest';
import { ComparePanel } from './compare';
import { DatasetsPanel } from './import-panel';
import { BacktestResultView, RunProgress, SweepResultView } from './results';
import { RunsList } from './runs-list';
import { SetupPanel } from './setup-panel';
import { StrategyEditor } from './strategy-editor';

const TABS = [
  { id: 'backtest', label: 'Backtest' },
  { id: 'sweep', label: 'Sweep' },
  { id: 'compare', label: 'Compare' },
  { id: 'strategies', label: 'Strategies' },
  { id: 'datasets', label: 'Datasets' },
] as const;
type Tab = (typeof TABS)[number]['id'];

function RunArea({ mode }: { mode: 'backtest' | 'sweep' }) {
  const { runs, detail } = useBacktest();
  const active = runs.filter((r) => r.status === 'queued' || r.status === 'running');
  const shown = detail && runs.find((r) => r.id === detail.run.id);
  return (
    <div className="bt-layout">
      <div className="bt-side">
        <SetupPanel mode={mode} />
        <section className="card" aria-labelledby="bt-runs-title">
          <h2 id="bt-runs-title">Runs</h2>
          <RunsList />
        </section>
      </div>
      <div className="bt-main">
        {active.map((r) => (
          <RunProgress key={r.id} run={r} />
        ))}
        {detail && shown && shown.status !== 'queued' && shown.status !== 'running' ? (
          detail.run.kind === 'sweep' ? (
            detail.sweep ? (
              <SweepResultView detail={detail} />
            ) : (
              <BacktestResultView detail={detail} />
            )
          ) : (
            <BacktestResultView detail={detail} />
          )
        ) : active.length === 0 ? (
          <div className="empty-state">
            <h2>{mode === 'sweep' ? 'Sweep parameters' : 'Test a strategy on history'}</h2>
            <p className="muted">
              {mode === 'sweep'
                ? 'Tick the parameters to vary, set their ranges and run the grid as one job. Results come back as a sortable table.'
                : 'Pick a dataset, a strategy and its parameters, set your costs and sizing, then run. Every assumption is shown with the results.'}
            </p>
          </div>
        ) : null}
      </div>
    </div>
  );
}

/** Backtesting: datasets, strategies, runs with progress, results, sweeps and compare. */
export function BacktestScreen() {
  const [tab, setTab] = useState<Tab>('backtest');
  const { load, refreshRuns, datasets } = useBacktest();
  useEffect(() => {
    void load();
    // Job progress is pushed on the `jobs` stream; the list is re-read on each update.
    const off = client.subscribe('jobs', (run) => {
      if (run.job.startsWith('backtest.')) void refreshRuns();
    });
    return off;
  }, [load, refreshRuns]);
  const datasetId = useBacktest((s) => s.datasetId);
  const loadCandles = useBacktest((s) => s.loadCandles);
  useEffect(() => {
    if (datasetId !== undefined) void loadCandles(datasetId);
  }, [datasetId, loadCandles]);

  return (
    <section className="screen" aria-labelledby="screen-title">
      <header className="screen-header">
        <h1 id="screen-title">Backtest</h1>
      </header>
      <div className="bt-tabs" role="tablist" aria-label="Backtest sections">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            aria-selected={t.id === tab}
            onClick={() => setTab(t.id)}
          >
            {t.label}
            {t.id === 'datasets' && datasets.length > 0 ? ` (${datasets.length})` : ''}
          </button>
        ))}
      </div>
      <div role="tabpanel" aria-label={TABS.find((t) => t.id === tab)!.label}>
        {tab === 'backtest' && <RunArea mode="backtest" />}
        {tab === 'sweep' && <RunArea mode="sweep" />}
        {tab === 'compare' && <ComparePanel />}
        {tab === 'strategies' && <StrategyEditor />}
        {tab === 'datasets' && <DatasetsPanel />}
      </div>
    </section>
  );
}
