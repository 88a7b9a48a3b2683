import type { ReactNode } from 'react';
import { StatusBanner } from './status-banner';

export type ViewStatus = 'idle' | 'loading' | 'ready' | 'failed';

/** What a view's queries say about it: the frame's states and the actions its empty states offer. */
export interface ViewFrameState {
  status: ViewStatus;
  hasData: boolean;
  error?: string;
  /** 'no-data': nothing is loaded; 'no-match': data is loaded but the filters match nothing. */
  empty?: 'no-data' | 'no-match' | null;
  onLoadSample?: () => void;
  onClearFilters?: () => void;
}

/**
 * The frame every dashboard view renders in: title, and designed loading, empty and error
 * states. `data-status="ready"` means every figure inside matches the current inputs;
 * `data-first-figures` that some are the first figures built with the app, not yet the engine's answers.
 */
export function ViewFrame(props: ViewFrameState & { id: string; title: string; intro?: ReactNode; children?: ReactNode; fromFirstFigures?: boolean }) {
  const titleId = `${props.id}-title`;
  return (
    <section aria-labelledby={titleId} className="view" data-testid={`view-${props.id}`} data-status={props.status} data-first-figures={props.fromFirstFigures ? 'true' : undefined} aria-busy={props.status === 'loading'}>
      <div className="view__head">
        <h2 id={titleId}>{props.title}</h2>
        {props.status === 'loading' && props.hasData ? <span className="view__updating" role="status">Updating…</span> : null}
      </div>
      {props.intro ? <p className="muted view__intro">{props.intro}</p> : null}
      {props.status === 'failed' ? (
        <StatusBanner tone="error" testId="view-error">
          This view's query failed: {props.error}. The filters or rate card may be inconsistent; clearing the filters or
          reloading the page usually recovers.
        </StatusBanner>
      ) : null}
      {props.empty === 'no-data' ? (
        <div className="empty-state" data-testid="empty-no-data">
          <h3>No request log loaded yet</h3>
          <p>
            Drop a request log (CSV, TSV, JSON Lines or Parquet with columns such as <code>timestamp</code>, <code>model</code>,{' '}
            <code>image_size</code>, <code>attempt_count</code>) onto the page, or start with the bundled sample of 50,000 requests.
          </p>
          {props.onLoadSample ? (
            <button type="button" className="primary" onClick={props.onLoadSample}>
              Use the sample log
            </button>
          ) : null}
        </div>
      ) : props.empty === 'no-match' ? (
        <div className="empty-state" data-testid="empty-no-match">
          <h3>No requests match these filters</h3>
          <p>Widen the date range or remove a filter to see figures again.</p>
          {props.onClearFilters ? (
            <button type="button" onClick={props.onClearFilters}>
              Clear filters
            </button>
          ) : null}
        </div>
      ) : !props.hasData && props.status !== 'failed' ? (
        <div className="skeleton" data-testid="view-loading" role="status">
          Computing…
        </div>
      ) : (
        props.children
      )}
    </section>
  );
}

/** One status for a view built from several queries: failed wins, then loading, then idle. */
export function combineStatus(...statuses: ViewStatus[]): ViewStatus {
  if (statuses.includes('failed')) return 'failed';
  if (statuses.includes('loading')) return 'loading';
  if (statuses.includes('idle')) return 'idle';
  return 'ready';
}
