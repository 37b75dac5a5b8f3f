import { requestTimeoutField, type BrokerDefinition } from '../broker/port';
import { ProjectxConnector } from './connector';

export { ProjectxConnector } from './connector';
export type { ProjectxSettings } from './connector';
export type { BarsRequest, ProjectxBar } from './history';

const positiveInt = (text: string | undefined, fallback: number): number => {
  const n = Number(text);
  return Number.isInteger(n) && n > 0 ? n : fallback;
};

/**
 * ProjectX / TopstepX (the ProjectX Gateway API). Besides the form's fields (the advanced ones
 * included): `baseUrl`, `hubUrl`, and `marketHubUrl` (default: `hubUrl` with `/hubs/market`;
 * the connector's tests and smoke script set it, the form does not).
 */
export const projectxDefinition: BrokerDefinition = {
  venue: 'projectx',
  label: 'ProjectX / TopstepX',
  positions: true,
  modes: ['demo', 'live'],
  defaultCurrency: 'USD',
  addresses: ['baseUrl', 'hubUrl'],
  fields: [
    {
      name: 'userName',
      label: 'User name',
      secret: false,
      required: true,
      help: 'Your TopstepX (ProjectX) user name.',
    },
    {
      name: 'apiKey',
      label: 'API key',
      secret: true,
      required: true,
      help: 'From the ProjectX API subscription (Settings → API in TopstepX).',
    },
    {
      name: 'accountId',
      label: 'Account id',
      secret: false,
      required: false,
      help: 'The gateway account id or name; empty: the first active account that can trade.',
    },
    {
      name: 'liveData',
      label: 'Live market data',
      secret: false,
      required: false,
      options: ['false', 'true'],
      default: 'false',
      advanced: true,
      help: 'true: contract searches and bars ask the gateway for live data (needs the market data subscription).',
    },
    requestTimeoutField("Deadline of reads and of the hub's connection."),
    {
      name: 'orderTimeoutMs',
      label: 'Order timeout (ms)',
      secret: false,
      required: false,
      default: '10000',
      integer: { min: 1_000, max: 120_000 },
      advanced: true,
      help: 'Deadline of place, modify, cancel and close. Past it the outcome is unknown, and the order is looked up by its client id before anything is retried.',
    },
    {
      name: 'hubTimeoutMs',
      label: 'Hub silence limit (ms)',
      secret: false,
      required: false,
      default: '30000',
      integer: { min: 5_000, max: 300_000 },
      advanced: true,
      help: 'A user hub silent this long counts as lost: Bourse reconnects and re-syncs.',
    },
    {
      name: 'bracketTicks',
      label: 'Bracket tick sign',
      secret: false,
      required: false,
      options: ['signed', 'unsigned'],
      default: 'signed',
      advanced: true,
      help: 'How stop-loss and take-profit distances are sent: signed (as the gateway was observed to expect) or unsigned.',
    },
    {
      name: 'lookbackDays',
      label: 'Order history searched (days)',
      secret: false,
      required: false,
      default: '7',
      integer: { min: 1, max: 90 },
      advanced: true,
      help: 'How far back an order of unknown outcome is looked for by its client id.',
    },
  ],
  create(settings, secrets, deps) {
    return new ProjectxConnector(
      {
        baseUrl: settings.baseUrl || 'https://api.topstepx.com',
        hubUrl: settings.hubUrl || 'https://rtc.topstepx.com/hubs/user',
        ...(settings.marketHubUrl ? { marketHubUrl: settings.marketHubUrl } : {}),
        userName: settings.userName ?? '',
        apiKey: secrets.apiKey ?? '',
        ...(settings.accountId ? { accountId: settings.accountId } : {}),
        liveData: settings.liveData === 'true',
        timeoutMs: positiveInt(settings.timeoutMs, 10_000),
        orderTimeoutMs: positiveInt(settings.orderTimeoutMs, 10_000),
        hubTimeoutMs: positiveInt(settings.hubTimeoutMs, 30_000),
        bracketTicks: settings.bracketTicks === 'unsigned' ? 'unsigned' : 'signed',
        lookbackMs: positiveInt(settings.lookbackDays, 7) * 86_400_000,
      },
      deps,
    );
  },
};
