import { decimalToSteps } from '../../domain/simulator';

/** Kraken's public REST pair names for our default markets. */
export const KRAKEN_PAIRS: Readonly<Record<string, string>> = {
  'BTC/USDT': 'XBTUSDT',
  'ETH/USDT': 'ETHUSDT',
  'ETH/BTC': 'XETHXXBT',
  'EUR/USD': 'ZEURZUSD',
};

export const KRAKEN_TICKER_URL = 'https://api.kraken.com/0/public/Ticker';
/** Kraken asks public clients to stay around one request per second; every 5 s is plenty. */
export const FEED_POLL_MS = 5000;

export type FetchLike = (
  url: string,
  init?: { signal?: AbortSignal },
) => Promise<{
  ok: boolean;
  status: number;
  json(): Promise<unknown>;
}>;

/** What the admin sees of a live feed. */
export interface FeedStatus {
  source: string;
  lastPrice: number | null;
  lastTs: number | null;
  error: string | null;
}

/**
 * Polls Kraken's public ticker for one market and keeps the last trade price in ticks. While
 * the machine is offline or Kraken answers an error, the price stays what it was (the
 * simulator's reference holds still) and the error is shown.
 */
export class KrakenFeed {
  private latest: number | undefined;
  private timer: NodeJS.Timeout | null = null;
  private status: FeedStatus;

  constructor(
    private readonly pair: string,
    private readonly tickSize: string,
    private readonly fetchFn: FetchLike,
    private readonly now: () => number,
  ) {
    this.status = { source: `Kraken ${pair}`, lastPrice: null, lastTs: null, error: null };
  }

  start(): void {
    this.stop();
    void this.poll();
    this.timer = setInterval(() => void this.poll(), FEED_POLL_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Latest price in ticks, if any arrived. */
  price(): number | undefined {
    return this.latest;
  }

  view(): FeedStatus {
    return { ...this.status };
  }

  /** One request; never throws (errors are kept for the status). */
  async poll(): Promise<void> {
    try {
      const res = await this.fetchFn(`${KRAKEN_TICKER_URL}?pair=${this.pair}`, {
        signal: AbortSignal.timeout(4000),
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const body = (await res.json()) as {
        error?: string[];
        result?: Record<string, { c?: string[] }>;
      };
      if (body.error && body.error.length > 0) throw new Error(body.error.join('; '));
      const last = Object.values(body.result ?? {})[0]?.c?.[0];
      if (last === undefined) throw new Error('no last price in the answer');
      const ticks = decimalToSteps(last, this.tickSize);
      if (!ticks.ok || ticks.value < 1) throw new Error(`unusable price ${last}`);
      this.latest = ticks.value;
      this.status = { ...this.status, lastPrice: ticks.value, lastTs: this.now(), error: null };
    } catch (error) {
      this.status = {
        ...this.status,
        error: error instanceof Error ? error.message : String(error),
      };
    }
  }
}
