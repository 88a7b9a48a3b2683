import type { PricingRequest } from '../../src/domain/pricing';
import { readFileSync } from 'node:fs';
import { parseCsv } from '../../src/domain/csv';

/** Reads a simple CSV (no quoted fields, like the generated sample) into objects, independently of DuckDB. */
export function readSimpleCsv(path: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(path, 'utf8').trimEnd().split('\n');
  const names = header!.split(',');
  return lines.map((line) => {
    const cells = line.split(',');
    return Object.fromEntries(names.map((n, i) => [n, cells[i] ?? '']));
  });
}

/**
 * One row of the generated sample log as the pure pricing engine's input: the independent
 * side of every "SQL figure = plain loop" test. `lane` prices the row as if on another lane.
 */
export function sampleRowRequest(r: Record<string, string>, lane = r.lane!): PricingRequest {
  return {
    timestamp: Date.parse(r.timestamp!),
    model: r.model!,
    provider: r.provider!.toLowerCase(),
    lane,
    imageSize: r.image_size!,
    images: Number(r.images),
    billedAttempts: Number(r.billed_attempts),
    inputTokens: Number(r.input_tokens),
    inputImages: 0,
    outputTextTokens: Number(r.output_text_tokens),
    outputImageTokens: null,
    groundingQueries: Number(r.grounding_queries),
  };
}

/** A CSV document as records of fields (the app's RFC 4180 reader); a quote left open fails the test. */
export function csvRecords(text: string): string[][] {
  const { rows, error } = parseCsv(text);
  if (error) throw new Error(error);
  return rows.map((r) => r.fields);
}
