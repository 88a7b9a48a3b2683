import { Bar, BarChart, CartesianGrid, Cell, ErrorBar, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { TooltipContentProps } from 'recharts';
import { usd } from './format';

/** Category ticks: every one shown; slanted when there are many so they do not collide. */
function slanted(n: number) {
  return n > 3 ? { angle: -30, textAnchor: 'end' as const, height: 70, tick: { fontSize: 12 } } : { tick: { fontSize: 12 } };
}

const PALETTE = ['#4f6bed', '#14a37f', '#e8932c', '#c2417a', '#7a5af5', '#2b9ad6', '#8a8f9c'];

function ExactTooltip({ active, payload }: TooltipContentProps) {
  if (!active || payload.length === 0) return null;
  const datum = payload[0]!.payload as { label: string; exact: string };
  return (
    <div className="chart-tooltip">
      <strong>{datum.label}</strong>
      <div>{datum.exact}</div>
    </div>
  );
}

/** Stacked bars: each row has a label, a numeric field per series and `exact` strings per series. */
export interface StackedDatum {
  label: string;
  values: Record<string, number>;
  exact: Record<string, string>;
}

function StackedTooltip({ active, payload, label }: TooltipContentProps) {
  if (!active || payload.length === 0) return null;
  const datum = payload[0]!.payload as StackedDatum;
  return (
    <div className="chart-tooltip">
      <strong>{String(label)}</strong>
      {Object.entries(datum.exact).map(([series, text]) => (
        <div key={series}>
          {series}: {text}
        </div>
      ))}
    </div>
  );
}

export function StackedBarChart(props: { data: readonly StackedDatum[]; series: readonly string[]; title: string; height?: number; testId?: string }) {
  return (
    <div className="chart" aria-hidden="true" data-testid={props.testId}>
      <ResponsiveContainer width="100%" height={props.height ?? 320}>
        <BarChart data={[...props.data]} margin={{ left: 8, right: 16 }} title={props.title} accessibilityLayer={false}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" interval={0} {...slanted(props.data.length)} />
          <YAxis tickFormatter={(v: number) => usd(v, 0)} width={80} />
          <Tooltip content={StackedTooltip} />
          <Legend />
          {props.series.map((s, i) => (
            <Bar key={s} dataKey={(d: StackedDatum) => d.values[s] ?? 0} name={s} stackId="stack" fill={PALETTE[i % PALETTE.length]} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

/** One proportion with its interval, all in [0, 1]; `exact` is what the tooltip states. */
export interface IntervalDatum {
  key: string;
  label: string;
  rate: number;
  /** [rate − low, high − rate]: the error bar's extent below and above the bar's end */
  spread: [number, number];
  exact: string;
}

/** Horizontal bars of a rate with its confidence interval as an error bar (the table beside it has the figures). */
export function IntervalBarChart(props: { data: readonly IntervalDatum[]; title: string }) {
  const height = Math.max(220, props.data.length * 34 + 80);
  // One colour per model (the key's first part), so the models of one job type tell apart.
  const groups = [...new Set(props.data.map((d) => d.key.split('|')[0]!))];
  const colour = (d: IntervalDatum) => PALETTE[groups.indexOf(d.key.split('|')[0]!) % PALETTE.length]!;
  return (
    <div className="chart" aria-hidden="true" data-testid="interval-chart">
      <ResponsiveContainer width="100%" height={height}>
        <BarChart data={[...props.data]} layout="vertical" margin={{ left: 8, right: 24 }} title={props.title} accessibilityLayer={false}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" domain={[0, 1]} tickFormatter={(v: number) => `${Math.round(v * 100)}%`} />
          <YAxis type="category" dataKey="label" width={230} interval={0} tick={{ fontSize: 12 }} />
          <Tooltip content={ExactTooltip} />
          <Bar dataKey="rate" fill={PALETTE[1]} isAnimationActive={false}>
            {props.data.map((d) => <Cell key={d.key} fill={colour(d)} />)}
            <ErrorBar dataKey="spread" width={6} strokeWidth={1.5} stroke="currentColor" direction="x" />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
      <ul className="chart-legend">
        {groups.map((g, i) => {
          const sample = props.data.find((d) => d.key.split('|')[0] === g)!;
          return (
            <li key={g}>
              <span className="chart-legend__swatch" style={{ background: PALETTE[i % PALETTE.length] }} />
              {sample.label.split(' · ').at(-1)}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
