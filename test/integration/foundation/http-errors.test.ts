import { Type } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, defineOperation } from '../../../src-shared/contract';
import { Obj } from '../../../src-shared/contract/common';
import { defineFeature } from '../../../src-main/features/feature';
import { bind } from '../../../src-main/operations/registry';
import { startTestBackend, type TestBackend } from '../../helpers/backend';

/** `/metrics` needs a scrape token or admin credentials (test/security/metrics.test.ts). */
const METRICS_TOKEN = 'metrics-scrape-token-for-tests';

// A feature used only here: public operations that exercise validation and error paths.
const probe = defineOperation({
  name: 'probe.echo',
  summary: 'Echo for tests',
  access: 'public',
  http: { method: 'POST', path: '/probe/:id/echo' },
  input: Obj({
    id: Type.String({ pattern: '^[a-z]+$' }),
    qty: Type.String({ pattern: '^[0-9]+$' }),
  }),
  output: Obj({ id: Type.String(), qty: Type.String() }),
});
const boom = defineOperation({
  name: 'probe.boom',
  summary: 'Throws an unexpected error',
  access: 'public',
  input: Obj({}),
  output: Obj({}),
});
const refuse = defineOperation({
  name: 'probe.refuse',
  summary: 'Throws a feature error',
  access: 'public',
  input: Obj({}),
  output: Obj({}),
});
const probeFeature = defineFeature({
  name: 'probe',
  setup(ctx) {
    ctx.registry.registerAll([
      bind(probe, (input) => input),
      bind(boom, () => {
        throw new Error('disk I/O error at /home/alice/.secret/bourse.sqlite');
      }),
      bind(refuse, () => {
        throw new AppError('insufficient_funds', 'Not enough USDT', { needed: '10.00' });
      }),
    ]);
    return { provides: {} };
  },
});

let backend: TestBackend;
beforeAll(async () => {
  backend = await startTestBackend(
    { rateLimitPerMinute: 50, metricsToken: METRICS_TOKEN },
    { extraFeatures: [probeFeature] },
  );
});
afterAll(async () => backend.cleanup());

const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
  backend.http.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json', ...headers },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });

describe('one error shape over HTTP', () => {
  it('merges path parameters into the input and validates once', async () => {
    const ok = await post('/api/v1/probe/abc/echo', { qty: '5' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ id: 'abc', qty: '5' });
  });

  it('names the failing fields and rejects unknown ones', async () => {
    const res = await post('/api/v1/probe/ABC/echo', { qty: 'five', sneaky: true });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const body = res.json();
    expect(body.code).toBe('validation_failed');
    expect(body.details.fields).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'id' }),
        expect.objectContaining({ field: 'qty' }),
        { field: 'sneaky', message: 'unknown field' },
      ]),
    );
  });

  it('answers bad JSON, wrong media types and huge bodies clearly', async () => {
    const bad = await post('/api/v1/probe/abc/echo', '{"qty": ');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('bad_request');
    const xml = await backend.http.inject({
      method: 'POST',
      url: '/api/v1/probe/abc/echo',
      headers: { 'content-type': 'application/xml' },
      payload: '<qty>1</qty>',
    });
    expect(xml.statusCode).toBe(415);
    expect(xml.json().code).toBe('unsupported_media_type');
    const huge = await post('/api/v1/probe/abc/echo', { qty: '1'.repeat(2 * 1024 * 1024) });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().code).toBe('payload_too_large');
    const array = await post('/api/v1/probe/abc/echo', [1, 2]);
    expect(array.json().code).toBe('validation_failed');
  });

  it('keeps feature codes and hides the text of unexpected failures', async () => {
    const refused = await post('/api/v1/probe/refuse', {});
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({
      code: 'insufficient_funds',
      detail: 'Not enough USDT',
      details: { needed: '10.00' },
    });
    const res = await post('/api/v1/probe/boom', {});
    expect(res.statusCode).toBe(500);
    expect(res.json()).toMatchObject({ code: 'internal', detail: 'Internal error' });
    expect(res.body).not.toContain('alice');
    expect(res.json().correlationId).toBe(res.headers['x-correlation-id']);
  });
});

describe('local surface', () => {
  it('refuses foreign Host headers (DNS rebinding)', async () => {
    const res = await backend.http.inject({
      method: 'GET',
      url: '/api/v1/health',
      headers: { host: 'evil.example:8420' },
    });
    expect(res.statusCode).toBe(421);
    expect(res.json().code).toBe('host_not_allowed');
  });

  it('refuses cross-origin writes and sends no CORS headers', async () => {
    const res = await post(
      '/api/v1/probe/abc/echo',
      { qty: '1' },
      { origin: 'https://evil.example' },
    );
    expect(res.statusCode).toBe(403);
    const same = await post(
      '/api/v1/probe/abc/echo',
      { qty: '1' },
      { origin: 'http://localhost:80', host: 'localhost:80' },
    );
    expect(same.statusCode).toBe(200);
    expect(same.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('rate limits per client with a retry hint', async () => {
    let last;
    for (let i = 0; i < 60; i++) {
      last = await backend.http.inject({
        method: 'GET',
        url: '/api/v1/version',
        remoteAddress: '127.0.0.9',
      });
      if (last.statusCode === 429) break;
    }
    expect(last!.statusCode).toBe(429);
    expect(last!.json().code).toBe('rate_limited');
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    const other = await backend.http.inject({
      method: 'GET',
      url: '/api/v1/version',
      remoteAddress: '127.0.0.10',
    });
    expect(other.statusCode).toBe(200);
  });
});

describe('documentation and metrics', () => {
  it('documents every operation with its permission in OpenAPI', async () => {
    const doc = (await backend.http.inject({ method: 'GET', url: '/docs/json' })).json();
    const ops = Object.values(
      doc.paths as Record<string, Record<string, { operationId: string; 'x-permission': string }>>,
    ).flatMap((p) => Object.values(p));
    const ids = ops.map((o) => o.operationId);
    for (const op of backend.registry.list()) expect(ids).toContain(op.spec.name);
    expect(ops.every((o) => typeof o['x-permission'] === 'string')).toBe(true);
    const ui = await backend.http.inject({ method: 'GET', url: '/docs' });
    expect([200, 302]).toContain(ui.statusCode);
  });

  it('exposes latency histograms by route, event-loop lag and transaction time', async () => {
    backend.store.write('probe', () => backend.store.sqlite.prepare('SELECT 1').get());
    const text = (
      await backend.http.inject({
        method: 'GET',
        url: '/metrics',
        headers: { authorization: `Bearer ${METRICS_TOKEN}` },
      })
    ).body;
    expect(text).toContain('bourse_http_request_duration_seconds_bucket');
    expect(text).toMatch(/route="\/api\/v1\/version"/);
    expect(text).toContain('nodejs_eventloop_lag_seconds');
    expect(text).toMatch(/bourse_db_transaction_duration_seconds_count\{name="probe"\} 1/);
  });
});
