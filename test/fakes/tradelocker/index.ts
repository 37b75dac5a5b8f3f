import type { FakeBrokerHandle } from '../../helpers/broker-conformance';
import { FAKE_USER, FakeTradelocker, type FakeTradelockerOptions } from './server';

export { FakeTradelocker, FAKE_USER, defaultInstruments } from './server';

/** The fake plus the conformance suite's hands on it. */
export interface TradelockerFakeHandle extends FakeBrokerHandle {
  fake: FakeTradelocker;
}

/**
 * Starts the fake and describes how to connect to it. `timeoutMs` is short so a lost answer
 * becomes a timeout within a second (not shorter: on a loaded CI machine a first request can
 * take a few hundred ms); `pollMs` is short so the polling stream reacts fast.
 */
export async function startTradelockerFake(
  opts: FakeTradelockerOptions = {},
  settings: Record<string, string> = {},
): Promise<TradelockerFakeHandle> {
  const fake = await new FakeTradelocker(opts).start();
  return {
    fake,
    settings: {
      email: FAKE_USER.email,
      server: FAKE_USER.server,
      environment: 'demo',
      baseUrl: fake.baseUrl,
      timeoutMs: '1000',
      pollMs: '20',
      ...settings,
    },
    secrets: { password: FAKE_USER.password },
    badSecrets: { password: 'wrong-password' },
    symbol: 'EURUSD',
    qty: '0.05',
    restingBuyPrice: '1.0712',
    fill: (orderId) => Promise.resolve(fake.fill(orderId)),
    loseNextPlaceAnswer: () => fake.loseNextPlaceAnswer(),
    failNextRequest: () => fake.failNextRequest(),
    dropStreams: () => fake.dropPolls(),
    orderCount: () => fake.orderCount(),
    close: () => fake.close(),
  };
}
