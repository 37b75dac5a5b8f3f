import {
  addDecimal,
  compareDecimal,
  divDecimal,
  mulDecimal,
  negateDecimal,
  subDecimal,
} from '../../../src-shared/decimal';

/**
 * The broker side of the fake ProjectX gateway: accounts, contracts, orders with their state
 * machine, bracket children, one aggregated position per contract, trades with realised P&L
 * and fees. Prices are decimal strings inside; they become JSON numbers only on the wire.
 */

export interface FakeAccount {
  id: number;
  name: string;
  balance: string;
  canTrade: boolean;
  isVisible: boolean;
  simulated: boolean;
  /** The account uses "Position Brackets": bracket fields on an order are refused (§3.8). */
  positionBrackets: boolean;
}

export interface FakeContract {
  id: string;
  name: string;
  description: string;
  tickSize: string;
  tickValue: string;
  activeContract: boolean;
  symbolId: string;
  market: string;
}

export interface FakeOrder {
  id: number;
  accountId: number;
  contractId: string;
  symbolId: string;
  creationTimestamp: string;
  updateTimestamp: string | null;
  /** 1 Open, 2 Filled, 3 Cancelled, 4 Expired, 5 Rejected, 6 Pending, 8 suspended child. */
  status: number;
  type: number;
  side: number;
  size: number;
  limitPrice: string | null;
  stopPrice: string | null;
  fillVolume: number;
  filledPrice: string | null;
  customTag: string | null;
  parentOrderId?: number;
  linkedOrderId?: number;
  /** Bracket distance (ticks) a child takes from its parent's fill. */
  bracketTicks?: number;
}

export interface FakePosition {
  id: number;
  accountId: number;
  contractId: string;
  creationTimestamp: string;
  /** Signed: long > 0. */
  net: number;
  averagePrice: string;
}

export interface FakeTrade {
  id: number;
  accountId: number;
  contractId: string;
  creationTimestamp: string;
  price: string;
  profitAndLoss: string | null;
  fees: string;
  side: number;
  size: number;
  voided: boolean;
  orderId: number;
}

export type HubTopic = 'accounts' | 'orders' | 'positions' | 'trades';

/** A push to the user hub: the event name, its topic and the object. */
export interface HubPush {
  topic: HubTopic;
  accountId: number;
  target: 'GatewayUserOrder' | 'GatewayUserPosition' | 'GatewayUserTrade' | 'GatewayUserAccount';
  action: number;
  data: Record<string, unknown>;
}

/** Fees per contract per side (a Topstep-like round number). */
export const FEE_PER_CONTRACT = '0.37';

const num = (s: string | null) => (s === null ? null : Number(s));

export function wireOrder(o: FakeOrder): Record<string, unknown> {
  return {
    ...o,
    limitPrice: num(o.limitPrice),
    stopPrice: num(o.stopPrice),
    filledPrice: num(o.filledPrice),
  };
}

export function wirePosition(p: FakePosition): Record<string, unknown> {
  return {
    id: p.id,
    accountId: p.accountId,
    contractId: p.contractId,
    creationTimestamp: p.creationTimestamp,
    type: p.net > 0 ? 1 : p.net < 0 ? 2 : 0,
    size: Math.abs(p.net),
    averagePrice: Number(p.averagePrice),
  };
}

export function wireTrade(t: FakeTrade): Record<string, unknown> {
  return {
    ...t,
    price: Number(t.price),
    profitAndLoss: num(t.profitAndLoss),
    fees: Number(t.fees),
  };
}

export class FakeBook {
  readonly accounts: FakeAccount[] = [];
  readonly contracts: FakeContract[] = [];
  readonly orders = new Map<number, FakeOrder>();
  readonly positions = new Map<string, FakePosition>();
  readonly trades: FakeTrade[] = [];
  private nextId = 9000;

  constructor(
    private readonly now: () => number,
    private readonly push: (p: HubPush) => void,
  ) {}

  stamp(): string {
    return new Date(this.now()).toISOString();
  }

  id(): number {
    return ++this.nextId;
  }

  contract(id: string): FakeContract | undefined {
    return this.contracts.find((c) => c.id === id);
  }

  account(id: number): FakeAccount | undefined {
    return this.accounts.find((a) => a.id === id);
  }

  emitOrder(o: FakeOrder, action = 1): void {
    this.push({
      topic: 'orders',
      accountId: o.accountId,
      target: 'GatewayUserOrder',
      action,
      data: wireOrder(o),
    });
  }

  /** Market orders and marketable limits fill at once; others rest (or wait, for children). */
  accept(o: FakeOrder): void {
    this.orders.set(o.id, o);
    this.emitOrder(o, 0);
    for (const child of this.children(o.id)) this.emitOrder(child, 0);
    const c = this.contract(o.contractId)!;
    const marketable =
      o.type === 2 ||
      (o.type === 1 &&
        o.limitPrice !== null &&
        compareDecimal(o.limitPrice, c.market) * (o.side === 0 ? 1 : -1) >= 0);
    if (marketable) this.fill(o, o.size, o.type === 2 ? c.market : o.limitPrice!);
  }

  children(parentId: number): FakeOrder[] {
    return [...this.orders.values()].filter((x) => x.parentOrderId === parentId);
  }

