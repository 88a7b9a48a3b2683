import { useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { ExportCsvButton } from '../../components/export-csv-button';
import { count, usd, usdUnit } from '../../components/format';
import { csvFileName } from '../../domain/csv';
import type { Pico } from '../../domain/money';
import { cloneScenario, computeScenario, type Scenario } from '../../domain/scenario';
import type { ActiveRates } from '../../domain/rate-card';
import { useAppStore } from '../../state/store';
import { comparisonCsvTable, comparisonRows, mixSummary, unpricedLines } from './plan-export';
import { scenarioUrl, useSavedScenarios } from './use-plan-data';
import { ScrollBox } from '../../components/scroll-box';

const DRAFT_ID = '__draft__';

export function ScenariosPanel(props: { rates: ActiveRates; at: number; onOpen: () => void }) {
  const saved = useSavedScenarios();
  const draft = useAppStore((s) => s.draftScenario);
  const { setDraft, saveScenario, deleteScenario } = useAppStore(
    useShallow((s) => ({ setDraft: s.setDraftScenario, saveScenario: s.saveScenario, deleteScenario: s.deleteScenario })),
  );
  const [picked, setPicked] = useState<string[]>([]);
  const all = useMemo(() => [{ id: DRAFT_ID, scenario: { ...draft, name: `${draft.name || 'untitled'} (current)` } }, ...saved], [draft, saved]);
  const chosen = picked.map((id) => all.find((x) => x.id === id)).filter((x) => x !== undefined);
  const toggle = (id: string) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : p.length >= 4 ? p : [...p, id]));

  return (
    <div className="plan-scenarios">
      <p className="muted no-print">Saved scenarios stay in this browser. Tick 2 to 4 to compare them; the first ticked is the baseline.</p>
      {saved.length === 0 ? <p className="muted" data-testid="no-saved-scenarios">No saved scenarios yet: use “Save scenario” on the calculator.</p> : null}
      <ul className="plan-saved no-print" data-testid="saved-scenarios">
        {all.map(({ id, scenario }) => (
          <li key={id} data-testid={id === DRAFT_ID ? 'current-scenario' : 'saved-scenario'}>
            <label>
              <input type="checkbox" checked={picked.includes(id)} disabled={!picked.includes(id) && picked.length >= 4} onChange={() => toggle(id)}
                data-testid="compare-pick" />
              <strong data-testid="saved-name">{scenario.name || 'untitled'}</strong>
            </label>
            <span className="muted">
              {count(scenario.volume)} / {scenario.per}, {scenario.lines.length} line(s), retries {scenario.retryPercent}%
            </span>
            {id === DRAFT_ID ? null : (
              <span className="plan-saved__actions">
                <button type="button" onClick={() => { setDraft(cloneScenario(scenario)); props.onOpen(); }} data-testid="open-scenario">Open</button>
                <button type="button" data-testid="duplicate-scenario"
                  onClick={() => saveScenario(newId(), { ...cloneScenario(scenario), name: `${scenario.name} copy`.slice(0, 80) })}>Duplicate</button>
                <button type="button" onClick={() => { deleteScenario(id); setPicked((p) => p.filter((x) => x !== id)); }} data-testid="delete-scenario">Delete</button>
                <a href={scenarioUrl(scenario)} data-testid="scenario-link">Link</a>
              </span>
            )}
          </li>
        ))}
      </ul>
      {chosen.length >= 2 ? (
        <Comparison scenarios={chosen.map((c) => c.scenario)} rates={props.rates} at={props.at} />
      ) : (
        <p className="muted no-print" data-testid="compare-hint">Tick at least two scenarios to compare.</p>
      )}
    </div>
  );
}

