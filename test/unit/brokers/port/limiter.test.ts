import { describe, expect, it } from 'vitest';
import { sharedLimiter } from '../../../../src-main/connectors/broker/limiter';

describe('shared broker limiters', () => {
  it('one window per credential and clock: a connection test and the session draw on one budget', async () => {
    let t = 0;
    const now = () => t;
    const a = sharedLimiter('projectx|https://g|alice|general', 2, 60_000, now);
    const b = sharedLimiter('projectx|https://g|alice|general', 2, 60_000, now);
    expect(b).toBe(a);
    await a.acquire();
    await b.acquire();
    // The third request of the window waits, whichever connector sends it.
    expect(a.waitMs()).toBe(60_000);
    t = 60_000;
    expect(b.waitMs()).toBe(0);
    // Another user, or another clock (a test's own), has its own window.
    expect(sharedLimiter('projectx|https://g|bob|general', 2, 60_000, now)).not.toBe(a);
    expect(sharedLimiter('projectx|https://g|alice|general', 2, 60_000, () => t)).not.toBe(a);
  });
});
