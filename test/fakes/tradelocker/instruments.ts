import type { FakeInstrument } from './book';

/**
 * The fake's instruments: EURUSD (one INFO route) and XAUUSD, whose first INFO route is dead
 * so that only probing (last-first, as the SDK does) finds the working one.
 */
export function defaultInstruments(): FakeInstrument[] {
  return [
    {
      id: '206',
      name: 'EURUSD',
      type: 'FOREX',
      tradeRoute: '9021',
      infoRoutes: ['9011'],
      badInfoRoutes: [],
      lotSize: '100000',
      lotStep: '0.01',
      minLot: '0.01',
      maxLot: '100',
      tick: '0.00001',
      bid: '1.0845',
      ask: '1.0846',
    },
    {
      // Two INFO routes and the first is dead: only probing finds the working one.
      id: '315',
      name: 'XAUUSD',
      type: 'METAL',
      tradeRoute: '8022',
      infoRoutes: ['8011', '8012'],
      badInfoRoutes: ['8011'],
      lotSize: '100',
      lotStep: '0.01',
      minLot: '0.1',
      maxLot: '50',
      tick: '0.01',
      bid: '2650.1',
      ask: '2650.4',
    },
  ];
}
