import type { BrokerDefinition } from '../broker/port';
import { ProjectxConnector } from './connector';

export { ProjectxConnector } from './connector';
export type { ProjectxSettings } from './connector';
export type { BarsRequest, ProjectxBar } from './history';

const positiveInt = (text: string | undefined, fallback: number): number => {
  const n = Number(text);
  return Number.isInteger(n) && n > 0 ? n : fallback;
};

/**
 * ProjectX / TopstepX (the ProjectX Gateway API). Settings beyond the form: `baseUrl`,
 * `hubUrl`, `marketHubUrl` (default: `hubUrl` with `/hubs/market`), `liveData` (`true`: contract and bar calls ask for live data), `timeoutMs`,
 * `orderTimeoutMs`, `hubTimeoutMs`, `bracketTicks` (`signed` | `unsigned`), `lookbackDays`.
 */
export const projectxDefinition: BrokerDefinition = {
  venue: 'projectx',
  label: 'ProjectX / TopstepX',
  positions: true,
  modes: ['demo', 'live'],
  defaultCurrency: 'USD',
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
