import { StatusBanner } from '../components/status-banner';
import { formatIssue } from '../domain/rate-card';
import { OverviewView } from '../features/overview/overview-view';
import { useActiveRates } from '../hooks/use-active-rates';
import { useBootstrap } from '../hooks/use-bootstrap';
import { useReport } from '../hooks/use-report';
import { useEngineStatus, useSession } from '../hooks/use-session';

export function App() {
  const engine = useEngineStatus();
  const { session } = useSession();
  const { rates, issues } = useActiveRates();
  const data = useBootstrap(session, rates);
  const report = useReport();

  return (
    <div className="app">
      <header className="app__header">
        <div className="brand">
          <span className="brand__mark" aria-hidden="true">◧</span>
          <h1>PixelSpend</h1>
          <span className="brand__tag">what your AI images cost, computed in your browser</span>
        </div>
        <EngineBadge />
      </header>
      <main className="app__main">
        {engine.state === 'failed' ? (
          <StatusBanner tone="error" testId="engine-error">
            The database engine could not start: {engine.message}
          </StatusBanner>
        ) : null}
        {issues.length > 0 ? (
          <StatusBanner tone="error" testId="rate-card-error">
            The rate card has problems; prices are not applied:
            <ul>{issues.map((i) => <li key={formatIssue(i)}>{formatIssue(i)}</li>)}</ul>
          </StatusBanner>
        ) : null}
        {data.state === 'failed' ? <StatusBanner tone="error">{data.message}</StatusBanner> : null}
        {data.state === 'loading' || engine.state === 'loading' ? (
          <StatusBanner tone="info" testId="loading">
            {engine.state === 'loading' ? 'Starting the database engine…' : data.state === 'loading' ? data.message : null}
          </StatusBanner>
        ) : null}
        {report.error ? <StatusBanner tone="error">Query failed: {report.error}</StatusBanner> : null}
        {report.data && rates ? <OverviewView report={report.data} rates={rates} /> : null}
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
