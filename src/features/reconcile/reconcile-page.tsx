import './reconcile.css';
import { useMemo, useState } from 'react';
import { DataTable } from '../../components/data-table';
import { count, usd, usdUnit } from '../../components/format';
import { StatCard } from '../../components/stat-card';
import { ViewFrame } from '../../components/view-frame';
import { loadAttributeNames } from '../../db/attributes';
import type { Engine } from '../../db/engine';
import { loadReconciliation } from '../../db/reconcile';
import { attributeKeySql, RECONCILE_DIMENSIONS } from '../../db/sql/reconcile';
import { formatPlain, parseUsd } from '../../domain/money';
import { describeCause, likelyCauses, type ReconcileGroup, type Reconciliation } from '../../domain/reconcile';
import { useAsync } from '../../hooks/use-async';
import { useReportFrame } from '../../hooks/use-report-frame';
import { useSession } from '../../hooks/use-session';
import { useViewQuery, type QueryInputs } from '../../hooks/use-view-query';
import { useAppStore } from '../../state/store';
import { filtersForGroup, isTolerance, type GroupDimension } from './reconcile-link';

const DIMENSIONS: { id: Exclude<GroupDimension, 'attribute'>; label: string }[] = [
  { id: 'model', label: 'Model' },
  { id: 'provider', label: 'Provider' },
  { id: 'lane', label: 'Lane' },
  { id: 'image_size', label: 'Size' },
  { id: 'day', label: 'Day' },
];
const LIMIT = 50;

export function ReconcilePage() {
  const tolerance = useAppStore((s) => s.reconcileTolerance);
  const [dimension, setDimension] = useState<GroupDimension>('model');
  const [attribute, setAttribute] = useState('');
  const grouping = dimension === 'attribute' ? (attribute ? { key: attribute, sql: attributeKeySql(attribute) } : null) : { key: dimension, sql: RECONCILE_DIMENSIONS[dimension] };
  const toleranceUsd = isTolerance(tolerance) ? tolerance.trim() : '0.000001';
  const queryKey = JSON.stringify({ toleranceUsd, key: grouping?.key ?? '', sql: grouping?.sql ?? '' });
  const load = useMemo(() => {
    const k = JSON.parse(queryKey) as { toleranceUsd: string; key: string; sql: string };
    return (engine: Engine, { filters }: QueryInputs) =>
      loadReconciliation(engine, { filters, tolerance: parseUsd(k.toleranceUsd), groupBy: k.key ? { [k.key]: k.sql } : {}, limit: LIMIT });
  }, [queryKey]);
  const rec = useViewQuery(load);
  const { frame } = useReportFrame(rec);

  const { session, version } = useSession();
  const filters = useAppStore((s) => s.filters);
  const namesWork = useMemo(() => (session && version >= 0 ? (signal: AbortSignal) => session.read((e) => loadAttributeNames(e, filters), () => !signal.aborted) : null), [session, version, filters]);
  const attributeNames = useAsync(namesWork).data ?? [];

  return (
    <ViewFrame
      id="reconcile"
      title="Reconcile"
      intro="Billed cost as the log carries it (cost_usd, or a gateway's own cost field) against the cost PixelSpend computes from the rate card, over the requests that carry a billed cost: where they differ, by how much, and the likely cause."
      {...frame}
    >
      <div className="explorer-controls">
        <label>
          Tolerance per request (USD){' '}
          <ToleranceInput />
        </label>
        <label>
          Group by{' '}
          <select value={dimension} onChange={(e) => setDimension(e.target.value as GroupDimension)} data-testid="reconcile-group-by">
            {DIMENSIONS.map((d) => (
              <option key={d.id} value={d.id}>
                {d.label}
              </option>
            ))}
            <option value="attribute" disabled={attributeNames.length === 0}>
              Attribute…
            </option>
          </select>
        </label>
        {dimension === 'attribute' ? (
          <label>
            Attribute{' '}
            <select value={attribute} onChange={(e) => setAttribute(e.target.value)} data-testid="reconcile-attribute">
              <option value="">choose an attribute…</option>
              {attributeNames.map((n) => (
                <option key={n.name} value={n.name}>
                  {n.name}
                </option>
              ))}
            </select>
          </label>
        ) : null}
      </div>
      {rec.data ? <ReconcileView rec={rec.data} dimension={dimension} attribute={attribute} /> : null}
    </ViewFrame>
  );
}

/** The tolerance as typed; stored (and applied) only when it is a valid amount. */
function ToleranceInput() {
  const stored = useAppStore((s) => s.reconcileTolerance);
  const setStored = useAppStore((s) => s.setReconcileTolerance);
  const [draft, setDraft] = useState(stored);
  const valid = isTolerance(draft);
  return (
    <>
      <input
        inputMode="decimal"
        value={draft}
        aria-invalid={!valid}
        onChange={(e) => {
          setDraft(e.target.value);
          if (isTolerance(e.target.value)) setStored(e.target.value.trim());
        }}
        data-testid="reconcile-tolerance"
        size={12}
      />
      {valid ? null : <span role="alert"> not an amount in USD (e.g. 0.000001)</span>}
    </>
  );
}

