import type { BrokerInstrument } from '../../../../src-main/connectors/broker/port';
import { PairIndex } from '../../../../src-main/connectors/kraken/pairs';

/** Kraken's XBT/USD as the connector knows it (the spec's AssetPairs example). */
export const BTCUSD: BrokerInstrument = {
  symbol: 'BTC/USD',
  venueId: 'XXBTZUSD',
  aliases: ['XBTUSD'],
  kind: 'spot',
  tickSize: '0.1',
  lotSize: '0.00000001',
  minQty: '0.0001',
};

/** The pair index of just BTC/USD. */
export const btcIndex = () => new PairIndex([BTCUSD]);
