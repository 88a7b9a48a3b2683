import { IntervalBarChart } from '../../components/charts';
import { DataTable } from '../../components/data-table';
import { count, percent, usdUnit } from '../../components/format';
import { StatCard } from '../../components/stat-card';
import { ViewFrame } from '../../components/view-frame';
import { formatPlain } from '../../domain/money';
import type { ActiveRates } from '../../domain/rate-card';
import type { Report } from '../../domain/report';
import { MIN_FEEDBACK } from '../../domain/verdict';
import { useReportFrame } from '../../hooks/use-report-frame';
import { acceptanceIntervals } from './acceptance-chart-data';
import { familyVerdicts, verdictSentences, type JobVerdict } from './verdict-data';

export function AcceptancePage() {
  const { report, rates, frame } = useReportFrame();
  return (
    <ViewFrame
      id="acceptance"
      title="Acceptance"
      intro="Which images people kept, per model and job type, from priced requests with feedback. If Pro isn't accepted at a higher rate than Flash in a workflow, stop paying for Pro there."
      {...frame}
    >
      {report && rates ? <AcceptanceView report={report} rates={rates} /> : null}
    </ViewFrame>
  );
}

type AcceptanceRow = Report['acceptance'][number];

function AcceptanceView({ report, rates }: { report: Report; rates: ActiveRates }) {
  const label = (model: string) => rates.models.get(model)?.label ?? model;
  const verdicts = familyVerdicts(report.acceptance, (m) => rates.models.get(m)?.family);
  const withFeedback = report.acceptance.reduce((n, a) => n + a.withFeedback, 0);
  const accepted = report.acceptance.reduce((n, a) => n + a.accepted, 0);
  return (
    <>
      <div className="stat-grid">
        <StatCard label="Acceptance rate" value={withFeedback ? percent(accepted / withFeedback) : '—'} testId="acceptance-rate" hint={`${count(accepted)} of ${count(withFeedback)} with feedback`} />
        <StatCard label="Pro-vs-Flash verdicts" value={count(verdicts.length)} testId="verdict-count" hint="job types where both families ran" />
      </div>

      <h3>Pro against Flash, per job type</h3>
      {verdicts.length === 0 ? (
        <p className="muted" data-testid="no-verdicts">
          No job type in this selection has feedback for both a Pro-family and a Flash-family model.
        </p>
      ) : (
        <div className="verdicts">
          {verdicts.map((v) => (
            <VerdictCard key={v.jobType} v={v} label={label} />
          ))}
        </div>
      )}

      <h3>Acceptance by model and job type</h3>
      <div className="chart-and-table">
        <IntervalBarChart data={acceptanceIntervals(report.acceptance, label)} title="Acceptance rate with its 95% interval, by job type and model" />
        <DataTable<AcceptanceRow>
          caption="Acceptance by model and job type (95% Wilson interval)"
          testId="acceptance-table"
          rows={report.acceptance}
          rowKey={(r) => `${r.model}|${r.jobType}`}
          columns={[
            { key: 'model', header: 'Model', value: (r) => r.model, cell: (r) => <span title={r.model}>{label(r.model)}</span> },
            { key: 'job', header: 'Job type', value: (r) => r.jobType },
            { key: 'feedback', header: 'With feedback', value: (r) => r.withFeedback, cell: (r) => count(r.withFeedback), numeric: true },
            { key: 'accepted', header: 'Accepted', value: (r) => r.accepted, cell: (r) => count(r.accepted), numeric: true },
            { key: 'rate', header: 'Rate', value: (r) => r.acceptanceRate.toFixed(4), cell: (r) => percent(r.acceptanceRate), numeric: true },
            { key: 'ci', header: '95% interval', value: (r) => `${r.ciLow.toFixed(4)}–${r.ciHigh.toFixed(4)}`, cell: (r) => `${percent(r.ciLow)} – ${percent(r.ciHigh)}`, numeric: true },
            { key: 'cpa', header: 'Per accepted (USD)', value: (r) => (r.costPerAccepted === null ? '' : formatPlain(r.costPerAccepted)), cell: (r) => (r.costPerAccepted === null ? '—' : usdUnit(r.costPerAccepted)), numeric: true },
            { key: 'sample', header: 'Sample', value: (r) => (r.withFeedback < MIN_FEEDBACK ? 'small' : 'ok'), cell: (r) => (r.withFeedback < MIN_FEEDBACK ? <span className="muted">small (&lt; {MIN_FEEDBACK})</span> : 'ok') },
          ]}
        />
      </div>
    </>
  );
}

function VerdictCard({ v, label }: { v: JobVerdict; label: (model: string) => string }) {
  const s = verdictSentences(v.verdict, usdUnit);
  const arm = (name: string, models: string[], a: JobVerdict['verdict']['pro'], win: boolean) => (
    <div className={win ? 'verdict__arm verdict__arm--win' : 'verdict__arm'}>
      <strong>{name}</strong> <span className="muted">{models.map(label).join(', ')}</span>
      <div>
        {percent(a.rate)} accepted <span className="muted">({percent(a.ciLow)}–{percent(a.ciHigh)}, n = {count(a.withFeedback)})</span>
      </div>
      <div>{a.costPerAccepted === null ? 'nothing accepted' : `${usdUnit(a.costPerAccepted)} per accepted image`}</div>
    </div>
  );
  return (
    <article className="verdict" data-testid={`verdict-${v.jobType}`} data-cheaper={v.verdict.cheaper} data-significant={String(v.verdict.significant)} data-small-sample={String(v.verdict.smallSample)}>
      <h4>{v.jobType}</h4>
      <div className="verdict__arms">
        {arm('Pro', v.proModels, v.verdict.pro, v.verdict.cheaper === 'pro')}
        {arm('Flash', v.flashModels, v.verdict.flash, v.verdict.cheaper === 'flash')}
      </div>
      <p className="verdict__line">{s.cheaper}</p>
      <p className={v.verdict.smallSample ? 'verdict__line muted' : 'verdict__line'}>{s.significance}</p>
      <p className="verdict__line" data-testid={`break-even-${v.jobType}`}>{s.breakEven}</p>
    </article>
  );
}
