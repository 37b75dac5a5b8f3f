import { BrokerError } from '../broker/errors';
import { requestTimeoutField, type BrokerDefinition } from '../broker/port';
import { KrakenConnector } from './connector';
import { VENUE } from './errors';
import { KRAKEN_TIERS, type KrakenTier } from './rate-limit';

export { KrakenConnector } from './connector';

const positiveInt = (v: string | undefined, fallback: number): number => {
  const n = Number(v);
  return Number.isInteger(n) && n > 0 ? n : fallback;
};

/** Kraken Spot: live only (Spot has no sandbox; `validate=true` is the dry run). */
export const krakenDefinition: BrokerDefinition = {
  venue: VENUE,
  label: 'Kraken (spot)',
  positions: false,
  modes: ['live'],
  defaultCurrency: 'USD',
  // Its REST and WebSocket addresses are fields of its own form.
  addresses: [],
  fields: [
    { name: 'apiKey', label: 'API key', secret: true, required: true },
    {
      name: 'apiSecret',
      label: 'Private key',
      secret: true,
      required: true,
      help: 'The base64 private key Kraken shows once when the key is created.',
    },
    {
      name: 'otp',
      label: '2FA password',
      secret: true,
      required: false,
      help: 'Only if the key itself has a static 2FA password set.',
    },
    {
      name: 'tier',
      label: 'Verification tier',
      secret: false,
      required: false,
      options: [...KRAKEN_TIERS],
      default: 'starter',
      help: 'Sets the rate limits Bourse keeps under.',
    },
    {
      name: 'baseUrl',
      label: 'REST address',
      secret: false,
      required: false,
      default: 'https://api.kraken.com',
    },
    {
      name: 'wsUrl',
      label: 'WebSocket address',
      secret: false,
      required: false,
      default: 'wss://ws-auth.kraken.com/v2',
    },
    requestTimeoutField(),
    {
      name: 'pingMs',
      label: 'Stream ping interval (ms)',
      secret: false,
      required: false,
      default: '10000',
      integer: { min: 1_000, max: 60_000 },
      advanced: true,
      help: 'How often Bourse pings the private WebSocket; a missed answer counts as a dropped stream.',
    },
  ],
  create(settings, secrets, deps) {
    const tier = (settings.tier || 'starter') as KrakenTier;
    if (!KRAKEN_TIERS.includes(tier)) {
      throw new BrokerError('invalid', VENUE, `unknown tier ${tier}`);
    }
    return new KrakenConnector(
      {
        baseUrl: settings.baseUrl || 'https://api.kraken.com',
        wsUrl: settings.wsUrl || 'wss://ws-auth.kraken.com/v2',
        publicWsUrl: settings.publicWsUrl || 'wss://ws.kraken.com/v2',
        tier,
        timeoutMs: positiveInt(settings.timeoutMs, 10_000),
        pingMs: positiveInt(settings.pingMs, 10_000),
      },
      {
        apiKey: secrets.apiKey ?? '',
        apiSecret: secrets.apiSecret ?? '',
        otp: secrets.otp || undefined,
      },
      deps,
    );
  },
};
