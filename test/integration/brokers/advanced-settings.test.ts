import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BrokerDefinition } from '../../../src-main/connectors/broker/port';
import type { Principal } from '../../../src-main/operations/principal';
import { createUser } from '../../helpers/auth';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import { rejects, trader } from '../../helpers/exchange';
import { MemoryBroker } from '../../fakes/memory-broker';

/**
 * A venue's tuning (timeouts, polling, pacing) as form fields: listed with their ranges,
 * checked before any connection with a refusal that names the field, stored as the whole
 * number, and handed to the connector. Before, these were read by the connectors but refused
 * by `accounts.create` as unknown settings, so no user could change them.
 */

let backend: TestBackend;
let broker: MemoryBroker;
let me: Principal;
/** The settings each connector the backend built was given. */
let built: Array<Record<string, string>>;

const invoke = <T>(name: string, input: unknown) => backend.invoke(name, input, me) as Promise<T>;

interface VenueView {
  venue: string;
  addresses: string[];
  fields: Array<{
    name: string;
    masked: boolean;
    default?: string;
    integer?: { min: number; max: number };
    advanced?: boolean;
  }>;
}

/** The memory broker with a tuning field, recording what its connectors are built with. */
function tunedDefinition(): BrokerDefinition {
  const base = broker.definition('tuned');
  return {
    ...base,
    fields: [
      ...base.fields,
      {
        name: 'pollMs',
        label: 'Polling interval (ms)',
        secret: false,
        required: false,
        default: '1000',
        integer: { min: 250, max: 60_000 },
        advanced: true,
      },
    ],
    create: (settings, secrets, deps) => {
      built.push({ ...settings });
      return base.create(settings, secrets, deps);
    },
  };
}

const create = (venue: string, settings: Record<string, string>, credentials = {}) =>
  invoke<{ account: { id: string; settings: Record<string, string> | null } }>('accounts.create', {
    venue,
    name: `${venue} ${settings.server ?? 'account'}`,
    settings,
    credentials,
  });

const accounts = () =>
  (
    backend.store.sqlite.prepare('SELECT count(*) AS n FROM trading_accounts').get() as {
      n: number;
    }
  ).n;

beforeEach(async () => {
  broker = new MemoryBroker();
  built = [];
  backend = await startTestBackend({}, { extraBrokers: [tunedDefinition()] });
  me = trader((await createUser(backend, 'trader')).userId);
});
afterEach(async () => {
  await backend.cleanup();
});

describe('advanced broker settings', () => {
  it('each venue lists its timeouts and limits as advanced whole-number fields with ranges', async () => {
    const { items } = await invoke<{ items: VenueView[] }>('accounts.venues', {});
    const tuning = (venue: string) =>
      items
        .find((v) => v.venue === venue)!
        .fields.filter((f) => f.integer)
        .map((f) => [f.name, f.integer!.min, f.integer!.max, f.default, f.advanced ?? false]);
    expect(tuning('kraken')).toEqual([
      ['timeoutMs', 1000, 120000, '10000', true],
      ['pingMs', 1000, 60000, '10000', true],
    ]);
    expect(tuning('tradelocker')).toEqual([
      ['timeoutMs', 1000, 120000, '10000', true],
      ['pollMs', 250, 60000, '1000', true],
    ]);
    expect(tuning('projectx')).toEqual([
      ['timeoutMs', 1000, 120000, '10000', true],
      ['orderTimeoutMs', 1000, 120000, '10000', true],
      ['hubTimeoutMs', 5000, 300000, '30000', true],
      ['lookbackDays', 1, 90, '7', true],
    ]);
    // The expiry is on the form itself: it decides what happens to orders while the EA is away.
    expect(tuning('metatrader')).toEqual([
      ['commandExpirySec', 5, 86400, '60', false],
      ['resultTimeoutMs', 1000, 600000, '10000', true],
      ['commandsPer10s', 1, 1000, '20', true],
    ]);
    // The addresses each connector reads besides its own fields, and nothing else.
    const addresses = Object.fromEntries(items.map((v) => [v.venue, v.addresses]));
    expect(addresses).toMatchObject({
      kraken: [],
      tradelocker: ['baseUrl'],
      projectx: ['baseUrl', 'hubUrl'],
      metatrader: [],
      local: [],
      paper: [],
      tuned: ['baseUrl', 'wsUrl', 'hubUrl'],
    });
    const projectx = items.find((v) => v.venue === 'projectx')!.fields;
    expect(projectx.find((f) => f.name === 'bracketTicks')).toMatchObject({
      advanced: true,
      default: 'signed',
    });
  });

  it('refuses a value that is not a whole number in range, naming the field, before connecting', async () => {
    for (const bad of ['249', '60001', '1e3', '500.5', '-500', '0x200', '５００']) {
      const problem = await rejects(
        create('tuned', { server: 'DEMO-1', pollMs: bad }, { apiKey: 'good' }),
        'validation_failed',
      );
      expect(problem.message).toBe(
        'Polling interval (ms) must be a whole number from 250 to 60000',
      );
      expect((problem as { details?: unknown }).details).toMatchObject({ field: 'pollMs' });
    }
    // The real venues' ranges, with no broker to reach: the form is checked first.
    const kraken = await rejects(
      create('kraken', { timeoutMs: '999' }, { apiKey: 'k', apiSecret: 's' }),
      'validation_failed',
    );
    expect((kraken as { details?: unknown }).details).toMatchObject({ field: 'timeoutMs' });
    await rejects(create('metatrader', { commandExpirySec: '3' }), 'validation_failed');
    // An address the venue's connector never reads would be silently ignored: refused.
    const stream = await rejects(
      create(
        'tradelocker',
        { email: 'a@b.c', server: 'X', wsUrl: 'wss://example.com' },
        { password: 'p' },
      ),
      'validation_failed',
    );
    expect(stream.message).toBe('TradeLocker has no setting "wsUrl"');
    await rejects(
      create('projectx', { userName: 'u', bracketTicks: 'sideways' }, { apiKey: 'k' }),
      'validation_failed',
    );
    expect(built).toEqual([]);
    expect(accounts()).toBe(0);
  });

  it('stores the whole number and hands it to the connector; an empty field takes the default', async () => {
    const tuned = await create('tuned', { server: 'DEMO-1', pollMs: ' 0500 ' }, { apiKey: 'good' });
    expect(tuned.account.settings).toEqual({ server: 'DEMO-1', pollMs: '500' });
    expect(built.at(-1)).toMatchObject({ pollMs: '500' });
    const plain = await create('tuned', { server: 'DEMO-2', pollMs: '' }, { apiKey: 'good' });
    expect(plain.account.settings).toEqual({ server: 'DEMO-2', pollMs: '1000' });
    // The account's session is built from what was stored.
    const sessions = built.filter((s) => s.server === 'DEMO-1');
    expect(sessions.length).toBeGreaterThan(0);
    for (const s of sessions) expect(s.pollMs).toBe('500');
  });
});
