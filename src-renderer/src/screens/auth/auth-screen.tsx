import { useState } from 'react';
import { client } from '../../client/client';
import { useSession } from '../../stores/session';
import { useVault } from '../../stores/vault';
import { AuthCard, Field, FormSubmit, useAction } from './auth-parts';
import { UnlockForm } from './vault-forms';

const PASSWORD_HINT = 'At least 10 characters; a few unrelated words work well.';

function SetupForm() {
  const createOwner = useSession((s) => s.createOwner);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();
  return (
    <AuthCard
      title="Create the owner account"
      intro="This is the first start. The owner can do everything, including making administrators. There is no default password."
    >
      <form onSubmit={run(() => createOwner(email, password))}>
        <Field
          label="Email"
          type="email"
          value={email}
          onChange={setEmail}
          autoComplete="username"
        />
        <Field
          label="Password"
          type="password"
          value={password}
          onChange={setPassword}
          autoComplete="new-password"
          hint={PASSWORD_HINT}
        />
        <FormSubmit error={error} busy={busy} label="Create owner account" />
      </form>
    </AuthCard>
  );
}

type Mode = 'login' | 'register' | 'forgot' | 'reset';

function LoginForm(props: { setMode(m: Mode): void }) {
  const login = useSession((s) => s.login);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();
  return (
    <AuthCard title="Sign in">
      <form onSubmit={run(() => login(email, password))}>
        <Field
          label="Email"
          type="email"
          value={email}
          onChange={setEmail}
          autoComplete="username"
        />
        <Field
          label="Password"
          type="password"
          value={password}
          onChange={setPassword}
          autoComplete="current-password"
        />
        <FormSubmit error={error} busy={busy} label="Sign in" />
      </form>
      <p className="auth-links">
        <button className="btn-link" onClick={() => props.setMode('register')}>
          Create an account
        </button>
        <button className="btn-link" onClick={() => props.setMode('forgot')}>
          Forgot your password?
        </button>
      </p>
    </AuthCard>
  );
}

function RegisterForm(props: { setMode(m: Mode): void }) {
  const login = useSession((s) => s.login);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();
  const register = async () => {
    await client.call('auth.register', { email, password });
    await login(email, password);
  };
  return (
    <AuthCard
      title="Create an account"
      intro="New accounts can trade; an administrator can change roles."
    >
      <form onSubmit={run(register)}>
        <Field
          label="Email"
          type="email"
          value={email}
          onChange={setEmail}
          autoComplete="username"
        />
        <Field
          label="Password"
          type="password"
          value={password}
          onChange={setPassword}
          autoComplete="new-password"
          hint={PASSWORD_HINT}
        />
        <FormSubmit error={error} busy={busy} label="Create account" />
      </form>
      <p className="auth-links">
        <button className="btn-link" onClick={() => props.setMode('login')}>
          Back to sign in
        </button>
      </p>
    </AuthCard>
  );
}

function ForgotForm(props: { setMode(m: Mode): void }) {
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState<'email' | 'administrator'>();
  const { busy, error, run } = useAction();
  return (
    <AuthCard
      title="Reset your password"
      intro="You get a link that works once, for 30 minutes: by e-mail when this Bourse has a mail server, otherwise from an administrator (Admin › Outbox)."
    >
      {sent ? (
        <p role="status">
          {sent === 'email'
            ? `If an account exists for ${email}, its reset link is on its way there by e-mail.`
            : `If an account exists for ${email}, its reset link is waiting for an administrator.`}
        </p>
      ) : (
        <form
          onSubmit={run(async () => {
            const out = await client.call('passwordReset.request', { email });
            setSent(out.delivery);
          })}
        >
          <Field
            label="Email"
            type="email"
            value={email}
            onChange={setEmail}
            autoComplete="username"
          />
          <FormSubmit error={error} busy={busy} label="Request reset link" />
        </form>
      )}
      <p className="auth-links">
        <button className="btn-link" onClick={() => props.setMode('login')}>
          Back to sign in
        </button>
      </p>
    </AuthCard>
  );
}

function ResetForm(props: { token: string; setMode(m: Mode): void }) {
  const [password, setPassword] = useState('');
  const [done, setDone] = useState(false);
  const { busy, error, run } = useAction();
  return (
    <AuthCard title="Choose a new password" intro="Every session of the account will end.">
      {done ? (
        <p role="status">Your password was changed. Sign in with the new one.</p>
      ) : (
        <form
          onSubmit={run(async () => {
            await client.call('passwordReset.complete', {
              token: props.token,
              newPassword: password,
            });
            setDone(true);
          })}
        >
          <Field
            label="New password"
            type="password"
            value={password}
            onChange={setPassword}
            autoComplete="new-password"
            hint={PASSWORD_HINT}
          />
          <FormSubmit error={error} busy={busy} label="Set password" />
        </form>
      )}
      <p className="auth-links">
        <button
          className="btn-link"
          onClick={() => {
            window.location.hash = '/trade';
            props.setMode('login');
          }}
        >
          Back to sign in
        </button>
      </p>
    </AuthCard>
  );
}

function TwoFactorForm() {
  const verify = useSession((s) => s.verifyTwoFactor);
  const signedOut = useSession((s) => s.signedOut);
  const [code, setCode] = useState('');
  const { busy, error, run } = useAction();
  return (
    <AuthCard
      title="Two-factor authentication"
      intro="Enter the 6-digit code from your authenticator app, or one of your recovery codes."
    >
      <form onSubmit={run(() => verify(code.trim()))}>
        <Field
          label="Code"
          value={code}
          onChange={setCode}
          autoComplete="one-time-code"
          inputMode="numeric"
        />
        <FormSubmit error={error} busy={busy} label="Verify" />
      </form>
      <p className="auth-links">
        <button className="btn-link" onClick={signedOut}>
          Cancel
        </button>
      </p>
    </AuthCard>
  );
}

function resetTokenFromHash(): string | undefined {
  const m = /^#\/reset\?(.*)$/.exec(window.location.hash);
  return m ? (new URLSearchParams(m[1]).get('token') ?? undefined) : undefined;
}

/** Everything before the shell: first-run setup, sign-in, 2FA, registration and reset. */
export function AuthScreen() {
  const status = useSession((s) => s.status);
  const resetToken = resetTokenFromHash();
  const [mode, setMode] = useState<Mode>(resetToken ? 'reset' : 'login');
  const vault = useVault();
  if (status === 'loading') return <AuthCard title="Connecting…">{null}</AuthCard>;
  // Signing in with 2FA needs the secrets, so a locked store is asked for first.
  if (vault.status?.state === 'locked' && !vault.deferred) return <UnlockForm />;
  if (status === 'setup') return <SetupForm />;
  if (status === 'two-factor') return <TwoFactorForm />;
  if (mode === 'register') return <RegisterForm setMode={setMode} />;
  if (mode === 'forgot') return <ForgotForm setMode={setMode} />;
  if (mode === 'reset' && resetToken) return <ResetForm token={resetToken} setMode={setMode} />;
  return <LoginForm setMode={setMode} />;
}
