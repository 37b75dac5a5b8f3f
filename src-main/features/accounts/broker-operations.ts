import type { Static } from '@sinclair/typebox';
import { AppError } from '../../../src-shared/contract';
import {
  brokersCancel,
  brokersCandles,
  brokersClose,
  brokersPlace,
  brokersPositions,
  brokersState,
  brokersTest,
} from '../../../src-shared/contract/brokers';
import type { OperationContext } from '../../operations/context';
import { callerUserId } from '../../operations/principal';
import { bind, type BoundOperation } from '../../operations/registry';
import { addDecimal, compareDecimal } from '../../domain/money';
import { newClientOrderId } from '../../connectors/broker/venue';
import type { BrokerConnector } from '../../connectors/broker/port';
import { requireTrailBps } from '../../connectors/venue';
import type { AuditLog } from '../audit/audit-log';
import type { AccountRow } from './repo';
import { brokerOrderView } from './views';
import type { AccountsService } from './service';

type PlaceInput = Static<typeof brokersPlace.input>;
type TrailField = 'trailPercent' | 'trailAmount' | 'stopLossTrailPercent' | 'stopLossTrailAmount';

/** The field a trail is given in (its percent or its amount), or null; both are refused. */
function trailField<P extends TrailField, A extends TrailField>(
  input: PlaceInput,
  percent: P,
  amount: A,
): P | A | null {
  if (input[percent] !== undefined && input[amount] !== undefined) {
    throw new AppError(
      'validation_failed',
      `give ${percent} or ${amount}, not both: a stop trails by one distance`,
      { field: amount },
    );
  }
  return input[percent] !== undefined ? percent : input[amount] !== undefined ? amount : null;
}

/**
 * One trailing distance: only where the broker places that trail natively (`allowed`), by an
 * amount in price units only where it trails by amount too; a percent by the exchange's rule,
 * an amount above zero (its decimals are the connector's to check against the instrument).
 */
function checkDistance(
  value: string,
  field: TrailField,
  allowed: boolean | undefined,
  can: BrokerConnector['trailing'],
  account: string,
): void {
  if (!allowed) {
    const what = field.startsWith('stopLoss') ? 'trailing stop-losses' : 'trailing stops';
    throw new AppError(
      'unsupported_by_venue',
      `${account}'s broker does not place ${what} over its API: nothing was sent`,
      { field },
    );
  }
  if (field.endsWith('Percent')) {
    requireTrailBps(value, field);
    return;
  }
  if (!can?.amount) {
    throw new AppError(
      'unsupported_by_venue',
      `${account}'s broker trails by percent only: trailing by an amount in price units (${field}) is not supported there; nothing was sent`,
      { field },
    );
  }
  if (compareDecimal(value, '0') <= 0) {
    throw new AppError('validation_failed', `${field} must be above zero (price units)`, {
      field,
    });
  }
}

/**
 * A trailing stop or trailing stop-loss on a manual broker order: one distance per trail (in
 * percent or in price units), checked against what the broker places natively, and never
 * mixed with the fixed price it replaces.
 */
function checkTrailing(input: PlaceInput, can: BrokerConnector['trailing'], account: string): void {
  const entry = trailField(input, 'trailPercent', 'trailAmount');
  const stopLoss = trailField(input, 'stopLossTrailPercent', 'stopLossTrailAmount');
  if (entry) checkDistance(input[entry]!, entry, can?.entry, can, account);
  if (stopLoss) checkDistance(input[stopLoss]!, stopLoss, can?.stopLoss, can, account);
  if (entry && (input.type !== 'stop' || input.stopPrice !== undefined)) {
    throw new AppError(
      'validation_failed',
      `a trailing stop (${entry}) is type stop without a stopPrice: the broker trails from its last price`,
      { field: input.type !== 'stop' ? 'type' : 'stopPrice' },
    );
  }
  if (stopLoss && input.stopLoss !== undefined) {
    throw new AppError('validation_failed', `give stopLoss or ${stopLoss}, not both`, {
      field: stopLoss,
    });
  }
}

function me(op: OperationContext): string {
  return callerUserId(op.principal, 'trading accounts');
}

