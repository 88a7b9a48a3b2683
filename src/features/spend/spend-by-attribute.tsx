import { useMemo, useState } from 'react';
import { DataTable } from '../../components/data-table';
import { count, usd } from '../../components/format';
import { loadAttributeNames, loadSpendByAttribute, type AttributeGroup } from '../../db/attributes';
import { formatPlain } from '../../domain/money';
import { useAsync } from '../../hooks/use-async';
import { useSession } from '../../hooks/use-session';
import { useAppStore } from '../../state/store';

/** Spend per value of a log attribute (team, api key alias, tag.feature …), under the global filters. */
export function SpendByAttribute() {
  const { session, version } = useSession();
  const filters = useAppStore((s) => s.filters);
  const [chosen, setChosen] = useState('');
  const namesWork = useMemo(() => (session && version >= 0 ? (signal: AbortSignal) => session.read((e) => loadAttributeNames(e, filters), () => !signal.aborted) : null), [session, version, filters]);
  const names = useAsync(namesWork).data ?? [];
  const name = chosen || '';
  const groupsWork = useMemo(
    () => (session && version >= 0 && name ? (signal: AbortSignal) => session.read((e) => loadSpendByAttribute(e, name, filters), () => !signal.aborted) : null),
    [session, version, filters, name],
  );
  const groupsState = useAsync(groupsWork);
  const groups = groupsState.data ?? [];
  if (names.length === 0) {
    return (
      <p className="muted" data-testid="spend-attribute-none">
        The loaded logs carry no attributes (columns beyond the canonical ones, gateway tags or properties) to group by.
      </p>
    );
  }
  return (
    <>
      <h3 id="spend-attribute">Spend by attribute</h3>
      <label>
        Group by{' '}
        <select value={name} onChange={(e) => setChosen(e.target.value)} data-testid="spend-attribute-select">
          <option value="">choose an attribute…</option>
          {names.map((n) => (
            <option key={n.name} value={n.name}>
              {n.name} ({count(n.requests)} requests)
            </option>
          ))}
        </select>
      </label>
      {name && groupsState.status === 'failed' ? (
        <p role="alert" data-testid="spend-attribute-error">
          Could not group by {name}: {groupsState.error}
        </p>
      ) : name && groupsState.status === 'ready' ? (
        <DataTable<AttributeGroup>
          caption={`Spend by ${name}`}
          testId="spend-attribute-table"
          rows={groups}
          rowKey={(r) => r.value ?? '\u0000none'}
          columns={[
            { key: 'value', header: name, value: (r) => r.value ?? '', cell: (r) => r.value ?? <span className="muted">(not set)</span> },
            { key: 'requests', header: 'Requests', value: (r) => r.requests, cell: (r) => count(r.requests), numeric: true },
            { key: 'images', header: 'Images', value: (r) => r.images, cell: (r) => count(r.images), numeric: true },
            { key: 'cost', header: 'Spend (USD)', value: (r) => formatPlain(r.cost), cell: (r) => usd(r.cost), numeric: true },
            { key: 'billed', header: 'Logged cost (USD)', value: (r) => formatPlain(r.billed), cell: (r) => usd(r.billed), numeric: true },
            { key: 'unpriced', header: 'Unpriced', value: (r) => r.unpricedRequests, cell: (r) => (r.unpricedRequests ? count(r.unpricedRequests) : '—'), numeric: true },
          ]}
        />
      ) : name ? (
        <p className="muted" aria-live="polite" data-testid="spend-attribute-loading">
          Grouping by {name}…
        </p>
      ) : null}
    </>
  );
}
