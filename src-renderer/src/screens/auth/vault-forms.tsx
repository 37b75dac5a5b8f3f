import { useState } from 'react';
import { ClientError } from '../../client/transport';
import { useVault } from '../../stores/vault';
import { AuthCard, Field, FormSubmit, useAction } from './auth-parts';

/** Mirrors the backend's rule (it decides); said up front so nobody types twice for nothing. */
const MIN_LENGTH = 12;
const PASSPHRASE_HINT = `At least ${MIN_LENGTH} characters; a few unrelated words work well. It cannot be recovered: without it, stored secrets are lost.`;

/** Before sign-in, when the encrypted secret store waits for its passphrase. */
export function UnlockForm() {
  const { unlock, defer } = useVault();
  const [passphrase, setPassphrase] = useState('');
  const { busy, error, run } = useAction();
  return (
    <AuthCard
      title="Unlock the secret store"
      intro="This Bourse has no OS keychain, so its secrets (such as two-factor keys) are kept in a file encrypted with a passphrase. Enter it to use them."
    >
      <form onSubmit={run(() => unlock(passphrase))}>
        <Field
          label="Passphrase"
          type="password"
          value={passphrase}
          onChange={setPassphrase}
          autoComplete="current-password"
        />
        <FormSubmit error={error} busy={busy} label="Unlock" />
      </form>
      <p className="auth-links">
        <button className="btn-link" onClick={defer}>
          Continue without unlocking
        </button>
      </p>
      <p className="muted">
        Without it you can still sign in with a password and trade; two-factor sign-in waits. Bourse
        asks again at your next sign-in; Settings › Secret store brings this form back.
      </p>
    </AuthCard>
  );
}

/** The owner's first start without an OS keychain: choose the passphrase of the store. */
export function CreatePassphraseForm() {
  const { create, defer } = useVault();
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const { busy, error, run } = useAction();
  const submit = async () => {
    if (passphrase !== confirm) {
      throw new ClientError('mismatch', 'The two passphrases differ; type the same one twice');
    }
    await create(passphrase);
  };
  return (
    <AuthCard
      title="Protect your secrets"
      intro="There is no OS keychain on this machine. Bourse keeps its secrets (two-factor keys and credentials) in a file encrypted with a passphrase you choose now. You will enter it each time Bourse starts."
    >
      <form onSubmit={run(submit)}>
        <Field
          label="Passphrase"
          type="password"
          value={passphrase}
          onChange={setPassphrase}
          autoComplete="new-password"
          hint={PASSPHRASE_HINT}
        />
        <Field
          label="Confirm passphrase"
          type="password"
          value={confirm}
          onChange={setConfirm}
          autoComplete="new-password"
        />
        <FormSubmit error={error} busy={busy} label="Create encrypted store" />
      </form>
      <p className="auth-links">
        <button className="btn-link" onClick={defer}>
          Later
        </button>
      </p>
      <p className="muted">
        Choose Later and Bourse asks again at your next sign-in, not before. Until then two-factor
        authentication cannot be turned on; Settings › Secret store brings this form back at any
        time.
      </p>
    </AuthCard>
  );
}
