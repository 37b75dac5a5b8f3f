import { useEffect, useState } from 'react';
import { call, messageOf } from '../stores/session';

/**
 * "Add demo funds": tops the user's balances up to the local exchange's demo allowance
 * (`balances.demoTopUp`). New balances arrive on the `balances` stream like any other change.
 */
export function DemoFundsButton(props: {
  /** Offer the button (default true); the last answer stays shown either way. */
  offer?: boolean;
}) {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string }>();
  const [off, setOff] = useState(false);
  // Demo top-ups stop once real money can come in or go out (docs/guide/funding.md): then the
  // button is not offered at all, and a note says why.
  const [realFunding, setRealFunding] = useState<string>();
  useEffect(() => {
    let live = true;
    call('funding.assets', {})
      .then((r) => {
        const on = r.items.find((a) => a.deposits.enabled || a.withdrawals.enabled);
        if (live && on) setRealFunding(on.asset);
      })
      .catch(() => undefined); // the button's own answer will say what is wrong
    return () => {
      live = false;
    };
  }, []);
  const run = async () => {
    setBusy(true);
    setResult(undefined);
    try {
      const out = await call('balances.demoTopUp', {});
      setResult({
        ok: true,
        text:
          out.credited.length === 0
            ? 'Already at the demo allowance.'
            : `Added ${out.credited.map((c) => `${c.amount} ${c.asset}`).join(', ')}.`,
      });
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'demo_funds_disabled') setOff(true);
      setResult({ ok: false, text: messageOf(err) });
    } finally {
      setBusy(false);
    }
  };
  if (realFunding && props.offer !== false) {
    return (
      <p className="muted small" role="note">
        No demo funds here: real {realFunding} deposits and withdrawals are on, so balances stand
        for real money.
      </p>
    );
  }
  const offered = !off && props.offer !== false;
  if (!offered && !result) return null;
  return (
    <div className="demo-funds">
      {!offered ? null : (
        <button type="button" className="btn small" disabled={busy} onClick={() => void run()}>
          {busy ? 'Adding…' : 'Add demo funds'}
        </button>
      )}
      {result ? (
        <p className={`small ${result.ok ? 'ok-text' : 'error-text'}`} role="status">
          {result.text}
        </p>
      ) : null}
    </div>
  );
}
