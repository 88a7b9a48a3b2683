/**
 * Round axis values covering `[low, high]` (which should include 0 for bars): about `count` steps of
 * 1, 2 or 5 times a power of ten (the one nearest an even split), the first at or below `low`, the
 * last at or above `high`. `whole`: no step under 1, for counts.
 */
export function niceTicks(low: number, high: number, options: { count?: number; whole?: boolean } = {}): number[] {
  if (!Number.isFinite(low) || !Number.isFinite(high)) return [0, 1];
  if (high <= low) high = low + 1;
  const raw = (high - low) / (options.count ?? 5);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const error = raw / magnitude;
  const nice = (error >= Math.sqrt(50) ? 10 : error >= Math.sqrt(10) ? 5 : error >= Math.sqrt(2) ? 2 : 1) * magnitude;
  const step = options.whole ? Math.max(1, nice) : nice;
  const first = Math.floor(low / step);
  const last = Math.ceil(high / step);
  const ticks: number[] = [];
  // Multiples of the step, rounded to its precision: 0.1 + 0.2 is not drawn as 0.30000000000000004.
  const digits = Math.max(0, -Math.floor(Math.log10(step)));
  for (let i = first; i <= last; i++) ticks.push(Number((i * step).toFixed(digits)));
  return ticks;
}

/** Which of `n` category labels a time axis shows: at most `most`, evenly spaced from the first. */
export function labelEvery(n: number, most = 12): number {
  return n > most ? Math.ceil(n / most) : 1;
}
