import type { AccountRow } from '../../stores/automation';
import { call } from '../../stores/session';

/** The user's trading accounts as automation sees them. */
export async function loadAccounts(): Promise<AccountRow[]> {
  return (await call('automation.accounts.list', {})).items;
}
