import { buildRoundTrips, type AnalyticsFill, type RoundTripBook } from '../../domain/analytics';
import type { AccountRow } from '../accounts/repo';
import type { AnalyticsDeps } from './ports';

/**
 * The analytics account of the user's local-exchange fills. Every local trading account of a
 * user trades the same spot balances (the exchange keeps one wallet per user), so their fills
 * form one account here; the alert that placed an order still names its source.
 */
export const LOCAL_ACCOUNT = 'local';

/** An account as analytics lists it. */
export interface AccountInfo {
  id: string;
  name: string;
  venue: string;
  /** The paper or broker account's currency; for the local account, its first one. */
  currency: string;
  kind: 'paper' | 'local' | 'broker';
  /** The stored row (paper and broker accounts). */
  row?: AccountRow;
}

/** The user's fills and what they built up to a moment. */
export interface History {
  accounts: AccountInfo[];
  fills: AnalyticsFill[];
  book: RoundTripBook;
  /** Paper fills' own cash effects by account (the balance back then is rebuilt from them). */
  paperCash: Map<string, PaperCash[]>;
  /** False when the local account's fills were not asked for (its lots are then unknown). */
  localRead: boolean;
  /** Accounts that hold coins, not positions (a sell never opens a short). */
  spotAccounts: ReadonlySet<string>;
}

/** What a paper fill did to the balance, as the paper broker booked it. */
export interface PaperCash {
  ts: number;
  realisedPnl: string;
  commission: string;
}

/** Fills read per page from the exchange's listing. */
const PAGE = 1000;

/** `bot:<botId>` for a bot's alerts (alert ids `bot:<botId>:<barCloseTime>`), else `alert:<route>`. */
export function sourceOf(route: string, alertId: string | null): string {
  if (alertId?.startsWith('bot:')) {
    const botId = alertId.split(':')[1];
    if (botId) return `bot:${botId}`;
  }
  return `alert:${route}`;
}

/**
 * Reads a user's accounts and fills (paper, broker and local) up to `until` and builds round trips;
 * with `only`, the fills of those accounts alone (every account is still listed).
 */
export function readHistory(
  deps: AnalyticsDeps,
  userId: string,
  until: number,
  only?: ReadonlySet<string>,
): History {
  const rows = deps.accounts.rowsOf(userId);
  const accounts: AccountInfo[] = [];
  const fills: AnalyticsFill[] = [];
  const paperCash = new Map<string, PaperCash[]>();
  const wanted = (id: string) => !only || only.has(id);
  const needsFills = rows.some((a) => a.venue !== 'local' && wanted(a.id)) || wanted(LOCAL_ACCOUNT);
  const spot = new Set([LOCAL_ACCOUNT]);
  const sources = needsFills ? attributions(deps, userId, until, rows) : new Map<string, string>();
  for (const a of rows) {
    if (a.venue === 'local') continue;
    const kind = a.venue === 'paper' ? 'paper' : 'broker';
    accounts.push({
      id: a.id,
      name: a.name,
      venue: a.venue,
      currency: a.baseCurrency,
      kind,
      row: a,
    });
    if (!wanted(a.id)) continue;
    if (kind === 'broker') {
      // A spot venue (Kraken) holds coins, not positions: a sell of coins bought elsewhere
      // is unmatched, never a short.
      if (deps.accounts.brokers.definition(a.venue)?.positions === false) spot.add(a.id);
      fills.push(...brokerFills(deps, a, until, sources));
      continue;
    }
    const cash: PaperCash[] = [];
    for (const f of deps.accounts.paperFills(a.id, until)) {
      fills.push({
        id: `paper:${f.id}`,
        accountId: a.id,
        venue: 'paper',
        market: f.symbol,
        side: f.side,
        qty: f.qty,
        price: f.price,
        fee: f.commission,
        feeAsset: a.baseCurrency,
        currency: a.baseCurrency,
        // A future's P&L is qty × multiplier × the price move (the paper broker's own rule).
        ...(f.multiplier !== null ? { multiplier: f.multiplier } : {}),
        ts: f.ts,
        source: sources.get(`${a.id}|paper-${f.id}`) ?? 'manual',
      });
      cash.push({ ts: f.ts, realisedPnl: f.realisedPnl, commission: f.commission });
    }
    paperCash.set(a.id, cash);
  }
  const localRead = wanted(LOCAL_ACCOUNT);
  const local = localRead ? localFills(deps, userId, until, sources) : [];
  const localRows = rows.filter((a) => a.venue === 'local');
  if (local.length > 0 || localRows.length > 0) {
    accounts.push({
      id: LOCAL_ACCOUNT,
      name: 'Local exchange',
      venue: 'local',
      currency: localRows[0]?.baseCurrency ?? local[0]?.currency ?? 'USDT',
      kind: 'local',
    });
  }
  fills.push(...local);
  const book = buildRoundTrips(fills, { spotAccounts: spot });
  return { accounts, fills, book, paperCash, localRead, spotAccounts: spot };
}

