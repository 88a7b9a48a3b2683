import { toCsv } from '../domain/csv';
import { formatPlain, formatUsd, type Pico } from '../domain/money';
import { describeCause, likelyCauses, type Reconciliation } from '../domain/reconcile';
import type { GroupFigures, Report } from '../domain/report';

type Cell = string | number;

/** Logged text (model ids, job types) may hold control characters: shown as escapes, never sent to the terminal. */
function printable(value: Cell): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return String(value).replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function table(title: string, header: string[], rows: Cell[][]): string {
  const text = rows.map((r) => r.map(printable));
  const widths = header.map((h, i) => Math.max(h.length, ...text.map((r) => r[i]!.length)));
  const numeric = header.map((_, i) => rows.every((r) => typeof r[i] === 'number' || /^-?\$?[\d,.]+%?$/.test(String(r[i]))));
  const line = (cells: string[]) => cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [title, line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...text.map(line)].join('\n');
}

const usd = (v: Pico) => formatUsd(v, 2);
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

function groupRows<K extends string>(rows: (Record<K, string> & GroupFigures)[], keys: K[]): Cell[][] {
  return rows.map((r) => [...keys.map((k) => r[k]), r.requests, r.images, usd(r.cost), r.unpricedRequests]);
}

/** The report as aligned text tables for a terminal: dollars to the cent. */
export function reportToTable(report: Report): string {
  const figures = ['requests', 'images', 'cost', 'unpriced'];
  const sections = [
    table('Totals', ['figure', 'value'], [
      ['requests', report.requests],
      ['priced requests', report.pricedRequests],
      ['unpriced requests', report.unpricedRequests],
      ['rejected rows', report.rejectedRows],
      ['attempts', report.attempts],
      ['billed attempts', report.billedAttempts],
      ['images', report.images],
      ['total cost', usd(report.totalCost)],
    ]),
    table('By model', ['model', ...figures], groupRows(report.byModel, ['model'])),
    table('By resolution', ['image_size', ...figures], groupRows(report.byResolution, ['imageSize'])),
    table('By provider', ['provider', ...figures], groupRows(report.byProvider, ['provider'])),
    table('By lane', ['lane', ...figures], groupRows(report.byLane, ['lane'])),
    table('By job type', ['job_type', ...figures], groupRows(report.byJobType, ['jobType'])),
    table('By month (UTC)', ['month', ...figures], groupRows(report.byMonth, ['month'])),
    table('Batch', ['figure', 'value'], [
      ['batch requests', report.batch.batchRequests],
      ['batch cost', usd(report.batch.batchCost)],
      ['same on standard', usd(report.batch.batchStandardEquivalent)],
      ['realised savings', usd(report.batch.realizedSavings)],
      ['potential savings, all standard', usd(report.batch.potentialSavingsAll)],
      [`potential savings, ${report.batch.eligibleJobTypes.join('/') || 'none'}`, usd(report.batch.potentialSavingsEligible)],
    ]),
    table('Retries', ['model', 'retry_cost', 'retry_rate'], [
      ['all', usd(report.retry.retryCost), `${pct(report.retry.retryShare)} of cost`],
      ...report.retry.byModel.map((r) => [r.model, usd(r.retryCost), pct(r.retryRate)]),
    ]),
    table('Acceptance', ['model', 'job_type', 'with_feedback', 'accepted', 'rate', '95% CI', 'cost/accepted'],
      report.acceptance.map((a) => [a.model, a.jobType, a.withFeedback, a.accepted, pct(a.acceptanceRate),
        `${pct(a.ciLow)}–${pct(a.ciHigh)}`, a.costPerAccepted === null ? '–' : formatUsd(a.costPerAccepted, 4)])),
    table('Duplicates', ['figure', 'value'], [
      ['duplicate requests', report.duplicates.duplicateRequests],
      ['duplicate cost', usd(report.duplicates.duplicateCost)],
    ]),
  ];
  sections.push(reconciliationTable(report.reconciliation));
  if (report.unpriced.length > 0) {
    sections.push(table('Unpriced (not in any figure above)', ['model', 'image_size', 'lane', 'reason', 'requests'],
      report.unpriced.map((u) => [u.model, u.imageSize, u.lane, u.reason, u.requests])));
  }
  return sections.join('\n\n');
}

/** Billed vs computed: differences to the tenth of a cent, so sub-cent gaps still show. */
function reconciliationTable(r: Reconciliation): string {
  if (r.requestsWithBilledCost === 0) return 'Billed vs computed\nno billed cost in this log';
  const fine = (v: Pico) => formatUsd(v, 4);
  const totals = table('Billed vs computed (requests with billed cost)', ['figure', 'value'], [
    ['requests with billed cost', r.requestsWithBilledCost],
    ['billed (priced requests)', usd(r.billed)],
    ['computed', usd(r.computed)],
    ['difference (billed − computed)', fine(r.difference)],
    [`outside tolerance (${formatPlain(r.tolerance)} USD)`, r.requestsOutsideTolerance ?? '–'],
    ['unpriced requests with billed cost', r.unpricedRequests],
    ['their billed cost (not above)', usd(r.unpricedBilled)],
  ]);
  const groups = table('Largest differences', [...r.groupKeys, 'requests', 'billed', 'computed', 'difference', 'outside', 'unpriced billed', 'likely causes'],
    r.groups.map((g) => [
      ...r.groupKeys.map((k) => g.key[k] ?? ''), g.requests, usd(g.billed), usd(g.computed), fine(g.difference), g.outsideTolerance, usd(g.unpricedBilled),
      likelyCauses(g.causes).map((c) => `${describeCause(c)} ×${c.requests}`).join('; ') || '–',
    ]));
  return `${totals}\n\n${groups}`;
}

