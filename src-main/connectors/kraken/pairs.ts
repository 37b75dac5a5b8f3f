import type { BrokerInstrument } from '../broker/port';

/**
 * Kraken's legacy asset codes (REST keys such as `XXBT`, `ZUSD`) and its own names (`XBT`,
 * `XDG`) against the names alerts and WebSocket v2 use (`BTC`, `USD`, `DOGE`). Only the listed
 * codes are legacy: modern codes that merely start with X or Z (`XRP`, `XTZ`, `ZEC`) are kept
 * as they are (SDK wire-quirks, notes §1.11).
 */
const LEGACY: Readonly<Record<string, string>> = {
  XXBT: 'BTC',
  XBT: 'BTC',
  XXDG: 'DOGE',
  XDG: 'DOGE',
  XETH: 'ETH',
  XETC: 'ETC',
  XLTC: 'LTC',
  XMLN: 'MLN',
  XREP: 'REP',
  XXLM: 'XLM',
  XXMR: 'XMR',
  XXRP: 'XRP',
  XZEC: 'ZEC',
  ZUSD: 'USD',
  ZEUR: 'EUR',
  ZGBP: 'GBP',
  ZCAD: 'CAD',
  ZJPY: 'JPY',
  ZAUD: 'AUD',
  ZCHF: 'CHF',
};

/** `XXBT` → `BTC`, `ZUSD` → `USD`, `XBT.M` → `BTC.M` (balance suffixes are kept), `XRP` → `XRP`. */
export function normaliseAsset(code: string): string {
  const dot = code.indexOf('.');
  const head = dot < 0 ? code : code.slice(0, dot);
  const tail = dot < 0 ? '' : code.slice(dot);
  return (LEGACY[head] ?? head) + tail;
}

/** `10^-n` as a decimal string: 0 → `1`, 2 → `0.01`. */
export function stepOfDecimals(n: number): string {
  return n <= 0 ? '1' : `0.${'0'.repeat(n - 1)}1`;
}

/** One entry of `AssetPairs` (the fields Bourse reads; notes §1.6). */
export interface KrakenAssetPair {
  altname: string;
  wsname?: string;
  base: string;
  quote: string;
  pair_decimals: number;
  lot_decimals: number;
  ordermin?: string;
  costmin?: string;
  tick_size?: string;
  status?: string;
}

/**
 * An AssetPairs entry as a Bourse instrument: the v2 symbol (`BTC/USD`) for alerts and
 * screens, the canonical key (`XXBTZUSD`) as venue id, altname and key as aliases.
 */
export function toInstrument(key: string, p: KrakenAssetPair): BrokerInstrument {
  const base = normaliseAsset(p.wsname?.split('/')[0] ?? p.base);
  const quote = normaliseAsset(p.wsname?.split('/')[1] ?? p.quote);
  const symbol = `${base}/${quote}`;
  const aliases = [p.altname, key, p.wsname].filter(
    (a, i, all): a is string => !!a && a !== symbol && all.indexOf(a) === i,
  );
  return {
    symbol,
    venueId: key,
    aliases,
    kind: 'spot',
    baseAsset: base,
    quoteAsset: quote,
    tickSize: p.tick_size ?? stepOfDecimals(p.pair_decimals),
    lotSize: stepOfDecimals(p.lot_decimals),
    minQty: p.ordermin ?? stepOfDecimals(p.lot_decimals),
    minNotional: p.costmin ?? null,
  };
}

/** Finds instruments by any of their names (symbol, key, altname, wsname, `BTCUSD`). */
export class PairIndex {
  private readonly byName = new Map<string, BrokerInstrument>();

  constructor(readonly list: BrokerInstrument[]) {
    for (const i of list) {
      for (const n of [i.symbol, i.venueId, ...(i.aliases ?? []), i.symbol.replace('/', '')]) {
        if (!this.byName.has(n.toUpperCase())) this.byName.set(n.toUpperCase(), i);
      }
    }
  }

  find(name: string): BrokerInstrument | undefined {
    return this.byName.get(name.toUpperCase());
  }
}
