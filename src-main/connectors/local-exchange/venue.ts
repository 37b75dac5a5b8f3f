import { formatDecimal } from '../../domain/money';
import { placeOrder, cancelAllOrders } from '../../features/exchange/commands';
import type { ExchangeService } from '../../features/exchange/service';
import { orderView } from '../../features/exchange/views';
import type {
  AutomationVenue,
  ResolvedIntent,
  VenueOrderResult,
} from '../../features/automation/ports';

/**
 * Automation on a spot account of the local exchange, straight on the exchange service (the
 * same commands `orders.place` runs, so holds, fills, fees and ledger postings are the real
 * ones). Spot has holdings, not positions: the "position" on a market is the base asset held,
 * an exit sells it (an exit of a short has nothing to do), and there is no unrealised P&L.
 */
export class ExchangeVenue implements AutomationVenue {
  constructor(
    private readonly svc: ExchangeService,
    /** The exchange user whose balances the account trades. */
    private readonly owner: string,
  ) {}

  private holding(market: string): bigint {
    const s = this.svc.state;
    const base = s.market(market).spec.base.code;
    return (
      s.ledger.get({ owner: this.owner, asset: base, purpose: 'available' }) +
      s.ledger.get({ owner: this.owner, asset: base, purpose: 'held' })
    );
  }

  async exposure(market: string) {
    const spec = this.svc.state.market(market).spec;
    return { position: formatDecimal(this.holding(market), spec.base.scale), unrealised: '0' };
  }

  async execute(i: ResolvedIntent): Promise<VenueOrderResult[]> {
    if (i.action === 'cancel') {
      await this.svc.submit((st) => cancelAllOrders(st, this.owner, i.market));
      return [];
    }
    let side = i.side;
    let qty = i.qty;
    if (i.action === 'exit') {
      if (i.exitSide === 'short') return [];
      const spec = this.svc.state.market(i.market).spec;
      const available = this.svc.state.ledger.get({
        owner: this.owner,
        asset: spec.base.code,
        purpose: 'available',
      });
      if (available <= 0n) return [];
      side = 'sell';
      if (qty === '0')
        qty = floorToLot(formatDecimal(available, spec.base.scale), spec.config.lotSize);
    }
    const owner = this.owner;
    const view = await this.svc.submit((st) => {
      const placed = placeOrder(
        st,
        owner,
        {
          symbol: i.market,
          side: side!,
          type: i.action === 'exit' ? 'market' : i.type,
          qty,
          ...(i.action === 'entry' && i.price ? { price: i.price } : {}),
          ...(i.action === 'entry' && i.stopPrice ? { stopPrice: i.stopPrice } : {}),
        },
        (u, c, since) => this.svc.db.clientOrder(u, c, since),
      );
      if ('existing' in placed) throw new Error('unexpected client order id reuse');
      return orderView(placed.order, placed.spec);
    });
    const filled = view.filledQty;
    return [
      {
        orderId: String(view.orderId),
        symbol: view.symbol,
        side: view.side,
        type: view.type,
        qty: view.qty,
        status: view.status,
        filledQty: filled,
        avgPrice: averagePrice(view.filledQuote, filled),
      },
    ];
  }

  async cancelAll(): Promise<number> {
    const symbols = [...this.svc.state.markets.keys()];
    const counts = await Promise.all(
      symbols.map((m) => this.svc.submit((st) => cancelAllOrders(st, this.owner, m))),
    );
    return counts.reduce((a, b) => a + b, 0);
  }

  /** Spot holdings are the user's assets, not positions: an emergency stop leaves them. */
  async closeAll(): Promise<number> {
    return 0;
  }
}

/** Quantity rounded down to a multiple of the lot size (exact, on decimal text). */
function floorToLot(qty: string, lot: string): string {
  const scale = Math.max(qty.split('.')[1]?.length ?? 0, lot.split('.')[1]?.length ?? 0);
  const units = (t: string) =>
    BigInt((t.split('.')[0] ?? '0') + (t.split('.')[1] ?? '').padEnd(scale, '0'));
  const q = units(qty);
  const l = units(lot);
  return formatDecimal(q - (q % l), scale);
}

/** Quote traded ÷ base filled, to 8 decimals (display only), or null before any fill. */
function averagePrice(filledQuote: string, filledQty: string): string | null {
  const scale = 8;
  const toUnits = (t: string, s: number) =>
    BigInt((t.split('.')[0] ?? '0') + (t.split('.')[1] ?? '').padEnd(s, '0').slice(0, s));
  const q = toUnits(filledQty, 18);
  if (q === 0n) return null;
  const value = (toUnits(filledQuote, 18) * 10n ** BigInt(scale)) / q;
  return formatDecimal(value, scale).replace(/\.?0+$/, '');
}