function ReconcileView({ rec, dimension, attribute }: { rec: Reconciliation; dimension: GroupDimension; attribute: string }) {
  if (rec.requestsWithBilledCost === 0) {
    return (
      <p className="muted" data-testid="reconcile-none">
        No request in this selection carries a billed cost: load a log with a <code>cost_usd</code> column (or a gateway export with its
        own cost) to compare it with the computed cost.
      </p>
    );
  }
  const key = rec.groupKeys[0] ?? '';
  const open = (g: ReconcileGroup) => {
    const { filters, replaceFilters, setExplorerPreset, setView } = useAppStore.getState();
    const value = g.key[key] ?? '';
    replaceFilters(filtersForGroup(filters, dimension, value));
    setExplorerPreset({
      sort: [{ id: 'abs_variance', desc: true }],
      attributes: dimension === 'attribute' ? [{ name: attribute, value }] : [],
      label: `Reconcile: ${dimension === 'attribute' ? attribute : dimension} ${value || '(none)'}`,
    });
    setView('explorer');
  };
  return (
    <>
      <div className="stat-grid">
        <StatCard label="Billed" value={usd(rec.billed)} testId="reconcile-billed" hint={`${count(rec.pricedRequests)} priced requests with billed cost`} />
        <StatCard label="Computed" value={usd(rec.computed)} testId="reconcile-computed" hint="the same requests at the rate card's prices" />
        <StatCard
          label="Difference (billed − computed)"
          value={usdUnit(rec.difference)}
          testId="reconcile-difference"
          tone={rec.difference === 0n ? 'good' : 'warn'}
          hint={<span data-exact={formatPlain(rec.difference)} data-testid="reconcile-difference-exact">${formatPlain(rec.difference)} exactly</span>}
        />
        <StatCard
          label="Requests outside tolerance"
          value={rec.requestsOutsideTolerance === null ? '—' : count(rec.requestsOutsideTolerance)}
          testId="reconcile-outside"
          tone={(rec.requestsOutsideTolerance ?? 0) > 0 ? 'warn' : 'good'}
          hint={rec.requestsOutsideTolerance === null ? 'a usage cube holds sums, not single requests: open the log itself for the per-request figures' : `|billed − computed| above $${formatPlain(rec.tolerance)}`}
        />
        <StatCard
          label="Unpriced, with billed cost"
          value={count(rec.unpricedRequests)}
          testId="reconcile-unpriced"
          tone={rec.unpricedRequests > 0 ? 'warn' : 'default'}
          hint={`${usd(rec.unpricedBilled)} billed, not in the figures above: no computed cost to set it against`}
        />
      </div>
      <h3>Variance by {dimension === 'attribute' ? attribute || 'attribute' : DIMENSIONS.find((d) => d.id === dimension)?.label.toLowerCase()}</h3>
      <DataTable<ReconcileGroup>
        caption={`The ${rec.groups.length} groups with the largest |billed − computed| first (at most ${LIMIT})`}
        testId="reconcile-groups"
        rows={dimension === 'attribute' && !attribute ? [] : rec.groups}
        rowKey={(g) => JSON.stringify(g.key)}
        emptyText="Choose an attribute to group by."
        columns={[
          { key: 'group', header: dimension === 'attribute' ? attribute : (DIMENSIONS.find((d) => d.id === dimension)?.label ?? ''), value: (g) => g.key[key] ?? '', cell: (g) => g.key[key] || '(none)' },
          { key: 'requests', header: 'Requests with billed cost', value: (g) => g.requests, cell: (g) => count(g.requests), numeric: true },
          { key: 'billed', header: 'Billed (USD)', value: (g) => formatPlain(g.billed), cell: (g) => usd(g.billed), numeric: true },
          { key: 'computed', header: 'Computed (USD)', value: (g) => formatPlain(g.computed), cell: (g) => usd(g.computed), numeric: true },
          { key: 'difference', header: 'Difference (USD)', value: (g) => formatPlain(g.difference), cell: (g) => usdUnit(g.difference), numeric: true },
          { key: 'outside', header: 'Outside tolerance', value: (g) => g.outsideTolerance, cell: (g) => count(g.outsideTolerance), numeric: true },
          { key: 'unpriced', header: 'Unpriced billed (USD)', value: (g) => formatPlain(g.unpricedBilled), cell: (g) => (g.unpricedRequests ? `${usd(g.unpricedBilled)} (${count(g.unpricedRequests)})` : '—'), numeric: true },
          {
            key: 'causes',
            header: 'Likely causes',
            value: (g) => likelyCauses(g.causes).map((c) => `${describeCause(c)} ×${c.requests}`).join('; '),
            cell: (g) =>
              likelyCauses(g.causes).length === 0 ? (
                <span className="muted">all within tolerance</span>
              ) : (
                <ul className="cause-list">
                  {likelyCauses(g.causes).map((c) => (
                    <li key={`${c.cause}|${c.entry?.priceId ?? ''}`} data-cause={c.cause}>
                      {describeCause(c)}: {count(c.requests)} req., {c.difference === null ? `${usd(c.billed)} billed` : usdUnit(c.difference)}
                    </li>
                  ))}
                </ul>
              ),
          },
          {
            key: 'open',
            header: 'Requests',
            value: () => '',
            cell: (g) => (
              <button type="button" className="link-button" onClick={() => open(g)} data-testid="reconcile-open">
                Open in Explorer
              </button>
            ),
          },
        ]}
      />
    </>
  );
}
