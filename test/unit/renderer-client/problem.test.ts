import { describe, expect, it, vi } from 'vitest';
import { ClientError } from '../../../src-renderer/src/client/transport';

// The stores build the page's client on import, from `window.location`.
vi.stubGlobal('window', { location: { protocol: 'http:', origin: 'http://x', host: 'x' } });
const { problemOf } = await import('../../../src-renderer/src/stores/brokers');

/** The input a refusal blames, so a ticket shows the message at that input. */
describe('problemOf', () => {
  it('reads details.field, without its prefix', () => {
    const e = new ClientError('validation_failed', 'bad key', { field: 'credentials.apiKey' });
    expect(problemOf(e)).toEqual({
      code: 'validation_failed',
      message: 'bad key',
      field: 'apiKey',
    });
  });

  it('reads the one input a schema refusal lists in details.fields', () => {
    const one = new ClientError('validation_failed', 'Invalid input', {
      fields: [{ field: '/trailPercent', message: 'must match pattern' }],
    });
    expect(problemOf(one).field).toBe('trailPercent');
    const two = new ClientError('validation_failed', 'Invalid input', {
      fields: [{ field: '/qty' }, { field: '/price' }],
    });
    expect(problemOf(two).field).toBeUndefined();
  });

  it('keeps any other error as internal', () => {
    expect(problemOf(new Error('boom'))).toEqual({ code: 'internal', message: 'boom' });
  });
});
