/**
 * A load's progress for a terminal: a line when the stage changes (a new slice checked is one) or the
 * share done has moved five points, so a log of many millions of rows says where it is without a line
 * per step. Lines, not a redrawn one, so what was written stays readable when stderr is a log file.
 */
export function progressLines(write: (line: string) => void): (stage: string, fraction?: number) => void {
  let lastStage = '';
  let lastPercent = -5;
  return (stage, fraction) => {
    const percent = fraction === undefined ? undefined : Math.floor(fraction * 100);
    if (stage === lastStage && (percent === undefined || percent < lastPercent + 5)) return;
    lastStage = stage;
    if (percent !== undefined) lastPercent = percent;
    write(percent === undefined ? `${stage} …` : `${stage} · ${percent}%`);
  };
}
