import { useMemo, useState } from 'react';
import { ExportCsvButton } from '../../components/export-csv-button';
import { ScrollBox } from '../../components/scroll-box';
import { count, usd } from '../../components/format';
import { StatCard } from '../../components/stat-card';
import { StatusBanner } from '../../components/status-banner';
import { loadAttributeNames, loadSpendByAttribute } from '../../db/attributes';
import {
  BUDGET_CSV_COLUMNS, budgetCsvRows, budgetInput, checkThresholds, DEFAULT_THRESHOLDS, forecastMonth, formatBudgetError, formatBudgetPercent, monthName,
  nextMonth, parseBudgetCsv, scopeKey, scopeLabel, statusText, worstStatus, type BudgetInput, type BudgetLine, type BudgetStatus,
} from '../../domain/budget';
import { lastDay, type CubeRow } from '../../domain/cube';
import type { Pico } from '../../domain/money';
import type { ActiveRates } from '../../domain/rate-card';
import { computeScenario } from '../../domain/scenario';
import { useAsync } from '../../hooks/use-async';
import { budgetsUrl, useBudgetLines, useBudgetLink, useBudgetTable } from '../../hooks/use-budgets';
import { useSession } from '../../hooks/use-session';
import { useAppStore } from '../../state/store';
import { useSavedScenarios } from './use-plan-data';

const lineKey = (month: string, key: string) => `${month}\u0000${key}`;

/** Attribute names the log carries, and the values of those the table uses (for pickers). */
function useScopeChoices(usedNames: readonly string[]) {
  const { session, version } = useSession();
  const key = usedNames.join('\u0000');
  const work = useMemo(
    () => (session && session.rates && version >= 0
      ? (signal: AbortSignal) => session.read(async (engine) => {
          const names = (await loadAttributeNames(engine)).map((n) => n.name);
          const values: Record<string, string[]> = {};
          for (const name of key ? key.split('\u0000') : []) {
            if (names.includes(name)) values[name] = (await loadSpendByAttribute(engine, name)).flatMap((g) => (g.value === null ? [] : [g.value])).slice(0, 200);
          }
          return { names, values };
        }, () => !signal.aborted)
      : null),
    [session, version, key],
  );
  return useAsync(work);
}

