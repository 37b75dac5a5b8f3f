import { triggersOnRise } from '../../../src-shared/contract/exchange';
import type { BookOrder } from './book-order';

/**
 * Stops and take-profits waiting for the last trade price. Those that trigger as the price
 * rises (buy stops, sell take-profits) trigger when last ≥ stopPrice, lowest stop price
 * first; those that trigger as it falls (sell stops, buy take-profits) when last ≤ stopPrice,
 * highest first; at equal stop price the older goes first, and rising before falling. Each
 * array keeps the next order to trigger at its END, so taking it is a pop. Stops are few, so
 * a sorted array is plenty.
 */
export class TriggerBook {
  private readonly rising: BookOrder[] = [];
  private readonly falling: BookOrder[] = [];
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
    const list = this.listOf(stop);
    list.splice(list.indexOf(stop), 1);
    this.byId.delete(stop.id);
    if (stop.trailBps !== 0 || stop.trailAmount !== 0)
      this.trailing.splice(this.trailing.indexOf(stop), 1);
  }

  /** A trailing stop's new stop price: it goes behind every stop already at that price. */
  move(stop: BookOrder, stopPrice: number): void {
    const list = this.listOf(stop);
    list.splice(list.indexOf(stop), 1);
    stop.stopPrice = stopPrice;
    this.insert(stop);
  }

  private listOf(stop: BookOrder): BookOrder[] {
    return triggersOnRise(stop.side, stop.kind) ? this.rising : this.falling;
  }

  /** Puts a stop into its array behind every stop of equal stop price. */
  private insert(stop: BookOrder): void {
    const rises = triggersOnRise(stop.side, stop.kind);
    const list = rises ? this.rising : this.falling;
    // Rising: stopPrice descending; falling ascending; newest first among equals (oldest last).
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const p = (list[mid] as BookOrder).stopPrice;
      if (rises ? p > stop.stopPrice : p < stop.stopPrice) lo = mid + 1;
      else hi = mid;
    }
    list.splice(lo, 0, stop);
  }

  /** The order to trigger next at this last price: rising before falling, or undefined. */
  next(lastPrice: number): BookOrder | undefined {
    // Length checks first: reading past the end of an array is a slow path in V8.
    const nr = this.rising.length;
    if (nr > 0) {
      const up = this.rising[nr - 1] as BookOrder;
      if (lastPrice >= up.stopPrice) return up;
    }
    const nf = this.falling.length;
    if (nf > 0) {
      const down = this.falling[nf - 1] as BookOrder;
      if (lastPrice <= down.stopPrice) return down;
    }
    return undefined;
  }

  /** All stops in trigger priority: rising, then falling. */
  inPriority(): BookOrder[] {
    return [...this.rising].reverse().concat([...this.falling].reverse());
  }

  /** Checks the arrays are sorted and agree with the id map. */
  problems(): string[] {
    const out: string[] = [];
    if (this.byId.size !== this.rising.length + this.falling.length) out.push('stop index size');
    for (let i = 1; i < this.rising.length; i++) {
      const a = this.rising[i - 1] as BookOrder;
      const b = this.rising[i] as BookOrder;
      if (a.stopPrice < b.stopPrice) out.push(`rising stops unsorted at ${i}`);
    }
    for (let i = 1; i < this.falling.length; i++) {
      const a = this.falling[i - 1] as BookOrder;
      const b = this.falling[i] as BookOrder;
      if (a.stopPrice > b.stopPrice) out.push(`falling stops unsorted at ${i}`);
    }
    for (const s of this.rising) {
      if (!triggersOnRise(s.side, s.kind)) out.push(`stop ${s.id} in the rising list`);
    }
    for (const s of this.falling) {
      if (triggersOnRise(s.side, s.kind)) out.push(`stop ${s.id} in the falling list`);
    }
    for (const s of [...this.rising, ...this.falling]) {
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
    this.rising.length = 0;
    this.falling.length = 0;
    this.trailing.length = 0;
    this.byId.clear();
  }
}
