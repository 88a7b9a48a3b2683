import { memo } from 'react';
import { StackedBarChart } from '../../components/charts';
import { MoneyBarChart } from '../../components/money-bar-chart';
import { DataTable, type DataColumn } from '../../components/data-table';
import { count, percent, usd, usdUnit } from '../../components/format';
import { StatCard } from '../../components/stat-card';
import { ViewFrame } from '../../components/view-frame';
import { formatPlain } from '../../domain/money';
import type { ActiveRates } from '../../domain/rate-card';
import type { GroupFigures, Report } from '../../domain/report';
import { useReportFrame } from '../../hooks/use-report-frame';
import { useSettled } from '../../hooks/use-settled';
import { SpendByAttribute } from './spend-by-attribute';
import { modelSizeStack, spendBars, spendRows, type SpendRow } from './spend-chart-data';

export function SpendPage() {
  const { report, rates, frame } = useReportFrame();
  const figures = useSettled(frame.status, report && rates ? { report, rates } : undefined);
  return (
    <ViewFrame
      id="spend"
      title="Spend"
      intro="Where the money goes: priced requests only (unpriced ones are counted beside each group). Hover a bar for the exact figure; the table beside it has the same numbers."
      {...frame}
    >
      {figures ? <SpendView report={figures.report} rates={figures.rates} /> : null}
    </ViewFrame>
  );
}

function columns(keyHeader: string): DataColumn<SpendRow>[] {
  return [
    { key: 'key', header: keyHeader, value: (r) => r.key, cell: (r) => <span title={r.key}>{r.label}</span> },
    { key: 'requests', header: 'Requests', value: (r) => r.requests, cell: (r) => count(r.requests), numeric: true },
    { key: 'images', header: 'Images', value: (r) => r.images, cell: (r) => count(r.images), numeric: true },
    { key: 'cost', header: 'Spend (USD)', value: (r) => formatPlain(r.cost), cell: (r) => usd(r.cost), numeric: true },
    { key: 'share', header: 'Share', value: (r) => r.share.toFixed(4), cell: (r) => percent(r.share), numeric: true },
    { key: 'per-image', header: 'Per image (USD)', value: (r) => (r.perImage === null ? '' : formatPlain(r.perImage)), cell: (r) => (r.perImage === null ? '—' : usdUnit(r.perImage)), numeric: true },
    { key: 'unpriced', header: 'Unpriced', value: (r) => r.unpriced, cell: (r) => (r.unpriced ? count(r.unpriced) : '—'), numeric: true },
  ];
}

function Section(props: { id: string; title: string; keyHeader: string; rows: SpendRow[]; horizontal?: boolean }) {
  return (
    <>
      <h3 id={`spend-${props.id}`}>{props.title}</h3>
      <div className="chart-and-table">
        <MoneyBarChart data={spendBars(props.rows)} title={props.title} horizontal={props.horizontal} />
        <DataTable caption={props.title} testId={`spend-${props.id}-table`} rows={props.rows} rowKey={(r) => r.key} columns={columns(props.keyHeader)} />
      </div>
    </>
  );
}

const listed = (groups: readonly GroupFigures[]) => groups.filter((g) => g.requests > 0 || g.unpricedRequests > 0).length;

/** Memoised: the page hands it the same figures while new ones load (`useSettled`). */
const SpendView = memo(function SpendView({ report, rates }: { report: Report; rates: ActiveRates }) {
  const total = report.totalCost;
  const label = (model: string) => rates.models.get(model)?.label ?? model;
  const stack = modelSizeStack(report.byModelResolution, label);
  const modelSize = report.byModelResolution.map((g) => ({ ...g, key: `${g.model} ${g.imageSize}` }));
  return (
    <>
      <div className="stat-grid">
        <StatCard label="Total spend" value={usd(total)} testId="spend-total" hint={`${count(report.pricedRequests)} priced requests`} />
        {/* Counted from the same rows the tables list (a model whose requests are all unpriced is listed too). */}
        <StatCard label="Models" value={count(listed(report.byModel))} testId="spend-models" hint={`${count(report.byModel.filter((m) => m.requests > 0).length)} with a price`} />
        <StatCard label="Providers" value={count(listed(report.byProvider))} testId="spend-providers" />
      </div>
      <Section id="resolution" title="Spend by resolution" keyHeader="Resolution" rows={spendRows(report.byResolution, (g) => g.imageSize, total, { order: 'size' })} />
      <Section id="model" title="Spend by model" keyHeader="Model" horizontal rows={spendRows(report.byModel, (g) => g.model, total, { label })} />
      <h3 id="spend-model-resolution">Spend by model × resolution</h3>
      <div className="chart-and-table">
        <StackedBarChart data={stack.data} series={stack.series} title="Spend by model and resolution" testId="spend-model-resolution-chart" />
        <DataTable
          caption="Spend by model × resolution"
          testId="spend-model-resolution-table"
          rows={modelSize}
          rowKey={(r) => r.key}
          columns={[
            { key: 'model', header: 'Model', value: (r) => r.model, cell: (r) => <span title={r.model}>{label(r.model)}</span> },
            { key: 'size', header: 'Resolution', value: (r) => r.imageSize },
            { key: 'requests', header: 'Requests', value: (r) => r.requests, cell: (r) => count(r.requests), numeric: true },
            { key: 'cost', header: 'Spend (USD)', value: (r) => formatPlain(r.cost), cell: (r) => usd(r.cost), numeric: true },
            { key: 'unpriced', header: 'Unpriced', value: (r) => r.unpricedRequests, cell: (r) => (r.unpricedRequests ? count(r.unpricedRequests) : '—'), numeric: true },
          ]}
        />
      </div>
      <Section id="provider" title="Spend by provider" keyHeader="Provider" horizontal rows={spendRows(report.byProvider, (g) => g.provider, total)} />
      <Section id="job-type" title="Spend by job type" keyHeader="Job type" horizontal rows={spendRows(report.byJobType, (g) => g.jobType, total)} />
      <Section id="month" title="Spend by month (UTC)" keyHeader="Month" rows={spendRows(report.byMonth, (g) => g.month, total, { order: 'key' })} />
      <SpendByAttribute />
    </>
  );
});
