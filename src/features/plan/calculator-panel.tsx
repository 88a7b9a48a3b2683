import { useEffect, useMemo, useRef, useState } from 'react';
import { count, percent, usd, usdUnit } from '../../components/format';
import { SimpleTable } from '../../components/simple-table';
import { StatCard } from '../../components/stat-card';
import type { CubeRow } from '../../domain/cube';
import type { Pico } from '../../domain/money';
import { IMAGE_SIZES, LANES, type ActiveRates, type ImageSize, type Lane } from '../../domain/rate-card';
import {
  computeScenario, monthlyBySizeTable, scenarioFromCube, SCENARIO_LIMITS, standardVsBatchTable, type Breakdown, type LineResult, type Scenario, type ScenarioLine,
} from '../../domain/scenario';
import { UNPRICED_LABELS } from '../../domain/pricing';
import { useAppStore } from '../../state/store';
import { modelOptions, providerOptions } from './plan-options';
import { ScrollBox } from '../../components/scroll-box';

const money = (p: Pico | null) => (p === null ? '—' : usd(p));
/** Event-time clock for the slider-to-figures timing (called from handlers, never during render). */
function eventTime(): number {
  return performance.now();
}
const clampInt = (text: string, max: number) => Math.min(max, Math.max(0, Math.round(Number(text) || 0)));
const clamp2 = (text: string, max: number) => Math.min(max, Math.max(0, Math.round((Number(text) || 0) * 100) / 100));

