import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { count, usd, usdUnit } from '../../components/format';
import { SimpleTable } from '../../components/simple-table';
import { StatCard } from '../../components/stat-card';
import { divideRounded, ZERO } from '../../domain/money';
import { UNPRICED_LABELS } from '../../domain/pricing';
import type { ActiveRates } from '../../domain/rate-card';
import type { Report } from '../../domain/report';
import { byModelBars, type ModelBar } from './by-model-chart-data';

export function OverviewView(props: { report: Report; rates: ActiveRates }) {
  const { report, rates } = props;
  const bars = byModelBars(report, rates.models);
  const images = pricedImages(report);
  const perImage = images > 0 ? divideRounded(report.totalCost, images) : ZERO;
  return (
    <section aria-labelledby="overview-title" className="view">
      <h2 id="overview-title">Overview</h2>
      <div className="stat-grid">
        <StatCard label="Total spend" value={usd(report.totalCost)} testId="total-cost" hint={`${count(report.pricedRequests)} priced requests`} />
        <StatCard label="Requests" value={count(report.requests)} testId="requests" hint={`${count(report.attempts)} attempts`} />
        <StatCard label="Images" value={count(report.images)} testId="images" />
        <StatCard label="Average cost per image" value={usdUnit(perImage)} testId="cost-per-image" hint="priced requests" />
        <StatCard
          label="Unpriced requests"
          value={count(report.unpricedRequests)}
          testId="unpriced-requests"
          tone={report.unpricedRequests > 0 ? 'warn' : 'default'}
          hint={report.unpricedRequests > 0 ? 'not in the total: see why below' : 'every request has a price'}
        />
      </div>

      <h3>Spend by model</h3>
      <div className="chart-and-table">
        <div className="chart" aria-hidden="true">
          <ResponsiveContainer width="100%" height={260}>
            <BarChart data={bars} layout="vertical" margin={{ left: 24, right: 24 }}>
              <CartesianGrid strokeDasharray="3 3" horizontal={false} />
              <XAxis type="number" tickFormatter={(v: number) => usd(v, 0)} />
              <YAxis type="category" dataKey="label" width={150} />
              <Tooltip formatter={(v) => usd(Number(v), 2)} />
              <Bar dataKey="cost" name="Spend" fill="#4f6bed" isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </div>
        <SimpleTable<ModelBar>
          caption="Spend by model (priced requests)"
          testId="by-model-table"
          rows={bars}
          rowKey={(r) => r.model}
          columns={[
            { key: 'model', header: 'Model', cell: (r) => <span title={r.model}>{r.label}</span> },
            { key: 'requests', header: 'Requests', cell: (r) => count(r.requests), numeric: true },
            { key: 'cost', header: 'Spend', cell: (r) => usd(r.cost), numeric: true },
            { key: 'unpriced', header: 'Unpriced', cell: (r) => (r.unpriced ? count(r.unpriced) : '—'), numeric: true },
          ]}
        />
      </div>

      {report.unpriced.length > 0 ? (
        <>
          <h3 id="unpriced">Why some requests are unpriced</h3>
          <p className="muted">Unpriced requests are never guessed: add a price on the Rate card screen to include them.</p>
          <SimpleTable
            caption="Unpriced requests by reason"
            testId="unpriced-table"
            rows={report.unpriced}
            rowKey={(u) => `${u.model}|${u.imageSize}|${u.lane}|${u.reason}`}
            columns={[
              { key: 'reason', header: 'Reason', cell: (u) => UNPRICED_LABELS[u.reason] },
              { key: 'model', header: 'Model', cell: (u) => u.model },
              { key: 'size', header: 'Size', cell: (u) => u.imageSize },
              { key: 'lane', header: 'Lane', cell: (u) => u.lane },
              { key: 'requests', header: 'Requests', cell: (u) => count(u.requests), numeric: true },
            ]}
          />
        </>
      ) : null}
    </section>
  );
}

function pricedImages(report: Report): number {
  return report.byModel.reduce((sum, m) => sum + m.images, 0);
}
