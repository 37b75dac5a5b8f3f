import { requestTimeoutField, type BrokerDefinition } from '../broker/port';
import { TradelockerConnector } from './connector';

export { TradelockerConnector } from './connector';

/** TradeLocker's public API hosts (the SDK's `demo` and `live` environments). */
export const TRADELOCKER_BASE_URLS = {
  demo: 'https://demo.tradelocker.com/backend-api',
  live: 'https://live.tradelocker.com/backend-api',
} as const;

const positiveInt = (text: string | undefined, fallback: number): number => {
  const n = Number(text);
  return Number.isInteger(n) && n > 0 ? n : fallback;
};

/**
 * TradeLocker (CFD/forex brokers running the TradeLocker platform): JWT login with email,
 * password and the broker's server name. Besides the form fields (`timeoutMs` and `pollMs`
 * among them, under "Advanced"): `baseUrl` (full base including `/backend-api`; overrides
 * `environment`).
 */
export const tradelockerDefinition: BrokerDefinition = {
  venue: 'tradelocker',
  label: 'TradeLocker',
  positions: true,
  modes: ['demo', 'live'],
  defaultCurrency: 'USD',
  // REST only: its updates are polled (no stream or hub to point elsewhere).
  addresses: ['baseUrl'],
  fields: [
    { name: 'email', label: 'Email', secret: false, required: true },
    { name: 'password', label: 'Password', secret: true, required: true },
    {
      name: 'server',
      label: 'Server',
      secret: false,
      required: true,
      help: "The broker's server name shown at TradeLocker's login, e.g. KOT-DEMO.",
    },
    {
      name: 'accountId',
      label: 'Account id',
      secret: false,
      required: false,
      help: 'The # number in the account switcher, when the login has several accounts. Default: the first.',
    },
    requestTimeoutField(),
    {
      name: 'pollMs',
      label: 'Update polling interval (ms)',
      secret: false,
      required: false,
      default: '1000',
      integer: { min: 250, max: 60_000 },
      advanced: true,
      help: "TradeLocker's updates are polled. Faster polling shows fills sooner and spends more of the broker's rate limits (Bourse stays under them).",
    },
  ],
  create(settings, secrets, deps) {
    // The account's mode picks the environment, so a "demo" account can never reach live
    // (`settings.environment` remains for the smoke script, which has no account).
    const environment = (deps.mode ?? settings.environment) === 'live' ? 'live' : 'demo';
    const baseUrl = (settings.baseUrl?.trim() || TRADELOCKER_BASE_URLS[environment]).replace(
      /\/+$/,
      '',
    );
    return new TradelockerConnector({
      baseUrl,
      environment,
      email: settings.email ?? '',
      password: secrets.password ?? '',
      server: settings.server ?? '',
      ...(settings.accountId?.trim() ? { accountId: settings.accountId.trim() } : {}),
      timeoutMs: positiveInt(settings.timeoutMs, 10_000),
      pollMs: positiveInt(settings.pollMs, 1_000),
      deps,
    });
  },
};
