import { memo } from 'react';
import { MoneyBarChart } from '../../components/money-bar-chart';
import { DataTable } from '../../components/data-table';
import { count, usd } from '../../components/format';
import { StatCard } from '../../components/stat-card';
import { ViewFrame } from '../../components/view-frame';
import { loadDuplicates, type DuplicateHash, type Duplicates } from '../../db/dashboard';
import type { Engine } from '../../db/engine';
import { formatPlain } from '../../domain/money';
import type { ActiveRates } from '../../domain/rate-card';
import type { Report } from '../../domain/report';
import { useReportFrame } from '../../hooks/use-report-frame';
import { useSettled } from '../../hooks/use-settled';
import { useViewQuery, type QueryInputs } from '../../hooks/use-view-query';
import { byRegenCost, modelNames, regenBars } from './duplicates-chart-data';

const TOP = 50;
const load = (engine: Engine, { filters }: QueryInputs) => loadDuplicates(engine, filters, TOP);

export function DuplicatesPage() {
  const duplicates = useViewQuery(load);
  const { report, rates, frame } = useReportFrame(duplicates);
  const figures = useSettled(frame.status, report && duplicates.data && rates ? { report, rates, duplicates: duplicates.data } : undefined);
  return (
    <ViewFrame
      id="duplicates"
      title="Duplicates"
      intro="Requests whose prompt hash was already generated earlier: a cache or a 'reuse' button would have saved what the repeats cost."
      {...frame}
    >
      {figures ? <DuplicatesView report={figures.report} rates={figures.rates} duplicates={figures.duplicates} /> : null}
    </ViewFrame>
  );
}

/** Memoised: the page hands it the same figures while new ones load (`useSettled`). */
const DuplicatesView = memo(function DuplicatesView({ report, rates, duplicates }: { report: Report; rates: ActiveRates; duplicates: Duplicates }) {
  // Every figure here counts all requests with a prompt hash, priced or not; the cost counts the priced ones.
  const repeats = duplicates.requestsInRepeats - duplicates.repeatedHashes;
  const label = (model: string) => rates.models.get(model)?.label ?? model;
  return (
    <>
      <div className="stat-grid">
        <StatCard label="Repeated requests" value={count(repeats)} testId="duplicate-requests" hint="requests after the first of their prompt" />
        <StatCard
          label="Cost of re-generating"
          value={usd(report.duplicates.duplicateCost)}
          testId="duplicate-cost"
          tone={report.duplicates.duplicateCost > 0n ? 'warn' : 'default'}
          hint={
            <span data-testid="duplicate-priced-note">
              {count(report.duplicates.duplicateRequests)} of the {count(repeats)} repeats have a price
              {repeats > report.duplicates.duplicateRequests ? `; ${count(repeats - report.duplicates.duplicateRequests)} unpriced are not in this cost` : ''}
            </span>
          }
        />
        <StatCard label="Prompts repeated" value={count(duplicates.repeatedHashes)} testId="repeated-hashes" hint={`of ${count(duplicates.distinctHashes)} distinct prompt hashes`} />
      </div>
      <h3>Most repeated prompts</h3>
      <div className="chart-and-table">
        <MoneyBarChart horizontal data={regenBars(duplicates.top)} title="Re-generation cost of the most repeated prompts" />
        <div className="scroll-table">
          <DataTable<DuplicateHash>
            caption={`The ${duplicates.top.length} most repeated prompt hashes, largest re-generation cost first`}
            testId="duplicates-table"
            rows={byRegenCost(duplicates.top)}
            rowKey={(r) => r.promptHash}
            emptyText="No prompt hash repeats in this selection."
            columns={[
              { key: 'hash', header: 'Prompt hash', value: (r) => r.promptHash, cell: (r) => <code>{r.promptHash}</code> },
              { key: 'requests', header: 'Requests', value: (r) => r.requests, cell: (r) => count(r.requests), numeric: true },
              { key: 'models', header: 'Models', value: (r) => r.models, cell: (r) => <span title={r.models}>{modelNames(r.models, label)}</span> },
              { key: 'jobs', header: 'Job types', value: (r) => r.jobTypes },
              { key: 'first', header: 'First', value: (r) => r.firstDay },
              { key: 'last', header: 'Last', value: (r) => r.lastDay },
              { key: 'cost', header: 'Spend (USD)', value: (r) => formatPlain(r.cost), cell: (r) => usd(r.cost), numeric: true },
              { key: 'regen', header: 'Re-generation (USD)', value: (r) => formatPlain(r.regenCost), cell: (r) => usd(r.regenCost), numeric: true },
            ]}
          />
        </div>
      </div>
    </>
  );
});
