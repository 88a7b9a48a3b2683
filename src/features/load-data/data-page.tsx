import { useCallback, useMemo, useRef, useState } from 'react';
import { count } from '../../components/format';
import { SimpleTable, type SimpleColumn } from '../../components/simple-table';
import { StatCard } from '../../components/stat-card';
import { StatusBanner } from '../../components/status-banner';
import type { FileDiagnostics, RejectedRow } from '../../db/ingest/ingest';
import { loadRejectedRows, loadUnpricedByReason, type UnpricedGroup } from '../../db/load-diagnostics';
import { toCsv } from '../../domain/csv';
import { UNPRICED_LABELS, type UnpricedReason } from '../../domain/pricing';
import { useAsync } from '../../hooks/use-async';
import { useSession } from '../../hooks/use-session';
import { DefaultTimePrompt, LargeLogPrompt, MappingStep, SummariseCommand } from './ask-steps';
import { rejectsPreview } from './rejects-preview';
import { cancelLoad, declineLoad, startLoad, startSampleLoad, useLoadMode, useLoadState } from './load-controller';
import './load-data.css';

const ACCEPT = '.csv,.tsv,.tab,.txt,.json,.jsonl,.ndjson,.parquet,.gz,text/csv,application/json,application/gzip';

const REJECT_COLUMNS: readonly SimpleColumn<RejectedRow>[] = [
  { key: 'row', header: 'Row', cell: (r) => r.row, numeric: true },
  { key: 'column', header: 'Column', cell: (r) => r.column ?? '(whole line)' },
  { key: 'value', header: 'Value', cell: (r) => (r.value === null ? <span className="muted">empty</span> : <code>{r.value.length > 80 ? `${r.value.slice(0, 80)}…` : r.value}</code>) },
  { key: 'reason', header: 'Reason', cell: (r) => r.reason },
];

const PREVIEW = 10;

export function DataPage() {
  const { session, version } = useSession();
  const load = useLoadState();
  const [mode, setMode] = useLoadMode();
  const input = useRef<HTMLInputElement>(null);
  const files = useMemo(() => (session && version >= 0 ? session.files : []), [session, version]);
  const unpricedWork = useMemo(() => (session && version >= 0 ? (signal: AbortSignal) => session.read(loadUnpricedByReason, () => !signal.aborted) : null), [session, version]);
  const unpriced = useAsync(unpricedWork);

  const choose = (list: FileList | null) => {
    if (!session || !list || list.length === 0) return;
    void startLoad(session, [...list], mode);
    if (input.current) input.current.value = '';
  };

  return (
    <section className="view data-view" aria-labelledby="data-title" data-testid="view-data">
      <div className="view__head">
        <h2 id="data-title">Data</h2>
      </div>
      <p className="muted view__intro">
        Load request logs: CSV or TSV, JSON Lines, a JSON array, Parquet (gzip too); Gemini API and Vertex AI responses,
        Gemini Batch and Vertex batch output; LiteLLM, OpenRouter, Langfuse and Helicone exports. Everything is read here, in your browser. Drop files anywhere on the page or choose them below.
      </p>

      <div className="load-controls">
        <label className="file-pick">
          <span>Choose log files…</span>
          <input ref={input} type="file" multiple accept={ACCEPT} data-testid="file-input" disabled={!session} onChange={(e) => choose(e.target.files)} />
        </label>
        <fieldset className="load-mode">
          <legend>When loading</legend>
          <label>
            <input type="radio" name="load-mode" checked={mode === 'replace'} onChange={() => setMode('replace')} data-testid="mode-replace" /> replace the data
          </label>
          <label>
            <input type="radio" name="load-mode" checked={mode === 'append'} onChange={() => setMode('append')} data-testid="mode-append" /> add to the data
          </label>
        </fieldset>
        <button type="button" disabled={!session} data-testid="use-sample" onClick={() => session && void startSampleLoad(session)}>
          Use the sample data
        </button>
      </div>

      {load.phase === 'loading' ? (
        <div className="load-progress" role="status" data-testid="load-progress">
          <div>
            {load.stage}
            {load.fraction === null ? '' : ` · ${Math.round(load.fraction * 100)}%`}
          </div>
          <progress max={1} value={load.fraction ?? undefined} aria-label="Loading progress" />
          <button type="button" onClick={cancelLoad} data-testid="load-cancel">
            Cancel
          </button>
        </div>
      ) : null}
      {load.phase === 'failed' ? (
        <StatusBanner tone="error" testId="load-error">
          {load.message} {load.cleared ? 'Nothing is loaded now.' : 'The data loaded before is unchanged.'}
          {load.tooLarge ? (
            <>
              {' '}A log this large is summarised where it lies by the command-line report (native DuckDB, any size), and the
              summary opens here in its place:
              <SummariseCommand file={load.tooLarge.file} testId="load-error-command" />
            </>
          ) : null}
        </StatusBanner>
      ) : null}
      {load.phase === 'needs-time' ? <DefaultTimePrompt key={load.file} state={load} /> : null}
      {load.phase === 'needs-mapping' ? <MappingStep key={load.file} state={load} /> : null}
      {load.phase === 'too-large' ? <LargeLogPrompt key={load.file} state={load} onDecline={declineLoad} /> : null}
      {load.phase === 'cancelled' ? (
        <StatusBanner tone="warn" testId="load-cancelled">
          Loading was cancelled; the data loaded before is unchanged.
        </StatusBanner>
      ) : null}

      {files.length === 0 ? (
        <div className="empty-state" data-testid="data-empty">
          <h3>No request log loaded yet</h3>
          <p>
            Choose or drop a log with at least a <code>timestamp</code> and a <code>model</code> column (see docs/log-format.md
            for every column and its synonyms), or start with the bundled sample of 50,000 requests.
          </p>
        </div>
      ) : (
        <>
          <Totals files={files} />
          {files.map((f, i) => (
            <FileCard key={`${f.file}-${i}`} diagnostics={f} index={i} download={(file) => session!.read((engine) => loadRejectedRows(engine, file))} />
          ))}
          {/* Until the loaded log's own answer comes, the last log's would say something false about this one. */}
          {unpriced.status === 'ready' ? (
            <UnpricedByReason groups={unpriced.data ?? []} />
          ) : unpriced.status === 'failed' ? (
            <p className="banner banner--error" role="alert" data-testid="unpriced-failed">The unpriced requests could not be listed: {unpriced.error}</p>
          ) : (
            <p className="muted" data-testid="unpriced-loading">Finding the requests the rate card does not price…</p>
          )}
        </>
      )}
    </section>
  );
}

