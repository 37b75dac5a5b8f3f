import { useState, type FormEvent } from 'react';
import { roleNeedsTwoFactor } from '../../../../src-shared/contract';
import { ClientError } from '../../client/transport';
import { SecretStoreAction } from '../../components/secret-store-action';
import { call, messageOf, useSession } from '../../stores/session';
import { useVault } from '../../stores/vault';

/** The store's not ready (no passphrase yet, locked, none): the TOTP secret has nowhere to go. */
const isStoreRefusal = (err: unknown) =>
  err instanceof ClientError &&
  (err.code === 'secrets_locked' || err.code === 'secrets_unavailable');

type Enrolment = { secret: string; uri: string; qrSvg: string };

function RecoveryCodes(props: { codes: string[]; onDone(): void }) {
  return (
    <div className="recovery" role="region" aria-label="Recovery codes">
      <p>
        Save these recovery codes somewhere safe. Each works once if you lose your authenticator.
        They are shown only now.
      </p>
      <ol className="code-list">
        {props.codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ol>
      <div className="row">
        <button
          className="btn"
          onClick={() => void navigator.clipboard?.writeText(props.codes.join('\n'))}
        >
          Copy codes
        </button>
        <button className="btn primary" onClick={props.onDone}>
          I have saved them
        </button>
      </div>
    </div>
  );
}

/** Turn TOTP on (QR code, confirm with a code), off, or renew the recovery codes. */
export function TwoFactorCard() {
  const user = useSession((s) => s.user);
  const apply = useSession((s) => s.apply);
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [enrolment, setEnrolment] = useState<Enrolment>();
  const [codes, setCodes] = useState<string[]>();
  const [error, setError] = useState<string>();
  const [storeRefused, setStoreRefused] = useState(false);
  const vaultState = useVault((s) => s.status?.state);
  const refreshVault = useVault((s) => s.refresh);
  const act = (fn: () => Promise<void>) => async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    setStoreRefused(false);
    try {
      await fn();
      setPassword('');
      setCode('');
    } catch (err) {
      setError(messageOf(err));
      // The store was not ready after all (its state read earlier): read it again, and the
      // card shows the way forward in place of the form.
      if (isStoreRefusal(err)) {
        setStoreRefused(true);
        void refreshVault();
      }
    }
  };
  if (!user) return null;
  const on = user.twoFactorEnabled;
  // Without a ready secret store the TOTP secret has nowhere to go: the card says how to get
  // one instead of offering a setup the server would refuse.
  const storeBlocks = !on && vaultState !== undefined && vaultState !== 'ready';
  return (
    <article className="card" aria-labelledby="two-factor-title">
      <h2 id="two-factor-title">Two-factor authentication</h2>
      <p>
        Status: <strong className={on ? 'ok-text' : 'warn-text'}>{on ? 'On' : 'Off'}</strong>
        {user.twoFactorRequired
          ? ' — your role needs it before administration or the audit trail work.'
          : ''}
      </p>
      {codes ? (
        <RecoveryCodes codes={codes} onDone={() => setCodes(undefined)} />
      ) : enrolment ? (
        <form
          onSubmit={act(async () => {
            const r = await call('twoFactor.confirm', { code: code.trim() });
            apply(r.session);
            setEnrolment(undefined);
            setCodes(r.recoveryCodes);
          })}
        >
          <p>Scan this code with your authenticator app, then enter the 6-digit code it shows.</p>
          <img
            className="qr"
            alt="QR code for your authenticator app"
            src={`data:image/svg+xml;utf8,${encodeURIComponent(enrolment.qrSvg)}`}
          />
          <p className="muted">
            Or enter this key by hand: <code data-testid="totp-secret">{enrolment.secret}</code>
          </p>
          <label className="field">
            <span>Code from the app</span>
            <input
              value={code}
              onChange={(e) => setCode(e.target.value)}
              inputMode="numeric"
              autoComplete="one-time-code"
              required
            />
          </label>
          <button className="btn primary" type="submit">
            Turn on
          </button>
        </form>
      ) : storeBlocks ? (
        <SecretStoreAction why="Two-factor keys are kept there, so setting it up waits for it." />
      ) : (
        <form
          onSubmit={act(async () => {
            if (!on) setEnrolment(await call('twoFactor.begin', { password }));
          })}
        >
          <label className="field">
            <span>Your password</span>
            <input
              type="password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              autoComplete="current-password"
              required
            />
          </label>
          {on ? (
            <>
              <label className="field">
                <span>Code or recovery code</span>
                <input
                  value={code}
                  onChange={(e) => setCode(e.target.value)}
                  autoComplete="one-time-code"
                  required
                />
              </label>
              <div className="row">
                <button
                  className="btn"
                  type="button"
                  onClick={(e) =>
                    void act(async () => {
                      const r = await call('twoFactor.recoveryCodes', {
                        password,
                        code: code.trim(),
                      });
                      setCodes(r.recoveryCodes);
                    })(e)
                  }
                >
                  New recovery codes
                </button>
                {user.twoFactorRequired || roleNeedsTwoFactor(user.role) ? null : (
                  <button
                    className="btn danger"
                    type="button"
                    onClick={(e) =>
                      void act(async () =>
                        apply(await call('twoFactor.disable', { password, code: code.trim() })),
                      )(e)
                    }
                  >
                    Turn off
                  </button>
                )}
              </div>
            </>
          ) : (
            <button className="btn primary" type="submit">
              Set up two-factor authentication
            </button>
          )}
        </form>
      )}
      {error && !(storeRefused && storeBlocks) ? (
        <p className="error-text" role="alert">
          {error}
        </p>
      ) : null}
    </article>
  );
}
