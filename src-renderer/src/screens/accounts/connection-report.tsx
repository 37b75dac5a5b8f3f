import { useEffect } from 'react';
import { useAccounts } from '../../stores/accounts';
import { useBrokers, type ConnectionReport } from '../../stores/brokers';
import { CopyButton } from '../automation/copy-button';
import { skewText, when } from './format';

/** Clock skew the broker may refuse signed requests for (most allow a few seconds). */
const SKEW_WARN_MS = 1000;

const yesNo = (v: boolean | null, unknown: string) => (v === null ? unknown : v ? 'yes' : 'no');

/** What a connection test found: the broker's account, the key's permissions, the clock. */
export function ConnectionReportView({
  report,
  label,
}: {
  report: ConnectionReport;
  label: string;
}) {
  const { account, permissions, skewMs, serverTime, notes } = report;
  return (
    <section className="broker-report" aria-label={label}>
      <dl className="broker-facts">
        <div>
          <dt>Broker account</dt>
          <dd>
            {account.name} <span className="mono muted">({account.id})</span>
            {account.currency ? ` · ${account.currency}` : ''}
          </dd>
        </div>
        <div>
          <dt>Read</dt>
          <dd className={permissions.read ? 'gain' : 'loss'}>{yesNo(permissions.read, '—')}</dd>
        </div>
        <div>
          <dt>Trade</dt>
          <dd className={permissions.trade ? 'gain' : 'loss'}>{yesNo(permissions.trade, '—')}</dd>
        </div>
        <div>
          <dt>Withdraw</dt>
          <dd className={permissions.withdraw ? 'loss' : ''}>
            {yesNo(permissions.withdraw, 'not over this API')}
          </dd>
        </div>
        <div>
          <dt>Broker clock</dt>
          <dd className={Math.abs(skewMs) > SKEW_WARN_MS ? 'loss' : ''}>
            {skewText(skewMs)} <span className="muted small">({when(serverTime)})</span>
          </dd>
        </div>
      </dl>
      {!permissions.trade ? (
        <p className="error-text small">
          This key cannot trade: alerts to this account will be refused by the broker.
        </p>
      ) : null}
      {Math.abs(skewMs) > SKEW_WARN_MS ? (
        <p className="error-text small">
          Your computer&apos;s clock differs from the broker&apos;s by {skewText(skewMs)}; signed
          requests may be refused. Turn on automatic time in your system settings.
        </p>
      ) : null}
      {notes.length > 0 ? (
        <ul className="broker-notes small">
          {notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

/** The MetaTrader bridge: the token once, the URL to allow, and how to install the EA. */
function BridgeSetup({ accountId, token }: { accountId: string; token: string }) {
  const state = useBrokers((s) => s.states[accountId]);
  const loadState = useBrokers((s) => s.loadState);
  useEffect(() => {
    void loadState(accountId);
  }, [accountId, loadState]);
  const allowUrl = state?.bridge?.allowUrl;
  return (
    <section className="broker-bridge" aria-label="MetaTrader bridge setup">
      <h3>Connect MetaTrader</h3>
      <div className="broker-secret">
        <div>
          <div className="small muted">
            Bridge token — shown once: Bourse keeps only a hash. Paste it into the EA&apos;s
            &ldquo;Token&rdquo; input.
          </div>
          <div className="mono accounts-url" aria-label="Bridge token">
            {token}
          </div>
        </div>
        <CopyButton text={token} label="Copy token" />
      </div>
      <ol className="broker-steps">
        <li>
          In MetaTrader, open <strong>File → Open Data Folder</strong> and copy the Bourse bridge EA
          into <span className="mono">MQL5/Experts</span> (
          <span className="mono">MQL4/Experts</span> for MetaTrader 4), then refresh the Navigator.
        </li>
        <li>
          <strong>Tools → Options → Expert Advisors</strong>: tick &ldquo;Allow WebRequest for
          listed URL&rdquo; and add{' '}
          {allowUrl ? (
            <>
              <span className="mono" aria-label="URL to allow">
                {allowUrl}
              </span>{' '}
              <CopyButton text={allowUrl} label="Copy URL" />
            </>
          ) : (
            <span className="muted">the bridge URL (loading…)</span>
          )}
          .
        </li>
        <li>
          Drag the EA onto any chart, paste the token above into its inputs, and turn on{' '}
          <strong>Algo Trading</strong>.
        </li>
        <li>
          This account shows <strong>connected</strong> when the EA&apos;s first heartbeat arrives.
          The details, and what was checked only against documentation, are in{' '}
          <span className="mono">docs/brokers/metatrader.md</span>.
        </li>
      </ol>
    </section>
  );
}

/**
 * After creating a broker account: what the connection test found or, for the MetaTrader
 * bridge (nothing to test until the EA calls in), the bridge setup and whether the EA is
 * online yet, live from the account's state.
 */
export function FreshConnectionBanner() {
  const fresh = useAccounts((s) => s.freshConnection);
  const dismiss = useAccounts((s) => s.dismissConnection);
  const eaOnline = useBrokers((s) =>
    fresh ? s.states[fresh.accountId]?.bridge?.online === true : false,
  );
  if (!fresh) return null;
  const status = fresh.bridgeToken ? (eaOnline ? 'EA online' : 'waiting for the EA') : 'connected';
  return (
    <div className="card broker-fresh" role="region" aria-label="Connection report">
      <div className="broker-fresh-head">
        <h2>
          {fresh.accountName}: {status}
        </h2>
        <button className="btn small" type="button" onClick={dismiss}>
          Done
        </button>
      </div>
      {fresh.report && !fresh.bridgeToken ? (
        <ConnectionReportView
          report={fresh.report}
          label={`Connection test of ${fresh.accountName}`}
        />
      ) : null}
      {fresh.bridgeToken ? (
        <BridgeSetup accountId={fresh.accountId} token={fresh.bridgeToken} />
      ) : null}
    </div>
  );
}
