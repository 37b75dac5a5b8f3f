import { describe, expect, it } from 'vitest';
import { catalogue } from '../../../src-shared/contract';
import { startTestBackend } from '../../helpers/backend';

describe('catalogue coverage', () => {
  it('binds a handler to every operation in the contract, and nothing else', async () => {
    const backend = await startTestBackend();
    try {
      const bound = backend.registry
        .list()
        .map((o) => o.spec.name)
        .sort();
      expect(bound).toEqual(catalogue.map((s) => s.name).sort());
    } finally {
      await backend.cleanup();
    }
  });
});
