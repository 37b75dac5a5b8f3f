import { useBacktest, type AssumptionForm } from '../../stores/backtest';
import { NumberField, Select, type Options } from './setup-fields';

/** One setter per field: a change patches only its own key of the form. */
type FieldSetter = <K extends keyof AssumptionForm>(k: K) => (v: AssumptionForm[K]) => void;

interface GroupProps {
  form: AssumptionForm;
  f: FieldSetter;
}

const SIZING: Options<AssumptionForm['sizingKind']> = [
  ['percent-equity', '% of equity'],
  ['fixed-cash', 'Fixed cash'],
  ['fixed-quantity', 'Fixed quantity'],
];
const COMMISSION: Options<AssumptionForm['commissionKind']> = [
  ['none', 'None'],
  ['per-order', 'Per order'],
  ['per-unit', 'Per unit'],
  ['percent', '% of notional'],
];
const INSTRUMENT: Options<AssumptionForm['instrumentKind']> = [
  ['spot', 'Spot'],
  ['future', 'Future (margin)'],
];
const MARKET_FILL: Options<AssumptionForm['marketFill']> = [
  ['next-open', 'Next bar open'],
  ['next-close', 'Next bar close'],
];
const INDICATOR_CONVENTION: Options<AssumptionForm['indicatorConvention']> = [
  ['tradingview', 'TradingView (ta.atr, ta.rsi)'],
  ['talib', 'TA-Lib / backtrader'],
];
const CALENDAR: Options<AssumptionForm['calendar']> = [
  ['equity', '252 trading days'],
  ['crypto', '365 days × 24 h'],
];
const STD_DEV: Options<AssumptionForm['stdDev']> = [
  ['sample', 'Sample (n − 1)'],
  ['population', 'Population (n)'],
];
const RETURNS_BASIS: Options<AssumptionForm['returnsBasis']> = [
  ['period', 'Per-bar returns'],
  ['trade', 'Per-trade returns'],
];

/** The one sizing number means a percentage, a cash amount or a quantity, by the kind. */
function sizingLabel(kind: AssumptionForm['sizingKind']): string {
  if (kind === 'percent-equity') return 'Percent of equity';
  return kind === 'fixed-cash' ? 'Cash per entry' : 'Units per entry';
}

function SizingFields({ form, f }: GroupProps) {
  return (
    <>
      <NumberField label="Initial cash" value={form.initialCash} onChange={f('initialCash')} />
      <NumberField
        label="Cash decimals"
        value={form.currencyScale}
        step={1}
        min={0}
        onChange={f('currencyScale')}
      />
      <Select label="Sizing" value={form.sizingKind} options={SIZING} onChange={f('sizingKind')} />
      <NumberField
        label={sizingLabel(form.sizingKind)}
        value={form.sizing}
        onChange={f('sizing')}
      />
      <NumberField label="Quantity step" value={form.quantityStep} onChange={f('quantityStep')} />
    </>
  );
}

function CostFields({ form, f }: GroupProps) {
  return (
    <>
      <Select
        label="Commission"
        value={form.commissionKind}
        options={COMMISSION}
        onChange={f('commissionKind')}
      />
      <NumberField
        label={form.commissionKind === 'percent' ? 'Commission %' : 'Commission amount'}
        value={form.commission}
        onChange={f('commission')}
      />
      <NumberField label="Slippage (bps)" value={form.slippageBps} onChange={f('slippageBps')} />
      <NumberField label="Spread (price)" value={form.spread} onChange={f('spread')} />
    </>
  );
}

/** A future holds margin per contract where spot pays the notional, so leverage gives way. */
function InstrumentFields({ form, f }: GroupProps) {
  const future = form.instrumentKind === 'future';
  return (
    <>
      <Select
        label="Instrument"
        value={form.instrumentKind}
        options={INSTRUMENT}
        onChange={f('instrumentKind')}
      />
      <NumberField
        label={future ? 'Point value (multiplier)' : 'Contract multiplier'}
        value={form.contractMultiplier}
        onChange={f('contractMultiplier')}
      />
      {future ? (
        <>
          <NumberField
            label="Initial margin per contract"
            value={form.initialMargin}
            onChange={f('initialMargin')}
          />
          <NumberField
            label="Commission per contract"
            value={form.commissionPerContract}
            onChange={f('commissionPerContract')}
          />
        </>
      ) : (
        <NumberField label="Leverage" value={form.leverage} onChange={f('leverage')} />
      )}
    </>
  );
}

/**
 * Conventions differ between tools: these let a run be matched to another tool's figures.
 * The indicator conventions and the year take both columns: their choices ("TradingView
 * (ta.atr, ta.rsi)", "252 trading days") do not fit in one.
 */
function ConventionFields({ form, f }: GroupProps) {
  return (
    <>
      <Select
        label="Market orders fill at"
        value={form.marketFill}
        options={MARKET_FILL}
        onChange={f('marketFill')}
      />
      <Select label="Std. deviation" value={form.stdDev} options={STD_DEV} onChange={f('stdDev')} />
      <Select
        label="Indicator conventions"
        value={form.indicatorConvention}
        options={INDICATOR_CONVENTION}
        onChange={f('indicatorConvention')}
        wide
      />
      <Select label="Year" value={form.calendar} options={CALENDAR} onChange={f('calendar')} wide />
      <Select
        label="Sharpe basis"
        value={form.returnsBasis}
        options={RETURNS_BASIS}
        onChange={f('returnsBasis')}
      />
      <NumberField
        label="Risk-free % a year"
        value={form.riskFreeRate}
        onChange={f('riskFreeRate')}
      />
    </>
  );
}

function PositionChecks({ form, f }: GroupProps) {
  return (
    <>
      <label className="bt-check">
        <input
          type="checkbox"
          checked={form.allowShort}
          onChange={(e) => f('allowShort')(e.target.checked)}
        />
        Allow short selling
      </label>
      <label className="bt-check">
        <input
          type="checkbox"
          checked={form.closeAtEnd}
          onChange={(e) => f('closeAtEnd')(e.target.checked)}
        />
        Close the position at the last bar
      </label>
    </>
  );
}

export function AssumptionsFields() {
  const { form, setForm } = useBacktest();
  const f: FieldSetter = (k) => (v) => setForm({ [k]: v } as Partial<AssumptionForm>);
  return (
    <details className="bt-assumptions" open>
      <summary>Assumptions</summary>
      <div className="bt-grid2">
        <SizingFields form={form} f={f} />
        <CostFields form={form} f={f} />
        <InstrumentFields form={form} f={f} />
        <ConventionFields form={form} f={f} />
      </div>
      <PositionChecks form={form} f={f} />
    </details>
  );
}
