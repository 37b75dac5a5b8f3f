import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Principal } from '../../../src-main/operations/principal';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import { createUser } from '../../helpers/auth';
import { balances, fund, trader } from '../../helpers/exchange';
import { setUpTrading, openOrders, traderWith, type TradingSetup } from './setup';

let backend: TestBackend;
let t: TradingSetup;
let me: Principal;
let clock = Date.now();

beforeEach(async () => {
  clock = Date.now();
  backend = await startTestBackend({ now: () => clock });
  const user = await createUser(backend, 'trader');
  t = await setUpTrading(backend, user.userId);
  me = traderWith(user.userId, ['automation.manage', 'orders.read', 'orders.trade', 'wallet.read']);
});
afterEach(async () => {
  await backend.cleanup();
});

const hook = (token: string, payload: string, type = 'application/json', headers = {}) =>
  backend.http.inject({
    method: 'POST',
    url: `/hooks/tv/${token}`,
    payload,
    headers: { 'content-type': type, ...headers },
  });
const invoke = <T>(name: string, input: unknown) => backend.invoke(name, input, me) as Promise<T>;
interface LogEntry {
  id: number;
  status: string;
  errorCode: string | null;
  errorMessage: string | null;
  rawBody: string;
  intent: { symbol: string; side?: string } | null;
  decisions: Array<{ rule: string; passed: boolean; message: string }>;
  orders: Array<{ orderId: string; filledQty: string | null }>;
  latencyMs: number;
  duplicateOf: number | null;
}
const logEntry = (id: number) => invoke<LogEntry>('automation.log.get', { id });
const buy = (id: string, qty = '0.01', symbol = 'BTCUSDT') =>
  JSON.stringify({ ticker: symbol, action: 'buy', quantity: qty, id });

