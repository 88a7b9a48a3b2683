import { useCallback, useState, type DragEvent } from 'react';
import { DataTable } from '../../components/data-table';
import { ExportCsvButton } from '../../components/export-csv-button';
import { count } from '../../components/format';
import { StatCard } from '../../components/stat-card';
import { StatusBanner } from '../../components/status-banner';
import { ViewFrame } from '../../components/view-frame';
import { compareBill, loadBill } from '../../db/bill';
import { BUNDLED_SKU_MAP } from '../../db/bill-skus';
import type { Engine } from '../../db/engine';
import { exportFocus } from '../../db/focus';
import { NotABillError, readBill, type Bill, type BillComparison, type BillComparisonRow, type BillUnmapped } from '../../domain/bill';
import { FOCUS_COLUMNS, FOCUS_GRAINS, type FocusGrain } from '../../domain/focus';
import { formatPlain, ZERO, type Pico } from '../../domain/money';
import { useSession } from '../../hooks/use-session';
import { useViewQuery } from '../../hooks/use-view-query';
import { difference, money } from './bill-money';

/*
 * The bill chosen in this tab. It is not a filter or a scenario (nothing else reads it and it
 * does not travel in links), so it lives with this view rather than in the store; the engine
 * re-reads it into `bill_lines` on every comparison, so a log or rate change is reflected.
 */
let chosen: { bill: Bill; token: number } | null = null;

const compare = (engine: Engine): Promise<BillComparison | null> =>
  chosen ? loadBill(engine, chosen.bill, BUNDLED_SKU_MAP).then(() => compareBill(engine, chosen!.bill, BUNDLED_SKU_MAP)) : Promise.resolve(null);

const METER_LABELS: Record<string, string> = {
  image_output_tokens: 'image output tokens',
  input_tokens: 'input tokens',
  text_output_tokens: 'text output tokens',
  grounding: 'grounding',
  request: 'per request',
};

const exact = (v: Pico | null) => (v === null ? null : formatPlain(v));

