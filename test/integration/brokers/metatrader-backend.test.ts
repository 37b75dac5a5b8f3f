import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../../src-main/operations/principal';
import { createUser } from '../../helpers/auth';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import { trader } from '../../helpers/exchange';
import { FakeEa } from '../../fakes/metatrader/ea-client';
import { FakeTerminal } from '../../fakes/metatrader/terminal';
import { untilAsync } from '../../helpers/until';

/**
 * The MetaTrader bridge through the whole backend: an account created from the accounts
 * operation hands out its bridge token once; the EA (the TS stand-in) polls the backend's own
 * HTTP port with it; the account shows online; an alert becomes an order in the terminal.
 */

let backend: TestBackend;
let me: Principal;
let url: string;
let dir: string;
let ea: FakeEa | null = null;

const invoke = <T>(name: string, input: unknown) => backend.invoke(name, input, me) as Promise<T>;

interface Created {
  account: { id: string; settings: Record<string, string> | null };
  webhookToken: string;
  bridgeToken?: string;
}
interface State {
  connection: string;
  bridge: { online: boolean; allowUrl: string; queued: number } | null;
  positions: Array<{ symbol: string; qty: string }>;
}

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'bourse-mt-be-'));
  backend = await startTestBackend();
  url = await backend.listen();
  me = trader((await createUser(backend, 'trader')).userId);
});
afterEach(async () => {
  ea?.crash();
  ea = null;
  await backend.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('MetaTrader bridge through the backend', () => {
  it('hands the bridge token out once, keeps only its hash, and refuses wrong tokens', async () => {
    const created = await invoke<Created>('accounts.create', {
      venue: 'metatrader',
      name: 'MT5 demo',
      settings: { platform: 'MT5' },
    });
    expect(created.bridgeToken).toMatch(/^mtb_/);
    expect(JSON.stringify(created.account.settings)).not.toContain('bridgeTokenHash');
    const row = backend.store.sqlite
      .prepare('SELECT broker_settings FROM trading_accounts WHERE id = ?')
      .get(created.account.id) as { broker_settings: string };
    expect(row.broker_settings).not.toContain(created.bridgeToken!);
    const list = await invoke<{ items: unknown[] }>('accounts.list', {});
    expect(JSON.stringify(list)).not.toContain(created.bridgeToken!);
    const wrong = await fetch(`${url}/bridge/mt/v1/heartbeat`, {
      method: 'POST',
      headers: {
        authorization: `Bearer mtb_${'x'.repeat(43)}`,
        'content-type': 'application/json',
      },
      body: '{}',
    });
    expect(wrong.status).toBe(401);
    const n = backend.store.sqlite.prepare('SELECT count(*) AS n FROM bridge_terminals').get() as {
      n: number;
    };
    expect(n.n).toBe(0);
  });

  it('refuses a setting the venue cannot read with validation_failed, not an internal error', async () => {
    await expect(
      invoke('accounts.create', {
        venue: 'metatrader',
        name: 'Bad expiry',
        settings: { platform: 'MT5', commandExpirySec: 'soon' },
      }),
    ).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it('the EA comes online with the token and an alert becomes an order in the terminal', async () => {
    const created = await invoke<Created>('accounts.create', {
      venue: 'metatrader',
      name: 'MT5 demo',
      settings: { platform: 'MT5' },
    });
    const id = created.account.id;
    const offline = await invoke<State>('brokers.state', { id });
    expect(offline.bridge?.online).toBe(false);
    expect(offline.bridge?.allowUrl).toBe(url);
    const terminal = new FakeTerminal('MT5');
    ea = new FakeEa({
      baseUrl: url,
      token: created.bridgeToken!,
      terminal,
      stateFile: path.join(dir, 'state.json'),
      heartbeatMs: 100,
    });
    await ea.start();
    await untilAsync('the EA online', async () => {
      const s = await invoke<State>('brokers.state', { id });
      return s.bridge?.online === true && s.connection === 'up';
    });
    const res = await backend.http.inject({
      method: 'POST',
      url: `/hooks/tv/${created.webhookToken}`,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ ticker: 'EURUSD', action: 'buy', quantity: '0.10' }),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(terminal.ordersCreated).toBe(1);
    await untilAsync('the position in the account', async () => {
      const s = await invoke<State>('brokers.state', { id });
      return s.positions.some((p) => p.symbol === 'EURUSD');
    });
  });
});
