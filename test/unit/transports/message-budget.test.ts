import { describe, expect, it } from 'vitest';
import { MessageBudget } from '../../../src-main/transports/message-budget';

describe('a WebSocket connection’s message budget', () => {
  it('allows the burst at once, then refills at its rate up to the burst', () => {
    let t = 0;
    const budget = new MessageBudget(3, 2, () => t);
    expect([budget.take(), budget.take(), budget.take(), budget.take()]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    t += 499; // 0.998 of a message: not yet
    expect(budget.take()).toBe(false);
    t += 1;
    expect(budget.take()).toBe(true);
    t -= 3_600_000; // a clock stepping back takes nothing away
    expect(budget.take()).toBe(false);
    t += 3_600_500;
    expect(budget.take()).toBe(true);
    t += 60_000; // a long quiet spell refills the burst, no more
    expect([budget.take(), budget.take(), budget.take(), budget.take()]).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });
});
