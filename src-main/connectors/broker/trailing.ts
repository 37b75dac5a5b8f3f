import { AppError } from '../../../src-shared/contract';
import { compareDecimal, readDecimalText } from '../../domain/money';
import { requireTrailBps, refuseTrailing, type ResolvedIntent } from '../venue';
import type { BrokerConnector } from './port';

/**
 * The trailing stops an alert asks of a broker account, checked against what its broker
 * places natively: refused before anything is journaled or sent when it cannot (a plain stop
 * would stay put), by name when it trails by percent only and the alert gives an amount in
 * price units. A percent must be the exchange's rule (kept as text: Kraken sends `+2%` as
 * written); an amount a positive decimal (its decimals are the connector's to check against
 * the instrument's prices).
 */
export function brokerTrailsOf(
  i: ResolvedIntent,
  c: Pick<BrokerConnector, 'venue' | 'trailing'>,
): { entry?: Trail; stopLoss?: Trail } {
  const can = c.trailing;
  const entry = trailOfIntent(i.trailPercent, i.trailAmount, '');
  const stopLoss = trailOfIntent(i.stopLoss?.trailPercent, i.stopLoss?.trailAmount, 'stopLoss.');
  if (entry === undefined && stopLoss === undefined) return {};
  if ((entry !== undefined && !can?.entry) || (stopLoss !== undefined && !can?.stopLoss)) {
    refuseTrailing(i, `this ${c.venue} account`);
  }
  const byAmount =
    entry?.amount !== undefined ? entry : stopLoss?.amount !== undefined ? stopLoss : null;
  if (byAmount && !can?.amount) {
    throw new AppError(
      'unsupported_order_type',
      `this ${c.venue} account trails by percent only: trailing by an amount in price units (${byAmount.field}) is not supported there; nothing was placed`,
      { field: byAmount.field },
    );
  }
  for (const t of [entry, stopLoss]) {
    if (t?.percent !== undefined) requireTrailBps(t.percent, t.field);
  }
  if (entry !== undefined) {
    if (i.type !== 'stop_market') {
      throw new AppError(
        'unsupported_order_type',
        `a trailing stop at a broker is a stop market order (got ${i.type ?? 'market'}): nothing was placed`,
        { field: 'type' },
      );
    }
    if (i.stopPrice !== undefined) {
      throw new AppError(
        'unsupported_order_type',
        `the broker's trailing stops start from its last price: an activation price (stopPrice ${i.stopPrice}) is not supported there; send the trailing stop without it`,
        { field: 'stopPrice' },
      );
    }
  }
  return { entry, stopLoss };
}

/** One trailing distance of an alert: in percent or in price units, and the field it came in. */
export interface Trail {
  percent?: string;
  amount?: string;
  field: string;
}

/**
 * A trailing distance as an alert gives it (`prefix` '' for the entry, `stopLoss.` for its
 * stop-loss): percent or amount, never both; an amount must be a positive decimal.
 */
function trailOfIntent(
  percent: string | undefined,
  amount: string | undefined,
  prefix: string,
): Trail | undefined {
  if (percent !== undefined && amount !== undefined) {
    throw new AppError(
      'validation_failed',
      `give ${prefix}trailPercent or ${prefix}trailAmount, not both: a stop trails by one distance`,
      { field: `${prefix}trailAmount` },
    );
  }
  if (percent !== undefined) return { percent, field: `${prefix}trailPercent` };
  if (amount === undefined) return undefined;
  const field = `${prefix}trailAmount`;
  const read = readDecimalText(amount);
  if (!read.ok || compareDecimal(read.value, '0') <= 0) {
    throw new AppError('validation_failed', `${field} must be a positive decimal (price units)`, {
      field,
    });
  }
  return { amount: read.value, field };
}
