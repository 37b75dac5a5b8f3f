import type { BrokerInstrument } from '../broker/port';
import { decimalFromWire, type WireContract } from './protocol';

/**
 * Contracts as Bourse instruments. A contract id reads `CON.F.US.MNQ.U26` (symbol id
 * `F.US.MNQ`); Bourse names it by its root (`MNQ`) and accepts the TradingView continuous
 * name (`MNQ1!`), the contract name (`MNQU6`) and the contract id as aliases.
 */

/** `F.US.MNQ` → `MNQ`; without a symbol id, the root inside the contract id. */
export function rootOf(c: Pick<WireContract, 'id' | 'symbolId'>): string {
  const fromSymbol = c.symbolId?.split('.').pop();
  if (fromSymbol) return fromSymbol;
  const parts = c.id.split('.');
  return parts.length >= 5 ? parts[parts.length - 2]! : c.id;
}

export function instrumentOf(c: WireContract): BrokerInstrument {
  const symbol = rootOf(c);
  const aliases = [...new Set([`${symbol}1!`, c.name, c.id])].filter((a) => a && a !== symbol);
  return {
    symbol,
    venueId: c.id,
    aliases,
    kind: 'future',
    quoteAsset: 'USD',
    tickSize: decimalFromWire(c.tickSize),
    lotSize: '1',
    minQty: '1',
    minNotional: null,
    tickValue: decimalFromWire(c.tickValue),
    contractSize: null,
  };
}

/** The catalogue of tradable contracts, looked up by any of their names. */
export class ContractBook {
  private readonly byName = new Map<string, BrokerInstrument>();
  private readonly byId = new Map<string, BrokerInstrument>();

  constructor(contracts: WireContract[]) {
    // Only the active (front) contract of each root gets the root name and its aliases.
    const sorted = [...contracts].sort(
      (a, b) => Number(b.activeContract) - Number(a.activeContract),
    );
    for (const c of sorted) {
      const i = instrumentOf(c);
      this.byId.set(c.id, i);
      for (const name of [i.symbol, ...(i.aliases ?? [])]) {
        const key = name.toUpperCase();
        if (!this.byName.has(key)) this.byName.set(key, i);
      }
    }
  }

  /** The instruments, the active contract of each root first. */
  list(): BrokerInstrument[] {
    return [...this.byId.values()];
  }

  resolve(name: string): BrokerInstrument | undefined {
    return this.byName.get(name.toUpperCase()) ?? this.byId.get(name);
  }

  byContractId(id: string): BrokerInstrument | undefined {
    return this.byId.get(id);
  }
}

/** The symbol Bourse shows for a contract id it may not have listed (an expired month). */
export function symbolOfContract(book: ContractBook | null, contractId: string): string {
  return book?.byContractId(contractId)?.symbol ?? rootOf({ id: contractId });
}