function Totals({ files }: { files: readonly FileDiagnostics[] }) {
  const sum = (f: (d: FileDiagnostics) => number) => files.reduce((s, d) => s + f(d), 0);
  return (
    <div className="stat-grid">
      <StatCard label="Files loaded" value={count(files.length)} testId="data-files" />
      <StatCard label="Rows read" value={count(sum((d) => d.rowsRead))} testId="data-rows-read" />
      <StatCard label="Rows accepted" value={count(sum((d) => d.rowsAccepted))} testId="data-rows-accepted" tone="good" />
      <StatCard label="Rows rejected" value={count(sum((d) => d.rowsRejected))} testId="data-rows-rejected" tone={sum((d) => d.rowsRejected) > 0 ? 'warn' : 'default'} />
    </div>
  );
}

function FileCard(props: { diagnostics: FileDiagnostics; index: number; download: (file: string) => Promise<RejectedRow[]> }) {
  const d = props.diagnostics;
  const [downloading, setDownloading] = useState(false);
  const download = useCallback(async () => {
    setDownloading(true);
    try {
      const rows = await props.download(d.file);
      const csv = toCsv(['file', 'row', 'column', 'value', 'reason'], rows.map((r) => [r.file, r.row, r.column, r.value, r.reason]));
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = `${d.file.replace(/\.[^.]+$/, '')}-rejected-rows.csv`;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } finally {
      setDownloading(false);
    }
  }, [d.file, props]);
  const mapping = Object.entries(d.mappedColumns);
  const preview = rejectsPreview(d.rejects, d.rowsRejected, PREVIEW);
  return (
    <article className="diag-card" data-testid={`file-diagnostics-${props.index}`} data-file={d.file}>
      <h3>
        {d.file} <span className="tag">{d.format}</span>
      </h3>
      <p className="diag-counts">
        <span data-testid="diag-rows-read">{count(d.rowsRead)}</span> rows read ={' '}
        <span data-testid="diag-rows-accepted">{count(d.rowsAccepted)}</span> accepted +{' '}
        <span data-testid="diag-rows-rejected">{count(d.rowsRejected)}</span> rejected
      </p>
      {d.rowsRejected > 0 ? (
        <>
          <SimpleTable
            rows={preview.problems}
            columns={REJECT_COLUMNS}
            caption={preview.caption}
            testId="rejects-table"
            rowKey={(r) => `${r.row}-${r.column ?? ''}`}
          />
          <button type="button" onClick={() => void download()} disabled={downloading} data-testid="download-rejects">
            Download all rejected rows (CSV)
          </button>
        </>
      ) : null}
      {d.warnings.length > 0 ? (
        <div data-testid="diag-warnings">
          <h4>Normalised and inferred</h4>
          <ul>
            {d.warnings.map((w) => (
              <li key={`${w.column}-${w.from}`}>
                <code>{w.column}</code> “{w.from}” → “{w.to}” in {count(w.rows)} rows
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {d.ignoredColumns.length > 0 ? (
        <p data-testid="diag-ignored">
          Kept as attributes (group the Spend view by them): {d.ignoredColumns.map((c) => <code key={c}>{c} </code>)}
        </p>
      ) : null}
      <details>
        <summary>Column mapping ({mapping.length} columns read)</summary>
        <ul className="diag-mapping" data-testid="diag-mapping">
          {mapping.map(([canonical, column]) => (
            <li key={canonical}>
              <code>{column}</code> → <code>{canonical}</code>
            </li>
          ))}
        </ul>
      </details>
    </article>
  );
}

function UnpricedByReason({ groups }: { groups: readonly UnpricedGroup[] }) {
  const byReason = new Map<UnpricedReason, UnpricedGroup[]>();
  for (const g of groups) byReason.set(g.reason, [...(byReason.get(g.reason) ?? []), g]);
  if (byReason.size === 0) {
    return (
      <p className="muted" data-testid="unpriced-none">
        Every loaded request has a price in the active rate card.
      </p>
    );
  }
  return (
    <div className="diag-card" data-testid="unpriced-by-reason">
      <h3>Unpriced requests</h3>
      <p className="muted">Counted, never priced by guess: they stay out of every cost figure until the rate card covers them.</p>
      <ul>
        {[...byReason].map(([reason, list]) => (
          <li key={reason} data-reason={reason}>
            <strong>{UNPRICED_LABELS[reason] ?? reason}</strong>: {count(list.reduce((s, g) => s + g.requests, 0))} requests (
            {list.map((g) => `${g.model} ${count(g.requests)}`).join(', ')})
          </li>
        ))}
      </ul>
    </div>
  );
}
