import { createHash } from 'node:crypto';
import { isBrokerError } from '../broker/errors';
import type { ConnectionReport } from '../broker/port';
import type { KrakenConnector } from './connector';

/**
 * Kraken cannot list a key's permissions, so each is probed with a harmless call; only
 * `EGeneral:Permission denied` means "no". Auth failures and outages end the test.
 */
async function allowed(call: () => Promise<unknown>): Promise<boolean> {
  try {
    await call();
    return true;
  } catch (e) {
    if (isBrokerError(e, 'permission')) return false;
    if (isBrokerError(e, 'auth') || isBrokerError(e, 'unavailable')) throw e;
    return true;
  }
}

/** AddOrder with validate=true: a minimum-size buy at one tick, checked and never placed. */
async function validateOnlyOrder(c: KrakenConnector, now: number): Promise<void> {
  const list = await c.instruments();
  const i = list.find((x) => x.venueId === 'XXBTZUSD') ?? list[0];
  if (!i) return;
  await c.place({
    clientOrderId: `probe${now.toString(36)}`.slice(0, 18),
    symbol: i.symbol,
    side: 'buy',
    type: 'limit',
    qty: i.minQty,
    price: i.tickSize,
    validateOnly: true,
  });
}

/** Identity, permissions (probed), clock skew and status notes for one key. */
export async function probeConnection(
  c: KrakenConnector,
  apiKey: string,
  otp: boolean,
  now: () => number,
): Promise<ConnectionReport> {
  const { serverTime, skewMs } = await c.serverTime();
  const notes = ['Kraken Spot has no sandbox: this key acts on the live account'];
  if (otp) notes.push('2FA one-time password in use');
  const status = await c.systemStatus().catch(() => null);
  if (status && status.status !== 'online') notes.push(`Kraken status: ${status.status}`);
  const funds = await allowed(() => c.rest.private('Balance'));
  const orders = await allowed(() => c.rest.private('OpenOrders'));
  const trade = await allowed(() => validateOnlyOrder(c, now()));
  const withdraw = await allowed(() => c.rest.private('WithdrawMethods'));
  const ws = await allowed(() => c.rest.private('GetWebSocketsToken'));
  if (!funds) notes.push('no "Query funds" permission: balances will fail');
  if (!orders) notes.push('no "Query open orders & trades" permission');
  if (!ws) notes.push('no "WebSocket interface" permission: fills arrive only by polling');
  if (withdraw) notes.push('this key can withdraw funds: Bourse never needs that');
  // Kraken's API has no account id: a fingerprint of the key names it, never the key itself.
  const fingerprint = createHash('sha256').update(apiKey).digest('hex');
  return {
    account: {
      id: `kraken-${fingerprint.slice(0, 12)}`,
      name: `Kraken Spot (key ${fingerprint.slice(0, 6)})`,
      currency: 'USD',
    },
    permissions: { read: funds && orders, trade, withdraw },
    skewMs,
    serverTime,
    notes,
  };
}
