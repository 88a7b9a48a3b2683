import { ScrollBox } from '../../components/scroll-box';
import { useMemo, useState } from 'react';
import { CartesianGrid, ErrorBar, Legend, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import { count, usd } from '../../components/format';
import type { CubeCell } from '../../domain/cube';
import { analyseFrontier, MONTH_DAYS, type FrontierPoint } from '../../domain/frontier';
import { toUsdNumber } from '../../domain/money';
import type { Policy } from '../../domain/policy';
import type { ActiveRates } from '../../domain/rate-card';

const moneyRange = (p: FrontierPoint) =>
  p.costPerMonth.low === p.costPerMonth.high ? usd(p.costPerMonth.mid) : `${usd(p.costPerMonth.mid)} (${usd(p.costPerMonth.low)} – ${usd(p.costPerMonth.high)})`;
const acceptedRange = (p: FrontierPoint) =>
  `${count(Math.round(p.acceptedPerMonth.mid))} (${count(Math.round(p.acceptedPerMonth.low))} – ${count(Math.round(p.acceptedPerMonth.high))})`;

/**
 * The routing frontier: every policy as cost per month against expected accepted images per
 * month on the same requests, the Pareto frontier, and the willingness-to-pay policy.
 */
export function FrontierPanel(props: { cells: CubeCell[]; rates: ActiveRates; at: number; days: number; policies: Policy[]; batchEligible: string[]; onUse: (policy: Policy) => void }) {
  const [wtp, setWtp] = useState(0.2);
  const analysis = useMemo(
    () => analyseFrontier(props.cells, props.policies, props.rates, props.at, props.days, wtp, props.batchEligible),
    [props.cells, props.policies, props.rates, props.at, props.days, wtp, props.batchEligible],
  );
  const byId = new Map(analysis.points.map((p) => [p.policyId, p]));
  const data = analysis.points.map((p) => ({
    id: p.policyId,
    label: p.label,
    x: toUsdNumber(p.costPerMonth.mid),
    y: p.acceptedPerMonth.mid,
    xErr: [toUsdNumber(p.costPerMonth.mid) - toUsdNumber(p.costPerMonth.low), toUsdNumber(p.costPerMonth.high) - toUsdNumber(p.costPerMonth.mid)],
    yErr: [p.acceptedPerMonth.mid - p.acceptedPerMonth.low, p.acceptedPerMonth.high - p.acceptedPerMonth.mid],
  }));
  const frontierData = data.filter((d) => byId.get(d.id)!.onFrontier);
  const dominatedData = data.filter((d) => !byId.get(d.id)!.onFrontier);
  const lf = analysis.likeForLike;
  return (
    <section className="plan-frontier" data-testid="frontier">
      <h3>Cost–quality frontier</h3>
      <p className="muted" data-testid="frontier-like-for-like">
        Like for like: every policy below is replayed on the same {count(lf.cells.reduce((n, c) => n + c.requests, 0))} requests.{' '}
        {lf.excludedRequests > 0
          ? `${count(lf.excludedRequests)} requests are left out of every row (the log could not price them, or some policy's model, size or lane has no price for them).`
          : 'No request had to be left out.'}{' '}
        Figures are per {MONTH_DAYS}-day month ({count(props.days)} days of the window scaled), with 95% ranges from the acceptance intervals.
      </p>
      <div className="chart" aria-hidden="true">
        <ResponsiveContainer width="100%" height={320}>
          <ScatterChart margin={{ left: 16, right: 24, bottom: 16 }} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis type="number" dataKey="x" name="Cost per month" tickFormatter={(v: number) => usd(v, 0)} domain={['auto', 'auto']} />
            <YAxis type="number" dataKey="y" name="Accepted images per month" tickFormatter={(v: number) => count(Math.round(v))} width={70} domain={['auto', 'auto']} />
            <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(2) : String(v))} labelFormatter={() => ''} />
            <Legend />
            <Scatter name="Pareto frontier" data={frontierData} fill="#14a37f" line={{ stroke: '#14a37f' }} isAnimationActive={false}>
              <ErrorBar dataKey="xErr" direction="x" width={4} stroke="#14a37f" />
              <ErrorBar dataKey="yErr" direction="y" width={4} stroke="#14a37f" />
            </Scatter>
            <Scatter name="Dominated" data={dominatedData} fill="#c2417a" shape="cross" isAnimationActive={false}>
              <ErrorBar dataKey="xErr" direction="x" width={4} stroke="#c2417a" />
              <ErrorBar dataKey="yErr" direction="y" width={4} stroke="#c2417a" />
            </Scatter>
          </ScatterChart>
        </ResponsiveContainer>
      </div>
      <ScrollBox label="Policies on the frontier">
        <table className="table" data-testid="frontier-table">
          <caption>Policies on the frontier (cheapest for their accepted images) and the ones another policy beats on both counts</caption>
          <thead>
            <tr><th scope="col">Policy</th><th scope="col" className="num">Cost per month</th><th scope="col" className="num">Expected accepted images per month</th><th scope="col">Status</th></tr>
          </thead>
          <tbody>
            {analysis.points.map((p) => (
              <tr key={p.policyId} data-testid={`frontier-row-${p.policyId}`} data-frontier={String(p.onFrontier)}>
                <th scope="row">{p.label}</th>
                <td className="num" data-testid={`frontier-cost-${p.policyId}`}>{moneyRange(p)}</td>
                <td className="num" data-testid={`frontier-accepted-${p.policyId}`}>{acceptedRange(p)}</td>
                <td>{p.onFrontier ? 'on the frontier' : `dominated by ${byId.get(p.dominatedBy!)?.label ?? p.dominatedBy}`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollBox>
      {analysis.missing.length ? <p className="muted">Not placed (acceptance unknown for some requests): {analysis.missing.join(', ')}.</p> : null}

      <h4>Willingness to pay per accepted image</h4>
      <div className="plan-toolbar">
        <label>
          An accepted image is worth{' '}
          <input type="range" min={0} max={1} step={0.01} value={wtp} onChange={(e) => setWtp(Number(e.target.value))} aria-label="Willingness to pay per accepted image (slider)" />{' '}
          <input type="number" min={0} step={0.01} value={wtp} onChange={(e) => setWtp(Math.max(0, Number(e.target.value) || 0))} data-testid="wtp-input" aria-label="Willingness to pay per accepted image in USD" className="plan-number" />{' '}
          USD
        </label>
        <button type="button" data-testid="wtp-use" onClick={() => props.onUse(analysis.wtp.policy)}>Use as custom policy</button>
      </div>
      <p className="muted">
        Per job type, the route with the largest value of accepted images (at this price) minus cost over the window; routes that cannot
        price every request of the job type, or whose acceptance is unknown, are not considered.
      </p>
      <ScrollBox label="Best route per job type">
        <table className="table" data-testid="wtp-table">
          <thead><tr><th scope="col">Job type</th><th scope="col">Best route</th><th scope="col" className="num">Cost in window</th><th scope="col" className="num">Expected accepted</th><th scope="col" className="num">Net value</th></tr></thead>
          <tbody>
            {analysis.wtp.choices.map((c) => (
              <tr key={c.jobType} data-testid={`wtp-choice-${c.jobType}`} data-option={c.option.id}>
                <th scope="row">{c.jobType || '(none)'}</th>
                <td>{c.option.label}</td>
                <td className="num">{usd(c.cost)}</td>
                <td className="num">{count(Math.round(c.accepted))}</td>
                <td className="num">{usd(c.net)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollBox>
    </section>
  );
}