describe('an alert over HTTP', () => {
  it('fills on the local exchange: balances, ledger postings, log entry, notification', async () => {
    const res = await hook(t.token, buy('a1'));
    expect(res.statusCode).toBe(200);
    const answer = res.json();
    expect(answer).toMatchObject({
      status: 'accepted',
      orders: [expect.objectContaining({ side: 'buy' })],
    });
    expect(answer.orders[0].filledQty).toBe(t.normalize('0.01'));
    expect(await t.baseBalance()).toBe(t.afterBuy('0.01'));
    const entries = (await invoke<{ items: Array<{ kind: string }> }>('ledger.entries', {})).items;
    expect(entries.some((e) => e.kind === 'trade_settlement')).toBe(true);
    const entry = await logEntry(answer.logId);
    expect(entry).toMatchObject({ status: 'accepted', intent: { symbol: 'BTCUSDT', side: 'buy' } });
    expect(entry.rawBody).toBe(buy('a1'));
    expect(entry.decisions.every((d) => d.passed)).toBe(true);
    expect(entry.latencyMs).toBeGreaterThan(0);
    const notes = (
      await invoke<{ items: Array<{ kind: string; body: string }> }>('notifications.list', {})
    ).items;
    expect(notes.find((n) => n.kind === 'automation.fill')?.body).toContain('BTC/USDT');
    const status = await invoke<{ today: { alerts: number; orders: number; trades: number } }>(
      'automation.status',
      {},
    );
    expect(status.today).toEqual({ alerts: 1, orders: 1, trades: 1 });
  });

  it('answers only once the log row is on disk; a failed sync answers 503, not success', async () => {
    const durable = backend.store.durable;
    const held: Array<() => void> = [];
    let hold = true;
    backend.store.durable = () =>
      hold ? new Promise<void>((r) => held.push(r)).then(() => durable()) : durable();
    let answered = false;
    const pending = hook(t.token, buy('d1')).then((res) => {
      answered = true;
      return res;
    });
    // The exchange batch waits first, then the webhook's own log commit.
    await vi.waitFor(() => expect(held.length).toBeGreaterThan(0));
    held.shift()!();
    await vi.waitFor(() => expect(held.length).toBeGreaterThan(0));
    const logged = backend.store.sqlite
      .prepare("SELECT status FROM automation_webhook_log WHERE raw_body LIKE '%d1%'")
      .get();
    expect(logged).toEqual({ status: 'accepted' });
    expect(answered).toBe(false);
    hold = false;
    held.shift()!();
    expect((await pending).statusCode).toBe(200);

    backend.store.durable = () => Promise.reject(new Error('EIO'));
    const failed = await hook(t.token, buy('d2'));
    backend.store.durable = durable;
    expect(failed.statusCode).toBe(503);
    expect(failed.json()).toMatchObject({ code: 'unavailable' });
  });

  it('reads a text/plain PineConnector line with the token as license id, masking it', async () => {
    // risk= is in lots (PineConnector's default): 0.02 lots of EUR/USD = 2,000 EUR.
    await fund(backend, 'fx-maker', 'EUR', '10000');
    await backend.invoke(
      'orders.place',
      { symbol: 'EUR/USD', side: 'sell', type: 'limit', price: '1.1000', qty: '10000' },
      trader('fx-maker'),
    );
    await fund(backend, t.userId, 'USD', '10000');
    const res = await backend.http.inject({
      method: 'POST',
      url: '/hooks/tv',
      payload: `${t.secondToken},buy,FX:EURUSD,risk=0.02,comment="e2e"`,
      headers: { 'content-type': 'text/plain' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().status).toBe('accepted');
    expect((await balances(backend, t.userId)).EUR?.available).toBe('2000.00');
    const entry = await logEntry(res.json().logId);
    expect(entry.rawBody).not.toContain(t.secondToken);
    expect(entry.rawBody).toContain('***,buy,FX:EURUSD');
    expect(
      (await invoke<{ items: Array<{ accountId: string }> }>('automation.log.list', {})).items[0]!
        .accountId,
    ).toBe(t.secondAccountId);
  });

  it('takes KEY=VALUE lines and the token in the body', async () => {
    const res = await backend.http.inject({
      method: 'POST',
      url: '/hooks/tv',
      payload: `action=buy\nsymbol=BTC/USDT\nqty=0.01\ntoken=${t.token}`,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
    expect(res.json()).toMatchObject({ status: 'accepted' });
    expect((await logEntry(res.json().logId)).rawBody).toContain('token=***');
  });

  it('answers the bearer route of the original design', async () => {
    const ok = await backend.http.inject({
      method: 'POST',
      url: '/api/unify/v1/webhook/local',
      payload: JSON.stringify({
        version: 'unify.v1',
        intent: { side: 'buy', symbol: 'BTC/USDT', qty: '0.01' },
      }),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t.token}` },
    });
    expect(ok.statusCode).toBe(200);
    const bad = await backend.http.inject({
      method: 'POST',
      url: '/api/unify/v1/webhook/local',
      payload: '{"ticker":"BTCUSDT","action":"buy"}',
      headers: { 'content-type': 'application/json', authorization: 'Bearer nope-nope-nope' },
    });
    expect(bad.statusCode).toBe(401);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.json().code).toBe('webhook_token_invalid');
  });

  it("accepts a tunnel's public Host name on the webhook routes only", async () => {
    const host = { host: 'quiet-river-1234.trycloudflare.com' };
    const res = await hook(t.token, buy('tunnel-1'), 'application/json', host);
    expect(res.statusCode, res.body).toBe(200);
    const api = await backend.http.inject({ method: 'GET', url: '/api/v1/version', headers: host });
    expect(api.statusCode).toBe(421); // the rest keeps its DNS-rebinding protection
  });

  it('refuses bodies over 16 KB (and accepts exactly 16 KB), logging both', async () => {
    const body = buy('big');
    const exact = body + ' '.repeat(16 * 1024 - body.length);
    expect((await hook(t.token, exact)).statusCode).toBe(200);
    const over = await hook(t.token, exact + ' ');
    expect(over.statusCode).toBe(413);
    expect(over.json()).toMatchObject({ code: 'payload_too_large' });
    const log = await invoke<{ items: Array<{ status: string; errorCode: string | null }> }>(
      'automation.log.list',
      {},
    );
    expect(log.items.map((i) => i.errorCode ?? i.status)).toEqual([
      'payload_too_large',
      'accepted',
    ]);
  });

  it('says exactly what is wrong with an unreadable alert, and logs it', async () => {
    const res = await hook(t.token, '{"ticker":"BTCUSDT","action":"buy","quantity":0}');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      code: 'alert_unreadable',
      detail: 'quantity must be greater than 0, got 0',
    });
    const wrongType = await hook(t.token, 'a=b', 'application/x-www-form-urlencoded');
    expect(wrongType.statusCode).toBe(415);
    const log = await invoke<{ items: Array<{ status: string }> }>('automation.log.list', {
      status: 'rejected',
    });
    expect(log.items).toHaveLength(2);
  });

  it('refuses with the rule and the numbers, and notifies', async () => {
    await invoke('automation.risk.set', {
      accountId: t.accountId,
      settings: {
        ...(await invoke<{ settings: object }>('automation.risk.get', {})).settings,
        maxOrderQty: { '*': '0.005' },
      },
    });
    const res = await hook(t.token, buy('r1', '0.01'));
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({
      code: 'risk_rejected',
      detail: 'order qty 0.01 > max 0.005 for BTC/USDT',
    });
    expect(await openOrders(backend, t)).toBe(0);
    const notes = (await invoke<{ items: Array<{ kind: string }> }>('notifications.list', {}))
      .items;
    expect(notes.some((n) => n.kind === 'automation.risk')).toBe(true);
  });
});

describe('orders per day', () => {
  it('counts each accepted alert once and a refused one not at all, until the next session', async () => {
    const setLimit = async (maxOrdersPerDay: number) =>
      invoke('automation.risk.set', {
        accountId: t.accountId,
        settings: {
          ...(await invoke<{ settings: object }>('automation.risk.get', {})).settings,
          maxOrdersPerDay,
        },
      });
    await setLimit(3);
    for (let i = 0; i < 3; i++) expect((await hook(t.token, buy(`d${i}`))).statusCode).toBe(200);
    for (const id of ['d3', 'd4']) {
      const refused = await hook(t.token, buy(id));
      expect(refused.statusCode).toBe(422);
      expect(refused.json().detail).toContain('3');
    }
    // The two refusals did not count: one more order fits under 4, then none.
    await setLimit(4);
    expect((await hook(t.token, buy('d5'))).statusCode).toBe(200);
    expect((await hook(t.token, buy('d6'))).statusCode).toBe(422);
    // The next session starts from zero.
    clock += 86_400_000;
    expect((await hook(t.token, buy('d7'))).statusCode).toBe(200);
  });
});

describe('exits and cancels', () => {
  it('an exit sells the spot holding; a cancel cancels resting orders on the market', async () => {
    await hook(t.token, buy('e1', '0.03'));
    expect(await t.baseBalance()).toBe(t.afterBuy('0.03'));
    const exit = await hook(t.token, '{"ticker":"BTCUSDT","action":"exit","id":"e2"}');
    expect(exit.json()).toMatchObject({ status: 'accepted', orders: [{ side: 'sell' }] });
    expect(await t.baseBalance()).toBe(t.afterBuy('0'));
    const rest = JSON.stringify({
      version: 'unify.v1',
      id: 'e3',
      intent: { side: 'buy', type: 'limit', price: t.farBelow, symbol: 'BTC/USDT', qty: '0.01' },
    });
    const rested = (await hook(t.token, rest)).json();
    expect(rested.orders?.[0]?.status, JSON.stringify(rested)).toBe('new');
    expect(await openOrders(backend, t)).toBe(1);
    await hook(t.token, '60123456789,cancellong,BTCUSDT', 'text/plain');
    expect(await openOrders(backend, t)).toBe(0);
    await hook(t.token, rest.replace('e3', 'e5'));
    expect(await openOrders(backend, t)).toBe(1);
    await hook(t.token, 'action=cancel\nsymbol=BTCUSDT\nid=e4', 'text/plain');
    expect(await openOrders(backend, t)).toBe(0);
  });
});

describe('duplicates', () => {
  it('executes concurrent deliveries of the same alert id once', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => hook(t.token, buy('same-id'))),
    );
    const statuses = answers.map((r) => r.json().status).sort();
    expect(statuses.filter((s) => s === 'accepted')).toHaveLength(1);
    expect(statuses.filter((s) => s === 'duplicate')).toHaveLength(19);
    expect(await t.baseBalance()).toBe(t.afterBuy('0.01'));
    const dup = answers.find((r) => r.json().status === 'duplicate')!.json();
    const first = answers.find((r) => r.json().status === 'accepted')!.json();
    expect((await logEntry(dup.logId)).status).toBe('duplicate');
    expect(dup.duplicateOf === undefined || dup.duplicateOf === first.logId).toBe(true);
  });

  it('executes the same body once within the window, again after it', async () => {
    const body = JSON.stringify({ ticker: 'BTCUSDT', action: 'buy', quantity: '0.01' });
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => hook(t.token, body, 'text/plain')),
    );
    expect(answers.filter((r) => r.json().status === 'accepted')).toHaveLength(1);
    expect(await t.baseBalance()).toBe(t.afterBuy('0.01'));
    clock += 59_999;
    expect((await hook(t.token, body, 'text/plain')).json().status).toBe('duplicate');
    clock += 1;
    expect((await hook(t.token, body, 'text/plain')).json().status).toBe('accepted');
    expect(await t.baseBalance()).toBe(t.afterBuy('0.02'));
  });
});

describe('emergency stop', () => {
  it('under concurrent alerts: nothing open afterwards, later alerts refused until re-armed', async () => {
    const resting = (id: string) =>
      JSON.stringify({
        version: 'unify.v1',
        id,
        intent: { side: 'buy', type: 'limit', price: t.farBelow, symbol: 'BTC/USDT', qty: '0.01' },
      });
    for (const id of ['r1', 'r2', 'r3', 'r4']) {
      expect((await hook(t.token, resting(id))).statusCode).toBe(200);
    }
    expect(await openOrders(backend, t)).toBe(4);
    const alerts = Array.from({ length: 30 }, (_, i) =>
      hook(
        i % 2 ? t.secondToken : t.token,
        JSON.stringify({
          version: 'unify.v1',
          id: `burst-${i}`,
          intent:
            i % 3 === 0
              ? { side: 'buy', type: 'limit', price: t.farBelow, symbol: 'BTC/USDT', qty: '0.01' }
              : { side: 'buy', type: 'market', symbol: 'BTC/USDT', qty: '0.01' },
        }),
      ),
    );
    // Stop once the first burst alert has executed, while the others are in flight.
    const accepted = backend.store.sqlite.prepare(
      "SELECT count(*) AS n FROM automation_webhook_log WHERE status = 'accepted' AND alert_id LIKE 'burst-%'",
    );
    while ((accepted.get() as { n: number }).n === 0) await new Promise((r) => setImmediate(r));
    const stop = invoke<{
      accounts: Array<{ accountId: string; cancelled: number }>;
      state: { active: boolean };
    }>('automation.emergencyStop', { reason: 'test' });
    const [answers, stopped] = await Promise.all([Promise.all(alerts), stop]);
    // Every resting order placed before the stop — earlier ones and accepted burst limits — is cancelled.
    const restedInBurst = answers.filter((r, i) => r.statusCode === 200 && i % 3 === 0).length;
    expect(stopped.accounts.reduce((n, a) => n + a.cancelled, 0)).toBe(4 + restedInBurst);
    expect(stopped.state.active).toBe(true);
    expect(stopped.accounts.map((a) => a.accountId).sort()).toEqual(
      [t.accountId, t.secondAccountId].sort(),
    );
    for (const r of answers) {
      const body = r.json();
      if (r.statusCode !== 200) expect(body.details.rule).toBe('emergency_stop');
    }
    expect(await openOrders(backend, t)).toBe(0);
    const after = await hook(t.token, buy('after-stop'));
    expect(after.statusCode).toBe(422);
    expect(after.json().detail).toContain('emergency stop is active');
    const notes = (
      await invoke<{ items: Array<{ kind: string; body: string }> }>('notifications.list', {})
    ).items;
    const summary = notes.find((n) => n.kind === 'automation.emergency_stop');
    // Each account by its name, never its id.
    const names = (
      await invoke<{ items: Array<{ id: string; name: string }> }>('accounts.list', {})
    ).items;
    for (const a of names.filter((x) => [t.accountId, t.secondAccountId].includes(x.id))) {
      expect(summary?.body).toContain(`${a.name}: `);
      expect(summary?.body).not.toContain(a.id);
    }
    expect((await invoke<{ rearmed: number }>('automation.rearm', {})).rearmed).toBe(1);
    expect((await hook(t.token, buy('after-rearm'))).statusCode).toBe(200);
  });
});

describe('source allowlist', () => {
  it("accepts TradingView's addresses only, trusting forwarded-for only from the proxy", async () => {
    await invoke('automation.receiver.set', {
      tvAllowlist: true,
      trustedProxy: null,
      dedupeWindowSec: 60,
    });
    const spoof = await hook(t.token, buy('s1'), 'application/json', {
      'x-forwarded-for': '52.89.214.238',
    });
    expect(spoof.statusCode).toBe(403);
    expect(spoof.json().code).toBe('source_not_allowed');
    await invoke('automation.receiver.set', {
      tvAllowlist: true,
      trustedProxy: '127.0.0.1',
      dedupeWindowSec: 60,
    });
    const viaProxy = await hook(t.token, buy('s2'), 'application/json', {
      'x-forwarded-for': '52.89.214.238',
    });
    expect(viaProxy.statusCode).toBe(200);
    const other = await hook(t.token, buy('s3'), 'application/json', {
      'x-forwarded-for': '198.51.100.1',
    });
    expect(other.statusCode).toBe(403);
  });
});

describe('news lockout from an imported calendar', () => {
  it('refuses entries around an event and names it', async () => {
    const now = backend.config.now();
    const at = new Date(now + 10 * 60_000).toISOString();
    const imported = await invoke<{ imported: number }>('automation.calendar.import', {
      content: `datetime,title,currency\n${at},US CPI,USDT\n`,
      timeZone: 'UTC',
    });
    expect(imported.imported).toBe(1);
    const settings = (await invoke<{ settings: object }>('automation.risk.get', {})).settings;
    await invoke('automation.risk.set', {
      settings: { ...settings, newsLockout: { beforeMinutes: 30, afterMinutes: 30 } },
    });
    const res = await hook(t.token, buy('n1'));
    expect(res.statusCode).toBe(422);
    expect(res.json().detail).toContain('news lockout: "US CPI"');
  });
});
