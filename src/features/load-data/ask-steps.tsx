import { useState } from 'react';
import { isValidDate } from '../../domain/filters';
import { LOG_COLUMNS, mapColumns } from '../../domain/log-schema';
import { useAppStore } from '../../state/store';
import type { LoadState } from './load-controller';

/** A file with no timestamps: the date its requests were made is asked for, never taken from the clock. */
export function DefaultTimePrompt({ state }: { state: Extract<LoadState, { phase: 'needs-time' }> }) {
  const [date, setDate] = useState('');
  const valid = isValidDate(date);
  return (
    <form
      className="diag-card ask-step"
      data-testid="ask-time"
      onSubmit={(e) => {
        e.preventDefault();
        if (valid) void state.retry(date);
      }}
    >
      <h3>When were these requests made?</h3>
      <p>
        <strong>{state.file}</strong> has no timestamps (Gemini API responses and Batch output carry none). Choose the day
        they were made: every row without a time is dated to it (UTC), and the Data view counts them as set by you.
      </p>
      <label>
        Date (UTC) <input type="date" value={date} onChange={(e) => setDate(e.target.value)} data-testid="default-date" required />
      </label>{' '}
      <button type="submit" disabled={!valid} data-testid="default-date-apply">
        Load with this date
      </button>
    </form>
  );
}

// Every canonical column can be mapped: acceptance, attempts and prompt hashes feed the decisions and duplicates views.
const MAPPED = LOG_COLUMNS.map((c) => c.name);