/**
 * The report as one long CSV (section, key, metric, value) that a spreadsheet can pivot;
 * money as exact decimal USD.
 */
export function reportToCsv(report: Report): string {
  const rows: Cell[][] = [['section', 'key', 'metric', 'value']];
  const add = (section: string, key: string, metric: string, value: Cell) => rows.push([section, key, metric, value]);
  add('totals', '', 'requests', report.requests);
  add('totals', '', 'priced_requests', report.pricedRequests);
  add('totals', '', 'unpriced_requests', report.unpricedRequests);
  add('totals', '', 'rejected_rows', report.rejectedRows);
  add('totals', '', 'attempts', report.attempts);
  add('totals', '', 'billed_attempts', report.billedAttempts);
  add('totals', '', 'images', report.images);
  add('totals', '', 'total_cost_usd', formatPlain(report.totalCost));
  const groups: [string, (GroupFigures & { key: string })[]][] = [
    ['by_model', report.byModel.map((g) => ({ ...g, key: g.model }))],
    ['by_resolution', report.byResolution.map((g) => ({ ...g, key: g.imageSize }))],
    ['by_model_resolution', report.byModelResolution.map((g) => ({ ...g, key: `${g.model} / ${g.imageSize}` }))],
    ['by_provider', report.byProvider.map((g) => ({ ...g, key: g.provider }))],
    ['by_lane', report.byLane.map((g) => ({ ...g, key: g.lane }))],
    ['by_job_type', report.byJobType.map((g) => ({ ...g, key: g.jobType }))],
    ['by_month', report.byMonth.map((g) => ({ ...g, key: g.month }))],
  ];
  for (const [section, list] of groups) {
    for (const g of list) {
      add(section, g.key, 'requests', g.requests);
      add(section, g.key, 'images', g.images);
      add(section, g.key, 'cost_usd', formatPlain(g.cost));
      add(section, g.key, 'unpriced_requests', g.unpricedRequests);
    }
  }
  const b = report.batch;
  add('batch', '', 'batch_requests', b.batchRequests);
  add('batch', '', 'batch_cost_usd', formatPlain(b.batchCost));
  add('batch', '', 'batch_standard_equivalent_usd', formatPlain(b.batchStandardEquivalent));
  add('batch', '', 'realized_savings_usd', formatPlain(b.realizedSavings));
  add('batch', '', 'potential_savings_all_usd', formatPlain(b.potentialSavingsAll));
  add('batch', b.eligibleJobTypes.join(' / '), 'potential_savings_eligible_usd', formatPlain(b.potentialSavingsEligible));
  add('retry', '', 'retry_cost_usd', formatPlain(report.retry.retryCost));
  add('retry', '', 'retry_share', report.retry.retryShare);
  for (const r of report.retry.byModel) {
    add('retry', r.model, 'retry_cost_usd', formatPlain(r.retryCost));
    add('retry', r.model, 'retry_rate', r.retryRate);
  }
  for (const a of report.acceptance) {
    const key = `${a.model} / ${a.jobType}`;
    add('acceptance', key, 'with_feedback', a.withFeedback);
    add('acceptance', key, 'accepted', a.accepted);
    add('acceptance', key, 'acceptance_rate', a.acceptanceRate);
    add('acceptance', key, 'ci_low', a.ciLow);
    add('acceptance', key, 'ci_high', a.ciHigh);
    add('acceptance', key, 'cost_usd', formatPlain(a.cost));
    add('acceptance', key, 'cost_per_accepted_usd', a.costPerAccepted === null ? '' : formatPlain(a.costPerAccepted));
  }
  add('duplicates', '', 'duplicate_requests', report.duplicates.duplicateRequests);
  add('duplicates', '', 'duplicate_cost_usd', formatPlain(report.duplicates.duplicateCost));
  const rec = report.reconciliation;
  add('reconciliation', '', 'requests_with_billed_cost', rec.requestsWithBilledCost);
  add('reconciliation', '', 'billed_usd', formatPlain(rec.billed));
  add('reconciliation', '', 'computed_usd', formatPlain(rec.computed));
  add('reconciliation', '', 'difference_usd', formatPlain(rec.difference));
  add('reconciliation', '', 'requests_outside_tolerance', rec.requestsOutsideTolerance ?? '');
  add('reconciliation', '', 'unpriced_requests', rec.unpricedRequests);
  add('reconciliation', '', 'unpriced_billed_usd', formatPlain(rec.unpricedBilled));
  for (const g of rec.groups) {
    const key = rec.groupKeys.map((k) => g.key[k] ?? '').join(' / ');
    add('reconciliation_groups', key, 'billed_usd', formatPlain(g.billed));
    add('reconciliation_groups', key, 'computed_usd', formatPlain(g.computed));
    add('reconciliation_groups', key, 'difference_usd', formatPlain(g.difference));
    add('reconciliation_groups', key, 'requests_outside_tolerance', g.outsideTolerance);
    add('reconciliation_groups', key, 'likely_causes', likelyCauses(g.causes).map(describeCause).join('; '));
  }
  for (const u of report.unpriced) add('unpriced', `${u.model} / ${u.imageSize} / ${u.lane} / ${u.reason}`, 'requests', u.requests);
  return toCsv(rows[0] as string[], rows.slice(1));
}
