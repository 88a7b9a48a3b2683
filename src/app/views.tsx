import type { ReactNode } from 'react';
import { DataPage } from '../features/load-data/data-page';
import { OverviewPage } from '../features/overview/overview-page';
import { PlanPage } from '../features/plan/plan-page';
import { SpendPage } from '../features/spend/spend-page';
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
  { id: 'rates', label: 'Rate card', render: () => <RatesPage /> },
  { id: 'plan', label: 'Plan', render: () => <PlanPage /> },
  { id: 'data', label: 'Data', render: () => <DataPage /> },
];
