import { createElement, lazy, Suspense, useState, type ComponentType, type ReactNode } from 'react';
import { OverviewPage } from '../features/overview/overview-page';

export interface ViewDef {
  id: string;
  label: string;
  render: () => ReactNode;
  /** Whether the global filters apply (they do to every view of the loaded log). */
  filtered: boolean;
  /** Whether the view draws from the first figures (`useFirstFigures`) before the engine is ready. */
  drawnFirst?: boolean;
}

/**
 * A view in its own chunk, fetched when first shown (or by `preloadViews`). The Overview,
 * the first view, stays in the main chunk so the first figures need no extra request.
 */
function lazyView(load: () => Promise<ComponentType>): { render: () => ReactNode; preload: () => void } {
  let loaded: ComponentType | undefined;
  let loading: Promise<ComponentType> | undefined;
  const loadOnce = () =>
    (loading ??= load().then(
      (component) => (loaded = component),
      (error: unknown) => {
        loading = undefined;
        throw error;
      },
    ));
  const Page = lazy(async () => ({ default: await loadOnce() }));
  // A chunk already fetched renders at once. Through `lazy` every first showing suspended, and
  // React held the view back about 300 ms (its Suspense reveal throttle) before it could query.
  function View() {
    const [ready] = useState(() => loaded);
    if (ready) return createElement(ready);
    return (
      <Suspense fallback={null}>
        <Page />
      </Suspense>
    );
  }
  return { render: () => <View />, preload: () => void loadOnce().catch(() => {}) };
}

const spend = lazyView(() => import('../features/spend/spend-page').then((m) => m.SpendPage));
const batch = lazyView(() => import('../features/batch/batch-page').then((m) => m.BatchPage));
const retry = lazyView(() => import('../features/retry/retry-page').then((m) => m.RetryPage));
const acceptance = lazyView(() => import('../features/acceptance/acceptance-page').then((m) => m.AcceptancePage));
const duplicates = lazyView(() => import('../features/duplicates/duplicates-page').then((m) => m.DuplicatesPage));
const explorer = lazyView(() => import('../features/explorer/explorer-page').then((m) => m.ExplorerPage));
const reconcile = lazyView(() => import('../features/reconcile/reconcile-page').then((m) => m.ReconcilePage));
const bill = lazyView(() => import('../features/bill/bill-page').then((m) => m.BillPage));
const compare = lazyView(() => import('../features/compare/compare-page').then((m) => m.ComparePage));
const rates = lazyView(() => import('../features/rates/rates-page').then((m) => m.RatesPage));
const plan = lazyView(() => import('../features/plan/plan-page').then((m) => m.PlanPage));
const data = lazyView(() => import('../features/load-data/data-page').then((m) => m.DataPage));

/** Every view of the app, in navigation order. The shell is the only place that imports features. */
export const VIEWS: readonly ViewDef[] = [
  { id: 'overview', filtered: true, drawnFirst: true, label: 'Overview', render: () => <OverviewPage /> },
  { id: 'spend', filtered: true, label: 'Spend', render: spend.render },
  { id: 'batch', filtered: true, label: 'Batch', render: batch.render },
  { id: 'retry', filtered: true, label: 'Retry tax', render: retry.render },
  { id: 'acceptance', filtered: true, label: 'Acceptance', render: acceptance.render },
  { id: 'duplicates', filtered: true, label: 'Duplicates', render: duplicates.render },
  { id: 'explorer', filtered: true, label: 'Explorer', render: explorer.render },
  { id: 'reconcile', filtered: true, label: 'Reconcile', render: reconcile.render },
  { id: 'bill', filtered: false, label: 'Bill', render: bill.render },
  { id: 'compare', filtered: false, label: 'Compare providers', render: compare.render },
  { id: 'rates', filtered: false, label: 'Rate card', render: rates.render },
  { id: 'plan', filtered: false, label: 'Plan', render: plan.render },
  { id: 'data', filtered: false, label: 'Data', render: data.render },
];

/** Fetches every view's chunk (after the first figures are on screen), so switching views does not wait. */
export function preloadViews(): void {
  for (const view of [spend, batch, retry, acceptance, duplicates, explorer, reconcile, bill, compare, rates, plan, data]) view.preload();
}
