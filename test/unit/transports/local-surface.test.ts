import { describe, expect, it } from 'vitest';
import {
  hostnameOf,
  isAllowedHost,
  isAllowedOrigin,
} from '../../../src-main/transports/http/local-surface';

describe('Host header check (DNS rebinding)', () => {
  it.each([
    ['localhost:8420', true],
    ['127.0.0.1:8420', true],
    ['[::1]:8420', true],
    ['192.168.1.20:8420', true],
    ['evil.example', false],
    ['evil.example:8420', false],
    ['localhost.evil.example', false],
    ['', false],
    ['[::1', false],
  ])('%s → %s', (host, allowed) => {
    expect(isAllowedHost(host, [])).toBe(allowed);
  });

  it('accepts names the user listed, case-insensitively', () => {
    expect(isAllowedHost('Bourse.Lan:8420', ['bourse.lan'])).toBe(true);
    expect(isAllowedHost(undefined, ['bourse.lan'])).toBe(false);
  });

  it('parses hosts with ports and IPv6 literals', () => {
    expect(hostnameOf('[::1]:80')).toBe('::1');
    expect(hostnameOf('LOCALHOST')).toBe('localhost');
    expect(hostnameOf('a b')).toBeUndefined();
  });
});

describe('Origin check', () => {
  it('allows same-origin and non-browser callers, refuses other sites', () => {
    expect(isAllowedOrigin(undefined, 'localhost:8420', [])).toBe(true);
    expect(isAllowedOrigin('http://localhost:8420', 'localhost:8420', [])).toBe(true);
    expect(isAllowedOrigin('http://evil.example', 'localhost:8420', [])).toBe(false);
    expect(isAllowedOrigin('http://localhost:9999', 'localhost:8420', [])).toBe(false);
    expect(isAllowedOrigin('null', 'localhost:8420', [])).toBe(false);
    expect(isAllowedOrigin('file://', 'localhost:8420', [])).toBe(false);
    expect(
      isAllowedOrigin('https://tool.example', 'localhost:8420', ['https://tool.example']),
    ).toBe(true);
  });
});
