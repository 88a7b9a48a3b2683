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

export interface ViewDef {
  id: string;
  label: string;
  render: () => ReactNode;
}

/** Every view of the app, in navigation order. The shell is the only place that imports features. */
export const VIEWS: readonly ViewDef[] = [
  { id: 'overview', label: 'Overview', render: () => <OverviewPage /> },
  { id: 'spend', label: 'Spend', render: () => <SpendPage /> },
  { id: 'batch', label: 'Batch', render: () => <BatchPage /> },
  { id: 'retry', label: 'Retry tax', render: () => <RetryPage /> },
  { id: 'acceptance', label: 'Acceptance', render: () => <AcceptancePage /> },
  { id: 'duplicates', label: 'Duplicates', render: () => <DuplicatesPage /> },
  { id: 'explorer', label: 'Explorer', render: () => <ExplorerPage /> },
  { id: 'rates', label: 'Rate card', render: () => <RatesPage /> },
  { id: 'plan', label: 'Plan', render: () => <PlanPage /> },
  { id: 'data', label: 'Data', render: () => <DataPage /> },
];
