import { saveFile } from '../../client/download';
import { useCallback, useState } from 'react';
import {
  AUDIT_ACTIONS,
  AUDIT_ACTION_NAMES,
  isAuditAction,
  type AuditAction,
  type AuditEvent,
} from '../../../../src-shared/contract';
import { Outcome } from '../../components/outcome';
import { call, messageOf } from '../../stores/session';
import { auditCsv } from './audit-csv';
import { usePages } from './hooks';

interface Filters {
  action?: AuditAction;
  actor?: { id: string; label: string };
  target?: { id: string; label: string };
  /** `datetime-local` value; events before it. */
  until?: string;
}

const PAGE = 50;
/** An export reads at most this many events (200 per request); narrower filters get the rest. */
const EXPORT_MAX = 10_000;

/** Actions grouped by their first word (session, user, ledger…), for the filter menu. */
const GROUPS = AUDIT_ACTION_NAMES.reduce<Record<string, AuditAction[]>>((groups, action) => {
  const group = action.split('.')[0] ?? action;
  (groups[group] ??= []).push(action);
  return groups;
}, {});

const labelOf = (action: string) => (isAuditAction(action) ? AUDIT_ACTIONS[action] : action);

function show(value: unknown): string {
  if (value !== null && typeof value === 'object' && 'from' in value && 'to' in value) {
    const { from, to } = value as { from: unknown; to: unknown };
    return `${show(from)} → ${show(to)}`;
  }
  if (Array.isArray(value)) return value.map(show).join(', ') || '—';
  if (value === null || value === undefined) return '—';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** A filter that is on, as a button that turns it off. */
function FilterChip(props: { text: string; title: string; onClear: () => void }) {
  return (
    <button className="btn small audit-chip" onClick={props.onClear} title={props.title}>
      {props.text} ✕
    </button>
  );
}

type ChangeFilters = (next: Filters | ((f: Filters) => Filters)) => void;

/** One event: who (click: only theirs), what, on what (click: only that), details, request. */
function AuditRow({ e, narrow }: { e: AuditEvent; narrow: ChangeFilters }) {
  const who = e.actorEmail ?? e.actor;
  const on = e.targetEmail ?? e.target;
  return (
    <tr>
      <td className="nowrap">{new Date(e.ts).toLocaleString()}</td>
      <td>
        <button
          className="btn-link"
          title="Only this person's actions"
          onClick={() => narrow((f) => ({ ...f, actor: { id: e.actor, label: who } }))}
        >
          {who}
        </button>
      </td>
      <td>
        {labelOf(e.action)}
        <div className="muted small mono">{e.action}</div>
      </td>
      <td>
        {e.target && on ? (
          <button
            className="btn-link"
            title="Only actions on this"
            onClick={() => narrow((f) => ({ ...f, target: { id: e.target ?? '', label: on } }))}
          >
            {on}
          </button>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td className="small audit-details">
        {Object.entries(e.details).map(([key, value]) => (
          <div key={key}>
            <span className="muted">{key}</span> {show(value)}
          </div>
        ))}
      </td>
      <td className="mono small" title={e.correlationId ?? undefined}>
        {e.correlationId ? e.correlationId.slice(0, 8) : '—'}
      </td>
    </tr>
  );
}

/** Action and time filters, and the person or target picked from the list as chips. */
function AuditFilters(props: { filters: Filters; change: ChangeFilters; narrowed: boolean }) {
  const { filters, narrowed } = props;
  const changeFilters = props.change;
  return (
    <div className="row wrap" role="group" aria-label="Audit filters">
      <label className="field">
        <span>Action</span>
        <select
          value={filters.action ?? ''}
          onChange={(e) =>
            changeFilters((f) => ({
              ...f,
              action: isAuditAction(e.target.value) ? e.target.value : undefined,
            }))
          }
        >
          <option value="">All actions</option>
          {Object.entries(GROUPS).map(([group, actions]) => (
            <optgroup key={group} label={group}>
              {actions.map((a) => (
                <option key={a} value={a}>
                  {AUDIT_ACTIONS[a]}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Before</span>
        <input
          type="datetime-local"
          value={filters.until ?? ''}
          onChange={(e) => changeFilters((f) => ({ ...f, until: e.target.value || undefined }))}
        />
      </label>
      {filters.actor ? (
        <FilterChip
          text={`by ${filters.actor.label}`}
          title="Show everyone's actions"
          onClear={() => changeFilters((f) => ({ ...f, actor: undefined }))}
        />
      ) : null}
      {filters.target ? (
        <FilterChip
          text={`on ${filters.target.label}`}
          title="Show actions on anything"
          onClear={() => changeFilters((f) => ({ ...f, target: undefined }))}
        />
      ) : null}
      {narrowed ? (
        <button className="btn-link audit-clear" onClick={() => changeFilters({})}>
          Clear filters
        </button>
      ) : null}
    </div>
  );
}

/**
 * The audit trail, newest first: who did what to what, with the request id that leads to the
 * log lines. Clicking a person or a target narrows the list to it; older events load in pages.
 */
export function AuditTab() {
  const [filters, setFilters] = useState<Filters>({});
  const [exporting, setExporting] = useState(false);

  const fetchPage = useCallback(
    async (after?: string, limit = PAGE) => {
      const until = filters.until ? new Date(filters.until).getTime() : undefined;
      return call('admin.audit.list', {
        limit,
        ...(filters.action ? { action: filters.action } : {}),
        ...(filters.actor ? { actor: filters.actor.id } : {}),
        ...(filters.target ? { target: filters.target.id } : {}),
        ...(until !== undefined && Number.isFinite(until) ? { until } : {}),
        ...(after ? { cursor: after } : {}),
      });
    },
    [filters],
  );

  const pages = usePages(fetchPage);
  const { reload, cursor } = pages;
  const events = pages.items;
  const [exportError, setExportError] = useState<string>();
  const error = pages.error ?? exportError;
  const loading = pages.loading || exporting;

  const [exported, setExported] = useState<string>();
  // A new filter is a new question: the last export's message no longer describes it.
  const changeFilters = (next: Filters | ((f: Filters) => Filters)) => {
    setExported(undefined);
    setFilters(next);
  };
  /** Every event the filters match (up to EXPORT_MAX), downloaded as CSV. */
  const exportCsv = async () => {
    setExporting(true);
    try {
      const all: AuditEvent[] = [];
      let after: string | undefined;
      do {
        const page = await fetchPage(after, 200);
        all.push(...page.items);
        after = page.nextCursor;
      } while (after && all.length < EXPORT_MAX);
      const rows = all.slice(0, EXPORT_MAX);
      const stamp = new Date().toISOString().slice(0, 16).replace(/[-:T]/g, '');
      saveFile(`bourse-audit-${stamp}.csv`, auditCsv(rows), 'text/csv');
      setExported(
        after || all.length > EXPORT_MAX
          ? `Exported the newest ${rows.length.toLocaleString()} events; narrow the filters or set "Before" for older ones.`
          : `Exported ${rows.length.toLocaleString()} event${rows.length === 1 ? '' : 's'}.`,
      );
      setExportError(undefined);
    } catch (err) {
      setExportError(messageOf(err));
    } finally {
      setExporting(false);
    }
  };

  const narrowed = filters.action || filters.actor || filters.target || filters.until;
  return (
    <div className="stack">
      <article className="card wide">
        <div className="row between">
          <h2>Audit trail</h2>
          <div className="row audit-actions">
            <button className="btn small" onClick={() => void exportCsv()} disabled={loading}>
              Export CSV
            </button>
            <button className="btn small" onClick={() => void reload()} disabled={loading}>
              Refresh
            </button>
          </div>
        </div>
        <p className="muted small">
          Sign-ins, sessions, 2FA, API keys, roles and bans, trading accounts and webhook tokens,
          automation risk settings and emergency stops, assets and markets, ledger funding,
          corrections and reconciliations, simulator and job controls. Append-only: nothing here can
          be edited or deleted.
        </p>
        <AuditFilters filters={filters} change={changeFilters} narrowed={Boolean(narrowed)} />
        <Outcome error={error} notice={exported} />
        <table className="table audit-table" aria-label="Audit events">
          <thead>
            <tr>
              <th>Time</th>
              <th>Who</th>
              <th>Action</th>
              <th>On</th>
              <th>Details</th>
              <th>Request</th>
            </tr>
          </thead>
          <tbody>
            {events && events.length === 0 ? (
              <tr>
                <td colSpan={6} className="muted">
                  {narrowed ? 'No events match these filters.' : 'No events yet.'}
                </td>
              </tr>
            ) : null}
            {(events ?? []).map((e) => (
              <AuditRow key={e.id} e={e} narrow={changeFilters} />
            ))}
          </tbody>
        </table>
        {cursor ? (
          <button className="btn small" onClick={() => void pages.loadMore()} disabled={loading}>
            Load older events
          </button>
        ) : events && events.length > 0 ? (
          <p className="muted small">Beginning of the trail{narrowed ? ' (filtered)' : ''}.</p>
        ) : null}
      </article>
    </div>
  );
}
