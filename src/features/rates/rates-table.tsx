import { useMemo, useState, type ReactNode } from 'react';
import {
  createColumnHelper,
  createSortedRowModel,
  rowSortingFeature,
  sortFn_alphanumeric,
  sortFn_basic,
  tableFeatures,
  useTable,
  type SortingState,
} from '@tanstack/react-table';
import { formatPlain, toUsdNumber, type Pico } from '../../domain/money';
import type { RateRow } from './rate-rows';
import { ScrollBox } from '../../components/scroll-box';

const features = tableFeatures({
  rowSortingFeature,
  sortedRowModel: createSortedRowModel(),
  sortFns: { alphanumeric: sortFn_alphanumeric, basic: sortFn_basic },
});
const col = createColumnHelper<typeof features, RateRow>();

// Sort keys only: display always uses the exact values.
const sortUsd = (value: Pico | null) => (value === null ? -1 : toUsdNumber(value));
const usdText = (value: Pico | null) => (value === null ? '—' : `$${formatPlain(value)}`);

function Marked(props: { row: RateRow; field: string | null; children: ReactNode }) {
  const isOverridden = props.field !== null && props.row.price.overridden.includes(props.field);
  return (
    <span className={isOverridden ? 'overridden' : undefined} title={isOverridden ? 'manual override' : undefined}>
      {props.children}
    </span>
  );
}

const columns = col.columns([
  col.accessor((r) => r.modelLabel, {
    id: 'model',
    header: 'Model',
    sortFn: 'alphanumeric',
    cell: ({ row }) => (
      <span className="rate-model">
        {row.original.modelLabel}
        <code>{row.original.price.model}</code>
      </span>
    ),
  }),
  col.accessor((r) => r.price.provider, { id: 'provider', header: 'Provider', sortFn: 'alphanumeric' }),
  col.accessor((r) => r.price.lane, { id: 'lane', header: 'Lane', sortFn: 'alphanumeric' }),
  col.accessor((r) => r.size ?? '', { id: 'size', header: 'Size', sortFn: 'alphanumeric', cell: ({ row }) => row.original.size ?? '—' }),
  col.accessor((r) => r.price.from, {
    id: 'effective',
    header: 'Effective',
    sortFn: 'basic',
    cell: ({ row }) => `${row.original.price.fromDate} → ${row.original.price.toDate ?? 'open'}`,
  }),
  col.accessor((r) => r.tokens ?? -1, {
    id: 'tokens',
    header: 'Tokens / image',
    sortFn: 'basic',
    cell: ({ row }) => (row.original.tokens === null ? (row.original.perImageField ? 'flat' : '—') : row.original.tokens.toLocaleString('en-US')),
  }),
  col.accessor((r) => sortUsd(r.outputImagePerM), {
    id: 'outputImage',
    header: 'Image out $/1M',
    sortFn: 'basic',
    cell: ({ row }) => <Marked row={row.original} field="per_million_tokens.output_image">{usdText(row.original.outputImagePerM)}</Marked>,
  }),
  col.accessor((r) => sortUsd(r.inputPerM), {
    id: 'input',
    header: 'Input $/1M',
    sortFn: 'basic',
    cell: ({ row }) => <Marked row={row.original} field="per_million_tokens.input_text">{usdText(row.original.inputPerM)}</Marked>,
  }),
  col.accessor((r) => sortUsd(r.textPerM), {
    id: 'text',
    header: 'Text out $/1M',
    sortFn: 'basic',
    cell: ({ row }) => <Marked row={row.original} field="per_million_tokens.output_text">{usdText(row.original.textPerM)}</Marked>,
  }),
  col.accessor((r) => sortUsd(r.exact), {
    id: 'exact',
    header: '$/image exact',
    sortFn: 'basic',
    cell: ({ row }) => (
      <Marked row={row.original} field={row.original.perImageField ?? (row.original.price.overridden.includes('per_million_tokens.output_image') ? 'per_million_tokens.output_image' : null)}>
        <strong data-testid="rate-exact">{usdText(row.original.exact)}</strong>
      </Marked>
    ),
  }),
  col.accessor((r) => sortUsd(r.listed), {
    id: 'listed',
    header: 'Listed',
    sortFn: 'basic',
    cell: ({ row }) =>
      row.original.listed === null ? '—' : (
        <span title="the publisher's rounded figure">
          {usdText(row.original.listed)} <span className="tag">listed</span>
        </span>
      ),
  }),
  col.accessor((r) => r.price.checked, {
    id: 'source',
    header: 'Source (checked)',
    sortFn: 'alphanumeric',
    cell: ({ row }) => (
      <span className="rate-source" title={[row.original.price.source, row.original.price.note].filter(Boolean).join('\n')}>
        <span className="rate-source__text">{row.original.price.source}</span>
        <span className="muted">
          checked {row.original.price.checked} · {row.original.price.card}
        </span>
      </span>
    ),
  }),
]);

export function RatesTable(props: { rows: RateRow[]; selected: string | null; onEdit: (priceId: string) => void }) {
  const [sorting, setSorting] = useState<SortingState>([]);
  const [query, setQuery] = useState('');
  const data = useMemo(() => {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    return words.length === 0 ? props.rows : props.rows.filter((r) => words.every((w) => r.text.includes(w) || r.size?.toLowerCase() === w));
  }, [props.rows, query]);
  const table = useTable({ features, columns, data, getRowId: (r) => r.key, state: { sorting }, onSortingChange: setSorting });

  return (
    <div className="rates-table">
      <div className="toolbar">
        <label>
          Filter <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="model, provider, lane, source…" data-testid="rates-filter" />
        </label>
        <span className="muted" data-testid="rates-count">
          {data.length} of {props.rows.length} rows
        </span>
      </div>
      <ScrollBox label="Active rate card">
        <table className="table" data-testid="rates-table">
          <caption>Active rate card: one row per price entry and image size. Exact $/image = tokens × rate, or the flat per-image price.</caption>
          <thead>
            {table.getHeaderGroups().map((hg) => (
              <tr key={hg.id}>
                <th scope="col">
                  <span className="sr-only">Edit</span>
                </th>
                {hg.headers.map((h) => {
                  const sorted = h.column.getIsSorted();
                  return (
                    <th key={h.id} scope="col" aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}>
                      <button type="button" className="th-sort" onClick={h.column.getToggleSortingHandler()}>
                        <table.FlexRender header={h} />
                        {sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}
                      </button>
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {table.getRowModel().rows.map((row) => {
              const price = row.original.price;
              const isOverridden = price.overridden.length > 0;
              return (
                <tr
                  key={row.id}
                  data-testid="rate-row"
                  data-price-id={price.id}
                  data-size={row.original.size ?? ''}
                  data-overridden={isOverridden ? 'true' : 'false'}
                  className={props.selected === price.id ? 'row--selected' : undefined}
                >
                  <td className="rate-actions">
                    <button type="button" className="link-button" onClick={() => props.onEdit(price.id)} data-testid="edit-price" aria-label={`Edit ${price.model} ${price.provider} ${price.lane} from ${price.fromDate}`}>
                      Edit
                    </button>
                    {isOverridden ? (
                      <span className="tag tag--override" data-testid="override-marker" title={`overridden: ${price.overridden.join(', ')}`}>
                        override
                      </span>
                    ) : null}
                  </td>
                  {row.getAllCells().map((cell) => (
                    <td key={cell.id} data-col={cell.column.id} className={['model', 'provider', 'lane', 'size', 'effective', 'source'].includes(cell.column.id) ? undefined : 'num'}>
                      <table.FlexRender cell={cell} />
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </ScrollBox>
    </div>
  );
}