export function CalculatorPanel(props: { rates: ActiveRates; cube: CubeRow[]; at: number; onSave: (s: Scenario) => void }) {
  const draft = useAppStore((s) => s.draftScenario);
  const setDraft = useAppStore((s) => s.setDraftScenario);
  const [fromData, setFromData] = useState<string | null>(null);
  const changedAt = useRef<number | null>(null);
  const timing = useRef<HTMLSpanElement>(null);
  const result = useMemo(() => computeScenario(draft, props.rates, props.at), [draft, props.rates, props.at]);
  const models = useMemo(() => modelOptions(props.rates), [props.rates]);

  // Slider-to-figures time: from the input event to the commit of the new figures.
  useEffect(() => {
    if (changedAt.current === null || !timing.current) return;
    const ms = performance.now() - changedAt.current;
    changedAt.current = null;
    timing.current.textContent = `${ms.toFixed(1)} ms`;
    timing.current.dataset.ms = String(ms);
  }, [result]);

  const update = (patch: Partial<Scenario>) => {
    changedAt.current = eventTime();
    setDraft({ ...draft, ...patch });
  };
  const updateLine = (index: number, patch: Partial<ScenarioLine>) =>
    update({ lines: draft.lines.map((l, i) => (i === index ? { ...l, ...patch } : l)) });
  const startFromData = () => {
    const found = scenarioFromCube(props.cube);
    if (!found) return setFromData('No logs are loaded.');
    update(found.scenario);
    setFromData(`Filled from ${found.from} to ${found.to}: ${count(found.scenario.volume)} images a day, ${found.scenario.lines.length} lines (${percent(found.coverage)} of images).`);
  };

  const [volumeNote, setVolumeNote] = useState<string | null>(null);
  // A volume above the limit is capped, and the page says so instead of changing the figure silently.
  const setVolume = (text: string) => {
    const typed = Number(text);
    setVolumeNote(typed > SCENARIO_LIMITS.maxVolume ? `${count(Math.round(typed))} is above the calculator's limit: capped at ${count(SCENARIO_LIMITS.maxVolume)} images.` : null);
    update({ volume: clampInt(text, SCENARIO_LIMITS.maxVolume) });
  };
  const shareSum = draft.lines.reduce((sum, l) => sum + l.share, 0);

  const first = draft.lines[0];
  const tableModel = first?.model ?? 'gemini-3.1-flash-image';
  const tableProvider = first?.provider ?? 'google';
  const tableLane: Lane = first?.lane ?? 'standard';

  return (
    <div className="plan-calculator">
      <div className="plan-toolbar no-print">
        <button type="button" className="primary" onClick={startFromData} data-testid="start-from-data">Start from my data</button>
        <button type="button" onClick={() => props.onSave(draft)} data-testid="save-scenario">Save scenario</button>
        {fromData ? <span className="muted" data-testid="from-data-note">{fromData}</span> : null}
      </div>

      <fieldset className="plan-inputs no-print">
        <legend>Inputs</legend>
        <label>
          Name
          <input type="text" value={draft.name} maxLength={SCENARIO_LIMITS.maxNameLength} data-testid="scenario-name"
            onChange={(e) => update({ name: e.target.value.replace(/[^\p{L}\p{N} .,_()+#&/:'%-]/gu, '') })} />
        </label>
        <label>
          Images
          <input type="number" min={0} max={SCENARIO_LIMITS.maxVolume} step={1} value={draft.volume} data-testid="volume"
            onChange={(e) => setVolume(e.target.value)} aria-describedby={volumeNote ? 'volume-note' : undefined} />
        </label>
        <label>
          per
          <select value={draft.per} data-testid="volume-per" onChange={(e) => update({ per: e.target.value === 'month' ? 'month' : 'day' })}>
            <option value="day">day</option>
            <option value="month">month</option>
          </select>
        </label>
        <label className="plan-slider">
          Volume slider
          <input type="range" min={0} max={Math.max(100_000, draft.volume)} step={100} value={draft.volume} data-testid="volume-slider"
            onChange={(e) => update({ volume: clampInt(e.target.value, SCENARIO_LIMITS.maxVolume) })} />
        </label>
        <label>
          Days per month
          <input type="number" min={1} max={31} value={draft.daysPerMonth} data-testid="days-per-month"
            onChange={(e) => update({ daysPerMonth: Math.min(31, Math.max(1, clampInt(e.target.value, 31))) })} />
        </label>
        <label className="plan-slider">
          Retries: {draft.retryPercent}% extra attempts
          <input type="range" min={0} max={50} step={0.5} value={draft.retryPercent} data-testid="retry-slider"
            onChange={(e) => update({ retryPercent: clamp2(e.target.value, SCENARIO_LIMITS.maxRetryPercent) })} />
        </label>
      </fieldset>
      {volumeNote ? <p className="banner banner--warn" role="status" id="volume-note" data-testid="volume-note">{volumeNote}</p> : null}

      <ScrollBox label="Scenario lines">
        <table className="table" data-testid="scenario-lines">
          <caption>The mix: each line gets its weight ÷ the sum of the weights (the Share column) of the volume. Per-image prices are exact (token math) and as the publishers list them.</caption>
          <thead>
            <tr>
              <th scope="col">Model</th><th scope="col">Provider</th><th scope="col">Lane</th><th scope="col">Size</th>
              <th scope="col" className="num">Weight</th><th scope="col" className="num">Share</th><th scope="col" className="num">Acceptance %</th>
              <th scope="col" className="num">Images / month</th><th scope="col" className="num">Exact / image</th>
              <th scope="col" className="num">Listed / image</th><th scope="col" className="num">Monthly</th><th scope="col"><span className="sr-only">Remove</span></th>
            </tr>
          </thead>
          <tbody>
            {result.lines.map((r, i) => (
              <LineRow key={i} index={i} result={r} shareSum={shareSum} models={models} rates={props.rates} canRemove={draft.lines.length > 1}
                onChange={(patch) => updateLine(i, patch)} onRemove={() => update({ lines: draft.lines.filter((_, j) => j !== i) })} />
            ))}
          </tbody>
        </table>
      </ScrollBox>
      <button type="button" className="no-print" disabled={draft.lines.length >= SCENARIO_LIMITS.maxLines} data-testid="add-line"
        onClick={() => update({ lines: [...draft.lines, { ...(draft.lines.at(-1) ?? draftLine()), share: 0 }] })}>
        Add a line
      </button>

      {/* Slider-to-figures time, for the benchmark only: a user has no use for it. */}
      <h3>Monthly cost <span ref={timing} data-testid="recompute-ms" hidden /></h3>
      <div className="stat-grid">
        <StatCard label="Monthly cost (exact)" value={usd(result.cost)} testId="calc-monthly-exact" hint={`${count(Math.round(result.monthlyImages))} images a month`} />
        <StatCard label="At list prices" value={money(result.listedCost)} testId="calc-monthly-listed" hint="publishers' rounded per-image prices" />
        <StatCard label="of which retries" value={usd(result.retryCost)} testId="calc-retry-cost" />
        <StatCard label="Cost per image" value={result.costPerImage === null ? '—' : usdUnit(result.costPerImage)} testId="calc-per-image" />
        <StatCard label="Cost per accepted image" value={result.costPerAccepted === null ? '—' : usdUnit(result.costPerAccepted)} testId="calc-per-accepted"
          hint={result.acceptedImages === null ? 'give every line an acceptance rate' : `${count(Math.round(result.acceptedImages))} accepted a month`} />
      </div>
      {result.unpricedLines > 0 ? (
        <p className="banner banner--warn" data-testid="calc-unpriced">
          {result.unpricedLines} line(s) have no price and are left out: {result.lines.filter((l) => l.reason).map((l) => `${l.line.model} ${l.line.size} ${l.line.lane} (${UNPRICED_LABELS[l.reason!]})`).join('; ')}.
        </p>
      ) : null}

      <div className="plan-breakdowns">
        <BreakdownTable title="By model" rows={result.byModel} total={result.cost} testId="breakdown-model" />
        <BreakdownTable title="By size" rows={result.bySize} total={result.cost} testId="breakdown-size" />
        <BreakdownTable title="By lane" rows={result.byLane} total={result.cost} testId="breakdown-lane" />
        <BreakdownTable title="By provider" rows={result.byProvider} total={result.cost} testId="breakdown-provider" />
      </div>

      <ClassicTables rates={props.rates} at={props.at} model={tableModel} provider={tableProvider} lane={tableLane} perDay={draft.per === 'day' ? draft.volume : Math.round(draft.volume / draft.daysPerMonth)} />
    </div>
  );
}

function draftLine(): ScenarioLine {
  return { model: 'gemini-3.1-flash-image', provider: 'google', lane: 'standard', size: '1K', share: 0, acceptance: null };
}

function LineRow(props: {
  index: number; result: LineResult; shareSum: number; models: { id: string; label: string }[]; rates: ActiveRates; canRemove: boolean;
  onChange: (patch: Partial<ScenarioLine>) => void; onRemove: () => void;
}) {
  const { line } = props.result;
  const providers = providerOptions(props.rates, line.model);
  const known = props.models.some((m) => m.id === line.model);
  return (
    <tr data-testid="scenario-line">
      <td>
        <select value={line.model} aria-label={`Line ${props.index + 1} model`} data-testid={`line-${props.index}-model`}
          onChange={(e) => props.onChange({ model: e.target.value, provider: providerOptions(props.rates, e.target.value)[0] ?? 'google' })}>
          {known ? null : <option value={line.model}>{line.model}</option>}
          {props.models.map((m) => <option key={m.id} value={m.id}>{m.label}</option>)}
        </select>
      </td>
      <td>
        <select value={line.provider} aria-label={`Line ${props.index + 1} provider`} onChange={(e) => props.onChange({ provider: e.target.value })}>
          {providers.includes(line.provider) ? null : <option value={line.provider}>{line.provider}</option>}
          {providers.map((p) => <option key={p} value={p}>{p}</option>)}
        </select>
      </td>
      <td>
        <select value={line.lane} aria-label={`Line ${props.index + 1} lane`} data-testid={`line-${props.index}-lane`} onChange={(e) => props.onChange({ lane: e.target.value as Lane })}>
          {LANES.map((l) => <option key={l} value={l}>{l}</option>)}
        </select>
      </td>
      <td>
        <select value={line.size} aria-label={`Line ${props.index + 1} size`} data-testid={`line-${props.index}-size`} onChange={(e) => props.onChange({ size: e.target.value as ImageSize })}>
          {IMAGE_SIZES.map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
      </td>
      <td className="num">
        <input type="number" min={0} max={SCENARIO_LIMITS.maxShare} value={line.share} className="plan-narrow" aria-label={`Line ${props.index + 1} weight`}
          data-testid={`line-${props.index}-share`} onChange={(e) => props.onChange({ share: clampInt(e.target.value, SCENARIO_LIMITS.maxShare) })} />
      </td>
      <td className="num" data-testid={`line-${props.index}-share-pct`}>{props.shareSum > 0 ? percent(line.share / props.shareSum) : '—'}</td>
      <td className="num">
        <input type="number" min={0} max={100} step={0.1} value={line.acceptance ?? ''} placeholder="—" className="plan-narrow" aria-label={`Line ${props.index + 1} acceptance`}
          data-testid={`line-${props.index}-acceptance`} onChange={(e) => props.onChange({ acceptance: e.target.value === '' ? null : clamp2(e.target.value, 100) })} />
      </td>
      <td className="num">{count(Math.round(props.result.monthlyImages))}</td>
      <td className="num" data-testid={`line-${props.index}-exact`}>{props.result.perImageExact === null ? '—' : usdUnit(props.result.perImageExact)}</td>
      <td className="num">{props.result.perImageListed === null ? '—' : usdUnit(props.result.perImageListed)}</td>
      <td className="num">{props.result.reason ? <span className="muted">{UNPRICED_LABELS[props.result.reason]}</span> : usd(props.result.cost)}</td>
      <td>{props.canRemove ? <button type="button" onClick={props.onRemove} aria-label={`Remove line ${props.index + 1}`}>×</button> : null}</td>
    </tr>
  );
}

function BreakdownTable(props: { title: string; rows: Breakdown[]; total: Pico; testId: string }) {
  return (
    <SimpleTable caption={props.title} testId={props.testId} rows={props.rows} rowKey={(r) => r.key} columns={[
      { key: 'key', header: props.title.replace('By ', ''), cell: (r) => r.key },
      { key: 'images', header: 'Images / month', numeric: true, cell: (r) => count(Math.round(r.monthlyImages)) },
      { key: 'cost', header: 'Monthly', numeric: true, cell: (r) => usd(r.cost) },
      { key: 'share', header: 'Share', numeric: true, cell: (r) => (props.total === 0n ? '—' : percent(Number((r.cost * 10_000n) / props.total) / 10_000)) },
    ]} />
  );
}

function ClassicTables(props: { rates: ActiveRates; at: number; model: string; provider: string; lane: Lane; perDay: number }) {
  const perDays = [...new Set([100, 1000, 10_000, props.perDay].filter((n) => n > 0))].sort((a, b) => a - b);
  const bySize = monthlyBySizeTable(props.rates, { model: props.model, provider: props.provider, lane: props.lane, perDay: perDays, at: props.at });
  const lanes = standardVsBatchTable(props.rates, { model: props.model, provider: props.provider, perDay: props.perDay, at: props.at });
  const cell = (exact: Pico | null, listed: Pico | null) =>
    exact === null ? '—' : listed === null ? usd(exact, 0) : <>{usd(exact, 0)} <span className="muted">(list {usd(listed, 0)})</span></>;
  return (
    <>
      <h3>Classic tables: {props.model} via {props.provider}</h3>
      <SimpleTable caption={`Monthly cost (× 30 days) by images per day and size, ${props.lane} lane: exact, and at list prices`} testId="classic-by-size"
        rows={bySize} rowKey={(r) => String(r.perDay)} columns={[
          { key: 'perDay', header: 'Images / day', numeric: true, cell: (r) => count(r.perDay) },
          ...IMAGE_SIZES.map((size, i) => ({ key: size, header: size, numeric: true, cell: (r: (typeof bySize)[number]) => cell(r.cells[i]!.exact, r.cells[i]!.listed) })),
        ]} />
      <SimpleTable caption={`Standard vs batch at ${count(props.perDay)} images a day (× 30 days)`} testId="classic-lanes" rows={lanes} rowKey={(r) => r.size} columns={[
        { key: 'size', header: 'Size', cell: (r) => r.size },
        { key: 'standard', header: 'Standard', numeric: true, cell: (r) => cell(r.standard.exact, r.standard.listed) },
        { key: 'batch', header: 'Batch', numeric: true, cell: (r) => cell(r.batch.exact, r.batch.listed) },
        { key: 'saving', header: 'Batch saves', numeric: true, cell: (r) => cell(r.saving.exact, r.saving.listed) },
      ]} />
    </>
  );
}
