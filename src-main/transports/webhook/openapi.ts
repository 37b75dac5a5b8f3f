import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifySchema } from 'fastify';
import {
  AlertIntentSchema,
  WEBHOOK_MAX_BYTES,
  WebhookAnswer,
  WebhookJsonBody,
  WebhookTextBody,
} from '../../../src-shared/contract';

/** Where a delivery's webhook token is: the path, the body, or an `Authorization: Bearer`. */
export type TokenPlace = 'path' | 'body' | 'bearer';

const FORMATS =
  'Accepted bodies (application/json or text/plain, whatever the format; at most ' +
  `${WEBHOOK_MAX_BYTES / 1024} KB): Bourse's unify.v1 JSON intent, a TradersPost-style JSON ` +
  "signal, a PineConnector line (`LicenseID,buy,EURUSD,risk=1`), or KEY=VALUE lines (Bourse's " +
  "keys or OctoBot's `SIGNAL=`). Every format reads as one intent validated against " +
  '`AlertIntentSchema`; a body no format reads is `alert_unreadable`, an intent the schema ' +
  'refuses is `validation_failed`. The same alert id (or the same body within the dedupe ' +
  'window) runs once and answers `duplicate`.';

const TOKEN_SAYS: Record<TokenPlace, string> = {
  path: 'The token is in the path (TradingView cannot set headers).',
  body: 'The token is in the body: `token` or `passphrase` (JSON, KEY=VALUE), the license id or `secret=` (PineConnector).',
  bearer: 'The token is the `Authorization: Bearer` credential (TradeFlow unify.v1 senders).',
};

const Token = Type.String({
  minLength: 1,
  maxLength: 200,
  description: "the account's webhook token (Accounts → webhook URL)",
});

const PARAMS: Record<TokenPlace, ReturnType<typeof Type.Object> | undefined> = {
  path: Type.Object({ token: Token }, { additionalProperties: false }),
  body: undefined,
  bearer: Type.Object(
    {
      broker: Type.String({
        maxLength: 40,
        description: 'the venue the sender meant (informational; the token decides the account)',
      }),
    },
    { additionalProperties: false },
  ),
};

/** The component under which the document carries `AlertIntentSchema`. */
export const ALERT_INTENT_ID = 'AlertIntent';

/** Adds `AlertIntentSchema` to the app's shared schemas (the document's components). */
export function addAlertIntentSchema(app: FastifyInstance): void {
  app.addSchema({ ...AlertIntentSchema, $id: ALERT_INTENT_ID });
}

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: 'Problem#' } } },
});

/**
 * The OpenAPI description of a webhook route: both body types, the token's place, the answer
 * and the problem+json refusals. Documentation only: the door reads the body itself (`readAlert`)
 * and validates the intent against the contract's schema.
 */
export function webhookRouteSchema(place: TokenPlace): FastifySchema {
  const params = PARAMS[place];
  return {
    tags: ['automation'],
    summary:
      place === 'bearer'
        ? 'TradingView webhook with Authorization: Bearer <token>'
        : 'TradingView webhook',
    description: `${TOKEN_SAYS[place]} ${FORMATS}`,
    ...(params ? { params } : {}),
    body: {
      content: {
        'text/plain': { schema: WebhookTextBody },
        'application/json': { schema: WebhookJsonBody },
      },
    },
    response: {
      200: {
        description: 'Executed (`accepted`) or already received (`duplicate`)',
        content: { 'application/json': { schema: WebhookAnswer } },
      },
      400: problem(
        '`alert_unreadable`, `validation_failed`, `unknown_symbol`, … (`success: false`)',
      ),
      401: problem('`webhook_token_invalid`: no token, or no account has it'),
      403: problem('`source_not_allowed` (TradingView addresses only), `owner_banned`'),
      409: problem('`account_disabled`'),
      413: problem('`payload_too_large`'),
      415: problem('`unsupported_media_type`: send application/json or text/plain'),
      422: problem('`risk_rejected`, `broker_mismatch`, …'),
      429: problem('`rate_limited` (with Retry-After)'),
      default: problem('Any other refusal, in the same problem+json shape'),
    },
    ...(place === 'bearer' ? { security: [{ webhookToken: [] as string[] }] } : {}),
    // The intent every body reads as: what the door validates, beside the bodies it reads.
    'x-alert-intent': { $ref: `#/components/schemas/${ALERT_INTENT_ID}` },
    // Not a catalogue operation: the account's webhook token (path, body or bearer) is the
    // credential.
    'x-permission': 'webhook-token',
  } as unknown as FastifySchema;
}