/** Unknown columns: the user says which column is which (and defaults); saved for this header and reused. */
export function MappingStep({ state }: { state: Extract<LoadState, { phase: 'needs-mapping' }> }) {
  const save = useAppStore((s) => s.saveColumnMapping);
  const guess = mapColumns(state.header).mapped;
  const [columns, setColumns] = useState<Record<string, string>>(() => Object.fromEntries(MAPPED.map((c) => [c, guess.get(c) ?? ''])));
  const [date, setDate] = useState('');
  const [size, setSize] = useState('');
  const [lane, setLane] = useState('');
  const [provider, setProvider] = useState('');
  const ready = columns.model !== '' && (columns.timestamp !== '' || isValidDate(date));
  const apply = () => {
    const chosen = Object.fromEntries(Object.entries(columns).filter(([, v]) => v !== ''));
    const defaults = {
      ...(isValidDate(date) ? { timestamp: date } : {}),
      ...(size ? { image_size: size } : {}),
      ...(lane ? { lane } : {}),
      ...(provider.trim() ? { provider: provider.trim().toLowerCase() } : {}),
    };
    save({ columns: chosen, defaults, header: state.header });
    void state.retry();
  };
  return (
    <form
      className="diag-card ask-step"
      data-testid="ask-mapping"
      onSubmit={(e) => {
        e.preventDefault();
        if (ready) apply();
      }}
    >
      <h3>Map the columns of {state.file}</h3>
      <p className="muted">
        PixelSpend does not recognise this file. Say which column holds what; columns you leave out are kept as attributes
        (group the Spend view by them). The mapping is saved for files with the same header.
      </p>
      {state.sample.length > 0 ? (
        <div className="table-scroll">
          <table className="simple-table" data-testid="mapping-sample">
            <caption>First rows</caption>
            <thead>
              <tr>{state.header.map((h) => <th key={h}>{h}</th>)}</tr>
            </thead>
            <tbody>
              {state.sample.map((row, i) => (
                <tr key={i}>{row.map((v, j) => <td key={j}>{v ?? ''}</td>)}</tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <div className="mapping-grid">
        {MAPPED.map((name) => (
          <label key={name}>
            <code>{name}</code>
            {LOG_COLUMNS.find((c) => c.name === name)?.required ? ' (required)' : ''}{' '}
            <span className="muted">{LOG_COLUMNS.find((c) => c.name === name)?.description}</span>{' '}
            <select value={columns[name]} onChange={(e) => setColumns({ ...columns, [name]: e.target.value })} data-testid={`map-${name}`}>
              <option value="">(none)</option>
              {state.header.map((h) => (
                <option key={h} value={h}>
                  {h}
                </option>
              ))}
            </select>
          </label>
        ))}
      </div>
      <fieldset>
        <legend>For columns the file does not have</legend>
        <label>
          Date (UTC) <input type="date" value={date} onChange={(e) => setDate(e.target.value)} data-testid="map-default-date" />
        </label>{' '}
        <label>
          Size{' '}
          <select value={size} onChange={(e) => setSize(e.target.value)} data-testid="map-default-size">
            <option value="">1K (default)</option>
            {['512', '1K', '2K', '4K'].map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </label>{' '}
        <label>
          Lane{' '}
          <select value={lane} onChange={(e) => setLane(e.target.value)} data-testid="map-default-lane">
            <option value="">standard (default)</option>
            {['standard', 'batch', 'flex', 'priority'].map((l) => <option key={l} value={l}>{l}</option>)}
          </select>
        </label>{' '}
        <label>
          Provider <input value={provider} placeholder="google" onChange={(e) => setProvider(e.target.value)} data-testid="map-default-provider" />
        </label>
      </fieldset>
      <button type="submit" disabled={!ready} data-testid="map-apply">
        Save mapping and load
      </button>
      {!ready ? <p className="muted">Choose the model column, and the timestamp column or a date.</p> : null}
    </form>
  );
}

const aboutRows = (rows: number) => (rows >= 1_000_000 ? `about ${(rows / 1_000_000).toLocaleString('en-US', { maximumFractionDigits: 1 })} million` : `about ${rows.toLocaleString('en-US')}`);

/**
 * A log past `TAB_ROWS`: loading it would take many minutes and may run the tab out of memory, so the
 * user chooses, and is shown the way that works at any size: the CLI summarises the log where it
 * lies, and the summary opens here.
 */
export function LargeLogPrompt({ state, onDecline }: { state: Extract<LoadState, { phase: 'too-large' }>; onDecline: () => void }) {
  return (
    <div className="diag-card ask-step" data-testid="ask-large" role="alertdialog" aria-labelledby="ask-large-title">
      <h3 id="ask-large-title">This log may be too large for a browser tab</h3>
      <p>
        <strong>{state.file}</strong> holds {aboutRows(state.rows)} requests
        {state.kept > 0 ? `, and ${aboutRows(state.kept)} are loaded already` : ''}, more than the{' '}
        {state.limit.toLocaleString('en-US')} PixelSpend loads in a browser tab without asking. In a tab on a two-core machine,
        30 million of the sample’s narrow rows loaded in nearly five minutes, close to the engine’s 3.1 GiB of memory, and
        40 million ran out of it; a log with more columns fits fewer.
      </p>
      <p>
        For a log this size, summarise it where it lies with the command-line report (native DuckDB, any size) and open the
        summary here. Every view works on it except the Explorer, which needs the rows:
      </p>
      <SummariseCommand file={state.file} testId="ask-large-command" />
      <button type="button" onClick={() => void state.retry()} data-testid="ask-large-load">
        Load it here anyway
      </button>{' '}
      <button type="button" onClick={onDecline} data-testid="ask-large-decline">
        Don’t load it
      </button>
    </div>
  );
}

/** The CLI command that summarises `file` into a usage cube this app opens (docs/scale.md). */
export function SummariseCommand({ file, testId }: { file: string; testId: string }) {
  const cube = `${file.replace(/\.(csv|tsv|tab|txt|ndjson|jsonl|json|parquet)(\.gz)?$/i, '')}.cube.parquet`;
  return (
    <pre className="summarise-command" data-testid={testId}>
      <code>{`npm run -s report -- --logs ${shellWord(file)} --cube-out ${shellWord(cube)} > report.json`}</code>
    </pre>
  );
}

/** A file name as one shell word: quoted when it holds anything but letters, digits and `._/-` (`Export 2026-06.csv`). */
function shellWord(name: string): string {
  return /^[\w./-]+$/.test(name) ? name : `'${name.replaceAll("'", "'\\''")}'`;
}
