import { AppError } from '../../../src-shared/contract';
import type { AlertDelivery } from './delivery';
import type { AlertIntent } from '../../domain/automation';
import { resolveUnits } from '../../domain/automation';
import type { AccountsPort, AutomationAccount, MarketList } from './ports';

/**
 * The account an alert acts on: its token's, unless the alert names another of the same
 * owner's accounts (`intent.account`, by id or name) or a venue (the unify path's
 * `{broker}`, or `intent.broker`) that the token's account is not on — then the owner's one
 * account matching both. A token never reaches another user's accounts.
 */
export function alertTarget(
  a: AlertDelivery,
  account: AutomationAccount,
  accounts: AccountsPort,
): AutomationAccount | AppError {
  const intent = a.reading.status === 'read' ? a.reading.intent : null;
  const want = intent?.account?.trim().toLowerCase();
  const venue = intent?.broker ?? a.broker;
  if (!want && (!venue || venue === account.venue.toLowerCase())) return account;
  let hits = accounts.listForUser(account.userId);
  if (want) {
    hits = hits.filter((x) => x.id.toLowerCase() === want || x.name.toLowerCase() === want);
  }
  if (venue) hits = hits.filter((x) => x.venue.toLowerCase() === venue);
  if (hits.length === 1) return hits[0]!;
  const some = hits.length ? 'several accounts' : 'no account';
  const what = [want ? `named "${intent!.account}"` : '', venue ? `on ${venue}` : '']
    .filter(Boolean)
    .join(' ');
  return want
    ? new AppError('unknown_account', `You have ${some} ${what}`, { field: 'intent.account' })
    : new AppError(
        'broker_mismatch',
        `This token's account ${account.name} trades on "${account.venue}"; you have ${some} ${what} (name one with intent.account)`,
        { field: 'broker', venue: account.venue },
      );
}

/** Lots and pips into base and price units; `intent.broker` must be the account's venue. */
export function intentUnits(
  intent: AlertIntent,
  m: MarketList[number],
  account: AutomationAccount,
): AlertIntent | AppError {
  if (intent.broker && intent.broker !== account.venue.toLowerCase()) {
    return new AppError(
      'broker_mismatch',
      `intent.broker is "${intent.broker}" but this token's account ${account.name} trades on "${account.venue}"`,
      { field: 'intent.broker', venue: account.venue },
      422,
    );
  }
  const [base = '', quote = ''] = m.assets;
  const r = resolveUnits(intent, {
    symbol: m.symbol,
    base,
    quote,
    ...(m.tickSize ? { tickSize: m.tickSize } : {}),
    contractSize: m.contractSize ?? null,
  });
  return r.ok ? r.value : new AppError(r.error.code, r.error.message, r.error.details, 422);
}
