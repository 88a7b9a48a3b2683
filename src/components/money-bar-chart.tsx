import { useLayoutEffect, useRef, useState } from 'react';
import { labelEvery, niceTicks } from './chart-scale';
import { usd } from './format';

/** One bar: `value` (USD as a number) only draws it; `exact` is the figure the tooltip states. */
export interface BarDatum {
  key: string;
  label: string;
  value: number;
  exact: string;
}

const integer = new Intl.NumberFormat('en-US');
const LABEL_CHARS = 24;

function useWidth() {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const box = ref.current;
    if (!box) return;
    setWidth(box.clientWidth);
    const observer = new ResizeObserver(() => setWidth(box.clientWidth));
    observer.observe(box);
    return () => observer.disconnect();
  }, []);
  return [ref, width] as const;
}

/** A label cut to `chars` characters (about 6.5 px each at the axis' 12 px), marked where it was cut. */
const short = (label: string, chars = LABEL_CHARS) => (label.length > chars ? `${label.slice(0, Math.max(1, chars - 1))}…` : label);
const TOOLTIP_WIDTH = 200;

/**
 * Bars of money (or counts), in the order given, drawn as plain SVG: redrawing the Overview's
 * two charts through a chart library took a quarter of a filter change on the sample. Decorative for assistive
 * technology: the table beside it carries the same figures; hovering a bar states its exact figure.
 */
export function MoneyBarChart(props: { data: readonly BarDatum[]; title: string; horizontal?: boolean; height?: number; unit?: 'usd' | 'count'; time?: boolean }) {
  const [ref, width] = useWidth();
  const [hover, setHover] = useState<number | null>(null);
  const { data, horizontal = false } = props;
  const n = data.length;
  const values = data.map((d) => d.value);
  const height = props.height ?? Math.max(220, horizontal ? n * 30 + 60 : 260);
  const slanted = !horizontal && Math.min(n, props.time ? 12 : n) > 3;
  // Category labels take at most 38 % of a narrow chart's width.
  const labelWidth = Math.min(178, Math.round(width * 0.38));
  const margin = horizontal ? { top: 8, right: 24, bottom: 28, left: labelWidth } : { top: 8, right: 16, bottom: slanted ? 70 : 28, left: 80 };
  const plotW = Math.max(0, width - margin.left - margin.right);
  const plotH = Math.max(0, height - margin.top - margin.bottom);
  // As many value ticks as fit their labels: one per 80 px across, 40 px up.
  const count = Math.min(6, Math.max(2, Math.floor((horizontal ? plotW / 80 : plotH / 40))));
  const ticks = niceTicks(Math.min(0, ...values), Math.max(0, ...values), { count, whole: props.unit === 'count' });
  const lo = ticks[0]!;
  const hi = ticks.at(-1)!;
  const largest = Math.max(0, ...values.map(Math.abs));
  const tickText = props.unit === 'count' ? (v: number) => integer.format(v) : (v: number) => usd(v, largest < 10 ? 2 : 0);
  const labelChars = horizontal ? Math.floor((labelWidth - 12) / 6.5) : LABEL_CHARS;
  const band = (horizontal ? plotH : plotW) / Math.max(1, n);
  const scale = (v: number) => ((v - lo) / (hi - lo || 1)) * (horizontal ? plotW : plotH);
  const zero = scale(0);
  const every = props.time ? labelEvery(n) : 1;
  const shown = hover === null ? undefined : data[hover];

  return (
    <div className="chart money-bar-chart" aria-hidden="true" ref={ref} data-title={props.title} onMouseLeave={() => setHover(null)}>
      {width > 0 ? (
        <svg width={width} height={height}>
          <g className="grid">
            {ticks.map((t) =>
              horizontal ? (
                <line key={t} x1={margin.left + scale(t)} x2={margin.left + scale(t)} y1={margin.top} y2={margin.top + plotH} />
              ) : (
                <line key={t} x1={margin.left} x2={margin.left + plotW} y1={margin.top + plotH - scale(t)} y2={margin.top + plotH - scale(t)} />
              ),
            )}
          </g>
          <g className="ticks">
            {ticks.map((t) =>
              horizontal ? (
                <text key={t} x={margin.left + scale(t)} y={margin.top + plotH + 18} textAnchor="middle">{tickText(t)}</text>
              ) : (
                <text key={t} x={margin.left - 8} y={margin.top + plotH - scale(t)} dy="0.32em" textAnchor="end">{tickText(t)}</text>
              ),
            )}
          </g>
          {data.map((d, i) => {
            const at = i * band;
            const thick = Math.min(band * 0.72, 48);
            const from = Math.min(zero, scale(d.value));
            const length = Math.abs(scale(d.value) - zero);
            const labelShown = i % every === 0;
            return horizontal ? (
              <g key={i} onMouseEnter={() => setHover(i)}>
                <rect className="band" x={0} y={margin.top + at} width={width} height={band} />
                <rect className={hover === i ? 'bar bar--hover' : 'bar'} x={margin.left + from} y={margin.top + at + (band - thick) / 2} width={length} height={thick} />
                <text x={margin.left - 8} y={margin.top + at + band / 2} dy="0.32em" textAnchor="end">{short(d.label, labelChars)}</text>
              </g>
            ) : (
              <g key={i} onMouseEnter={() => setHover(i)}>
                <rect className="band" x={margin.left + at} y={0} width={band} height={height} />
                <rect className={hover === i ? 'bar bar--hover' : 'bar'} x={margin.left + at + (band - thick) / 2} y={margin.top + plotH - from - length} width={thick} height={length} />
                {labelShown ? (
                  slanted ? (
                    <text transform={`translate(${margin.left + at + band / 2},${margin.top + plotH + 12}) rotate(-30)`} textAnchor="end" dy="0.32em">{short(d.label)}</text>
                  ) : (
                    <text x={margin.left + at + band / 2} y={margin.top + plotH + 18} textAnchor="middle">{short(d.label)}</text>
                  )
                ) : null}
              </g>
            );
          })}
          <line className="axis" x1={margin.left + (horizontal ? zero : 0)} x2={margin.left + (horizontal ? zero : plotW)} y1={margin.top + (horizontal ? 0 : plotH - zero)} y2={margin.top + (horizontal ? plotH : plotH - zero)} />
        </svg>
      ) : null}
      {shown && hover !== null ? (
        <div
          className="chart-tooltip"
          style={{
            maxWidth: TOOLTIP_WIDTH,
            left: Math.max(0, Math.min(horizontal ? margin.left + 12 : margin.left + (hover + 0.5) * band, width - TOOLTIP_WIDTH)),
            top: horizontal ? margin.top + (hover + 1) * band : margin.top + 8,
          }}
        >
          <strong>{shown.label}</strong>
          <div>{shown.exact}</div>
        </div>
      ) : null}
    </div>
  );
}
