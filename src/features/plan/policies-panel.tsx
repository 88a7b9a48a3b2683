import { useMemo, useState } from 'react';
import { count, usd, usdUnit } from '../../components/format';
import { addDays, collapseDays, lastDay, observeCells, type CubeRow } from '../../domain/cube';
import { windowDays as frontierWindowDays } from '../../domain/frontier';
import type { Pico } from '../../domain/money';
import { actualOutcome, AS_LOGGED, FLASH, presetPolicies, PRO, replayPolicy, type Policy, type PolicyRule, type Ranged, type ReplayResult } from '../../domain/policy';
import { UNPRICED_LABELS, type UnpricedReason } from '../../domain/pricing';
import { IMAGE_SIZES, type ActiveRates, type ImageSize, type Lane } from '../../domain/rate-card';
import { useAppStore } from '../../state/store';
import { FrontierPanel } from './frontier-panel';
import { ScrollBox } from '../../components/scroll-box';

const MODEL_CHOICES = [
  { id: AS_LOGGED, label: 'as logged' },
  { id: FLASH, label: 'Flash 3.1' },
  { id: PRO, label: 'Pro' },
  { id: 'gemini-2.5-flash-image', label: '2.5 Flash' },
];

export function PoliciesPanel(props: { rates: ActiveRates; cube: CubeRow[] }) {
  const eligible = useAppStore((s) => s.batchEligibleJobTypes);
  const presets = useMemo(() => presetPolicies(eligible), [eligible]);
  const [windowDays, setWindowDays] = useState<number>(30);
  const [picked, setPicked] = useState<string[]>(['all-pro', 'all-flash', 'guide-split', 'batch-non-urgent']);
  const [custom, setCustom] = useState<Policy>(() => ({ ...presets.find((p) => p.id === 'guide-split')!, id: 'custom', label: 'Custom' }));
  const last = lastDay(props.cube);
  const cells = useMemo(
    () => (last === null ? [] : collapseDays(props.cube, windowDays > 0 ? addDays(last, -(windowDays - 1)) : undefined, last)),
    [props.cube, last, windowDays],
  );
  const jobTypes = useMemo(() => [...new Set(cells.map((c) => c.jobType))].sort(), [cells]);
  const days = useMemo(() => {
    if (last === null) return 0;
    const from = windowDays > 0 ? addDays(last, -(windowDays - 1)) : '';
    const first = props.cube.reduce((min, r) => (r.day >= from && r.day < min ? r.day : min), last);
    return frontierWindowDays(first, last);
  }, [props.cube, last, windowDays]);
  const allPolicies = useMemo(() => [...presets, custom], [presets, custom]);
  const at = last === null ? 0 : Date.parse(`${last}T00:00:00Z`);
  const results = useMemo(() => {
    const observed = observeCells(cells);
    const policies = [...presets.filter((p) => picked.includes(p.id)), ...(picked.includes('custom') ? [custom] : [])];
    return [actualOutcome(cells, observed), ...policies.map((p) => replayPolicy(p, cells, props.rates, at, observed))];
  }, [cells, presets, picked, custom, props.rates, at]);
  if (last === null) return <p className="muted">Load a request log to replay routing policies.</p>;

  const toggle = (id: string) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id]));
  const setRule = (jobType: string, patch: Partial<PolicyRule>) =>
    setCustom((c) => ({ ...c, rules: { ...c.rules, [jobType]: { ...(c.rules[jobType] ?? c.defaultRule), ...patch } } }));

  return (
    <div className="plan-policies">
      <p className="muted">
        Each policy is replayed over the logged requests of the window: images go to the policy's model, size and lane, at that model's
        observed retry rate on the job type (capped by the policy) and today's prices for image output. Expected accepted images use the
        observed acceptance of each model on each job type; ranges carry the 95% Wilson intervals through.
      </p>
      <div className="plan-toolbar">
        <label>
          Window{' '}
          <select value={windowDays} onChange={(e) => setWindowDays(Number(e.target.value))} data-testid="policy-window">
            <option value={30}>last 30 days</option>
            <option value={90}>last 90 days</option>
            <option value={0}>everything loaded</option>
          </select>
        </label>
        {[...presets, { id: 'custom', label: 'Custom (below)' }].map((p) => (
          <label key={p.id} className="plan-check">
            <input type="checkbox" checked={picked.includes(p.id)} onChange={() => toggle(p.id)} data-testid={`policy-pick-${p.id}`} /> {p.label}
          </label>
        ))}
      </div>
      <ReplayTable results={results} />
      <FrontierPanel cells={cells} rates={props.rates} at={at} days={days} policies={allPolicies} batchEligible={eligible}
        onUse={(p) => {
          setCustom({ ...p, id: 'custom', label: 'Custom' });
          setPicked((ids) => (ids.includes('custom') ? ids : [...ids, 'custom']));
        }} />
      <details className="plan-custom" open={picked.includes('custom')}>
        <summary>Custom policy</summary>
        <table className="table" data-testid="custom-policy">
          <thead>
            <tr><th scope="col">Job type</th><th scope="col">Model</th><th scope="col">Size</th><th scope="col">Lane</th><th scope="col">Pro on reject</th></tr>
          </thead>
          <tbody>
            {jobTypes.map((j) => {
              const rule = custom.rules[j] ?? custom.defaultRule;
              return (
                <tr key={j}>
                  <th scope="row">{j || '(none)'}</th>
                  <td>
                    <select value={rule.model} onChange={(e) => setRule(j, { model: e.target.value })} aria-label={`${j} model`}>
                      {MODEL_CHOICES.map((m) => <option key={m.id} value={m.id}>{m.label}</option>)}
                    </select>
                  </td>
                  <td>
                    <select value={rule.size} onChange={(e) => setRule(j, { size: e.target.value as ImageSize | typeof AS_LOGGED })} aria-label={`${j} size`}>
                      <option value={AS_LOGGED}>as logged</option>
                      {IMAGE_SIZES.map((size) => <option key={size} value={size}>{size}</option>)}
                    </select>
                  </td>
                  <td>
                    <select value={rule.lane} onChange={(e) => setRule(j, { lane: e.target.value as Lane | typeof AS_LOGGED })} aria-label={`${j} lane`}>
                      <option value={AS_LOGGED}>as logged</option>
                      <option value="standard">standard</option>
                      <option value="batch">batch</option>
                    </select>
                  </td>
                  <td>
                    <input type="checkbox" checked={rule.escalateTo === PRO} onChange={(e) => setRule(j, { escalateTo: e.target.checked ? PRO : null })} aria-label={`${j}: Pro on reject`} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <label>
          Pro retries allowed{' '}
          <select value={custom.maxRetries[PRO] ?? 'logged'} data-testid="custom-pro-retries"
            onChange={(e) => setCustom((c) => {
              const { [PRO]: _drop, ...rest } = c.maxRetries;
              return { ...c, maxRetries: e.target.value === 'logged' ? rest : { ...rest, [PRO]: Number(e.target.value) } };
            })}>
            <option value="logged">as logged</option>
            <option value={0}>none</option>
            <option value={1}>1</option>
            <option value={2}>2</option>
          </select>
        </label>
      </details>
    </div>
  );
}

const range = (r: Ranged<Pico>, unit = false) => {
  const f = unit ? usdUnit : usd;
  return r.low === r.high ? f(r.mid) : `${f(r.mid)} (${f(r.low)} – ${f(r.high)})`;
};

function ReplayTable(props: { results: ReplayResult[] }) {
  const actual = props.results[0]!;
  return (
    <>
    <ScrollBox label="Policies side by side">
      <table className="table" data-testid="policy-table">
        <caption>Policies side by side against what actually happened</caption>
        <thead>
          <tr>
            <th scope="col">Policy</th><th scope="col" className="num">Cost</th><th scope="col" className="num">vs actual</th>
            <th scope="col" className="num">Expected accepted images</th><th scope="col" className="num">Cost per accepted image</th>
            <th scope="col" className="num">Not priced</th>
          </tr>
        </thead>
        <tbody>
          {props.results.map((r) => {
            const delta = (r.cost.mid - actual.cost.mid) as Pico;
            return (
              <tr key={r.policyId} data-testid={`policy-row-${r.policyId}`}>
                <th scope="row">{r.label}</th>
                <td className="num" data-testid={`policy-cost-${r.policyId}`}>{range(r.cost)}</td>
                <td className="num">{r.policyId === 'actual' ? '—' : `${delta < 0n ? '−' : '+'}${usd((delta < 0n ? -delta : delta) as Pico)}${actual.cost.mid > 0n ? ` (${((Number((delta * 10_000n) / actual.cost.mid) / 100)).toFixed(1)}%)` : ''}`}</td>
                <td className="num">{r.acceptedImages ? `${count(Math.round(r.acceptedImages.mid))} (${count(Math.round(r.acceptedImages.low))} – ${count(Math.round(r.acceptedImages.high))})` : '—'}</td>
                <td className="num">{r.costPerAccepted ? range(r.costPerAccepted, true) : '—'}</td>
                <td className="num" title={Object.entries(r.unpricedReasons).map(([k, v]) => `${UNPRICED_LABELS[k as UnpricedReason]}: ${v}`).join('; ')}>
                  {r.unpricedRequests ? `${count(r.unpricedRequests)} requests` : '—'}
                  {r.resizedRequests ? <span className="muted"> · {count(r.resizedRequests)} resized</span> : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </ScrollBox>
      <p className="muted">
        “What actually happened” is the billed cost of every meter; a policy reprices image output only, so “As logged (repriced)” shows how
        close that gets. Unpriced requests are left out of cost and acceptance, never guessed.
      </p>
    </>
  );
}
