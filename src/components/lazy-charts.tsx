import { lazy, Suspense, type ComponentProps } from 'react';

// Recharts and d3 are a third of the app's JavaScript: the figures render first, the chart
// when its chunk arrives, in a placeholder of the chart's own class (so the layout holds).
const Charts = {
  MoneyBarChart: lazy(() => import('./charts').then((m) => ({ default: m.MoneyBarChart }))),
};

type MoneyBarChartProps = ComponentProps<typeof import('./charts').MoneyBarChart>;

export function MoneyBarChart(props: MoneyBarChartProps) {
  return (
    <Suspense fallback={<div className="chart" aria-hidden="true" />}>
      <Charts.MoneyBarChart {...props} />
    </Suspense>
  );
}
