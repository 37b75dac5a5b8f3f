import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../src-main/operations/principal';
import { createUser } from '../helpers/auth';
import { startTestBackend, tempDataDir, type TestBackend } from '../helpers/backend';
import { rejects, trader } from '../helpers/exchange';
import { MemoryBroker } from '../fakes/memory-broker';
import { startMetaTraderRig, type MetaTraderRig } from '../fakes/metatrader/harness';
import { heartbeatBody } from '../fakes/metatrader/heartbeat';

/**
 * Broker credentials and the doors brokers open: a key stronger than asked for is refused,
 * credentials never reach the database, the logs or an answer, a broker address cannot be
 * pointed at plain HTTP off this machine, one user's broker account is invisible to another,
 * and the MetaTrader bridge door throttles token guessing before it looks tokens up.
 */

let backend: TestBackend;
let broker: MemoryBroker;
let me: Principal;
let session: Awaited<ReturnType<typeof createUser>>;
let dataDir: string;
const SECRET_KEY = 'good';

const invoke = <T>(name: string, input: unknown, who: Principal = me) =>
  backend.invoke(name, input, who) as Promise<T>;
const create = (extra: Record<string, unknown> = {}, who: Principal = me) =>
  invoke<{ account: { id: string } }>(
    'accounts.create',
    {
      venue: 'memory',
      name: `Broker ${Math.random().toString(36).slice(2, 7)}`,
      settings: { server: 'DEMO-1' },
      credentials: { apiKey: SECRET_KEY },
      ...extra,
    },
    who,
  );

beforeEach(async () => {
  broker = new MemoryBroker();
  dataDir = tempDataDir();
  backend = await startTestBackend(
    { dataDir, logToFile: true, logLevel: 'debug', mode: 'desktop' },
    { extraBrokers: [broker.definition()] },
  );
  session = await createUser(backend, 'trader');
  me = trader(session.userId);
});
afterEach(async () => {
  await backend.cleanup();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('broker credentials', () => {
  it('refuses a key that can withdraw for a trade-only account, and stores nothing', async () => {
    await rejects(create({ credentials: { apiKey: 'withdraw' } }), 'broker_key_too_powerful');
    const n = backend.store.sqlite.prepare('SELECT count(*) AS n FROM trading_accounts').get() as {
      n: number;
    };
    expect(n.n).toBe(0);
  });

  it('never writes credentials to the database, the logs or an answer', async () => {
    broker.balances = [{ asset: 'USD', total: '1', available: '1' }];
    const unique = 'good';
    const { account } = await create({ credentials: { apiKey: unique } });
    const answers = JSON.stringify([
      await invoke('accounts.list', {}),
      await invoke('brokers.state', { id: account.id }),
      await invoke('accounts.venues', {}),
    ]);
    expect(answers).not.toContain(`"${unique}"`);
    const rows = JSON.stringify(
      backend.store.sqlite.prepare('SELECT * FROM trading_accounts').all(),
    );
    expect(rows).not.toContain(`"${unique}"`);
    // A wrong key's refusal (over HTTP, so the request is logged) leaves no trace of the key.
    const res = await backend.http.inject({
      method: 'POST',
      url: '/api/v1/accounts',
      headers: { ...session.headers, 'content-type': 'application/json' },
      payload: JSON.stringify({
        venue: 'memory',
        name: 'Wrong key',
        settings: { server: 'DEMO-1' },
        credentials: { apiKey: 'sk-live-DO-NOT-LOG-123' },
      }),
    });
    expect(res.statusCode).toBe(401);
    expect(res.body).not.toContain('sk-live-DO-NOT-LOG-123');
    backend.log.info({ marker: 'end-of-broker-test' }, 'flush marker');
    await backend.close();
    const logs = path.join(dataDir, 'logs');
    const read = () =>
      fs.existsSync(logs)
        ? fs
            .readdirSync(logs)
            .map((f) => fs.readFileSync(path.join(logs, f), 'utf8'))
            .join('\n')
        : '';
    // The log transport is a worker thread that flushes after close: wait for the marker.
    const end = Date.now() + 5_000;
    while (!read().includes('end-of-broker-test') && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const text = read();
    expect(text).toContain('end-of-broker-test');
    expect(text).not.toContain('sk-live-DO-NOT-LOG-123');
  });

  it('refuses broker addresses over plain HTTP off this machine', async () => {
    for (const baseUrl of [
      'http://10.0.0.5:8080',
      'ftp://example.com',
      'file:///etc/passwd',
      'not a url',
    ]) {
      await rejects(create({ settings: { server: 'X', baseUrl } }), 'validation_failed');
    }
  });

  it("keeps one user's broker account invisible to another", async () => {
    const { account } = await create();
    const other = trader(
      (await createUser(backend, 'trader', { email: 'other-broker-user@example.com' })).userId,
    );
    await rejects(invoke('brokers.state', { id: account.id }, other), 'unknown_account');
    await rejects(
      invoke(
        'brokers.place',
        { id: account.id, symbol: 'EURUSD', side: 'buy', type: 'market', qty: '1' },
        other,
      ),
      'unknown_account',
    );
    await rejects(invoke('brokers.test', { id: account.id }, other), 'unknown_account');
    expect(broker.placed).toBe(0);
  });
});

describe('the MetaTrader bridge door', () => {
  it('throttles token guessing per address before any lookup, and stores nothing', async () => {
    const url = await backend.listen();
    const guess = () =>
      fetch(`${url}/bridge/mt/v1/poll`, {
        method: 'POST',
        headers: {
          authorization: `Bearer mtb_${Math.random().toString(36).padEnd(43, 'x')}`,
          'content-type': 'application/json',
        },
        body: '{}',
      });
    const statuses: number[] = [];
    for (let i = 0; i < 14; i++) statuses.push((await guess()).status);
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(10).every((s) => s === 429)).toBe(true);
    const rows = backend.store.sqlite
      .prepare(
        'SELECT (SELECT count(*) FROM bridge_terminals) + (SELECT count(*) FROM bridge_commands) AS n',
      )
      .get() as { n: number };
    expect(rows.n).toBe(0);
  });
});

describe('the MetaTrader bridge door: body sizes', () => {
  let rig: MetaTraderRig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  it('refuses a poll over 1.25 MB (a heartbeat and results at most) and stores nothing of it', async () => {
    rig = await startMetaTraderRig({ eaOffline: true });
    const hb = heartbeatBody();
    const huge = { ...hb, terminal: { ...hb.terminal, name: 'x'.repeat(1_400_000) } };
    const res = await rig.app.inject({
      method: 'POST',
      url: '/bridge/mt/v1/poll',
      headers: { authorization: `Bearer ${rig.token}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ heartbeat: huge }),
    });
    expect(res.statusCode).toBe(413);
    expect(rig.hub.status(rig.accountId).heartbeat).toBeNull();
  });
});
