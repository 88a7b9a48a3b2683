import { divideRounded, type Pico } from './money';
import { twoProportionPValue, wilsonInterval } from './stats';

/** Feedback figures of one side (one model or a pooled family) in one job type. */
export interface Arm {
  withFeedback: number;
  accepted: number;
  /** Cost of the requests that have feedback. */
  cost: Pico;
}

export interface ArmSummary extends Arm {
  rate: number;
  ciLow: number;
  ciHigh: number;
  costPerRequest: Pico | null;
  /** null when nothing was accepted: every accepted image would cost infinitely much. */
  costPerAccepted: Pico | null;
}

export interface Verdict {
  pro: ArmSummary;
  flash: ArmSummary;
  /** Which side costs less per accepted image ('unknown' when neither accepted anything). */
  cheaper: 'pro' | 'flash' | 'tie' | 'unknown';
  pValue: number | null;
  /** Two-proportion test below alpha (and enough feedback on both sides). */
  significant: boolean;
  /** The 95% Wilson intervals overlap: shown beside the test as the stricter, visual check. */
  intervalsOverlap: boolean;
  /** Pro acceptance rate at which Pro's cost per accepted image equals Flash's; > 1 means never. */
  breakEven: number | null;
  smallSample: boolean;
  minSample: number;
}

export const MIN_FEEDBACK = 30;

export function summarizeArm(arm: Arm): ArmSummary {
  const ci = wilsonInterval(arm.accepted, arm.withFeedback);
  return {
    ...arm,
    rate: arm.withFeedback === 0 ? 0 : arm.accepted / arm.withFeedback,
    ciLow: ci.low,
    ciHigh: ci.high,
    costPerRequest: arm.withFeedback === 0 ? null : divideRounded(arm.cost, arm.withFeedback),
    costPerAccepted: arm.accepted === 0 ? null : divideRounded(arm.cost, arm.accepted),
  };
}

/**
 * Break-even Pro acceptance rate. Pro's cost per accepted image is c_pro / a_pro (cost per
 * request over its acceptance rate); it equals Flash's cost per accepted image K_flash when
 * a_pro = c_pro / K_flash. With c_pro = C_pro / N_pro and K_flash = C_flash / A_flash this is
 * (C_pro · A_flash) / (N_pro · C_flash), computed from the exact sums so no rounded
 * per-unit figure enters it. Flash accepting nothing makes any Pro acceptance worth it (0);
 * free Flash images make Pro never worth it (Infinity); no Pro feedback gives null.
 */
export function breakEvenProRate(pro: Arm, flash: Arm): number | null {
  if (pro.withFeedback === 0) return null;
  if (flash.accepted === 0) return 0;
  if (flash.cost === 0n) return pro.cost === 0n ? 0 : Infinity;
  const numerator = pro.cost * BigInt(flash.accepted);
  const denominator = BigInt(pro.withFeedback) * flash.cost;
  // Scaled integer division keeps nine significant decimals without converting the huge sums to float.
  return Number((numerator * 1_000_000_000n) / denominator) / 1e9;
}

/** Cost per accepted image compared exactly: C_pro · A_flash against C_flash · A_pro. */
export function cheaperPerAccepted(pro: Arm, flash: Arm): Verdict['cheaper'] {
  if (pro.accepted === 0 && flash.accepted === 0) return 'unknown';
  if (pro.accepted === 0) return 'flash';
  if (flash.accepted === 0) return 'pro';
  const proSide = pro.cost * BigInt(flash.accepted);
  const flashSide = flash.cost * BigInt(pro.accepted);
  return proSide === flashSide ? 'tie' : proSide < flashSide ? 'pro' : 'flash';
}

/**
 * Pro against Flash in one job type: who is cheaper per accepted image, whether the
 * acceptance gap is more than chance, and the Pro acceptance rate that would pay for Pro.
 * Below `minSample` answers with feedback on either side no claim is made.
 */
export function compareProFlash(pro: Arm, flash: Arm, options: { minSample?: number; alpha?: number } = {}): Verdict {
  const minSample = options.minSample ?? MIN_FEEDBACK;
  const alpha = options.alpha ?? 0.05;
  const p = summarizeArm(pro);
  const f = summarizeArm(flash);
  const pValue = twoProportionPValue(pro.accepted, pro.withFeedback, flash.accepted, flash.withFeedback);
  const intervalsOverlap = p.ciLow <= f.ciHigh && f.ciLow <= p.ciHigh;
  const smallSample = pro.withFeedback < minSample || flash.withFeedback < minSample;
  return {
    pro: p,
    flash: f,
    cheaper: cheaperPerAccepted(pro, flash),
    pValue,
    significant: !smallSample && pValue !== null && pValue < alpha,
    intervalsOverlap,
    breakEven: breakEvenProRate(pro, flash),
    smallSample,
    minSample,
  };
}