/** Operations on broker accounts (and the positions of every account in one table). */
export function bindBrokerOperations(svc: AccountsService, audit: AuditLog): BoundOperation[] {
  const brokers = svc.brokers;
  const external = (op: OperationContext, id: string): AccountRow => {
    const a = svc.own(me(op), id);
    if (!brokers.definition(a.venue)) {
      throw new AppError(
        'unknown_venue',
        `${a.name} is a ${a.venue} account; broker operations are for broker accounts`,
      );
    }
    return a;
  };
  const enabled = (a: AccountRow) => {
    if (!a.enabled) throw new AppError('account_disabled', `${a.name} is disabled`);
    return a;
  };
  return [
    bind(brokersState, async (input, op) => {
      const a = external(op, input.id);
      if (a.enabled) await brokers.ensure(a).catch(() => undefined);
      return brokers.state(a);
    }),
    bind(brokersTest, async (input, op) => {
      const a = enabled(external(op, input.id));
      return brokers.test(a);
    }),
    bind(brokersPlace, async (input, op) => {
      const a = enabled(external(op, input.id));
      const { session, venue } = await brokers.ensure(a);
      if (session.instruments.length && !session.instrument(input.symbol)) {
        throw new AppError('unknown_symbol', `${a.name} has no instrument ${input.symbol}`, {
          field: 'symbol',
        });
      }
      const clientOrderId = input.clientOrderId ?? newClientOrderId();
      // The same client id again answers the first order: a retried request places nothing.
      if (input.clientOrderId && brokers.journal.get(a.id, clientOrderId)) {
        const found = await venue.resolve(clientOrderId);
        if (found) return brokerOrderView(found);
        throw new AppError(
          'conflict',
          `Order ${clientOrderId} was already sent and its outcome is not known yet`,
          { field: 'clientOrderId' },
        );
      }
      checkTrailing(input, session.connector.trailing, a.name);
      const order = await venue.place({
        clientOrderId,
        symbol: input.symbol,
        side: input.side,
        type: input.type,
        qty: input.qty,
        ...(input.price ? { price: input.price } : {}),
        ...(input.stopPrice ? { stopPrice: input.stopPrice } : {}),
        ...(input.trailPercent ? { trailPercent: input.trailPercent } : {}),
        ...(input.trailAmount ? { trailAmount: input.trailAmount } : {}),
        ...(input.stopLoss ? { stopLoss: input.stopLoss } : {}),
        ...(input.stopLossTrailPercent ? { stopLossTrailPercent: input.stopLossTrailPercent } : {}),
        ...(input.stopLossTrailAmount ? { stopLossTrailAmount: input.stopLossTrailAmount } : {}),
        ...(input.takeProfit ? { takeProfit: input.takeProfit } : {}),
      });
      audit.recordFor(op, 'brokers.order', a.id, {
        clientOrderId,
        orderId: order.orderId,
        symbol: input.symbol,
        side: input.side,
        qty: input.qty,
      });
      return brokerOrderView(order);
    }),
    bind(brokersCancel, async (input, op) => {
      const a = enabled(external(op, input.id));
      const { session } = await brokers.ensure(a);
      if (input.orderId) {
        await session.connector.cancel(input.orderId);
        await session.sync().catch(() => undefined);
        return { cancelled: 1 };
      }
      const cancelled = await session.connector.cancelAll(input.symbol);
      await session.sync().catch(() => undefined);
      return { cancelled };
    }),
    bind(brokersClose, async (input, op) => {
      const a = enabled(external(op, input.id));
      const { session } = await brokers.ensure(a);
      await session.refreshPositions();
      if (session.positionsOn(input.symbol).length === 0) {
        throw new AppError('no_position', `${a.name} has no position on ${input.symbol}`, {
          field: 'symbol',
        });
      }
      const order = await session.connector.closePosition(input.symbol, input.qty);
      audit.recordFor(op, 'brokers.close', a.id, { symbol: input.symbol, qty: input.qty ?? 'all' });
      await session.refreshPositions().catch(() => undefined);
      return { order: order ? brokerOrderView(order) : null };
    }),
    bind(brokersCandles, async (input, op) => {
      const a = external(op, input.id);
      const { session } = await brokers.ensure(a);
      const c = session.connector;
      if (!c.candles) {
        throw new AppError(
          'unsupported_by_venue',
          `${a.venue} serves no price history over its API`,
        );
      }
      return { items: await c.candles(input.symbol, input.interval, input.since) };
    }),
    bind(brokersPositions, (_input, op) => {
      const userId = me(op);
      const items = [];
      const accounts = [];
      for (const a of svc.rowsOf(userId)) {
        const rows = brokers.definition(a.venue)
          ? brokers.state(a).positions.map((p) => ({
              symbol: p.symbol,
              side: p.side,
              qty: p.qty,
              entryPrice: p.avgPrice,
              markPrice: p.markPrice,
              unrealisedPnl: p.unrealisedPnl,
            }))
          : svc.positions(userId, a.id).items;
        for (const p of rows) {
          items.push({
            accountId: a.id,
            accountName: a.name,
            venue: a.venue,
            symbol: p.symbol,
            side: p.side,
            qty: p.qty,
            entryPrice: p.entryPrice,
            markPrice: p.markPrice,
            unrealisedPnl: p.unrealisedPnl,
            currency: a.baseCurrency,
          });
        }
        const pnl = rows.flatMap((p) => (p.unrealisedPnl ? [p.unrealisedPnl] : []));
        accounts.push({
          accountId: a.id,
          name: a.name,
          venue: a.venue,
          currency: a.baseCurrency,
          connection: brokers.definition(a.venue)
            ? brokers.state(a).connection
            : ('local' as const),
          unrealisedPnl: pnl.length ? addDecimal('0', ...pnl) : rows.length ? null : '0',
          positions: rows.length,
        });
      }
      return { items, accounts };
    }),
  ];
}