/**
 * A broker account's stored fills up to `until`. The source is found by the venue's order id
 * (what automation logged) or by Bourse's client order id (what it logged for a queued order).
 */
function brokerFills(
  deps: AnalyticsDeps,
  a: AccountRow,
  until: number,
  sources: Map<string, string>,
): AnalyticsFill[] {
  return deps.accounts.brokerFills(a.id, until).map((f) => ({
    id: `broker:${f.fillId}`,
    accountId: a.id,
    venue: a.venue,
    market: f.symbol,
    side: f.side,
    qty: f.qty,
    price: f.price,
    fee: f.fee,
    feeAsset: f.feeAsset,
    currency: f.currency,
    multiplier: f.multiplier,
    ts: f.ts,
    source:
      sources.get(`${a.id}|${f.venueOrderId}`) ??
      (f.clientOrderId ? sources.get(`${a.id}|${f.clientOrderId}`) : undefined) ??
      'manual',
  }));
}

/** The user's local-exchange fills up to `until`, oldest first, through keyset pages. */
function localFills(
  deps: AnalyticsDeps,
  userId: string,
  until: number,
  sources: Map<string, string>,
): AnalyticsFill[] {
  const out: AnalyticsFill[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = deps.exchangeQueries.listTrades(userId, {
      to: until,
      order: 'asc',
      limit: PAGE,
      ...(cursor ? { cursor } : {}),
    });
    for (const t of page.items) {
      const quote = deps.exchange.spec(t.symbol).quote.code;
      out.push({
        id: `trade:${t.symbol}:${t.tradeId}:${t.side}`,
        accountId: LOCAL_ACCOUNT,
        venue: 'local',
        market: t.symbol,
        side: t.side,
        qty: t.qty,
        price: t.price,
        fee: t.fee,
        feeAsset: t.feeAsset,
        currency: quote,
        ts: t.ts,
        source: sources.get(`${LOCAL_ACCOUNT}|${t.orderId}`) ?? 'manual',
      });
    }
    if (!page.nextCursor) return out;
    cursor = page.nextCursor;
  }
}

/**
 * Which source placed each order: `<accountId>|<orderId>` (paper: `paper-<fillId>`; local:
 * the exchange's order id under the local account) → `alert:<route>` or `bot:<botId>`. A
 * waiting paper order (`paper-order-<id>`) is followed to the fill it became.
 */
function attributions(
  deps: AnalyticsDeps,
  userId: string,
  until: number,
  rows: readonly AccountRow[],
): Map<string, string> {
  const venueOf = new Map(rows.map((a) => [a.id, a.venue]));
  const out = new Map<string, string>();
  for (const r of deps.automation.orderSources(userId, until)) {
    if (!r.accountId) continue;
    const source = sourceOf(r.route, r.alertId);
    const venue = venueOf.get(r.accountId);
    for (const orderId of r.orderIds) {
      if (venue === 'local') {
        out.set(`${LOCAL_ACCOUNT}|${orderId}`, source);
        continue;
      }
      const pending = /^paper-order-(\d+)$/.exec(orderId);
      if (pending) {
        const fillId = deps.accounts.paperOrderFill(Number(pending[1]));
        if (fillId !== null) out.set(`${r.accountId}|paper-${fillId}`, source);
        continue;
      }
      out.set(`${r.accountId}|${orderId}`, source);
    }
  }
  return out;
}
