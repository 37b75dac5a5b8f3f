import { createHash, createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { krakenDefinition } from '../../../src-main/connectors/kraken';
import type { BrokerConnector } from '../../../src-main/connectors/broker/port';
import { ALL_PERMISSIONS, FakeKraken, type Permission } from '../../fakes/kraken/server';

/** Kraken authentication, nonces, 2FA and key permissions, against the strict fake. */
describe('kraken: authentication and permissions', () => {
  let fake: FakeKraken;
  const open: BrokerConnector[] = [];
  const make = (secrets: Record<string, string>, now: () => number = Date.now) => {
    const c = krakenDefinition.create(fake.settings, secrets, { now, random: () => 0 });
    open.push(c);
    return c;
  };
  const without = (...p: Permission[]) => ALL_PERMISSIONS.filter((x) => !p.includes(x));

  beforeEach(async () => {
    fake = await FakeKraken.start();
  });
  afterEach(async () => {
    for (const c of open.splice(0)) await c.close();
    await fake.close();
  });

  it('signs form bodies with API-Key/API-Sign and never sends the secret', async () => {
    await make(fake.secrets).balances();
    const r = fake.requests.find((x) => x.path === '/0/private/BalanceEx')!;
    expect(r.headers['api-key']).toBe(fake.secrets.apiKey);
    expect(r.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(r.body).toMatch(/^nonce=\d+$/);
    const nonce = r.body.slice(6);
    const expected = createHmac('sha512', Buffer.from(fake.secrets.apiSecret!, 'base64'))
      .update(
        Buffer.concat([
          Buffer.from('/0/private/BalanceEx'),
          createHash('sha256')
            .update(nonce + r.body)
            .digest(),
        ]),
      )
      .digest('base64');
    expect(r.headers['api-sign']).toBe(expected);
    const all = JSON.stringify(fake.requests);
    expect(all).not.toContain(fake.secrets.apiSecret);
  });

  it('refuses an unknown key and a wrong secret as broker_auth_failed', async () => {
    const k = await make({ apiKey: 'nope', apiSecret: fake.secrets.apiSecret! })
      .balances()
      .catch((e: unknown) => e);
    expect(k).toMatchObject({ kind: 'auth', brokerMessage: 'EAPI:Invalid key' });
    const s = await make(fake.badSecrets)
      .balances()
      .catch((e: unknown) => e);
    expect(s).toMatchObject({ kind: 'auth', brokerMessage: 'EAPI:Invalid signature' });
    expect(String((s as Error).message)).not.toContain(fake.badSecrets.apiSecret);
  });

  it('locks a key out after repeated refused calls, even for the right secret', async () => {
    const bad = make(fake.badSecrets);
    for (let i = 0; i < 5; i++) await bad.balances().catch(() => undefined);
    await expect(make(fake.secrets).balances()).rejects.toMatchObject({
      kind: 'auth',
      brokerMessage: 'EGeneral:Temporary lockout',
    });
  });

  it('sends concurrent private calls with nonces that arrive strictly increasing', async () => {
    const c = make(fake.secrets);
    await Promise.all([
      c.balances(),
      c.openOrders(),
      c.balances(),
      c.openOrders(),
      c.balances(),
      c.openOrders(),
    ]);
    const nonces = fake.requests
      .filter((r) => r.path.startsWith('/0/private/'))
      .map((r) => BigInt(new URLSearchParams(r.body).get('nonce')!));
    expect(nonces.length).toBe(6);
    for (let i = 1; i < nonces.length; i++) expect(nonces[i]! > nonces[i - 1]!).toBe(true);
  });

  it('a second program on the same key with a clock behind gets EAPI:Invalid nonce, unless the key has a window', async () => {
    await make(fake.secrets).balances();
    const behind = () => Date.now() - 2_000;
    await expect(make(fake.secrets, behind).balances()).rejects.toMatchObject({
      kind: 'auth',
      brokerMessage: 'EAPI:Invalid nonce',
    });
    const windowed = fake.addKey(ALL_PERMISSIONS, { nonceWindow: 5_000_000 }); // 5 s in µs
    await make(windowed).balances();
    await expect(make(windowed, behind).balances()).resolves.toBeInstanceOf(Array);
  });

  it('sends the 2FA password when the key has one, and fails without it', async () => {
    const k = fake.addKey(ALL_PERMISSIONS, { otp: '123456' });
    await expect(make(k).balances()).rejects.toMatchObject({ kind: 'auth' });
    await expect(make({ ...k, otp: '123456' }).balances()).resolves.toBeInstanceOf(Array);
    const last = fake.requests.at(-1)!;
    expect(new URLSearchParams(last.body).get('otp')).toBe('123456');
    const r = await make({ ...k, otp: '123456' }).testConnection();
    expect(r.notes).toContain('2FA one-time password in use');
  });

  it('probes permissions: full key, read-only key, withdraw off', async () => {
    const full = await make(fake.secrets).testConnection();
    expect(full.permissions).toEqual({ read: true, trade: true, withdraw: true });
    expect(full.account.id).toMatch(/^kraken-[0-9a-f]{12}$/);
    expect(JSON.stringify(full)).not.toContain(fake.secrets.apiKey);
    expect(fake.orderCount()).toBe(0); // the trade probe was validate=true
    const probe = fake.requests.find((r) => r.path === '/0/private/AddOrder')!;
    expect(new URLSearchParams(probe.body).get('validate')).toBe('true');

    const ro = fake.addKey(['query_funds', 'query_open', 'query_closed']);
    const r = await make(ro).testConnection();
    expect(r.permissions).toEqual({ read: true, trade: false, withdraw: false });
    expect(r.notes.join(' ')).toMatch(/WebSocket interface/);

    const noWithdraw = fake.addKey(without('withdraw'));
    expect((await make(noWithdraw).testConnection()).permissions).toEqual({
      read: true,
      trade: true,
      withdraw: false,
    });
  });

  it('answers EGeneral:Permission denied as broker_permission_denied', async () => {
    const k = fake.addKey(without('create_orders'));
    const c = make(k);
    await expect(
      c.place({
        clientOrderId: 'perm-1',
        symbol: 'BTC/USD',
        side: 'buy',
        type: 'limit',
        qty: '0.001',
        price: '30000',
      }),
    ).rejects.toMatchObject({
      code: 'broker_permission_denied',
      brokerMessage: 'EGeneral:Permission denied',
    });
    fake.setPermissions(k.apiKey, without('query_funds'));
    await expect(c.balances()).rejects.toMatchObject({ kind: 'permission' });
  });

  it('the fake checks signatures over raw JSON bodies too, and refuses a tampered body', async () => {
    const call = async (body: string, signedBody: string) => {
      const nonce = String(Date.now() * 1000 + Math.floor(Math.random() * 1000));
      const b = body.replace('$N', nonce);
      const s = signedBody.replace('$N', nonce);
      const sign = createHmac('sha512', Buffer.from(fake.secrets.apiSecret!, 'base64'))
        .update(
          Buffer.concat([
            Buffer.from('/0/private/Balance'),
            createHash('sha256')
              .update(nonce + s)
              .digest(),
          ]),
        )
        .digest('base64');
      const res = await fetch(`${fake.settings.baseUrl}/0/private/Balance`, {
        method: 'POST',
        headers: {
          'API-Key': fake.secrets.apiKey!,
          'API-Sign': sign,
          'Content-Type': 'application/json',
        },
        body: b,
      });
      return (await res.json()) as { error: string[] };
    };
    expect((await call('{"nonce":$N}', '{"nonce":$N}')).error).toEqual([]);
    expect((await call('{"nonce":$N,"asset":"x"}', '{"nonce":$N}')).error).toEqual([
      'EAPI:Invalid signature',
    ]);
  });

  it('the fake’s WebSocket refuses a subscription without a valid token', async () => {
    const ws = new WebSocket(fake.settings.wsUrl!);
    await new Promise((r) => ws.once('open', r));
    const answer = new Promise<string>((r) => ws.once('message', (d) => r(String(d))));
    ws.send(
      JSON.stringify({
        method: 'subscribe',
        params: { channel: 'executions', token: 'forged' },
        req_id: 7,
      }),
    );
    expect(JSON.parse(await answer)).toMatchObject({
      method: 'subscribe',
      req_id: 7,
      success: false,
    });
    ws.close();
  });
});
