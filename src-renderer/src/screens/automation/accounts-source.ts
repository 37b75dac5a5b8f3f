import type { AccountRow } from '../../stores/automation';
import { call } from '../../stores/session';

/**
 * The user's trading accounts as automation sees them, with whether each non-paper account is
 * a demo (the accounts list says it; automation's own list does not). Without that list (no
 * right to read it) the demo flag stays unknown: the test alert then asks before trading.
 */
export async function loadAccounts(): Promise<AccountRow[]> {
  const [own, modes] = await Promise.all([
    call('automation.accounts.list', {}),
    call('accounts.list', {}).then(
      (r) => new Map(r.items.map((a) => [a.id, a.mode])),
      () => new Map<string, 'demo' | 'live'>(),
    ),
  ]);
  return own.items.map((a) => {
    const mode = modes.get(a.id);
    // A paper account is always simulated: its venue says so already.
    return mode && a.venue !== 'paper' ? { ...a, demo: mode === 'demo' } : a;
  });
}
