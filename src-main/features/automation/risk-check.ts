import {
  checkRisk,
  type AlertIntent,
  type RiskSettings,
  type RiskVerdict,
} from '../../domain/automation';
import type { AutomationAccount, AutomationVenue } from './ports';
import type { AutomationStore } from './store';

export interface RiskCheckInput {
  account: AutomationAccount;
  intent: AlertIntent;
  market: string;
  assets: string[];
  qty: string;
  now: number;
  /** Start of the account's trading day (the risk settings' zone and reset time). */
  since: number;
}

/**
 * Gathers what the risk rules read for one alert — the venue's exposure, today's orders,
 * trades and results, recent losses, the calendar — and runs them. The pipeline decides what
 * a verdict means; this only asks the questions.
 */
export async function checkAlertRisk(
  repo: AutomationStore,
  venue: AutomationVenue,
  settings: RiskSettings,
  i: RiskCheckInput,
): Promise<RiskVerdict> {
  const { account, intent, now, since } = i;
  const exposure = await venue.exposure(i.market);
  const session = repo.sessionTotals(account.id, since);
  // A broker that reports its own day (ProjectX trade history) is the truth: trades made
  // outside Bourse count against a prop firm's limits too.
  // Only when a daily rule reads it: asking costs a broker request per alert (bench:brokers
  // found ProjectX's request budget halved by it).
  const dayRules = settings.maxDailyLoss !== null || settings.dailyProfitTarget !== null;
  const brokerDay = dayRules ? ((await venue.realisedSince?.(since)) ?? null) : null;
  return checkRisk(settings, {
    now,
    emergencyStopped: repo.isStopped(account.userId, account.id),
    action: intent.action,
    symbol: i.market,
    assets: i.assets,
    ...(intent.side ? { side: intent.side } : {}),
    qty: i.qty,
    position: exposure.position,
    realisedToday: brokerDay ?? session.realised,
    unrealised: exposure.unrealised,
    tradesToday: session.trades,
    ordersToday: session.orders,
    results: settings.cooldown ? repo.lastResults(account.id, settings.cooldown.afterLosses) : [],
    events: settings.newsLockout
      ? repo.events(
          account.userId,
          now - settings.newsLockout.afterMinutes * 60_000,
          now + settings.newsLockout.beforeMinutes * 60_000,
        )
      : [],
  });
}
