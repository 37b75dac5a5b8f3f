import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../../src-main/operations/principal';
import { createUser } from '../../helpers/auth';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import { rejects } from '../../helpers/exchange';
import { setUpTrading, traderWith, type TradingSetup } from './setup';

/**
 * The webhook as a door: its routes in the OpenAPI document the HTTP app serves, and a body
 * whose intent fails the contract's `AlertIntentSchema` answered like any door's schema failure.
 */

let backend: TestBackend;
let t: TradingSetup;
let me: Principal;

beforeEach(async () => {
  backend = await startTestBackend();
  const user = await createUser(backend, 'trader');
  t = await setUpTrading(backend, user.userId);
  me = traderWith(user.userId, ['automation.manage', 'orders.read']);
});
afterEach(async () => {
  await backend.cleanup();
});

interface Operation {
  description: string;
  parameters?: Array<{ name: string; in: string; required: boolean }>;
  requestBody: { content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<string, { content: Record<string, { schema: Record<string, unknown> }> }>;
  security?: Array<Record<string, string[]>>;
  'x-permission': string;
  'x-alert-intent': { $ref: string };
}

interface Document {
  paths: Record<string, { post?: Operation }>;
  components: { schemas: Record<string, Record<string, unknown>> };
}
const openapi = async () =>
  (await backend.http.inject({ method: 'GET', url: '/docs/json' })).json() as Document;

async function documented(path: string): Promise<Operation> {
  const doc = await openapi();
  const op = doc.paths[path]?.post;
  if (!op) throw new Error(`${path} is not in the OpenAPI document`);
  return op;
}

/** A TradersPost signal with a valid token whose quantity no market could take. */
const absurd = (token?: string) =>
  JSON.stringify({
    ticker: 'BTCUSDT',
    action: 'buy',
    quantity: '1e25',
    id: 'too-big',
    ...(token ? { token } : {}),
  });

describe('the webhook door in OpenAPI', () => {
  it('documents each route: both body types, the token, the answer and problem+json', async () => {
    for (const path of ['/hooks/tv/{token}', '/hooks/tv', '/api/unify/v1/webhook/{broker}']) {
      const op = await documented(path);
      expect(Object.keys(op.requestBody.content).sort()).toEqual([
        'application/json',
        'text/plain',
      ]);
      expect(op.requestBody.content['text/plain']!.schema).toMatchObject({
        type: 'string',
        maxLength: 16 * 1024,
      });
      expect(op.requestBody.content['application/json']!.schema.anyOf).toHaveLength(2);
      expect(op.responses['200']!.content['application/json']!.schema).toMatchObject({
        required: expect.arrayContaining(['success', 'status', 'logId']),
      });
      for (const status of ['400', '401', '413', '415', '429', 'default']) {
        expect(op.responses[status]!.content['application/problem+json']!.schema).toEqual({
          $ref: '#/components/schemas/Problem',
        });
      }
      for (const format of ['unify.v1', 'TradersPost', 'PineConnector', 'KEY=VALUE', 'OctoBot']) {
        expect(op.description).toContain(format);
      }
      expect(op['x-permission']).toBe('webhook-token');
      expect(op['x-alert-intent']).toEqual({ $ref: '#/components/schemas/AlertIntent' });
    }
    expect((await documented('/hooks/tv/{token}')).parameters).toEqual([
      expect.objectContaining({ name: 'token', in: 'path', required: true }),
    ]);
    const intent = (await openapi()).components.schemas.AlertIntent as {
      properties: Record<string, { anyOf?: Array<{ enum?: string[] }> }>;
    };
    const formats = intent.properties.format!.anyOf!.flatMap((b) => b.enum);
    expect(formats).toEqual(['unify', 'traderspost', 'pineconnector', 'keyvalue']);
    expect((await documented('/api/unify/v1/webhook/{broker}')).security).toEqual([
      { webhookToken: [] },
    ]);
  });
});

describe('a body whose intent fails the schema', () => {
  it('is refused as validation_failed in problem+json, logged for its owner, nothing placed', async () => {
    const before = await t.baseBalance();
    const res = await backend.http.inject({
      method: 'POST',
      url: `/hooks/tv/${t.token}`,
      payload: absurd(),
      headers: { 'content-type': 'text/plain' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = res.json() as {
      code: string;
      status: number;
      success: boolean;
      details: { logId: number; fields: Array<{ field: string; message: string }> };
    };
    expect(problem).toMatchObject({ code: 'validation_failed', status: 400, success: false });
    expect(problem.details.fields.map((f) => f.field)).toEqual(['qty']);
    expect(await t.baseBalance()).toBe(before);
    const row = (await backend.invoke('automation.log.get', { id: problem.details.logId }, me)) as {
      status: string;
      errorCode: string;
      intent: unknown;
      ordersPlaced: number;
    };
    expect(row).toMatchObject({
      status: 'rejected',
      errorCode: 'validation_failed',
      intent: null,
      ordersPlaced: 0,
    });
  });

  it('counts, not stores, the same body carrying an unknown token', async () => {
    const res = await backend.http.inject({
      method: 'POST',
      url: '/hooks/tv',
      payload: absurd('not-a-token'),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'webhook_token_invalid', success: false });
    const log = (await backend.invoke('automation.log.list', {}, me)) as { items: unknown[] };
    expect(log.items).toEqual([]);
  });

  it('is read by the same reader for a test alert', async () => {
    const e = await rejects(
      backend.invoke('automation.testAlert', { accountId: t.accountId, body: absurd() }, me),
      'validation_failed',
    );
    expect(e.message).toContain('qty');
  });
});
