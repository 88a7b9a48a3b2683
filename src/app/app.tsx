import { useEffect } from 'react';
import { FilterBar } from '../components/filter-bar';
import { StatusBanner } from '../components/status-banner';
import { DropZone } from '../features/load-data/drop-zone';
import { formatIssue } from '../domain/rate-card';
import { useActiveRates } from '../hooks/use-active-rates';
import { useBootstrap } from '../hooks/use-bootstrap';
import { useFilterBar } from '../hooks/use-filter-bar';
import { useFirstFigures } from '../hooks/use-first-figures';
import { useEngineStatus, useSession } from '../hooks/use-session';
import { useUrlSync } from '../hooks/use-url-sync';
import { useAppStore } from '../state/store';
import { PrintHeader, ThemeToggle, useTheme } from './chrome';
import { preloadViews, VIEWS } from './views';
import './dashboard.css';

const VIEW_IDS = VIEWS.map((v) => v.id);
/** After the sample is up: later than the views' chunks, and after the first figures' own work. */
const WARM_UP_DELAY_MS = 1500;

export function App() {
  const engine = useEngineStatus();
  const { session } = useSession();
  const { rates, issues } = useActiveRates();
  const data = useBootstrap(session, rates);
  const linkProblems = useUrlSync(VIEW_IDS);
  const filterBar = useFilterBar();
  const view = useAppStore((s) => s.view);
  const setView = useAppStore((s) => s.setView);
  const active = VIEWS.find((v) => v.id === view) ?? VIEWS[0]!;
  // The sample's first figures, built with the app, drawn while the engine starts and the sample loads.
  const first = useFirstFigures();
  const shown = data.state === 'ready' || (first !== null && active.drawnFirst === true && engine.state !== 'failed' && data.state !== 'failed');
  useTheme();
  useEffect(() => {
    if (data.state !== 'ready') return;
    // Once the first figures are up, fetch the other views' chunks so switching does not wait, and
    // warm the engine for a log while the user looks at the sample (a file chosen first skips it).
    const timers = [setTimeout(preloadViews, 500), setTimeout(() => void session?.warmUp(), WARM_UP_DELAY_MS)];
    return () => timers.forEach(clearTimeout);
  }, [data.state, session]);

  return (
    <div className="app">
      <a className="skip-link" href="#main">Skip to content</a>
      <DropZone />
      <header className="app__header">
        <div className="brand">
          <span className="brand__mark" aria-hidden="true">◧</span>
          <h1>PixelSpend</h1>
          <span className="brand__tag">what your AI images cost, computed in your browser</span>
        </div>
        <div className="app__header-tools">
          <ThemeToggle />
          <EngineBadge />
        </div>
      </header>
      <nav className="app__nav" aria-label="Views">
        {VIEWS.map((v) => (
          <button
            key={v.id}
            type="button"
            className={v.id === active.id ? 'nav-tab nav-tab--active' : 'nav-tab'}
            aria-current={v.id === active.id ? 'page' : undefined}
            data-testid={`nav-${v.id}`}
            onClick={() => setView(v.id)}
          >
            {v.label}
          </button>
        ))}
      </nav>
      <main className="app__main" id="main" tabIndex={-1} data-load={data.state}>
        <PrintHeader view={active.label} filtered={active.filtered} options={filterBar.options} filters={filterBar.filters} />
        {linkProblems.length > 0 ? (
          <StatusBanner tone="warn" testId="link-problems">
            Parts of this link were ignored: {linkProblems.join('; ')}.
          </StatusBanner>
        ) : null}
        {engine.state === 'failed' ? (
          <StatusBanner tone="error" testId="engine-error">
            The database engine could not start: {engine.message}
          </StatusBanner>
        ) : null}
        {issues.length > 0 ? (
          <StatusBanner tone="error" testId="rate-card-error">
            The rate card has problems; the previous prices stay active:
            <ul>{issues.map((i) => <li key={formatIssue(i)}>{formatIssue(i)}</li>)}</ul>
          </StatusBanner>
        ) : null}
        {data.state === 'failed' ? <StatusBanner tone="error">{data.message}</StatusBanner> : null}
        {engine.state === 'loading' || data.state === 'loading' ? (
          <StatusBanner tone="info" testId="loading">
            {engine.state === 'loading' ? 'Starting the database engine…' : data.state === 'loading' ? data.message : null}
          </StatusBanner>
        ) : null}
        {shown && active.filtered ? <FilterBar {...filterBar} /> : null}
        {/* If the sample could not load, the Data and Rate card views still let users bring their own. */}
        {shown || (data.state === 'failed' && session && !active.filtered) ? active.render() : null}
      </main>
      <footer className="app__footer">
        Everything runs locally in DuckDB-WASM: your logs never leave this browser.
      </footer>
    </div>
  );
}

function EngineBadge() {
  const engine = useEngineStatus();
  const text =
    engine.state === 'ready'
      ? `DuckDB ${engine.version} · ready in ${engine.startMs} ms`
      : engine.state === 'failed'
        ? 'engine failed'
        : 'engine starting…';
  return (
    <span className={`engine-badge engine-badge--${engine.state}`} data-testid="engine-status" data-state={engine.state}>
      {text}
    </span>
  );
}
