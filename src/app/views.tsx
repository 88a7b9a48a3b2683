import type { ReactNode } from 'react';
import { DataPage } from '../features/load-data/data-page';
import { OverviewPage } from '../features/overview/overview-page';
import { PlanPage } from '../features/plan/plan-page';
import { SpendPage } from '../features/spend/spend-page';
import { BatchPage } from '../features/batch/batch-page';
import { RetryPage } from '../features/retry/retry-page';
import { AcceptancePage } from '../features/acceptance/acceptance-page';
import { DuplicatesPage } from '../features/duplicates/duplicates-page';
import { ExplorerPage } from '../features/explorer/explorer-page';
import { RatesPage } from '../features/rates/rates-page';
import { ComparePage } from '../features/compare/compare-page';

export interface ViewDef {
  id: string;
  label: string;
  render: () => ReactNode;
  /** Whether the global filters apply (they do to every view of the loaded log). */
  filtered: boolean;
}

/** Every view of the app, in navigation order. The shell is the only place that imports features. */
export const VIEWS: readonly ViewDef[] = [
  { id: 'overview', filtered: true, label: 'Overview', render: () => <OverviewPage /> },
  { id: 'spend', filtered: true, label: 'Spend', render: () => <SpendPage /> },
  { id: 'batch', filtered: true, label: 'Batch', render: () => <BatchPage /> },
  { id: 'retry', filtered: true, label: 'Retry tax', render: () => <RetryPage /> },
  { id: 'acceptance', filtered: true, label: 'Acceptance', render: () => <AcceptancePage /> },
  { id: 'duplicates', filtered: true, label: 'Duplicates', render: () => <DuplicatesPage /> },
  { id: 'explorer', filtered: true, label: 'Explorer', render: () => <ExplorerPage /> },
  { id: 'compare', filtered: false, label: 'Compare providers', render: () => <ComparePage /> },
  { id: 'rates', filtered: false, label: 'Rate card', render: () => <RatesPage /> },
  { id: 'plan', filtered: false, label: 'Plan', render: () => <PlanPage /> },
  { id: 'data', filtered: false, label: 'Data', render: () => <DataPage /> },
];