  /** Fills `qty` of an order at `price`: trade, position, balance, brackets, pushes. */
  fill(o: FakeOrder, qty: number, price: string): void {
    const before = o.fillVolume;
    o.fillVolume += qty;
    o.filledPrice =
      before === 0
        ? price
        : divDecimal(
            addDecimal(mulDecimal(o.filledPrice!, String(before)), mulDecimal(price, String(qty))),
            String(o.fillVolume),
            9,
            'half_even',
          )!;
    if (o.fillVolume >= o.size) o.status = 2;
    o.updateTimestamp = this.stamp();
    const trade = this.trade(o, qty, price);
    this.emitOrder(o);
    this.push({
      topic: 'trades',
      accountId: o.accountId,
      target: 'GatewayUserTrade',
      action: 0,
      data: wireTrade(trade),
    });
    if (o.status === 2) this.afterFilled(o);
  }

  private afterFilled(o: FakeOrder): void {
    const c = this.contract(o.contractId)!;
    for (const child of this.children(o.id)) {
      if (child.status !== 8) continue;
      const level = addDecimal(
        o.filledPrice!,
        mulDecimal(String(child.bracketTicks ?? 0), c.tickSize),
      );
      if (child.type === 1) child.limitPrice = level;
      else child.stopPrice = level;
      child.status = 1;
      child.updateTimestamp = this.stamp();
      this.emitOrder(child);
    }
    if (o.parentOrderId !== undefined && o.linkedOrderId !== undefined) {
      const sibling = this.orders.get(o.linkedOrderId);
      if (sibling && sibling.status === 1) this.setStatus(sibling, 3);
    }
  }

  setStatus(o: FakeOrder, status: number): void {
    o.status = status;
    o.updateTimestamp = this.stamp();
    this.emitOrder(o);
    if (status === 3 || status === 5) {
      for (const child of this.children(o.id)) {
        if (child.status === 8 || child.status === 1) this.setStatus(child, 3);
      }
    }
  }

  private trade(o: FakeOrder, qty: number, price: string): FakeTrade {
    const c = this.contract(o.contractId)!;
    const key = `${o.accountId}|${o.contractId}`;
    const pos = this.positions.get(key) ?? {
      id: this.id(),
      accountId: o.accountId,
      contractId: o.contractId,
      creationTimestamp: this.stamp(),
      net: 0,
      averagePrice: '0',
    };
    const signed = o.side === 0 ? qty : -qty;
    let pnl: string | null = null;
    if (pos.net !== 0 && Math.sign(pos.net) !== Math.sign(signed)) {
      const closed = Math.min(Math.abs(pos.net), qty);
      const move = subDecimal(price, pos.averagePrice);
      const perContract = divDecimal(mulDecimal(move, c.tickValue), c.tickSize, 9, 'half_even')!;
      const gross = mulDecimal(perContract, String(closed));
      pnl = pos.net > 0 ? gross : negateDecimal(gross);
      const rest = pos.net + signed;
      if (Math.sign(rest) === -Math.sign(pos.net)) pos.averagePrice = price;
      pos.net = rest;
    } else {
      const total = Math.abs(pos.net) + qty;
      pos.averagePrice = divDecimal(
        addDecimal(
          mulDecimal(pos.averagePrice, String(Math.abs(pos.net))),
          mulDecimal(price, String(qty)),
        ),
        String(total),
        9,
        'half_even',
      )!;
      pos.net += signed;
    }
    this.positions.set(key, pos);
    const fees = mulDecimal(FEE_PER_CONTRACT, String(qty));
    const t: FakeTrade = {
      id: this.id(),
      accountId: o.accountId,
      contractId: o.contractId,
      creationTimestamp: this.stamp(),
      price,
      profitAndLoss: pnl,
      fees,
      side: o.side,
      size: qty,
      voided: false,
      orderId: o.id,
    };
    this.trades.push(t);
    const a = this.account(o.accountId)!;
    a.balance = subDecimal(addDecimal(a.balance, pnl ?? '0'), fees);
    this.push({
      topic: 'positions',
      accountId: o.accountId,
      target: 'GatewayUserPosition',
      action: pos.net === 0 ? 2 : 1,
      data: wirePosition(pos),
    });
    if (pos.net === 0) this.positions.delete(key);
    this.push({
      topic: 'accounts',
      accountId: a.id,
      target: 'GatewayUserAccount',
      action: 1,
      data: { ...a, balance: Number(a.balance) },
    });
    return t;
  }

  /** A closing market order on a contract (closeContract / partialCloseContract). */
  closeOut(accountId: number, contractId: string, size: number): void {
    const pos = this.positions.get(`${accountId}|${contractId}`)!;
    const o: FakeOrder = {
      id: this.id(),
      accountId,
      contractId,
      symbolId: this.contract(contractId)!.symbolId,
      creationTimestamp: this.stamp(),
      updateTimestamp: null,
      status: 1,
      type: 2,
      side: pos.net > 0 ? 1 : 0,
      size,
      limitPrice: null,
      stopPrice: null,
      fillVolume: 0,
      filledPrice: null,
      customTag: null,
    };
    this.accept(o);
  }
}
