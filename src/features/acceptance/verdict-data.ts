import type { Pico } from '../../domain/money';
import type { ModelFamily } from '../../domain/rate-card';
import type { Report } from '../../domain/report';
import { compareProFlash, type Arm, type Verdict } from '../../domain/verdict';

export interface JobVerdict {
  jobType: string;
  proModels: string[];
  flashModels: string[];
  verdict: Verdict;
}

/**
 * One verdict per job type where both a Pro-family and a Flash-family model have feedback:
 * the models of each family are pooled (their answers and costs added up).
 */
export function familyVerdicts(acceptance: Report['acceptance'], familyOf: (model: string) => ModelFamily | undefined, minSample?: number): JobVerdict[] {
  const byJob = new Map<string, { pro: Arm & { models: string[] }; flash: Arm & { models: string[] } }>();
  const empty = () => ({ withFeedback: 0, accepted: 0, cost: 0n as Pico, models: [] as string[] });
  for (const a of acceptance) {
    const family = familyOf(a.model);
    if (family !== 'pro' && family !== 'flash') continue;
    let entry = byJob.get(a.jobType);
    if (!entry) {
      entry = { pro: empty(), flash: empty() };
      byJob.set(a.jobType, entry);
    }
    const arm = entry[family];
    arm.withFeedback += a.withFeedback;
    arm.accepted += a.accepted;
    arm.cost = (arm.cost + a.cost) as Pico;
    arm.models.push(a.model);
  }
  return [...byJob.entries()]
    .filter(([, e]) => e.pro.withFeedback > 0 && e.flash.withFeedback > 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([jobType, e]) => ({
      jobType,
      proModels: e.pro.models,
      flashModels: e.flash.models,
      verdict: compareProFlash(e.pro, e.flash, minSample === undefined ? {} : { minSample }),
    }));
}

/** The verdict in words: cheaper side, whether the gap is real, and the break-even rate. */
export function verdictSentences(v: Verdict, money: (p: Pico) => string): { cheaper: string; significance: string; breakEven: string } {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const cpa = (p: Pico | null) => (p === null ? 'nothing accepted' : money(p));
  const cheaper =
    v.cheaper === 'unknown'
      ? 'Neither model had an accepted image: no cost per accepted image yet.'
      : v.cheaper === 'tie'
        ? `Same cost per accepted image (${cpa(v.pro.costPerAccepted)}).`
        : v.cheaper === 'flash'
          ? `Flash is cheaper per accepted image: ${cpa(v.flash.costPerAccepted)} against Pro's ${cpa(v.pro.costPerAccepted)}.`
          : `Pro is cheaper per accepted image: ${cpa(v.pro.costPerAccepted)} against Flash's ${cpa(v.flash.costPerAccepted)}.`;
  const p = v.pValue === null ? '' : ` (two-proportion test p ${v.pValue < 0.001 ? '< 0.001' : `= ${v.pValue.toFixed(3)}`})`;
  const significance = v.smallSample
    ? `Too few answers to judge: Pro has ${v.pro.withFeedback}, Flash ${v.flash.withFeedback} with feedback; at least ${v.minSample} each are needed before claiming a difference.`
    : v.significant
      ? `The acceptance gap (${pct(v.pro.rate)} vs ${pct(v.flash.rate)}) is statistically meaningful${p}${v.intervalsOverlap ? ', though the 95% intervals still overlap' : ''}.`
      : `The acceptance gap (${pct(v.pro.rate)} vs ${pct(v.flash.rate)}) could be chance${p}.`;
  const breakEven =
    v.breakEven === null
      ? 'No Pro feedback: no break-even rate.'
      : v.breakEven > 1
        ? `Pro cannot pay for itself here: even at 100% acceptance it costs more per accepted image than Flash (break-even ${pct(v.breakEven)}).`
        : `Pro pays for itself once its acceptance reaches ${pct(v.breakEven)} (now ${pct(v.pro.rate)}).`;
  return { cheaper, significance, breakEven };
}