export function newId(): string {
  return `s-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

function Comparison(props: { scenarios: Scenario[]; rates: ActiveRates; at: number }) {
  const results = useMemo(() => props.scenarios.map((s) => computeScenario(s, props.rates, props.at)), [props.scenarios, props.rates, props.at]);
  const rows = comparisonRows(results);
  const names = props.scenarios.map((s) => s.name || 'untitled');
  const show = (v: Pico | number | null, kind: 'money' | 'count', id: string) =>
    v === null ? '—' : typeof v === 'bigint' ? (id.startsWith('cost_per') ? usdUnit(v) : usd(v)) : kind === 'count' ? count(Math.round(v)) : String(v);
  const signed = (v: Pico | number | null, kind: 'money' | 'count', id: string) => {
    if (v === null) return '—';
    const negative = typeof v === 'bigint' ? v < 0n : v < 0;
    const abs = typeof v === 'bigint' ? ((negative ? -v : v) as Pico) : Math.abs(v);
    return `${negative ? '−' : '+'}${show(abs, kind, id)}`;
  };
  const csv = comparisonCsvTable(props.scenarios, results);
  return (
    <section className="plan-comparison print-summary" data-testid="comparison">
      <div className="plan-toolbar no-print">
        <ExportCsvButton fileName={csvFileName('scenario comparison')} header={csv.header} rows={() => csv.rows} testId="export-comparison" label="Export comparison (CSV)" />
        <button type="button" onClick={() => window.print()} data-testid="print-summary">Print one-page summary</button>
      </div>
      <header className="print-only">
        <h2>PixelSpend: scenario comparison</h2>
        <p>Prices as of {new Date(props.at).toISOString().slice(0, 10)}. Monthly figures; differences are against “{names[0]}”.</p>
      </header>
      <ScrollBox label="Scenario comparison">
        <table className="table plan-compare-table" data-testid="comparison-table">
          <caption>Side by side; under each figure, the difference from the first scenario in $ and %</caption>
          <thead>
            <tr>
              <th scope="col">Figure</th>
              {names.map((n, i) => <th key={i} scope="col" className="num">{n}</th>)}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.metric.id} data-testid={`compare-${r.metric.id}`}>
                <th scope="row">{r.metric.label}</th>
                {r.metric.values.map((v, i) => {
                  const d = i > 0 ? r.deltas[i - 1]! : null;
                  return (
                    <td key={i} className="num">
                      {show(v, r.metric.kind, r.metric.id)}
                      {d ? (
                        <div className="plan-delta" data-testid={`delta-${r.metric.id}-${i}`}>
                          {signed(d.delta, r.metric.kind, r.metric.id)} / {d.percent === null ? '—' : `${d.percent >= 0 ? '+' : '−'}${Math.abs(d.percent * 100).toFixed(1)}%`}
                        </div>
                      ) : null}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollBox>
      {results.some((r) => r.unpricedLines > 0) ? (
        <div className="banner banner--warn" data-testid="comparison-unpriced">
          Left out of these figures because they have no price:
          <ul>
            {results.map((r, i) => (r.unpricedLines > 0 ? <li key={i}><strong>{names[i]}</strong>: {unpricedLines(r).join('; ')}</li> : null))}
          </ul>
        </div>
      ) : null}
      <h3>Assumptions</h3>
      <ul className="plan-assumptions">
        {props.scenarios.map((s, i) => (
          <li key={i} data-testid="assumption">
            <strong>{s.name || 'untitled'}</strong>: {count(s.volume)} images per {s.per} ({s.daysPerMonth} days a month), retries +{s.retryPercent}%.
            Models: {mixSummary(s, (l) => l.model)}. Sizes: {mixSummary(s, (l) => l.size)}. Lanes: {mixSummary(s, (l) => l.lane)}. Providers:{' '}
            {mixSummary(s, (l) => l.provider)}.
          </li>
        ))}
      </ul>
      <p className="print-only muted">Exact cost = image tokens × rate from the rate card; list prices are the publishers' rounded per-image figures. Generated by PixelSpend, computed locally.</p>
    </section>
  );
}
