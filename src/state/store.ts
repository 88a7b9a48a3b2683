import { create, type StateCreator } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import { DEFAULT_THRESHOLDS, type BudgetInput, type BudgetThresholds } from '../domain/budget';
import type { Filters } from '../domain/filters';
import { headerKey, type UserMapping } from '../domain/log-schema';
import type { PriceOverride } from '../domain/rate-card';
import { DEFAULT_TOLERANCE_USD } from '../domain/reconcile';
import { DEFAULT_BATCH_ELIGIBLE } from '../domain/report';
import { cloneScenario, DEFAULT_SCENARIO, type Scenario } from '../domain/scenario';

/** The store holds inputs only; every figure is derived from them by SQL. */
export interface FiltersSlice {
  filters: Filters;
  setFilters: (patch: Partial<Filters>) => void;
  replaceFilters: (filters: Filters) => void;
  resetFilters: () => void;
}

export interface RatesSlice {
  variants: Record<string, string>;
  overrides: PriceOverride[];
  /** Rate cards the user loaded, as parsed JSON with their file names. */
  userCards: { name: string; json: unknown }[];
  setVariant: (group: string, option: string) => void;
  setOverride: (override: PriceOverride) => void;
  resetOverride: (priceId: string, field: string) => void;
  resetAllOverrides: () => void;
  setUserCards: (cards: { name: string; json: unknown }[]) => void;
}

export interface AnalysisSlice {
  batchEligibleJobTypes: string[];
  setBatchEligibleJobTypes: (jobTypes: string[]) => void;
  /** Pro-vs-Flash decisions: the non-inferiority margin in acceptance points, and the Beta prior */
  decision: { marginPoints: number; priorAccepted: number; priorRejected: number };
  setDecision: (patch: Partial<AnalysisSlice['decision']>) => void;
  /** Column mappings the user made for headers PixelSpend does not know; reused for the same header. */
  columnMappings: UserMapping[];
  saveColumnMapping: (mapping: UserMapping) => void;
}

export interface NavigationSlice {
  view: string;
  setView: (view: string) => void;
}

export type Theme = 'system' | 'light' | 'dark';

export interface DisplaySlice {
  theme: Theme;
  setTheme: (theme: Theme) => void;
}

/** The plan view's inputs: the scenario being edited, saved scenarios, the budget table and its thresholds. */
export interface PlanSlice {
  draftScenario: Scenario;
  savedScenarios: { id: string; scenario: Scenario }[];
  /** budgets per month and scope, as typed (amounts are USD decimal strings) */
  budgets: BudgetInput[];
  budgetThresholds: BudgetThresholds;
  setDraftScenario: (scenario: Scenario) => void;
  saveScenario: (id: string, scenario: Scenario) => void;
  deleteScenario: (id: string) => void;
  setBudgets: (budgets: BudgetInput[]) => void;
  setBudgetThresholds: (thresholds: BudgetThresholds) => void;
}

/** Reconciliation's tolerance, and what the Explorer opens with when another view links to it. */
export interface ReconcileSlice {
  /** USD per request as typed (a decimal string) */
  reconcileTolerance: string;
  setReconcileTolerance: (usd: string) => void;
  /** Read once by the Explorer when it opens, then cleared. */
  explorerPreset: ExplorerPreset | null;
  setExplorerPreset: (preset: ExplorerPreset | null) => void;
}

export interface ExplorerPreset {
  sort: { id: string; desc: boolean }[];
  attributes: { name: string; value: string }[];
  /** What the link showed, e.g. "Reconcile: model gemini-3-pro-image". */
  label: string;
}

export type AppState = FiltersSlice & RatesSlice & AnalysisSlice & NavigationSlice & PlanSlice & DisplaySlice & ReconcileSlice;

const createFiltersSlice: StateCreator<AppState, [], [], FiltersSlice> = (set) => ({
  filters: {},
  setFilters: (patch) => set((s) => ({ filters: { ...s.filters, ...patch } })),
  replaceFilters: (filters) => set({ filters }),
  resetFilters: () => set({ filters: {} }),
});

const createRatesSlice: StateCreator<AppState, [], [], RatesSlice> = (set) => ({
  variants: {},
  overrides: [],
  userCards: [],
  setVariant: (group, option) => set((s) => ({ variants: { ...s.variants, [group]: option } })),
  setOverride: (override) =>
    set((s) => ({
      overrides: [...s.overrides.filter((o) => !(o.priceId === override.priceId && o.field === override.field)), override],
    })),
  resetOverride: (priceId, field) =>
    set((s) => ({ overrides: s.overrides.filter((o) => !(o.priceId === priceId && o.field === field)) })),
  resetAllOverrides: () => set({ overrides: [] }),
  setUserCards: (cards) => set({ userCards: cards }),
});

