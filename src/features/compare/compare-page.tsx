import { useMemo, useState } from 'react';
import { count, usd } from '../../components/format';
import { ScrollBox } from '../../components/scroll-box';
import type { Pico } from '../../domain/money';
import { UNPRICED_LABELS } from '../../domain/pricing';
import { compareProviders, workloadFromCube, workloadFromScenario, type CandidateResult } from '../../domain/provider-comparison';
import { useActiveRates } from '../../hooks/use-active-rates';
import { useCube } from '../../hooks/use-cube';
import { useAppStore } from '../../state/store';

type Source = 'log' | 'scenario';

const signed = (p: Pico) => `${p < 0n ? '−' : '+'}${usd((p < 0n ? -p : p) as Pico)}`;
const percentOf = (part: Pico, whole: Pico) => (whole === 0n ? '' : ` (${part < 0n ? '−' : '+'}${(Number(((part < 0n ? -part : part) * 1000n) / whole) / 10).toFixed(1)}%)`);

/** One workload priced on every provider × lane the rate card knows, side by side. */
export function ComparePage() {
  const { rates } = useActiveRates();
  const draft = useAppStore((s) => s.draftScenario);
  const [source, setSource] = useState<Source>('log');
  const cube = useCube();
  const [today] = useState(() => new Date().toISOString().slice(0, 10));
  const result = useMemo(() => {
    if (!rates) return null;
    if (source === 'scenario') return compareProviders(rates, workloadFromScenario(draft, today));
    if (!cube.data) return null;
    const workload = workloadFromCube(cube.data);
    return workload ? compareProviders(rates, workload) : null;
  }, [rates, source, draft, today, cube.data]);
  const label = (model: string) => rates?.models.get(model)?.label ?? model;
  const ready = result !== null || (source === 'log' && cube.data !== undefined);

  return (
    <section className="view" data-testid="view-compare" aria-labelledby="compare-title" data-status={ready ? 'ready' : 'loading'}>
      <h2 id="compare-title">Provider comparison</h2>
      <p className="muted view__intro">
        The same workload priced on every provider and lane of the rate card: Google, Vertex, OpenRouter, resellers, batch and flex. Image output
        at each provider's exact per-image price on each request's day (retries included); what a provider cannot price is listed, never guessed.
      </p>
      <fieldset className="segmented-field">
        <legend>Workload</legend>
        <label>
          <input type="radio" name="compare-source" checked={source === 'log'} onChange={() => setSource('log')} data-testid="compare-source-log" /> The loaded log's last 30 days
        </label>
        <label>
          <input type="radio" name="compare-source" checked={source === 'scenario'} onChange={() => setSource('scenario')} data-testid="compare-source-scenario" /> The calculator's scenario
          ({draft.name || 'untitled'}, one month)
        </label>
      </fieldset>
      {cube.error ? <p className="banner banner--error">The log summary could not be built: {cube.error}</p> : null}
      {!result ? (
        <p className="muted" data-testid="compare-empty">{ready ? 'No requests are loaded.' : 'Summarising the log…'}</p>
      ) : (
        <>
          <p data-testid="compare-summary">
            {source === 'log' ? `${result.from} to ${result.to} (UTC)` : `Scenario priced at the prices of ${result.to}`}: {count(result.requests)} requests
            {source === 'log' ? `, actually billed ${usd(result.actualCost)} for the priced ones (all meters)` : ''}.
          </p>
          <ScrollBox label="Providers side by side">
            <table className="table" data-testid="compare-table">
              <caption>Each provider × lane: cost of the image output it can price, what it cannot, and the difference against what was actually paid for the same requests</caption>
              <thead>
                <tr>
                  <th scope="col">Provider · lane</th>
                  <th scope="col" className="num">Image output cost</th>
                  <th scope="col" className="num">Requests priced</th>
                  <th scope="col" className="num">Cannot price</th>
                  {source === 'log' ? <th scope="col" className="num">vs actually paid (same requests)</th> : null}
                  <th scope="col">Prices checked</th>
                </tr>
              </thead>
              <tbody>
                {result.candidates.map((c) => (
                  <Row key={`${c.provider}|${c.lane}`} c={c} showActual={source === 'log'} label={label} />
                ))}
              </tbody>
            </table>
          </ScrollBox>
          <p className="muted">
            “vs actually paid” compares, for the requests this provider prices and that were priced when billed, its image-output cost with what those requests
            actually cost (the actual includes input and text tokens, which image-only prices leave out).
          </p>
        </>
      )}
    </section>
  );
}

function Row(props: { c: CandidateResult; showActual: boolean; label: (model: string) => string }) {
  const { c } = props;
  const id = `${c.provider}-${c.lane}`;
  return (
    <tr data-testid={`compare-row-${id}`}>
      <th scope="row">
        {c.provider} · {c.lane}
      </th>
      <td className="num" data-testid={`compare-cost-${id}`}>{c.pricedRequests ? usd(c.cost) : '—'}</td>
      <td className="num">{count(c.pricedRequests)}</td>
      <td className="num" data-testid={`compare-unpriced-${id}`} title={c.cannot.map((x) => `${props.label(x.model)} ${x.imageSize}: ${UNPRICED_LABELS[x.reason]} (${x.requests})`).join('\n')}>
        {c.unpricedRequests ? (
          <details>
            <summary>{count(c.unpricedRequests)}</summary>
            <ul className="compare-cannot">
              {c.cannot.slice(0, 8).map((x) => (
                <li key={`${x.model}|${x.imageSize}|${x.reason}`}>
                  {props.label(x.model)} {x.imageSize}: {UNPRICED_LABELS[x.reason]} ({count(x.requests)})
                </li>
              ))}
            </ul>
          </details>
        ) : (
          '—'
        )}
      </td>
      {props.showActual ? (
        <td className="num" data-testid={`compare-delta-${id}`}>
          {c.compared ? `${signed((c.compared.here - c.compared.actual) as Pico)}${percentOf((c.compared.here - c.compared.actual) as Pico, c.compared.actual)} on ${count(c.compared.requests)}` : '—'}
        </td>
      ) : null}
      <td>{c.checked.join(', ') || '—'}</td>
    </tr>
  );
}
