import { formatExact, type Pico } from '../domain/money';
import { IMAGE_SIZES, type ActivePrice, type ActiveRates } from '../domain/rate-card';
import type { Engine } from './engine';

const money = (value: Pico | null | undefined) => (value === null || value === undefined ? null : formatExact(value));
const MONEY = 'DECIMAL(38,12)';

/** The tables `loadRates` writes: what pricing reads of the rates. */
export const RATE_TABLES = [
  'rate_models', 'rate_aliases', 'rate_image_tokens', 'rate_prices', 'rate_per_image', 'rate_prices_base', 'rate_per_image_base',
] as const;

type TextTable = [name: string, columns: string, rows: (string | null)[][]];

/** The rows `loadRates` writes, as text: equal for two price lists exactly when their rate tables are. */
export function rateTableRows(rates: ActiveRates): TextTable[] {
  const models = [...rates.models.values()];
  return [
    ['rate_models_text', 'model_id label family vendor input_image_tokens', models.map((m) => [m.id, m.label, m.family, m.vendor, m.inputImageTokens?.toString() ?? null])],
    ['rate_aliases_text', 'alias model_id', [...rates.aliases].map(([alias, id]) => [alias, id])],
    [
      'rate_image_tokens_text',
      'model_id image_size tokens',
      models.flatMap((m) => IMAGE_SIZES.filter((s) => m.imageTokens[s] !== undefined).map((s) => [m.id, s, String(m.imageTokens[s])])),
    ],
    ...priceTables('', rates.prices),
    // the entries as their cards gave them, where overrides changed them: reconciliation checks billed cost against these
    ...priceTables('_base', rates.prices.flatMap((p) => (p.beforeOverrides ? [p.beforeOverrides] : []))),
  ];
}

/**
 * Writes the active price list into DuckDB as small dimension tables (`RATE_TABLES`). Rates are per
 * token (and per image) in DECIMAL(38,12) dollars, exactly the picodollar values of the domain.
 */
export async function loadRates(engine: Engine, rates: ActiveRates): Promise<void> {
  const tables = rateTableRows(rates);
  for (const [name, columns, rows] of tables) {
    await engine.exec(`DROP TABLE IF EXISTS ${name}`);
    await engine.insertText(name, columns.split(' '), rows);
  }
  await engine.exec(buildRateTablesSql());
}

/** Types the text tables `loadRates` inserted into `RATE_TABLES`, and drops them. */
export function buildRateTablesSql(): string {
  const typedPrices = (suffix: string) => `
    CREATE OR REPLACE TEMP TABLE rate_prices${suffix} AS
      SELECT price_id, model_id, provider, lane,
        valid_from::TIMESTAMP AS valid_from, valid_to::TIMESTAMP AS valid_to,
        -- open-ended as infinity, which every timestamp precedes: a plain range keeps the join a hash join (an OR made it nested-loop)
        COALESCE(valid_to::TIMESTAMP, 'infinity'::TIMESTAMP) AS valid_until,
        input_text::${MONEY} AS input_text, input_image::${MONEY} AS input_image,
        output_text::${MONEY} AS output_text, output_image::${MONEY} AS output_image,
        per_input_image::${MONEY} AS per_input_image, per_request::${MONEY} AS per_request,
        per_grounding_query::${MONEY} AS per_grounding_query, tokens_included::BOOLEAN AS tokens_included,
        (output_image IS NOT NULL OR EXISTS (
          SELECT 1 FROM rate_per_image${suffix}_text i WHERE i.price_id = p.price_id AND i.price IS NOT NULL)) AS has_image_price,
        source, checked
      FROM rate_prices${suffix}_text p;
    CREATE OR REPLACE TEMP TABLE rate_per_image${suffix} AS
      SELECT price_id, image_size, price::${MONEY} AS price, listed::${MONEY} AS listed FROM rate_per_image${suffix}_text;
    DROP TABLE rate_prices${suffix}_text; DROP TABLE rate_per_image${suffix}_text;`;
  return `
    CREATE OR REPLACE TEMP TABLE rate_models AS
      SELECT model_id, label, family, vendor, input_image_tokens::BIGINT AS input_image_tokens FROM rate_models_text;
    CREATE OR REPLACE TEMP TABLE rate_aliases AS SELECT alias, model_id FROM rate_aliases_text;
    CREATE OR REPLACE TEMP TABLE rate_image_tokens AS
      SELECT model_id, image_size, tokens::BIGINT AS tokens FROM rate_image_tokens_text;
    ${typedPrices('')}
    ${typedPrices('_base')}
    DROP TABLE rate_models_text; DROP TABLE rate_aliases_text; DROP TABLE rate_image_tokens_text;`;
}

function priceTables(suffix: string, prices: readonly ActivePrice[]): TextTable[] {
  return [
    [
      `rate_prices${suffix}_text`,
      'price_id model_id provider lane valid_from valid_to input_text input_image output_text output_image per_input_image per_request per_grounding_query tokens_included source checked',
      prices.map((p) => [
        p.id, p.model, p.provider, p.lane, p.fromDate, p.toDate,
        money(p.tokenRates.input_text), money(p.tokenRates.input_image), money(p.tokenRates.output_text), money(p.tokenRates.output_image),
        money(p.perInputImage), money(p.perRequest), money(p.perGroundingQuery), String(p.tokensIncluded), p.source, p.checked,
      ]),
    ],
    [
      `rate_per_image${suffix}_text`,
      'price_id image_size price listed',
      prices.flatMap((p) =>
        IMAGE_SIZES.filter((s) => p.perImage[s] !== undefined || p.listedPerImage[s] !== undefined).map((s) => [
          p.id, s, money(p.perImage[s]), money(p.listedPerImage[s]),
        ]),
      ),
    ],
  ];
}