export function BudgetPanel(props: { rates: ActiveRates; cube: CubeRow[]; at: number }) {
  const table = useBudgetTable();
  const setBudgets = useAppStore((s) => s.setBudgets);
  const setThresholds = useAppStore((s) => s.setBudgetThresholds);
  const link = useBudgetLink();
  const lines = useBudgetLines(table.rows, table.thresholds);
  const usedNames = useMemo(() => [...new Set(table.inputs.map((i) => i.attribute.trim()).filter((a) => a !== '' && a !== 'overall'))].sort(), [table.inputs]);
  const choices = useScopeChoices(usedNames);
  const draft = useAppStore((s) => s.draftScenario);
  const saved = useSavedScenarios();
  const [scenarioId, setScenarioId] = useState('current');
  const [note, setNote] = useState<string | null>(null);
  const [importErrors, setImportErrors] = useState<string[]>([]);
  const [thresholdText, setThresholdText] = useState({ warn: String(table.thresholds.warn), over: String(table.thresholds.over) });
  const last = lastDay(props.cube);
  const current = last?.slice(0, 7) ?? null;
  const t = table.thresholds;

  const byKey = useMemo(() => new Map((lines.data?.lines ?? []).map((l) => [lineKey(l.month, scopeKey(l.scope)), l])), [lines.data]);
  const overallBudget = table.rows.find((r) => r.month === current && r.scope === null)?.amount ?? null;
  const forecast = last === null ? null : forecastMonth(props.cube, last, overallBudget);
  const chosen = scenarioId === 'current' ? draft : (saved.find((s) => s.id === scenarioId)?.scenario ?? draft);
  const next = useMemo(() => computeScenario(chosen, props.rates, props.at), [chosen, props.rates, props.at]);
  if (!forecast || !current) return <p className="muted">Load a request log to see budgets against spend and a forecast.</p>;
  const nextBudget = table.rows.find((r) => r.month === nextMonth(current) && r.scope === null)?.amount ?? null;
  const nextOver = nextBudget !== null && next.cost > nextBudget;
  const currentLines = (lines.data?.lines ?? []).filter((l) => l.month === current);

  const edit = (index: number, patch: Partial<BudgetInput>) => setBudgets(table.inputs.map((r, i) => (i === index ? { ...r, ...patch } : r)));
  const addRow = () => setBudgets([...table.inputs, { month: current, attribute: 'overall', value: '', amount: '' }]);
  const removeRow = (index: number) => setBudgets(table.inputs.filter((_, i) => i !== index));
  const editThreshold = (field: 'warn' | 'over', text: string) => {
    const nextText = { ...thresholdText, [field]: text };
    setThresholdText(nextText);
    const checked = checkThresholds({ warn: Number(nextText.warn), over: Number(nextText.over) });
    if (checked.ok) setThresholds(checked.thresholds);
  };
  const thresholdProblem = (() => {
    const checked = checkThresholds({ warn: Number(thresholdText.warn), over: Number(thresholdText.over) });
    return checked.ok ? null : checked.problem;
  })();
  const importFile = async (file: File) => {
    const parsed = parseBudgetCsv(await file.text());
    if (!parsed.ok) {
      setImportErrors(parsed.errors.slice(0, 20).map((e) => `${file.name}: ${formatBudgetError(e)}`));
      setNote(null);
      return;
    }
    setImportErrors([]);
    setBudgets(parsed.rows.map(budgetInput));
    setNote(`Imported ${count(parsed.rows.length)} budget row(s) from ${file.name}; they replace the table.`);
  };
  const copyLink = async () => {
    const url = budgetsUrl(table.rows);
    try {
      await navigator.clipboard.writeText(url);
      setNote('Link copied: it opens the plan view with this budget table.');
    } catch {
      setNote(`Copy this link: ${url}`);
    }
  };

  return (
    <div className="plan-budget">
      {link.problem ? <StatusBanner tone="warn" testId="budget-link-problem">The budgets in this link could not be used ({link.problem}); the table is unchanged.</StatusBanner> : null}
      {link.replaced ? (
        <StatusBanner tone="info" testId="budget-link-replaced">
          The link's budgets replaced the {count(link.replaced.length)} row(s) this browser had.{' '}
          <button type="button" onClick={link.undo} data-testid="budget-link-undo">Put mine back</button>
        </StatusBanner>
      ) : null}

      <fieldset className="plan-inputs budget-thresholds">
        <legend>Thresholds (percent of budget)</legend>
        <label>
          Warn at
          <input type="number" min={1} max={1000} step={1} className="plan-narrow" value={thresholdText.warn} onChange={(e) => editThreshold('warn', e.target.value)} data-testid="budget-threshold-warn" />
        </label>
        <label>
          Over at
          <input type="number" min={1} max={1000} step={1} className="plan-narrow" value={thresholdText.over} onChange={(e) => editThreshold('over', e.target.value)} data-testid="budget-threshold-over" />
        </label>
        {thresholdProblem ? <span role="alert" className="budget-problem">{thresholdProblem}</span> : null}
        {t.warn !== DEFAULT_THRESHOLDS.warn || t.over !== DEFAULT_THRESHOLDS.over ? (
          <button type="button" onClick={() => { setThresholds({ ...DEFAULT_THRESHOLDS }); setThresholdText({ warn: String(DEFAULT_THRESHOLDS.warn), over: String(DEFAULT_THRESHOLDS.over) }); }}>Reset to 80 / 100</button>
        ) : null}
      </fieldset>

      <div className="plan-toolbar no-print">
        <button type="button" onClick={addRow} data-testid="budget-add">Add a budget</button>
        <label className="control">
          Import budgets (CSV)
          <input type="file" accept=".csv,text/csv" data-testid="budget-import"
            onChange={(e) => { const file = e.target.files?.[0]; e.target.value = ''; if (file) void importFile(file); }} />
        </label>
        <ExportCsvButton fileName="pixelspend-budgets.csv" header={BUDGET_CSV_COLUMNS} rows={() => budgetCsvRows(table.rows)} testId="budget-export" label="Export budgets (CSV)" />
        <button type="button" onClick={() => void copyLink()} disabled={table.rows.length === 0} data-testid="budget-copy-link">Copy link</button>
      </div>
      {note ? <p className="muted" role="status" data-testid="budget-note">{note}</p> : null}
      {importErrors.length ? (
        <StatusBanner tone="error" testId="budget-import-errors">
          The file was not imported; the table is unchanged.
          <ul>{importErrors.map((e) => <li key={e}>{e}</li>)}</ul>
        </StatusBanner>
      ) : null}

      <datalist id="budget-attributes">{(choices.data?.names ?? []).map((n) => <option key={n} value={n} />)}</datalist>
      {usedNames.map((name) => (
        <datalist key={name} id={`budget-values-${usedNames.indexOf(name)}`}>{(choices.data?.values[name] ?? []).map((v) => <option key={v} value={v} />)}</datalist>
      ))}

      {table.inputs.length === 0 ? (
        <p className="muted" data-testid="budget-empty">
          No budgets yet. Add one per month, for the whole log (scope “overall”) or for one value of an attribute the log carries
          {choices.data?.names.length ? ` (${choices.data.names.slice(0, 6).join(', ')})` : ''}, or import a CSV with columns {BUDGET_CSV_COLUMNS.join(', ')}.
        </p>
      ) : (
        <ScrollBox label="Budgets">
          <table className="table budget-table" data-testid="budget-table">
            <caption className="muted">Budget vs actual: priced spend of everything loaded, as of {last}. Variance is actual − budget.</caption>
            <thead>
              <tr>
                <th scope="col">Month</th><th scope="col">Scope</th><th scope="col">Value</th><th scope="col">Budget (USD)</th>
                <th scope="col">Actual</th><th scope="col">Variance</th><th scope="col">Used</th><th scope="col">Status</th><th scope="col"><span className="sr-only">Remove</span></th>
              </tr>
            </thead>
            <tbody>
              {table.inputs.map((input, index) => {
                const problem = table.problems.find((p) => p.index === index);
                const valid = !problem;
                const attribute = input.attribute.trim();
                const isOverall = attribute === '' || attribute === 'overall';
                const line = valid ? byKey.get(lineKey(input.month.trim(), isOverall && input.value.trim() === '' ? '' : scopeKey({ attribute, value: input.value.trim() }))) : undefined;
                const status = line ? worstStatus(line.status, line.forecastStatus) : null;
                const rowLabel = `budget ${index + 1}`;
                return (
                  <tr key={index} className={status ? `budget-row budget-row--${status}` : 'budget-row'} data-testid={`budget-row-${index}`}>
                    <td><input type="month" aria-label={`Month of ${rowLabel}`} value={input.month} onChange={(e) => edit(index, { month: e.target.value })} data-testid={`budget-month-${index}`} /></td>
                    <td><input type="text" list="budget-attributes" aria-label={`Scope of ${rowLabel}: overall or an attribute name`} value={input.attribute} size={10}
                      onChange={(e) => edit(index, { attribute: e.target.value, ...(e.target.value === 'overall' ? { value: '' } : {}) })} data-testid={`budget-scope-${index}`} /></td>
                    <td><input type="text" list={isOverall ? undefined : `budget-values-${usedNames.indexOf(attribute)}`} aria-label={`Attribute value of ${rowLabel}`} value={input.value} size={10}
                      disabled={isOverall && input.value === ''} onChange={(e) => edit(index, { value: e.target.value })} data-testid={`budget-value-${index}`} /></td>
                    <td>
                      <input type="text" inputMode="decimal" aria-label={`Budget in USD of ${rowLabel}`} value={input.amount} placeholder="e.g. 2500" size={9}
                        aria-invalid={problem ? true : undefined} aria-describedby={problem ? `budget-problem-${index}` : undefined}
                        onChange={(e) => edit(index, { amount: e.target.value.slice(0, 20) })} data-testid={`budget-amount-${index}`} />
                      {problem ? <div id={`budget-problem-${index}`} className="budget-problem" data-testid={`budget-problem-${index}`}>{problem.column ? `${problem.column}: ` : ''}{problem.message}</div> : null}
                    </td>
                    <LineCells line={line} status={status} t={t} index={index} />
                    <td><button type="button" aria-label={`Remove ${rowLabel}`} onClick={() => removeRow(index)} data-testid={`budget-remove-${index}`}>×</button></td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </ScrollBox>
      )}
      {lines.error ? <StatusBanner tone="error">Spend per budget could not be read: {lines.error}</StatusBanner> : null}

      <h3>{monthName(current)} so far, and the forecast to month end</h3>
      {forecast.isOver ? (
        <StatusBanner tone="error" testId="budget-warning">
          The forecast for {forecast.month} ({usd(forecast.forecast)}) is over the budget of {usd(forecast.budget!)} by {usd((forecast.forecast - forecast.budget!) as Pico)}.
        </StatusBanner>
      ) : forecast.mayExceed ? (
        <StatusBanner tone="warn" testId="budget-warning">
          The forecast is within budget, but its high end ({usd(forecast.forecastHigh)}) is over {usd(forecast.budget!)}.
        </StatusBanner>
      ) : null}
      <div className="stat-grid">
        <StatCard label={`Month to date (${forecast.month}, ${forecast.daysElapsed} of ${forecast.daysInMonth} days)`} value={usd(forecast.monthToDate)} testId="budget-mtd" />
        <StatCard label="Run rate per day" value={usd(forecast.dailyRate)} testId="budget-daily" hint={`mean of the last ${forecast.windowDays} days`} />
        <StatCard label="Forecast to month end" value={usd(forecast.forecast)} testId="budget-forecast" tone={forecast.isOver ? 'warn' : 'default'}
          hint={`95% range ${usd(forecast.forecastLow)} – ${usd(forecast.forecastHigh)}`} />
        <StatCard label={`Overall budget for ${forecast.month}`} value={forecast.budget === null ? '—' : usd(forecast.budget)} testId="budget-value"
          hint={forecast.budget === null ? 'not set' : forecast.isOver ? 'forecast over budget' : 'forecast within budget'} tone={forecast.budget !== null && !forecast.mayExceed ? 'good' : 'default'} />
      </div>
      {currentLines.length > 0 ? (
        <ScrollBox label="Forecast per budget">
          <table className="table" data-testid="budget-forecasts">
            <caption className="muted">Forecast for {monthName(current)} per budget, as of {last} (run rate of the last 30 days; 95% range)</caption>
            <thead><tr><th scope="col">Scope</th><th scope="col">Budget</th><th scope="col">Month to date</th><th scope="col">Forecast</th><th scope="col">Range</th><th scope="col">Forecast used</th><th scope="col">Status</th></tr></thead>
            <tbody>
              {currentLines.map((l) => (
                <tr key={scopeKey(l.scope)} className={`budget-row budget-row--${worstStatus(l.status, l.forecastStatus)}`} data-testid="budget-forecast-row">
                  <th scope="row">{scopeLabel(l.scope)}</th>
                  <td className="num">{usd(l.budget)}</td>
                  <td className="num">{usd(l.actual)}</td>
                  <td className="num" data-testid="budget-forecast-value">{usd(l.forecast!.forecast)}</td>
                  <td className="num">{usd(l.forecast!.forecastLow)} – {usd(l.forecast!.forecastHigh)}</td>
                  <td className="num">{formatBudgetPercent(l.forecastPercent)}</td>
                  <td>{statusText(worstStatus(l.status, l.forecastStatus), t)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollBox>
      ) : null}

      <h3>Next month ({nextMonth(forecast.month)}) under a scenario</h3>
      <label>
        Scenario{' '}
        <select value={scenarioId} onChange={(e) => setScenarioId(e.target.value)} data-testid="budget-scenario">
          <option value="current">{draft.name || 'untitled'} (current)</option>
          {saved.map((s) => <option key={s.id} value={s.id}>{s.scenario.name || 'untitled'}</option>)}
        </select>
      </label>
      <div className="stat-grid">
        <StatCard label="Next month under the scenario" value={usd(next.cost)} testId="budget-next-month" tone={nextOver ? 'warn' : 'default'}
          hint={nextBudget === null ? `no overall budget for ${nextMonth(forecast.month)}` : nextOver ? `${usd((next.cost - nextBudget) as Pico)} over budget` : `${usd((nextBudget - next.cost) as Pico)} under budget`} />
      </div>
    </div>
  );
}

function LineCells(props: { line: BudgetLine | undefined; status: BudgetStatus | null; t: { warn: number; over: number }; index: number }) {
  const { line, index } = props;
  if (!line) return <><td className="num">—</td><td className="num">—</td><td className="num">—</td><td /></>;
  return (
    <>
      <td className="num" data-testid={`budget-actual-${index}`}>
        {line.isFuture ? <span className="muted">not started</span> : usd(line.actual)}
        {line.unpricedRequests > 0 ? <div className="muted budget-unpriced" data-testid={`budget-unpriced-${index}`}>+ {count(line.unpricedRequests)} unpriced request(s), not included</div> : null}
      </td>
      <td className="num" data-testid={`budget-variance-${index}`}>{usd(line.variance)}{line.variancePercent === null ? '' : ` (${line.variancePercent > 0 ? '+' : ''}${line.variancePercent.toFixed(1)} %)`}</td>
      <td className="num" data-testid={`budget-used-${index}`}>
        {formatBudgetPercent(line.usedPercent)}
        {line.forecast ? <div className="muted">forecast {formatBudgetPercent(line.forecastPercent)}</div> : null}
      </td>
      <td data-testid={`budget-status-${index}`}>{props.status ? statusText(props.status, props.t) : ''}</td>
    </>
  );
}