const createAnalysisSlice: StateCreator<AppState, [], [], AnalysisSlice> = (set) => ({
  batchEligibleJobTypes: [...DEFAULT_BATCH_ELIGIBLE],
  setBatchEligibleJobTypes: (jobTypes) => set({ batchEligibleJobTypes: jobTypes }),
  decision: { marginPoints: 5, priorAccepted: 1, priorRejected: 1 },
  setDecision: (patch) => set((s) => ({ decision: { ...s.decision, ...patch } })),
  columnMappings: [],
  saveColumnMapping: (mapping) =>
    set((s) => ({
      columnMappings: [...s.columnMappings.filter((m) => !m.header || !mapping.header || headerKey(m.header) !== headerKey(mapping.header)), mapping],
    })),
});

const createNavigationSlice: StateCreator<AppState, [], [], NavigationSlice> = (set) => ({
  view: 'overview',
  setView: (view) => set({ view }),
});

const createDisplaySlice: StateCreator<AppState, [], [], DisplaySlice> = (set) => ({
  theme: 'system',
  setTheme: (theme) => set({ theme }),
});

const createPlanSlice: StateCreator<AppState, [], [], PlanSlice> = (set) => ({
  draftScenario: cloneScenario(DEFAULT_SCENARIO),
  savedScenarios: [],
  budgets: [],
  budgetThresholds: { ...DEFAULT_THRESHOLDS },
  setDraftScenario: (scenario) => set({ draftScenario: scenario }),
  saveScenario: (id, scenario) =>
    set((s) => ({
      savedScenarios: s.savedScenarios.some((x) => x.id === id)
        ? s.savedScenarios.map((x) => (x.id === id ? { id, scenario } : x))
        : [...s.savedScenarios, { id, scenario }],
    })),
  deleteScenario: (id) => set((s) => ({ savedScenarios: s.savedScenarios.filter((x) => x.id !== id) })),
  setBudgets: (budgets) => set({ budgets }),
  setBudgetThresholds: (thresholds) => set({ budgetThresholds: thresholds }),
});

const createReconcileSlice: StateCreator<AppState, [], [], ReconcileSlice> = (set) => ({
  reconcileTolerance: DEFAULT_TOLERANCE_USD,
  setReconcileTolerance: (usd) => set({ reconcileTolerance: usd }),
  explorerPreset: null,
  setExplorerPreset: (preset) => set({ explorerPreset: preset }),
});

export const STORE_KEY = 'pixelspend:inputs';

/**
 * Version 1 had one `monthlyBudget` for whatever month was being forecast. It becomes an overall
 * budget for the calendar month (UTC) the app is opened in: the month a user setting a monthly
 * budget most likely meant. The row shows in the budget table, where its month can be changed.
 */
export function migrateInputs(persisted: unknown, version: number): unknown {
  if (version >= 2 || persisted === null || typeof persisted !== 'object') return persisted;
  const { monthlyBudget, ...rest } = persisted as { monthlyBudget?: unknown };
  const amount = typeof monthlyBudget === 'string' ? monthlyBudget.trim() : '';
  const month = new Date().toISOString().slice(0, 7);
  return { ...rest, budgets: amount === '' ? [] : [{ month, attribute: 'overall', value: '', amount }] };
}

export const useAppStore = create<AppState>()(
  persist(
    (...a) => ({ ...createFiltersSlice(...a), ...createRatesSlice(...a), ...createAnalysisSlice(...a), ...createNavigationSlice(...a), ...createPlanSlice(...a), ...createDisplaySlice(...a), ...createReconcileSlice(...a) }),
    {
      name: STORE_KEY,
      version: 2,
      storage: createJSONStorage(() => localStorage),
      migrate: migrateInputs,
      // Price overrides and choices survive reloads; filters live in the URL instead.
      partialize: (s) => ({ variants: s.variants, overrides: s.overrides, userCards: s.userCards, batchEligibleJobTypes: s.batchEligibleJobTypes, decision: s.decision, columnMappings: s.columnMappings, savedScenarios: s.savedScenarios, budgets: s.budgets, budgetThresholds: s.budgetThresholds, theme: s.theme, reconcileTolerance: s.reconcileTolerance }),
    },
  ),
);
