import { combineStatus, type ViewFrameState } from '../components/view-frame';
import type { ActiveRates } from '../domain/rate-card';
import type { Report } from '../domain/report';
import { useActiveRates } from './use-active-rates';
import type { AsyncState } from './use-async';
import { useReport } from './use-report';
import { useViewActions } from './use-view-actions';

/**
 * The report, the active rates and the ViewFrame props for a dashboard view built from the
 * report plus any further queries: one status (failed, then loading), data present only when
 * every query has some, and the empty states (no data at all, or nothing matching the filters).
 */
export function useReportFrame(...queries: AsyncState<unknown>[]): {
  report: Report | undefined;
  rates: ActiveRates | null;
  frame: ViewFrameState;
} {
  const report = useReport();
  const { rates } = useActiveRates();
  const { onLoadSample, onClearFilters, hasFilters } = useViewActions();
  const all = [report, ...queries];
  return {
    report: report.data,
    rates,
    frame: {
      status: combineStatus(...all.map((q) => q.status)),
      hasData: rates !== null && all.every((q) => q.data !== undefined),
      error: all.find((q) => q.error !== undefined)?.error,
      empty: report.data && report.data.requests === 0 ? (hasFilters ? 'no-match' : 'no-data') : null,
      onLoadSample,
      onClearFilters,
    },
  };
}
