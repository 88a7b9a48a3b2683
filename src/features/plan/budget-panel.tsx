import { useMemo, useState } from 'react';
import { usd } from '../../components/format';
import { StatCard } from '../../components/stat-card';
import { StatusBanner } from '../../components/status-banner';
import { forecastMonth, nextMonth } from '../../domain/budget';
import { lastDay, type CubeRow } from '../../domain/cube';
import { isValidDate } from '../../domain/filters';
import { parseUsd, type Pico } from '../../domain/money';
import type { ActiveRates } from '../../domain/rate-card';
import { computeScenario } from '../../domain/scenario';
import { useAppStore } from '../../state/store';
import { useSavedScenarios } from './use-plan-data';

function budgetPico(text: string): Pico | null {
  if (!/^\d{1,12}(\.\d{1,2})?$/.test(text.trim())) return null;
  return parseUsd(text.trim());
}

export function BudgetPanel(props: { rates: ActiveRates; cube: CubeRow[]; at: number }) {
  const budgetText = useAppStore((s) => s.monthlyBudget);
  const setBudget = useAppStore((s) => s.setMonthlyBudget);
  const draft = useAppStore((s) => s.draftScenario);
  const saved = useSavedScenarios();
  const last = lastDay(props.cube);
  const [asOfText, setAsOf] = useState('');
  const [scenarioId, setScenarioId] = useState('current');
  const asOf = isValidDate(asOfText) ? asOfText : last;
  const budget = budgetPico(budgetText);
  const forecast = useMemo(() => (asOf === null ? null : forecastMonth(props.cube, asOf, budget)), [props.cube, asOf, budget]);
  const chosen = scenarioId === 'current' ? draft : (saved.find((s) => s.id === scenarioId)?.scenario ?? draft);
  const next = useMemo(() => computeScenario(chosen, props.rates, props.at), [chosen, props.rates, props.at]);
  if (!forecast) return <p className="muted">Load a request log to see month-to-date spend and a forecast.</p>;
  const nextOver = budget !== null && next.cost > budget;

  return (
    <div className="plan-budget">
      <div className="plan-toolbar">
        <label>
          Monthly budget (USD){' '}
          <input type="text" inputMode="decimal" value={budgetText} placeholder="e.g. 2500" data-testid="budget-input"
            onChange={(e) => setBudget(e.target.value.replace(/[^\d.]/g, '').slice(0, 15))} />
        </label>
        {budgetText !== '' && budget === null ? <span className="muted">enter dollars, up to 2 decimals</span> : null}
        <label>
          As of{' '}
          <input type="date" value={asOf ?? ''} max={last ?? undefined} onChange={(e) => setAsOf(e.target.value)} data-testid="budget-as-of" />
        </label>
        <span className="muted">(defaults to the last logged day, {last})</span>
      </div>
      {forecast.isOver ? (
        <StatusBanner tone="error" testId="budget-warning">
          The forecast for {forecast.month} ({usd(forecast.forecast)}) is over the budget of {usd(budget!)} by {usd((forecast.forecast - budget!) as Pico)}.
        </StatusBanner>
      ) : forecast.mayExceed ? (
        <StatusBanner tone="warn" testId="budget-warning">
          The forecast is within budget, but its high end ({usd(forecast.forecastHigh)}) is over {usd(budget!)}.
        </StatusBanner>
      ) : null}
      <div className="stat-grid">
        <StatCard label={`Month to date (${forecast.month}, ${forecast.daysElapsed} of ${forecast.daysInMonth} days)`} value={usd(forecast.monthToDate)} testId="budget-mtd" />
        <StatCard label="Run rate per day" value={usd(forecast.dailyRate)} testId="budget-daily" hint={`mean of the last ${forecast.windowDays} days`} />
        <StatCard label="Forecast to month end" value={usd(forecast.forecast)} testId="budget-forecast" tone={forecast.isOver ? 'warn' : 'default'}
          hint={`95% range ${usd(forecast.forecastLow)} – ${usd(forecast.forecastHigh)}`} />
        <StatCard label="Budget" value={budget === null ? '—' : usd(budget)} testId="budget-value"
          hint={budget === null ? 'not set' : forecast.isOver ? 'forecast over budget' : 'forecast within budget'} tone={budget !== null && !forecast.mayExceed ? 'good' : 'default'} />
      </div>
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
          hint={budget === null ? undefined : nextOver ? `${usd((next.cost - budget) as Pico)} over budget` : `${usd((budget - next.cost) as Pico)} under budget`} />
      </div>
    </div>
  );
}
