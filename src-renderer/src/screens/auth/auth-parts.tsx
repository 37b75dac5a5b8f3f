import { useState, type FormEvent, type ReactNode } from 'react';
import { messageOf } from '../../stores/session';

/** The pieces every form before the shell is made of (sign-in, setup, secret store). */
export function Field(props: {
  label: string;
  type?: string;
  value: string;
  onChange(v: string): void;
  autoComplete?: string;
  hint?: string;
  inputMode?: 'numeric' | 'text';
}) {
  return (
    <label className="field">
      <span>{props.label}</span>
      <input
        type={props.type ?? 'text'}
        value={props.value}
        autoComplete={props.autoComplete}
        inputMode={props.inputMode}
        onChange={(e) => props.onChange(e.target.value)}
        required
      />
      {props.hint ? <small className="muted">{props.hint}</small> : null}
    </label>
  );
}

/** A form's last line: the refusal, if any, then its one submit button. */
export function FormSubmit(props: { error?: string; busy: boolean; label: string }) {
  return (
    <>
      {props.error ? (
        <p className="error-text" role="alert">
          {props.error}
        </p>
      ) : null}
      <button className="btn primary" type="submit" disabled={props.busy}>
        {props.label}
      </button>
    </>
  );
}

export function AuthCard(props: { title: string; intro?: string; children: ReactNode }) {
  return (
    <main className="auth-page">
      <section className="auth-card" aria-labelledby="auth-title">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            B
          </span>
          <span className="brand-name">Bourse</span>
        </div>
        <h1 id="auth-title">{props.title}</h1>
        {props.intro ? <p className="muted">{props.intro}</p> : null}
        {props.children}
      </section>
    </main>
  );
}

/** Runs a form's action with a busy flag and an error message. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const run = (fn: () => Promise<void>) => async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await fn();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}
