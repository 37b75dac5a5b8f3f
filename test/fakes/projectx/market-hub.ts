import { FakeHub, type HubMethod, type HubOptions } from './hub';
import type { FakeContract } from './state';

/**
 * The market hub of the fake gateway (`/hubs/market`): the documented subscriptions
 * `Subscribe/UnsubscribeContractQuotes|Trades|MarketDepth(contractId)`, each taking exactly one
 * string, a contract id the gateway lists (anything else: a completion with an error). Tests
 * push quotes with `quote()`; only sessions subscribed to that contract's quotes get them.
 */

/** What a test pushes: prices as decimal text (sent as JSON numbers) or as raw doubles. */
export interface QuoteFields {
  bestBid?: string | number;
  bestAsk?: string | number;
  lastPrice?: string | number;
}

export class FakeMarketHub extends FakeHub {
  private readonly payloadShape: 'wrapped' | 'bare';
  private readonly contracts: () => FakeContract[];
  private readonly now: () => number;
  private readonly quoteArgs: 'contract-and-data' | 'data-only';

  constructor(
    o: Omit<HubOptions, 'methods'> & {
      contracts(): FakeContract[];
      now(): number;
      /** GatewayQuote data bare (as documented, default) or wrapped in `{action, data}`. */
      payloadShape: 'wrapped' | 'bare';
      /** `(contractId, data)` as documented (default), or `data` alone (unverified). */
      quoteArgs: 'contract-and-data' | 'data-only';
    },
  ) {
    const contract = (arg: unknown) =>
      typeof arg !== 'string'
        ? `InvalidDataException: Error binding arguments. ${JSON.stringify(arg)} is not a string.`
        : o.contracts().some((c) => c.id === arg)
          ? null
          : `contract ${arg} not found.`;
    const methods: Record<string, HubMethod> = {};
    for (const topic of ['ContractQuotes', 'ContractTrades', 'ContractMarketDepth']) {
      methods[`Subscribe${topic}`] = { topic, subscribe: true, args: 1, check: contract };
      methods[`Unsubscribe${topic}`] = { topic, subscribe: false, args: 1, check: contract };
    }
    super({ path: o.path, userOf: o.userOf, pingMs: o.pingMs, methods });
    this.payloadShape = o.payloadShape;
    this.contracts = o.contracts;
    this.now = o.now;
    this.quoteArgs = o.quoteArgs;
  }

  /**
   * A `GatewayQuote(contractId, data)` to the sessions subscribed to that contract's quotes,
   * carrying only the given prices plus `symbol` and `timestamp` (the live gateway sends
   * partial quotes). Decimal text goes out as the JSON number it reads as.
   */
  quote(contractId: string, fields: QuoteFields): void {
    const c = this.contracts().find((x) => x.id === contractId);
    if (!c) throw new Error(`no contract ${contractId} at the fake`);
    const data: Record<string, unknown> = {
      symbol: c.symbolId,
      timestamp: new Date(this.now()).toISOString(),
    };
    for (const [name, value] of Object.entries(fields)) {
      if (value !== undefined) data[name] = Number(value);
    }
    const payload = this.payloadShape === 'wrapped' ? { action: 0, data } : data;
    const args = this.quoteArgs === 'data-only' ? [payload] : [contractId, payload];
    this.push(`ContractQuotes:${contractId}`, 'GatewayQuote', args);
  }
}
