import { useState, type ComponentType } from 'react';
import { ROLE_PERMISSIONS, type Permission } from '../../../../src-shared/contract';
import { TwoFactorNotice } from '../../components/two-factor-notice';
import { useSession } from '../../stores/session';
import { AuditTab } from './audit-tab';
import { FundingTab } from './funding-tab';
import { JobsTab } from './jobs-tab';
import { LedgerTab } from './ledger-tab';
import { MarketsTab } from './markets-tab';
import { OutboxTab, UsersTab } from './users-tab';
import { WithdrawalsTab } from './withdrawals-tab';
import './admin.css';

const TABS: Array<{ id: string; label: string; needs: Permission; Tab: ComponentType }> = [
  { id: 'users', label: 'Users', needs: 'admin.users', Tab: UsersTab },
  { id: 'outbox', label: 'Outbox', needs: 'admin.users', Tab: OutboxTab },
  { id: 'markets', label: 'Markets', needs: 'admin.markets', Tab: MarketsTab },
  { id: 'ledger', label: 'Ledger', needs: 'admin.ledger', Tab: LedgerTab },
  { id: 'withdrawals', label: 'Withdrawals', needs: 'admin.ledger', Tab: WithdrawalsTab },
  { id: 'funding', label: 'Funding', needs: 'admin.markets', Tab: FundingTab },
  { id: 'jobs', label: 'Jobs', needs: 'admin.system', Tab: JobsTab },
  { id: 'audit', label: 'Audit', needs: 'audit.read', Tab: AuditTab },
];

/** The admin panel: only the tabs the signed-in role may use (the server checks anyway). */
export function AdminScreen() {
  const role = useSession((s) => s.user?.role);
  const twoFactorRequired = useSession((s) => s.user?.twoFactorRequired ?? false);
  const allowed = new Set<Permission>(role ? ROLE_PERMISSIONS[role] : []);
  const tabs = TABS.filter((t) => allowed.has(t.needs));
  const [current, setCurrent] = useState(tabs[0]?.id);
  const Tab = tabs.find((t) => t.id === current)?.Tab;
  return (
    <section className="screen" aria-labelledby="screen-title">
      <header className="screen-header">
        <h1 id="screen-title">Admin</h1>
      </header>
      {tabs.length === 0 ? (
        <p className="muted">
          Your role ({role ?? 'none'}) has no administrative permissions. An owner or admin can
          change roles.
        </p>
      ) : twoFactorRequired ? (
        <section className="card">
          <TwoFactorNotice what="Administration" />
        </section>
      ) : (
        <>
          <div className="tabs" role="tablist" aria-label="Admin sections">
            {tabs.map((t) => (
              <button
                key={t.id}
                role="tab"
                aria-selected={t.id === current}
                onClick={() => setCurrent(t.id)}
              >
                {t.label}
              </button>
            ))}
          </div>
          <div role="tabpanel">{Tab ? <Tab /> : null}</div>
        </>
      )}
    </section>
  );
}
