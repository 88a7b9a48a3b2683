import { useState, type KeyboardEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { StatusBanner } from '../../components/status-banner';
import type { Scenario } from '../../domain/scenario';
import { useActiveRates } from '../../hooks/use-active-rates';
import { useCube } from '../../hooks/use-cube';
import { useAppStore } from '../../state/store';
import { BudgetPanel } from './budget-panel';
import { CalculatorPanel } from './calculator-panel';
import { PoliciesPanel } from './policies-panel';
import { newId, ScenariosPanel } from './scenarios-panel';
import { useSavedScenarios, useScenarioLink } from './use-plan-data';
import './plan.css';

const TABS = [
  { id: 'calculator', label: 'Calculator' },
  { id: 'scenarios', label: 'Scenarios' },
  { id: 'policies', label: 'Routing policies' },
  { id: 'budget', label: 'Budget' },
] as const;
type Tab = (typeof TABS)[number]['id'];

export function PlanPage() {
  const linkProblem = useScenarioLink();
  const cube = useCube();
  const { rates } = useActiveRates();
  const [tab, setTab] = useState<Tab>('calculator');
  const [at] = useState(() => Date.now());
  const saved = useSavedScenarios();
  const { saveScenario } = useAppStore(useShallow((s) => ({ saveScenario: s.saveScenario })));
  const [savedNote, setSavedNote] = useState<string | null>(null);

  // Arrow keys, Home and End move between tabs (WAI-ARIA tabs pattern, automatic activation).
  const onTabKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const index = TABS.findIndex((t) => t.id === tab);
    const to = e.key === 'ArrowRight' ? (index + 1) % TABS.length : e.key === 'ArrowLeft' ? (index + TABS.length - 1) % TABS.length : e.key === 'Home' ? 0 : e.key === 'End' ? TABS.length - 1 : -1;
    if (to < 0) return;
    e.preventDefault();
    setTab(TABS[to]!.id);
    document.getElementById(`plan-tab-${TABS[to]!.id}`)?.focus();
  };

  const save = (scenario: Scenario) => {
    const same = saved.find((s) => s.scenario.name === scenario.name);
    saveScenario(same?.id ?? newId(), scenario);
    setSavedNote(`${same ? 'Updated' : 'Saved'} “${scenario.name || 'untitled'}”.`);
  };

  return (
    <section className="view plan" data-testid="view-plan" aria-labelledby="plan-title">
      <h2 id="plan-title">Plan: calculator, scenarios, routing policies, budget</h2>
      <p className="muted plan-filters-note">Planning starts from everything loaded: the filters above do not apply to this view.</p>
      {linkProblem ? (
        <StatusBanner tone="warn" testId="scenario-link-problem">
          This link's scenario could not be used ({linkProblem}), so the calculator shows the default scenario instead.
        </StatusBanner>
      ) : null}
      {savedNote ? <p className="muted no-print" role="status" data-testid="saved-note">{savedNote}</p> : null}
      <div className="plan-tabs no-print" role="tablist" aria-label="Plan sections" onKeyDown={onTabKey}>
        {TABS.map((t) => (
          <button key={t.id} type="button" role="tab" id={`plan-tab-${t.id}`} aria-selected={tab === t.id} aria-controls="plan-panel"
            tabIndex={tab === t.id ? 0 : -1} className={tab === t.id ? 'nav-tab nav-tab--active' : 'nav-tab'}
            onClick={() => setTab(t.id)} data-testid={`plan-tab-${t.id}`}>
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id="plan-panel" aria-labelledby={`plan-tab-${tab}`} data-testid="plan-panel">
      {!rates ? (
        <p className="muted">The rate card has problems; fix it to plan.</p>
      ) : cube.error ? (
        <StatusBanner tone="error">The summary of the logs could not be built: {cube.error}</StatusBanner>
      ) : !cube.data ? (
        <p className="muted" data-testid="plan-loading">Summarising the logs…</p>
      ) : tab === 'calculator' ? (
        <CalculatorPanel rates={rates} cube={cube.data} at={at} onSave={save} />
      ) : tab === 'scenarios' ? (
        <ScenariosPanel rates={rates} at={at} onOpen={() => setTab('calculator')} />
      ) : tab === 'policies' ? (
        <PoliciesPanel rates={rates} cube={cube.data} />
      ) : (
        <BudgetPanel rates={rates} cube={cube.data} at={at} />
      )}
      </div>
    </section>
  );
}
