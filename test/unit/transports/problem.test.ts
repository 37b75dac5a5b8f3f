import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src-shared/contract';
import { toProblem } from '../../../src-main/transports/http/problem';

describe('problem+json', () => {
  it('keeps code, message and details of an AppError', () => {
    const p = toProblem(
      new AppError('validation_failed', 'Invalid input: qty is required', { fields: [] }),
      'cid',
    );
    expect(p).toEqual({
      type: '/docs#error-validation_failed',
      title: 'Bad Request',
      status: 400,
      code: 'validation_failed',
      detail: 'Invalid input: qty is required',
      details: { fields: [] },
      correlationId: 'cid',
    });
  });

  it('never leaks the text of an unexpected error', () => {
    const p = toProblem(new Error('SQLITE_CORRUPT at /home/me/secret/path'));
    expect(p.status).toBe(500);
    expect(p.code).toBe('internal');
    expect(JSON.stringify(p)).not.toContain('secret');
  });

  it('maps framework errors to stable codes', () => {
    expect(
      toProblem({ code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413, message: 'x' }).code,
    ).toBe('payload_too_large');
    expect(
      toProblem({ code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', statusCode: 415, message: 'x' }).status,
    ).toBe(415);
    expect(toProblem({ statusCode: 429, message: 'slow down' }).code).toBe('rate_limited');
  });
});
