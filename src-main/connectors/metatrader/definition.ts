import type { BrokerDefinition } from '../broker/port';
import { MetaTraderConnector, VENUE, type MetaTraderConfig } from './connector';
import type { BridgeHub } from './hub';

const int = (text: string | undefined, fallback: number, min: number, max: number): number => {
  const n = text === undefined || text === '' ? fallback : Number(text);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(`expected a whole number from ${min} to ${max}, got ${text}`);
  }
  return n;
};

/**
 * The MetaTrader 4/5 bridge as a venue. The user enters no secret: Bourse generates the EA's
 * bridge token (`newBridgeToken`) and shows it once. Besides the form's fields (the advanced
 * ones included), `settings` may carry `accountId` (when `deps.accountId` is absent) and
 * `findWaitMs` (tests shorten it; the form does not offer it).
 */
export function metatraderDefinition(hub: BridgeHub): BrokerDefinition {
  return {
    venue: VENUE,
    label: 'MetaTrader 4/5 (Bourse Bridge EA)',
    positions: true,
    inbound: true,
    modes: ['demo', 'live'],
    defaultCurrency: 'USD',
    // Nothing to dial: the EA connects to Bourse.
    addresses: [],
    fields: [
      {
        name: 'platform',
        label: 'Platform',
        secret: false,
        required: true,
        options: ['MT5', 'MT4'],
        default: 'MT5',
        help: 'Install BourseBridge.mq5 on MT5 or BourseBridge.mq4 on MT4.',
      },
      {
        name: 'symbolSuffix',
        label: 'Symbol suffix',
        secret: false,
        required: false,
        help: 'What your broker adds to every symbol, e.g. `.r` for EURUSD.r. Alerts keep the plain name.',
      },
      {
        name: 'commandExpirySec',
        label: 'Command expiry (seconds)',
        secret: false,
        required: false,
        default: '60',
        integer: { min: 5, max: 86_400 },
        help: 'An order the EA has not taken by then (terminal closed, EA offline) is dropped, never run late.',
      },
      {
        name: 'resultTimeoutMs',
        label: "Wait for the EA's result (ms)",
        secret: false,
        required: false,
        default: '10000',
        integer: { min: 1_000, max: 600_000 },
        advanced: true,
        help: 'How long an alert waits for the EA to report a command it took. Past it the outcome is unknown; the command stays queued until it expires.',
      },
      {
        name: 'commandsPer10s',
        label: 'Commands per 10 seconds',
        secret: false,
        required: false,
        default: '20',
        integer: { min: 1, max: 1_000 },
        advanced: true,
        help: 'At most this many commands are queued for the EA in any 10 seconds; more wait their turn, so a burst of alerts reaches the terminal paced.',
      },
    ],
    create(settings, _secrets, deps) {
      const accountId = deps.accountId ?? settings.accountId;
      if (!accountId) throw new Error('the MetaTrader connector needs the account id');
      const platform = settings.platform ?? 'MT5';
      if (platform !== 'MT4' && platform !== 'MT5') {
        throw new Error(`platform must be MT5 or MT4, not ${platform}`);
      }
      const suffix = settings.symbolSuffix ?? '';
      if (!/^[A-Za-z0-9._#-]{0,16}$/.test(suffix)) {
        throw new Error('the symbol suffix is up to 16 letters, digits or . _ # -');
      }
      const cfg: MetaTraderConfig = {
        accountId,
        platform,
        symbolSuffix: suffix,
        commandExpiryMs: int(settings.commandExpirySec, 60, 5, 86_400) * 1000,
        resultTimeoutMs: int(settings.resultTimeoutMs, 10_000, 10, 600_000),
        findWaitMs: int(settings.findWaitMs, 10_000, 10, 600_000),
        commandsPer10s: int(settings.commandsPer10s, 20, 1, 1_000),
      };
      return new MetaTraderConnector(hub, cfg, deps);
    },
  };
}