export function BillPage() {
  const [token, setToken] = useState(chosen?.token ?? 0);
  const [error, setError] = useState<string>();
  const comparison = useViewQuery(compare, token);
  const choose = useCallback(async (file: File | undefined) => {
    if (!file) return;
    setError(undefined);
    try {
      chosen = { bill: readBill(file.name, await file.text()), token: (chosen?.token ?? 0) + 1 };
      setToken(chosen.token);
    } catch (e) {
      setError(e instanceof NotABillError ? e.message : `${file.name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }, []);
  const drop = (e: DragEvent) => {
    // Prevented, so the page-wide drop (which loads request logs) leaves this file to the Bill view.
    e.preventDefault();
    void choose(e.dataTransfer.files[0]);
  };
  const c = comparison.data ?? null;
  return (
    <ViewFrame
      id="bill"
      title="Bill"
      intro="Set the provider's bill against the logs: a Google Cloud Billing export (CSV or JSON) or a FOCUS CSV, per day, model and meter. The file stays in this browser."
      status={comparison.status}
      hasData={comparison.data !== undefined}
      error={comparison.error}
    >
      <div className="bill-drop" data-testid="bill-drop" onDragOver={(e) => e.preventDefault()} onDrop={drop}>
        <label>
          Bill file (Cloud Billing export CSV / JSON / NDJSON, or FOCUS CSV){' '}
          <input type="file" accept=".csv,.json,.jsonl,.ndjson,text/csv,application/json" data-testid="bill-file-input" onChange={(e) => void choose(e.target.files?.[0])} />
        </label>
        <span className="muted"> or drop it here.</span>
      </div>
      {error ? (
        <StatusBanner tone="error" testId="bill-error">
          {error}
        </StatusBanner>
      ) : null}
      {c ? <BillView c={c} /> : <p className="muted" data-testid="bill-empty">No bill loaded.</p>}
      <FocusExport />
    </ViewFrame>
  );
}

function BillView({ c }: { c: BillComparison }) {
  const usd = c.currencies.find((t) => t.currency === 'USD');
  const others = c.currencies.filter((t) => t.currency !== 'USD');
  const gap = usd ? ((usd.cost - c.logCost) as Pico) : null;
  return (
    <>
      <p data-testid="bill-summary">
        {c.file} ({c.format}): {count(c.rowsRead)} rows, {c.from ?? '–'} to {c.to ?? '–'}, set against the logs of {c.providers.join(' and ')} on those days.
      </p>
      <div className="stat-grid">
        <StatCard label="Bill cost (USD)" value={money(usd?.cost ?? ZERO, 'USD')} testId="bill-cost" hint="before credits" />
        <StatCard label="Credits (USD)" value={money(usd?.credits ?? ZERO, 'USD')} testId="bill-credits" />
        <StatCard label="Net (USD)" value={money(usd?.net ?? ZERO, 'USD')} testId="bill-net" />
        <StatCard label="Logs, computed" value={money(c.logCost, 'USD')} testId="bill-log-cost" hint={`${count(c.logRequests)} requests${c.logUnpricedRequests > 0 ? `, ${count(c.logUnpricedRequests)} unpriced` : ''}`} />
        <StatCard label="Bill − logs" value={difference(gap)} testId="bill-difference" tone={gap !== null && gap !== ZERO ? 'warn' : 'good'} />
      </div>
      {others.length > 0 ? (
        <StatusBanner tone="warn" testId="bill-other-currencies">
          Also billed in {others.map((t) => `${t.currency}: ${money(t.cost, t.currency)} (credits ${money(t.credits, t.currency)})`).join('; ')}. Not converted, and
          not in the USD figures.
        </StatusBanner>
      ) : null}
      {c.problems.length > 0 ? (
        <StatusBanner tone="error" testId="bill-problems">
          {c.problems.length} bill row{c.problems.length === 1 ? '' : 's'} could not be read and {c.problems.length === 1 ? 'is' : 'are'} not in any figure:
          <ul>
            {c.problems.slice(0, 20).map((p) => (
              <li key={`${p.row}|${p.column}`}>
                {p.file} row {p.row}
                {p.column ? `, column ${p.column}` : ''}: {p.message}
              </li>
            ))}
          </ul>
          {c.problems.length > 20 ? `… and ${c.problems.length - 20} more.` : null}
        </StatusBanner>
      ) : null}
      <DataTable<BillComparisonRow>
        caption="Bill vs logs per day, model and meter (largest difference first)"
        testId="bill-table"
        rows={c.rows}
        rowKey={(r) => `${r.day}|${r.model}|${r.meter}|${r.currency}`}
        columns={[
          { key: 'day', header: 'Day', value: (r) => r.day },
          { key: 'model', header: 'Model', value: (r) => r.model },
          { key: 'meter', header: 'Meter', value: (r) => r.meter, cell: (r) => METER_LABELS[r.meter] ?? r.meter },
          { key: 'currency', header: 'Currency', value: (r) => r.currency },
          { key: 'bill-cost', header: 'Bill cost', value: (r) => exact(r.billCost), cell: (r) => money(r.billCost, r.currency), numeric: true },
          { key: 'credits', header: 'Credits', value: (r) => exact(r.billCredits), cell: (r) => money(r.billCredits, r.currency), numeric: true },
          { key: 'bill-usage', header: 'Bill usage', value: (r) => r.billUsage, cell: (r) => (r.billUsage === null ? '–' : count(r.billUsage)), numeric: true },
          { key: 'log-cost', header: 'Logs cost (USD)', value: (r) => exact(r.logCost), cell: (r) => money(r.logCost, 'USD'), numeric: true },
          { key: 'log-usage', header: 'Logs usage', value: (r) => r.logUsage, cell: (r) => (r.logUsage === null ? '–' : count(r.logUsage)), numeric: true },
          { key: 'difference', header: 'Bill − logs (USD)', value: (r) => exact(r.difference), cell: (r) => difference(r.difference), numeric: true },
        ]}
      />
      <DataTable<BillUnmapped>
        caption="Bill lines not mapped to a model and meter"
        testId="bill-unmapped-table"
        rows={c.unmapped}
        emptyText="Every bill line maps to a model and meter."
        rowKey={(u) => `${u.skuId}|${u.sku}|${u.currency}`}
        columns={[
          { key: 'service', header: 'Service', value: (u) => u.service },
          { key: 'sku', header: 'SKU', value: (u) => u.sku },
          { key: 'sku-id', header: 'SKU id', value: (u) => u.skuId },
          { key: 'lines', header: 'Lines', value: (u) => u.lines, numeric: true },
          { key: 'cost', header: 'Cost', value: (u) => formatPlain(u.cost), cell: (u) => money(u.cost, u.currency), numeric: true },
          { key: 'currency', header: 'Currency', value: (u) => u.currency },
        ]}
      />
    </>
  );
}

function FocusExport() {
  const { session } = useSession();
  const [grain, setGrain] = useState<FocusGrain>('request');
  const [note, setNote] = useState<string>();
  const rows = async () => {
    if (!session) return [];
    const focus = await session.read((engine) => exportFocus(engine, grain));
    setNote(focus.unpricedRequests > 0 ? `${count(focus.unpricedRequests)} unpriced requests left out: FOCUS costs cannot be empty.` : undefined);
    return focus.cells;
  };
  return (
    <section className="bill-focus" aria-labelledby="bill-focus-title">
      <h3 id="bill-focus-title">FOCUS export</h3>
      <p className="muted">The whole priced log as a FOCUS 1.2 cost and usage file: billed cost where the log carries it, else computed.</p>
      <label>
        Rows{' '}
        <select value={grain} onChange={(e) => setGrain(e.target.value as FocusGrain)} data-testid="focus-grain">
          {FOCUS_GRAINS.map((g) => (
            <option key={g} value={g}>
              {g === 'request' ? 'one per request' : 'per day × model × provider × lane × size'}
            </option>
          ))}
        </select>
      </label>{' '}
      <ExportCsvButton fileName={`pixelspend-focus-${grain}.csv`} header={FOCUS_COLUMNS} rows={rows} testId="focus-export" label="Download FOCUS CSV" />
      {note ? <p className="muted" data-testid="focus-note">{note}</p> : null}
    </section>
  );
}
