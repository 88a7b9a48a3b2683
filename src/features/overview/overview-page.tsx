import { StatusBanner } from '../../components/status-banner';
import { useActiveRates } from '../../hooks/use-active-rates';
import { useReport } from '../../hooks/use-report';
import { OverviewView } from './overview-view';

export function OverviewPage() {
  const report = useReport();
  const { rates } = useActiveRates();
  if (report.error) return <StatusBanner tone="error">Query failed: {report.error}</StatusBanner>;
  if (!report.data || !rates) return <p className="muted" data-testid="view-loading">Computing…</p>;
  return <OverviewView report={report.data} rates={rates} />;
}
