import { describe, expect, it } from 'vitest';
import { RENDERER_CSP } from '../../src-main/transports/http/app';

const directive = (csp: string, name: string): string[] =>
  csp
    .split(';')
    .map((d) => d.trim().split(/\s+/))
    .find(([n]) => n === name)
    ?.slice(1) ?? [];

describe('the headless UI content security policy', () => {
  it('lets the page connect only to its own origin (no ws:/wss: to any host)', () => {
    expect(directive(RENDERER_CSP, 'connect-src')).toEqual(["'self'"]);
  });

  it('runs only our own scripts and cannot be framed', () => {
    expect(directive(RENDERER_CSP, 'script-src')).toEqual(["'self'"]);
    expect(directive(RENDERER_CSP, 'object-src')).toEqual(["'none'"]);
    expect(directive(RENDERER_CSP, 'frame-ancestors')).toEqual(["'none'"]);
    expect(directive(RENDERER_CSP, 'base-uri')).toEqual(["'none'"]);
  });
});
