import { useSession } from '../stores/session';
import { useVault } from '../stores/vault';
import './secret-store-action.css';

/**
 * The way forward when the encrypted secret store is not ready: the owner chooses its
 * passphrase, anyone who knows it unlocks it. The button brings back the form that "Later"
 * put off (the app shows it in place of the screen, then returns here). Nothing when the
 * store is ready. `why` says what waits for it (two-factor authentication, credentials).
 */
export function SecretStoreAction(props: { why?: string }) {
  const state = useVault((s) => s.status?.state);
  const ask = useVault((s) => s.ask);
  const role = useSession((s) => s.user?.role);
  const why = props.why ? ` ${props.why}` : '';
  if (state === 'uninitialized') {
    return role === 'owner' ? (
      <div className="secret-store-action" role="note">
        <p>The secret store has no passphrase yet.{why}</p>
        <button className="btn primary" type="button" onClick={ask}>
          Choose the passphrase
        </button>
      </div>
    ) : (
      <p className="secret-store-action muted" role="note">
        The secret store has no passphrase yet.{why} The owner chooses it (Settings › Secret store);
        ask them.
      </p>
    );
  }
  if (state === 'locked') {
    return (
      <div className="secret-store-action" role="note">
        <p>The secret store is locked.{why}</p>
        <button className="btn primary" type="button" onClick={ask}>
          Unlock the secret store
        </button>
      </div>
    );
  }
  if (state === 'unavailable') {
    return (
      <p className="secret-store-action muted" role="note">
        This Bourse has nowhere to keep secrets (no OS keychain, no encrypted file).{why}
      </p>
    );
  }
  return null;
}
