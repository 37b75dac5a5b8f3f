import { describe, expect, it } from 'vitest';
import {
  clientAddress,
  isTradingViewAddress,
} from '../../../src-main/domain/automation/source-address';

describe('webhook source address', () => {
  it('ignores X-Forwarded-For unless the peer is the trusted proxy', () => {
    expect(clientAddress('203.0.113.9', '52.89.214.238', null)).toBe('203.0.113.9');
    expect(clientAddress('203.0.113.9', '52.89.214.238', '127.0.0.1')).toBe('203.0.113.9');
    expect(clientAddress('::ffff:127.0.0.1', '52.89.214.238', '127.0.0.1')).toBe('52.89.214.238');
  });
  it('takes the right-most hop the proxy appended, not a spoofed left-most one', () => {
    expect(clientAddress('127.0.0.1', '52.89.214.238, 198.51.100.7', '127.0.0.1')).toBe(
      '198.51.100.7',
    );
    expect(clientAddress('127.0.0.1', ['1.1.1.1', '34.212.75.30'], '127.0.0.1')).toBe(
      '34.212.75.30',
    );
    expect(clientAddress('127.0.0.1', undefined, '127.0.0.1')).toBe('127.0.0.1');
  });
  it('knows the four published TradingView addresses', () => {
    for (const ip of ['52.89.214.238', '34.212.75.30', '54.218.53.128', '::ffff:52.32.178.7']) {
      expect(isTradingViewAddress(ip)).toBe(true);
    }
    expect(isTradingViewAddress('52.89.214.239')).toBe(false);
  });
});
