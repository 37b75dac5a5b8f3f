import type { HeartbeatBody } from '../../../src-main/connectors/metatrader/protocol';

/** A well-formed EA heartbeat (an MT5 demo account, flat), with the parts a test changes. */
export function heartbeatBody(
  over: Partial<HeartbeatBody> = {},
  timing: { heartbeatMs: number; pollMs: number; gmtTime: number } = {
    heartbeatMs: 5_000,
    pollMs: 1_000,
    gmtTime: 1_000,
  },
): HeartbeatBody {
  return {
    ea: {
      version: '1.0.0',
      platform: 'MT5',
      build: 4620,
      heartbeatMs: timing.heartbeatMs,
      pollMs: timing.pollMs,
    },
    terminal: {
      company: 'X',
      name: 'MT5',
      connected: true,
      tradeAllowed: true,
      gmtTime: timing.gmtTime,
    },
    account: {
      login: '1',
      name: 'n',
      server: 's',
      currency: 'USD',
      leverage: 100,
      demo: true,
      tradeAllowed: true,
      balance: '100.00',
      equity: '100.00',
      margin: '0.00',
      freeMargin: '100.00',
    },
    positions: [],
    orders: [],
    ...over,
  };
}
