import type { BookOrder } from './book-order';

/**
 * Stop orders waiting for the last trade price. Buy stops trigger when last ≥ stopPrice
 * (lowest stop first), sell stops when last ≤ stopPrice (highest first); at equal stop price
 * the older stop goes first. Each array keeps the next stop to trigger at its END, so taking
 * it is a pop. Stops are few, so a sorted array is plenty.
 */
export class TriggerBook {
  private readonly buys: BookOrder[] = [];
  private readonly sells: BookOrder[] = [];
  readonly byId = new Map<number, BookOrder>();
  /** The trailing stops among them, by ascending order id (the order they are updated in). */
  readonly trailing: BookOrder[] = [];

  /** Adds a stop behind every stop of equal priority. */
  add(stop: BookOrder): void {
    this.insert(stop);
    this.byId.set(stop.id, stop);
    if (stop.trailBps !== 0 || stop.trailAmount !== 0) {
      const t = this.trailing;
      let at = t.length;
      while (at > 0 && (t[at - 1] as BookOrder).id > stop.id) at--;
      t.splice(at, 0, stop);
    }
  }

  /** Removes a stop (cancel or trigger). */
  remove(stop: BookOrder): void {
    const list = stop.side === 'buy' ? this.buys : this.sells;
    list.splice(list.indexOf(stop), 1);
    this.byId.delete(stop.id);
    if (stop.trailBps !== 0 || stop.trailAmount !== 0)
      this.trailing.splice(this.trailing.indexOf(stop), 1);
  }

  /** A trailing stop's new stop price: it goes behind every stop already at that price. */
  move(stop: BookOrder, stopPrice: number): void {
    const list = stop.side === 'buy' ? this.buys : this.sells;
    list.splice(list.indexOf(stop), 1);
    stop.stopPrice = stopPrice;
    this.insert(stop);
  }

  /** Puts a stop into its side's array behind every stop of equal stop price. */
  private insert(stop: BookOrder): void {
    const list = stop.side === 'buy' ? this.buys : this.sells;
    const buy = stop.side === 'buy';
    // Buys: stopPrice descending; sells ascending; newest first among equals (oldest last).
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const p = (list[mid] as BookOrder).stopPrice;
      if (buy ? p > stop.stopPrice : p < stop.stopPrice) lo = mid + 1;
      else hi = mid;
    }
    list.splice(lo, 0, stop);
  }

  /** The stop to trigger next at this last price: buys before sells, or undefined. */
  next(lastPrice: number): BookOrder | undefined {
    // Length checks first: reading past the end of an array is a slow path in V8.
    const nb = this.buys.length;
    if (nb > 0) {
      const buy = this.buys[nb - 1] as BookOrder;
      if (lastPrice >= buy.stopPrice) return buy;
    }
    const ns = this.sells.length;
    if (ns > 0) {
      const sell = this.sells[ns - 1] as BookOrder;
      if (lastPrice <= sell.stopPrice) return sell;
    }
    return undefined;
  }

  /** All stops in trigger priority: buys, then sells. */
  inPriority(): BookOrder[] {
    return [...this.buys].reverse().concat([...this.sells].reverse());
  }

  /** Checks the arrays are sorted and agree with the id map. */
  problems(): string[] {
    const out: string[] = [];
    if (this.byId.size !== this.buys.length + this.sells.length) out.push('stop index size');
    for (let i = 1; i < this.buys.length; i++) {
      const a = this.buys[i - 1] as BookOrder;
      const b = this.buys[i] as BookOrder;
      if (a.stopPrice < b.stopPrice) out.push(`buy stops unsorted at ${i}`);
    }
    for (let i = 1; i < this.sells.length; i++) {
      const a = this.sells[i - 1] as BookOrder;
      const b = this.sells[i] as BookOrder;
      if (a.stopPrice > b.stopPrice) out.push(`sell stops unsorted at ${i}`);
    }
    for (const s of [...this.buys, ...this.sells]) {
      if (this.byId.get(s.id) !== s) out.push(`stop ${s.id} not indexed`);
    }
    const trailing = [...this.byId.values()].filter((s) => s.trailBps !== 0 || s.trailAmount !== 0);
    if (trailing.length !== this.trailing.length) out.push('trailing index size');
    for (let i = 0; i < this.trailing.length; i++) {
      const s = this.trailing[i] as BookOrder;
      if (this.byId.get(s.id) !== s) out.push(`trailing stop ${s.id} not indexed`);
      if (i > 0 && (this.trailing[i - 1] as BookOrder).id >= s.id) out.push('trailing unsorted');
    }
    return out;
  }

  /** Removes every stop. */
  clear(): void {
    this.buys.length = 0;
    this.sells.length = 0;
    this.trailing.length = 0;
    this.byId.clear();
  }
}
