import { useEffect, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { loadBudgetLines } from '../db/budgets';
import { budgetInput, checkBudgetInputs, decodeBudgets, encodeBudgets, sanitizeBudgetInputs, type BudgetInput, type BudgetLine, type BudgetRow, type BudgetThresholds } from '../domain/budget';
import { useAppStore } from '../state/store';
import { useAsync, type AsyncState } from './use-async';
import { useSession } from './use-session';

export interface BudgetTable {
  inputs: BudgetInput[];
  /** the inputs that are valid budgets */
  rows: BudgetRow[];
  problems: { index: number; column: string | null; message: string }[];
  thresholds: BudgetThresholds;
}

/** The budget table in the store, checked (local storage is not trusted either). */
export function useBudgetTable(): BudgetTable {
  const { budgets, thresholds } = useAppStore(useShallow((s) => ({ budgets: s.budgets, thresholds: s.budgetThresholds })));
  return useMemo(() => {
    const inputs = sanitizeBudgetInputs(budgets);
    return { inputs, ...checkBudgetInputs(inputs), thresholds };
  }, [budgets, thresholds]);
}

/** Budget vs actual of the loaded logs (everything loaded: planning ignores the filters). */
export function useBudgetLines(rows: readonly BudgetRow[], thresholds: BudgetThresholds): AsyncState<{ lines: BudgetLine[]; asOf: string | null }> {
  const { session, version } = useSession();
  const work = useMemo(
    () => (session && session.rates && version >= 0 && rows.length > 0 ? (signal: AbortSignal) => session.read((engine) => loadBudgetLines(engine, rows, thresholds), () => !signal.aborted) : null),
    [session, version, rows, thresholds],
  );
  return useAsync(work);
}

let linkRead: { problem: string | null; replaced: BudgetInput[] | null } | undefined;

/**
 * Reads `?budgets=` once per page load into the store (the budgets it replaced can be put
 * back), then keeps the link in step with the table while the plan view is open.
 */
export function useBudgetLink(): { problem: string | null; replaced: BudgetInput[] | null; undo: () => void } {
  const [read] = useState(() => {
    if (linkRead) return linkRead;
    const token = new URLSearchParams(window.location.search).get('budgets');
    linkRead = { problem: null, replaced: null };
    if (token !== null) {
      const decoded = decodeBudgets(token);
      if (decoded.ok) {
        const before = useAppStore.getState().budgets;
        useAppStore.getState().setBudgets(decoded.rows.map(budgetInput));
        if (before.length > 0) linkRead.replaced = before;
      } else linkRead.problem = decoded.problem;
    }
    return linkRead;
  });
  const [undone, setUndone] = useState(false);
  const { view, rows } = useAppStore(useShallow((s) => ({ view: s.view, rows: s.budgets })));
  const valid = useMemo(() => checkBudgetInputs(sanitizeBudgetInputs(rows)).rows, [rows]);
  useEffect(() => {
    if (view !== 'plan') return;
    const params = new URLSearchParams(window.location.search);
    if (valid.length > 0) params.set('budgets', encodeBudgets(valid));
    else params.delete('budgets');
    window.history.replaceState(null, '', `${window.location.pathname}?${params.toString()}${window.location.hash}`);
  }, [valid, view]);
  return {
    problem: read.problem,
    replaced: undone ? null : read.replaced,
    undo: () => {
      if (read.replaced) useAppStore.getState().setBudgets(read.replaced);
      setUndone(true);
    },
  };
}

/** A link that opens the plan view with this budget table. */
export function budgetsUrl(rows: readonly BudgetRow[]): string {
  const url = new URL(window.location.href);
  url.search = '';
  url.searchParams.set('view', 'plan');
  url.searchParams.set('budgets', encodeBudgets(rows));
  return url.toString();
}
