import { describe, expect, it } from 'vitest';
import { endReason } from '../../../src-renderer/src/screens/trade/labels';

describe('order end reasons in words', () => {
  it('names the engine’s reasons and says nothing the status already says', () => {
    expect(endReason('dead_man_switch')).toBe('dead man’s switch');
    expect(endReason('ioc_remainder')).toBe('IOC remainder');
    expect(endReason('stp')).toBe('self-trade prevention');
    expect(endReason('oco')).toBe('OCO');
    expect(endReason('user')).toBeNull();
    expect(endReason('expired')).toBeNull();
    expect(endReason(null)).toBeNull();
    expect(endReason('some_new_reason')).toBe('some new reason');
  });
});
