import { AppError, type ErrorBody } from '../../../src-shared/contract';

/** RFC 9457 problem details with our stable `code`. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  details?: unknown;
  correlationId?: string;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  421: 'Misdirected Request',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Fastify's own errors (bad JSON, body too large, wrong content type) in our vocabulary. */
function fromFastifyError(err: { code?: string; statusCode?: number; message: string }): AppError {
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('payload_too_large', 'The request body is too large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('unsupported_media_type', 'Send JSON (Content-Type: application/json)');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new AppError('bad_request', 'A path parameter is too long', undefined, 414);
    case 'FST_ERR_BAD_URL':
      return new AppError('bad_request', 'The URL is malformed');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError('bad_request', `The body is not valid JSON: ${err.message}`);
    default:
      if (err.statusCode === 429) return new AppError('rate_limited', err.message);
      if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
        return new AppError('bad_request', err.message, undefined, err.statusCode);
      }
      return new AppError('internal', 'Internal error');
  }
}

/** Any thrown value → a problem. Unexpected errors never leak their text. */
export function toProblem(err: unknown, correlationId?: string): Problem {
  const app =
    err instanceof AppError
      ? err
      : err instanceof SyntaxError
        ? new AppError('bad_request', `The body is not valid JSON: ${err.message}`)
        : typeof err === 'object' && err !== null && 'message' in err
          ? fromFastifyError(err as { code?: string; statusCode?: number; message: string })
          : new AppError('internal', 'Internal error');
  const body: ErrorBody =
    app.status >= 500 && app.code === 'internal'
      ? { code: 'internal', message: 'Internal error' }
      : app.toBody();
  return {
    type: `/docs#error-${body.code}`,
    title: TITLES[app.status] ?? 'Error',
    status: app.status,
    code: body.code,
    detail: body.message,
    ...(body.details === undefined ? {} : { details: body.details }),
    ...(correlationId ? { correlationId } : {}),
  };
}
