import { describe, expect, it } from 'vitest';
import { compileValidator } from '../../../src-main/operations/validation';
import {
  catalogue,
  httpRouteOf,
  isPermission,
  isValidOperationName,
} from '../../../src-shared/contract';

describe('the operation catalogue', () => {
  it.each(catalogue.map((s) => [s.name, s] as const))('%s declares everything', (_name, spec) => {
    expect(isValidOperationName(spec.name)).toBe(true);
    expect(spec.summary.length).toBeGreaterThan(3);
    expect(spec.input, 'input schema').toBeTypeOf('object');
    expect(spec.output, 'output schema').toBeTypeOf('object');
    expect(spec.access === 'public' || isPermission(spec.access)).toBe(true);
  });

  it('has unique names and unique REST routes', () => {
    const names = catalogue.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    const routes = catalogue.map((s) => {
      const r = httpRouteOf(s);
      return `${r.method} ${r.path.replace(/:[A-Za-z0-9_]+/g, ':p')}`;
    });
    expect(new Set(routes).size).toBe(routes.length);
  });

  it('compiles every input (body and query) and output schema', () => {
    // The registry compiles validators on first use; this keeps a broken schema a build
    // failure rather than an error on a user's first call.
    for (const spec of catalogue) {
      expect(() => compileValidator(spec.input, 'body'), spec.name).not.toThrow();
      expect(() => compileValidator(spec.input, 'query'), spec.name).not.toThrow();
      expect(() => compileValidator(spec.output, 'body'), spec.name).not.toThrow();
    }
    // Compiling ~300 schemas with ajv takes ~1 s alone and several seconds on two busy cores.
  }, 60_000);

  it('rejects unknown fields in every object input', () => {
    for (const spec of catalogue) {
      const input = spec.input as { type?: string; additionalProperties?: boolean };
      if (input.type === 'object') expect(input.additionalProperties, spec.name).toBe(false);
    }
  });
});
