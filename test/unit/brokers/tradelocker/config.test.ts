import { describe, expect, it } from 'vitest';
import {
  limitersFromConfig,
  ruleWindowMs,
} from '../../../../src-main/connectors/tradelocker/config';

describe('TradeLocker rate limits from /trade/config', () => {
  it('turns SECONDS and MINUTES rules into windows, and ignores what it cannot read', () => {
    const rule = { rateLimitType: 'GET_ORDERS', intervalNum: 2, limit: 5 };
    expect(ruleWindowMs({ ...rule, measure: 'SECONDS' })).toBe(2000);
    expect(ruleWindowMs({ ...rule, measure: 'MINUTES' })).toBe(120_000);
    expect(ruleWindowMs({ ...rule, measure: 'HOURS' })).toBeNull();
    expect(ruleWindowMs({ ...rule, measure: 'SECONDS', limit: 0 })).toBeNull();
  });

  it('builds one limiter per rule, grouped by route, that waits once the window is full', async () => {
    let t = 0;
    const limiters = limitersFromConfig(
      {
        rateLimits: [
          { rateLimitType: 'PLACE_ORDER', measure: 'SECONDS', intervalNum: 1, limit: 2 },
          { rateLimitType: 'PLACE_ORDER', measure: 'MINUTES', intervalNum: 1, limit: 30 },
          { rateLimitType: 'GET_ORDERS', measure: 'SECONDS', intervalNum: 1, limit: 10 },
        ],
      },
      () => t,
    );
    expect(limiters.get('PLACE_ORDER')).toHaveLength(2);
    const [perSecond] = limiters.get('PLACE_ORDER')!;
    await perSecond!.acquire();
    await perSecond!.acquire();
    expect(perSecond!.waitMs()).toBe(1050);
    t = 1050;
    expect(perSecond!.waitMs()).toBe(0);
  });
});
