import { ScrollBox } from '../../components/scroll-box';
import { useMemo, useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, XAxis, YAxis } from 'recharts';
import { useShallow } from 'zustand/react/shallow';
import { count, percent, usdUnit } from '../../components/format';
import type { DecisionCell } from '../../db/decisions';
import { decisionSentence, posteriorCurves, type ArmFigures, type Decision } from '../../domain/decision';
import { useAppStore } from '../../state/store';
import { decisionSettings, decisionsFor, OUTCOME_LABEL } from './decisions-data';
import './acceptance.css';

const pts = (x: number) => `${(x * 100).toFixed(1)} pts`;
const signedPts = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)}`;
const money = (usd: number) => (usd < 0 ? `−${usdUnit(-usd)}` : usdUnit(usd));
const cpa = (a: ArmFigures) => (a.costPerAccepted ? `${money(a.costPerAccepted.ratio)} (${money(a.costPerAccepted.low)} – ${money(a.costPerAccepted.high)})` : '—');

/** The three-outcome Pro-vs-Flash verdicts, their settings, the size breakdown and the Bayesian view. */
export function DecisionsSection(props: { cells: DecisionCell[]; familyOf: (model: string) => string | undefined; label: (model: string) => string; breakEven: (jobType: string) => string | null }) {
  const { decision, setDecision } = useAppStore(useShallow((s) => ({ decision: s.decision, setDecision: s.setDecision })));
  const settings = decisionSettings(decision);
  const decisions = useMemo(() => decisionsFor(props.cells, props.familyOf, settings), [props.cells, props.familyOf, settings.margin, settings.prior.a, settings.prior.b]); // eslint-disable-line react-hooks/exhaustive-deps
  const jobs = decisions.filter((d) => d.size === null);
  const [bayesKey, setBayesKey] = useState<string | null>(null);
  const bayes = decisions.find((d) => d.key === bayesKey) ?? jobs[0] ?? null;

  if (decisions.length === 0) {
    return (
      <p className="muted" data-testid="no-verdicts">
        No job type in this selection has feedback for both a Pro-family and a Flash-family model.
      </p>
    );
  }
  const tested = decisions.filter((d) => d.refused === null).length;
  return (
    <>
      <div className="decision-settings">
        <label>
          Flash may trail Pro by at most{' '}
          <input type="number" min={1} max={50} step={0.5} value={decision.marginPoints} data-testid="decision-margin" aria-label="Non-inferiority margin in acceptance points"
            onChange={(e) => setDecision({ marginPoints: Number(e.target.value) })} />{' '}
          points of acceptance
        </label>
        <label>
          Prior: as if{' '}
          <input type="number" min={1} step={1} value={decision.priorAccepted} aria-label="Prior accepted pseudo-count" data-testid="prior-accepted"
            onChange={(e) => setDecision({ priorAccepted: Number(e.target.value) })} />{' '}
          accepted and{' '}
          <input type="number" min={1} step={1} value={decision.priorRejected} aria-label="Prior rejected pseudo-count" data-testid="prior-rejected"
            onChange={(e) => setDecision({ priorRejected: Number(e.target.value) })} />{' '}
          rejected were seen before the data (1 and 1: uniform)
        </label>
      </div>
      <p className="muted" data-testid="bh-note">
        The unit is the rated request (one accept or reject mark, whatever its image count); requests that share a prompt hash count as one
        cluster, and the effective sample size is the requests divided by the design effect. Each row tests “Pro better” (the 95% Newcombe
        interval of Pro − Flash above 0) and “Flash not worse” (its upper end below {pts(settings.margin)}). Across the {count(tested)} rows
        with enough answers the false-discovery rate is held at 5% (Benjamini–Hochberg, once for each kind of claim), so a win by chance in
        one of many job types × sizes is not reported as a win. See docs/decisions.md.
      </p>
      <div className="verdicts">
        {jobs.map((d) => (
          <DecisionCard key={d.key} d={d} label={props.label} breakEven={props.breakEven(d.jobType)} />
        ))}
      </div>

      <h3>Per job type and size</h3>
      <ScrollBox label="Verdict per job type and size">
        <table className="table" data-testid="decision-table">
          <caption>Pro against Flash per job type and size; difference is Pro − Flash acceptance with its 95% Newcombe interval</caption>
          <thead>
            <tr>
              <th scope="col">Job type</th><th scope="col">Size</th><th scope="col">Verdict</th>
              <th scope="col" className="num">Pro</th><th scope="col" className="num">Flash</th>
              <th scope="col" className="num">Difference (pts)</th><th scope="col" className="num">MDD</th>
              <th scope="col" className="num">Effective n (Pro / Flash)</th><th scope="col" className="num">BH q (better / not worse)</th>
              <th scope="col" className="num">More per model</th>
              <th scope="col" className="num">Pro per accepted</th><th scope="col" className="num">Flash per accepted</th>
            </tr>
          </thead>
          <tbody>
            {decisions.map((d) => (
              <tr key={d.key} data-testid={`decision-row-${d.key}`} data-outcome={d.outcome}>
                <th scope="row">{d.jobType || '(none)'}</th>
                <td>{d.size ?? 'all sizes'}</td>
                <td><span className={`badge badge--${d.outcome}`}>{OUTCOME_LABEL[d.outcome]}</span></td>
                <td className="num">{percent(d.pro.rate)} <span className="muted">of {count(d.pro.requests)}</span></td>
                <td className="num">{percent(d.flash.rate)} <span className="muted">of {count(d.flash.requests)}</span></td>
                <td className="num">{signedPts(d.diff.diff)} ({signedPts(d.diff.low)} to {signedPts(d.diff.high)})</td>
                <td className="num">{Number.isFinite(d.mdd) ? pts(d.mdd) : '—'}</td>
                <td className="num">{count(Math.round(d.pro.effectiveN))} / {count(Math.round(d.flash.effectiveN))}</td>
                <td className="num">{d.refused ? 'not tested' : `${d.qSuperiority.toFixed(3)} / ${d.qNonInferiority.toFixed(3)}`}</td>
                <td className="num" data-testid={`decision-more-${d.key}`}>{d.moreNeeded === null ? '—' : count(d.moreNeeded)}</td>
                <td className="num">{cpa(d.pro)}</td>
                <td className="num">{cpa(d.flash)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollBox>

      {bayes ? (
        <section className="bayes" data-testid="bayes-panel">
          <h3>Bayesian view</h3>
          <label>
            Comparison{' '}
            <select value={bayes.key} onChange={(e) => setBayesKey(e.target.value)} data-testid="bayes-pick">
              {decisions.map((d) => <option key={d.key} value={d.key}>{d.jobType}{d.size ? ` · ${d.size}` : ' · all sizes'}</option>)}
            </select>
          </label>
          <p data-testid="bayes-summary">
            Probability that Pro's acceptance beats Flash's: <strong data-testid="bayes-p">{percent(bayes.bayes.pProBetter)}</strong>. Expected
            loss of choosing Pro <span data-testid="bayes-loss-pro">{pts(bayes.bayes.lossChoosingPro)}</span>, of choosing Flash{' '}
            <span data-testid="bayes-loss-flash">{pts(bayes.bayes.lossChoosingFlash)}</span> of acceptance (what one gives up on average if
            the other is in fact better). Posteriors Pro Beta({bayes.pro.posterior.a}, {bayes.pro.posterior.b}), Flash Beta(
            {bayes.flash.posterior.a}, {bayes.flash.posterior.b}).
          </p>
          <PosteriorChart d={bayes} />
        </section>
      ) : null}
    </>
  );
}

function DecisionCard({ d, label, breakEven }: { d: Decision; label: (model: string) => string; breakEven: string | null }) {
  const arm = (name: string, a: ArmFigures) => (
    <div className="verdict__arm">
      <strong>{name}</strong> <span className="muted">{a.models.map(label).join(', ')}</span>
      <div>
        {percent(a.rate)} accepted <span className="muted">({percent(a.ciLow)}–{percent(a.ciHigh)}, n = {count(a.requests)}, effective {count(Math.round(a.effectiveN))})</span>
      </div>
      <div>{a.costPerAccepted ? `${cpa(a)} per accepted image` : 'nothing accepted'}</div>
    </div>
  );
  return (
    <article className="verdict" data-testid={`verdict-${d.jobType}`} data-outcome={d.outcome}>
      <h4>
        {d.jobType} <span className={`badge badge--${d.outcome}`} data-testid={`outcome-${d.jobType}`}>{OUTCOME_LABEL[d.outcome]}</span>
      </h4>
      <div className="verdict__arms">
        {arm('Pro', d.pro)}
        {arm('Flash', d.flash)}
      </div>
      <p className="verdict__line" data-testid={`decision-sentence-${d.jobType}`}>{decisionSentence(d, money)}</p>
      <p className="verdict__line muted">
        Pro − Flash: {signedPts(d.diff.diff)} points (95% interval {signedPts(d.diff.low)} to {signedPts(d.diff.high)}). With these samples a
        true gap of {Number.isFinite(d.mdd) ? pts(d.mdd) : '—'} or more would be detected 80% of the time (MDD).
        {d.pro.designEffect > 1.005 || d.flash.designEffect > 1.005 ? ` Repeated prompts: design effect ${d.pro.designEffect.toFixed(2)} (Pro), ${d.flash.designEffect.toFixed(2)} (Flash).` : ''}
      </p>
      {breakEven ? <p className="verdict__line" data-testid={`break-even-${d.jobType}`}>{breakEven}</p> : null}
    </article>
  );
}

function PosteriorChart({ d }: { d: Decision }) {
  const data = posteriorCurves(d.pro.posterior, d.flash.posterior);
  return (
    <div className="chart" aria-hidden="true">
      <ResponsiveContainer width="100%" height={240}>
        <LineChart data={data} margin={{ left: 8, right: 24 }} accessibilityLayer={false}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="x" type="number" domain={['dataMin', 'dataMax']} tickFormatter={(v: number) => `${(v * 100).toFixed(0)}%`} />
          <YAxis hide />
          <Legend />
          <Line type="monotone" dataKey="pro" name="Pro acceptance (posterior)" stroke="#4f6bed" dot={false} isAnimationActive={false} />
          <Line type="monotone" dataKey="flash" name="Flash acceptance (posterior)" stroke="#e8932c" dot={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
