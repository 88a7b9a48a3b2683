import { IS_REPEAT_SQL } from './cube';
import { quoteLiteral } from './identifiers';
/**
 * Pricing in SQL: `priceRequest` (src/domain/pricing.ts) with the same checks in the same
 * order, DECIMAL(38,12) throughout. A request's cost is linear in its quantities, so the
 * rates are resolved once per price key (model as logged, provider, lane, size, UTC day and
 * which meters were used) and then multiplied by quantities: a cube cell's sums for every
 * figure the views show, one row's counts for the explorer. A test prices thousands of random
 * requests both here and in TypeScript and requires identical results.
 */

import { MODEL_PREFIX_PATTERN } from '../../domain/rate-card';

export const MONEY_TYPE = 'DECIMAL(38,12)';

/** The normalisation of `normalizeModelId`, in SQL. */
export function normalizeModelSql(column: string): string {
  return `regexp_replace(lower(trim(${column})), '${MODEL_PREFIX_PATTERN}', '')`;
}

/**
 * What decides a request's price entry and unpriced reason. Rate cards are dated by whole
 * UTC days, so the day fixes the entry in force; the meter flags decide `meter_not_priced`.
 */
export const PRICE_KEY_COLUMNS = [
  'day', 'model_raw', 'provider', 'lane', 'image_size',
  'has_input_tokens', 'has_input_images', 'has_text', 'has_grounding', 'has_image_tokens',
] as const;

/** The lanes priced for every key: the one logged (`a`), and standard and batch for the savings figures. */
const LANES = { a: 'b.lane', s: "'standard'", t: "'batch'" } as const;
type LaneAlias = keyof typeof LANES;

/** The rates a lane's pricing rule reads, named as `attemptTotal` reads them (the logged lane's are kept as `a_per_image` …). */
const LANE_RATES = [
  'price_id', 'per_image', 'output_image', 'tokens_per_image', 'input_text', 'per_input_image', 'input_image_tokens_cost',
  'output_text', 'per_grounding', 'per_request', 'tokens_included',
] as const;

/** What fixes a priced lane's unit costs: its entry, the size, the canonical model and the meter flags. */
const RULE_KEY = ['price_id', 'image_size', 'model', 'has_input_tokens', 'has_input_images', 'has_text', 'has_grounding', 'has_image_tokens'] as const;

/**
 * Rebuilds `cube_keys`: the usage cube's distinct price keys, with how many cells each has. They
 * depend on the cube alone, so they are found once per cube, not at every pricing (on a 1M-row log,
 * `price_keys` 226 → 178 ms). Built with the cube (`buildUsageCube`), or by `reprice` for a cube that
 * came without them (a snapshot's, a cube file's); dropped with the log.
 */
export function buildCubeKeysSql(): string {
  return `CREATE OR REPLACE TEMP TABLE cube_keys AS SELECT ${PRICE_KEY_COLUMNS.join(', ')}, count(*)::BIGINT AS cells FROM usage_cube GROUP BY ALL`;
}

/**
 * Rebuilds `price_keys`: for every price key of the usage cube (`cube_keys`), the canonical model,
 * the logged lane's unpriced reason, entry and unit rates, and on every lane (logged `a_`,
 * standard `s_`, batch `t_`) the cost of one unit of each quantity in picodollars (`a_p_images` …,
 * NULL where that lane is unpriced; the largest a card may hold, a rate of $1 a token times a
 * million tokens an image, is 10^18 picodollars, inside BIGINT). A few thousand rows; a rate change
 * prices again those it touched (`repriceChangedKeysSql`). The lanes are rows until the end (one pricing rule in the statement,
 * not three), and the rule is evaluated once per distinct entry, size, model and meters, not once
 * per key.
 */
export function buildPriceKeysSql(): string {
  return `CREATE OR REPLACE TEMP TABLE price_keys AS ${priceKeysSelect('cube_keys')}`;
}

/** `price_keys`' rows for the keys of `keys` (`cube_keys` or a subset of its rows). */
function priceKeysSelect(keys: string): string {
  const units = COEFFICIENTS.map(([name], i) =>
    `(${quoteLiteral(name)}, ${COEFFICIENTS.map((_, j) => (i === j ? 1 : 0)).join(', ')})`).join(', ');
  const lane = `CASE l.x ${Object.entries(LANES).map(([x, value]) => `WHEN '${x}' THEN ${value}`).join(' ')} END`;
  const ruleJoin = RULE_KEY.map((c) => `r.${c} = rated.${c}`).join(' AND ');
  const lanes = Object.keys(LANES) as LaneAlias[];
  const columns = [
    ...PRICE_KEY_COLUMNS.map((c) => `a.${c}`),
    'a.model_key', 'a.reason AS a_reason',
    ...LANE_RATES.map((c) => `a.${c} AS a_${c}`),
    ...lanes.flatMap((x) => COEFFICIENTS.map(([name]) => `${x}.p_${name} AS ${x}_p_${name}`)),
  ];
  return `
    WITH keys AS (SELECT * FROM ${keys}),
    raw_models AS (SELECT DISTINCT model_raw, ${normalizeModelSql('model_raw')} AS normalized FROM keys),
    b AS (
      SELECT row_number() OVER () AS key_id, keys.*, keys.day::TIMESTAMP AS day_start, a.model_id AS model, rm.normalized AS model_normalized
      FROM keys
      JOIN raw_models rm ON rm.model_raw = keys.model_raw
      LEFT JOIN rate_aliases a ON a.alias = rm.normalized),
    rated AS (
      SELECT b.key_id, l.x, b.model, ${PRICE_KEY_COLUMNS.map((c) => `b.${c}`).join(', ')},
        COALESCE(b.model, b.model_normalized) AS model_key,
        CASE
          WHEN b.model IS NULL THEN 'unknown_model'
          WHEN pm.model_id IS NULL THEN 'model_not_priced'
          WHEN pp.model_id IS NULL THEN 'provider_not_priced'
          WHEN pl.model_id IS NULL THEN 'lane_not_offered'
          WHEN p.price_id IS NULL THEN 'no_price_on_date'
          WHEN NOT p.has_image_price THEN 'image_not_priced'
          WHEN pi.price IS NULL AND (p.output_image IS NULL OR t.tokens IS NULL) THEN 'size_not_offered'
          WHEN (NOT p.tokens_included AND (
                (b.has_input_tokens AND p.input_text IS NULL)
                OR (b.has_input_images AND p.per_input_image IS NULL AND (m.input_image_tokens IS NULL OR p.input_image IS NULL))
                OR (b.has_text AND p.output_text IS NULL)))
            OR (b.has_grounding AND p.per_grounding_query IS NULL) THEN 'meter_not_priced'
        END AS reason,
        p.price_id,
        pi.price AS per_image,
        p.output_image,
        t.tokens AS tokens_per_image,
        p.input_text,
        p.per_input_image,
        p.input_image * m.input_image_tokens AS input_image_tokens_cost,
        p.output_text,
        p.per_grounding_query AS per_grounding,
        COALESCE(p.per_request, 0::${MONEY_TYPE}) AS per_request,
        COALESCE(p.tokens_included, false) AS tokens_included
      FROM b
      CROSS JOIN (VALUES ${lanes.map((x) => `('${x}')`).join(', ')}) l (x)
      LEFT JOIN (SELECT DISTINCT model_id FROM rate_prices) pm ON pm.model_id = b.model
      LEFT JOIN (SELECT DISTINCT model_id, provider FROM rate_prices) pp ON pp.model_id = b.model AND pp.provider = b.provider
      LEFT JOIN rate_image_tokens t ON t.model_id = b.model AND t.image_size = b.image_size
      LEFT JOIN rate_models m ON m.model_id = b.model
      LEFT JOIN (SELECT DISTINCT model_id, provider, lane FROM rate_prices) pl
        ON pl.model_id = b.model AND pl.provider = b.provider AND pl.lane = ${lane}
      LEFT JOIN rate_prices p
        ON p.model_id = b.model AND p.provider = b.provider AND p.lane = ${lane}
        AND b.day_start >= p.valid_from AND b.day_start < p.valid_until
      LEFT JOIN rate_per_image pi
        ON pi.price_id = p.price_id AND pi.image_size = b.image_size AND pi.price IS NOT NULL),
    rules AS (SELECT DISTINCT ${RULE_KEY.join(', ')}, ${LANE_RATES.filter((c) => c !== 'price_id').join(', ')} FROM rated WHERE reason IS NULL),
    units (unit, ${COEFFICIENTS.map(([name]) => `u_${name}`).join(', ')}) AS (VALUES ${units}),
    -- The pricing rule, evaluated on one unit of each quantity: a cost is linear once a key's meters are fixed.
    unit_costs AS (SELECT ${RULE_KEY.join(', ')}, unit, ${unitCostRule()} AS c FROM rules CROSS JOIN units),
    rule_costs AS (
      SELECT ${RULE_KEY.join(', ')}, ${COEFFICIENTS.map(([name]) => `(any_value(c) FILTER (WHERE unit = ${quoteLiteral(name)}) * 1000000000000)::BIGINT AS p_${name}`).join(', ')}
      FROM unit_costs GROUP BY ALL),
    costed AS (
      SELECT rated.*, ${COEFFICIENTS.map(([name]) => `CASE WHEN rated.reason IS NULL THEN r.p_${name} END AS p_${name}`).join(', ')}
      FROM rated LEFT JOIN rule_costs r ON ${ruleJoin})
    SELECT ${columns.join(', ')}
    FROM costed a ${lanes.filter((x) => x !== 'a').map((x) => `JOIN costed ${x} ON ${x}.key_id = a.key_id AND ${x}.x = '${x}'`).join(' ')}
    WHERE a.x = 'a'`;
}

/** The quantities a cell's attempt cost is a sum of products over, with each one's coefficient column. */
const COEFFICIENTS = [
  ['images', 'images'], ['image_tokens', 'imageTokens'], ['input_tokens', 'inputTokens'], ['input_images', 'inputImages'],
  ['text', 'textTokens'], ['grounding', 'grounding'], ['requests', 'requests'],
] as const satisfies readonly (readonly [string, keyof Quantities])[];

/**
 * A priced lane's cost of one unit of the quantity named by the `units` row: `attemptTotal` on the
 * lane's rates (columns named as `LANE_RATES`) and the key's meter flags.
 */
function unitCostRule(): string {
  const unit = Object.fromEntries(COEFFICIENTS.map(([name, q]) => [q, `u_${name}`])) as Record<(typeof COEFFICIENTS)[number][1], string>;
  const flags = {
    hasImageTokens: 'has_image_tokens', hasInputTokens: 'has_input_tokens', hasInputImages: 'has_input_images',
    hasText: 'has_text', hasGrounding: 'has_grounding',
  };
  return attemptTotal((c) => c, { ...unit, ...flags });
}

/**
 * Below this many picodollars a cost is computed in 64-bit integers, an order of magnitude faster
 * in the wasm build than DECIMAL(38,12), whose products are 128-bit; a DOUBLE estimate decides,
 * a hundred times under BIGINT's range so its rounding cannot matter. Both ways are exact.
 */
const FAST_COST_LIMIT = '1e17';

/**
 * The cost of `times` attempts of quantities `q` (a cube cell's sums or one request's counts) on
 * lane `x` of `price_keys k`: its unit costs in picodollars (`x_p_…`) times the quantities, as
 * DECIMAL(38,12) dollars; NULL where the lane is unpriced. The fast path bounds one attempt too: at
 * no attempt (nothing billed, no retry) a cell's one attempt may still run past 64 bits.
 */
function laneCostSql(x: LaneAlias, q: Quantities, times: string): string {
  const sum = (term: (unitCost: string, quantity: string) => string) =>
    `(${COEFFICIENTS.map(([name, quantity]) => term(`k.${x}_p_${name}`, quantity === 'imageTokens' ? `COALESCE(${q[quantity]}, 0)` : q[quantity])).join(' + ')})`;
  return `CASE WHEN ${sum((k, n) => `abs(${k}::DOUBLE * ${n})`)} * greatest(${times}, 1) < ${FAST_COST_LIMIT}
      THEN (${sum((k, n) => `${k} * ${n}`)} * ${times})::DECIMAL(18, 0) * 0.000000000001
      ELSE (${sum((k, n) => `${k}::HUGEINT * ${n}`)} * ${times})::DECIMAL(38, 0) * 0.000000000001 END`;
}

/** The quantities a cost is computed from: one request's counts, or a cube cell's sums. */
export interface Quantities {
  requests: string;
  images: string;
  imageTokens: string;
  inputTokens: string;
  inputImages: string;
  textTokens: string;
  grounding: string;
  hasImageTokens: string;
  hasInputTokens: string;
  hasInputImages: string;
  hasText: string;
  hasGrounding: string;
}

/** Quantities of one request of `requests` aliased `r`. */
export const ROW_QUANTITIES: Quantities = {
  requests: '1',
  images: 'r.images',
  imageTokens: 'r.output_image_tokens',
  inputTokens: 'r.input_tokens',
  inputImages: 'r.input_images',
  textTokens: '(r.output_text_tokens + r.output_thinking_tokens)',
  grounding: 'r.grounding_queries',
  hasImageTokens: 'r.output_image_tokens IS NOT NULL',
  hasInputTokens: 'r.input_tokens > 0',
  hasInputImages: 'r.input_images > 0',
  hasText: '(r.output_text_tokens + r.output_thinking_tokens) > 0',
  hasGrounding: 'r.grounding_queries > 0',
};

/** Sums of a cell of `usage_cube` aliased `c`. */
export const CELL_QUANTITIES: Quantities = {
  requests: 'c.requests',
  images: 'c.images',
  imageTokens: 'c.image_tokens',
  inputTokens: 'c.input_tokens',
  inputImages: 'c.input_images',
  textTokens: 'c.text_tokens',
  grounding: 'c.grounding_queries',
  hasImageTokens: 'c.has_image_tokens',
  hasInputTokens: 'c.has_input_tokens',
  hasInputImages: 'c.has_input_images',
  hasText: 'c.has_text',
  hasGrounding: 'c.has_grounding',
};

/** Where a lane's unit rates are read: `k.a_per_image` and so on (`k` is `price_keys`). */
const laneRate = (x: LaneAlias) => (c: string) => `k.${x}_${c}`;

/**
 * One attempt's cost of the quantities, split by meter, from unit rates named by `k` (a lane of
 * `price_keys`, or any relation with the same rate columns: reconcile.ts prices other entries).
 */
function attemptParts(x: LaneAlias | ((c: string) => string), q: Quantities) {
  const k = typeof x === 'function' ? x : laneRate(x);
  const zero = `0::${MONEY_TYPE}`;
  return {
    image: `CASE WHEN ${k('per_image')} IS NOT NULL THEN ${k('per_image')} * ${q.images}
      ELSE ${k('output_image')} * (CASE WHEN ${q.hasImageTokens} THEN ${q.imageTokens} ELSE ${k('tokens_per_image')} * ${q.images} END) END`,
    input: `CASE WHEN NOT ${q.hasInputTokens} OR ${k('tokens_included')} THEN ${zero} ELSE ${k('input_text')} * ${q.inputTokens} END
      + CASE WHEN NOT ${q.hasInputImages} OR ${k('tokens_included')} THEN ${zero}
             WHEN ${k('per_input_image')} IS NOT NULL THEN ${k('per_input_image')} * ${q.inputImages}
             ELSE ${k('input_image_tokens_cost')} * ${q.inputImages} END`,
    text: `CASE WHEN NOT ${q.hasText} OR ${k('tokens_included')} THEN ${zero} ELSE ${k('output_text')} * ${q.textTokens} END`,
    grounding: `CASE WHEN NOT ${q.hasGrounding} THEN ${zero} ELSE ${k('per_grounding')} * ${q.grounding} END`,
    request: `${k('per_request')} * ${q.requests}`,
  };
}

export function attemptTotal(x: LaneAlias | ((c: string) => string), q: Quantities): string {
  const p = attemptParts(x, q);
  return `((${p.image}) + (${p.input}) + (${p.text}) + (${p.grounding}) + (${p.request}))`;
}

/**
 * One request's cost columns: on the logged lane (NULL when unpriced), the retries' share of it,
 * and the same work on the standard and batch lanes (NULL where that lane has no price).
 */
function rowCostColumns(q: Quantities, billed: string): string {
  return `
      ${laneCostSql('a', q, billed)} AS cost,
      ${laneCostSql('a', q, `greatest(${billed} - 1, 0)`)} AS retry_cost,
      ${laneCostSql('s', q, billed)} AS cost_standard,
      ${laneCostSql('t', q, billed)} AS cost_batch`;
}

/** A price key's columns for the row or cell `alias`, in `PRICE_KEY_COLUMNS`' order. */
const keyOf = (alias: string, day: string, flags: Quantities) => [
  day, `${alias}.model_raw`, `${alias}.provider`, `${alias}.lane`, `${alias}.image_size`,
  flags.hasInputTokens, flags.hasInputImages, flags.hasText, flags.hasGrounding, flags.hasImageTokens,
].map((c) => `(${c})`);

const keyJoin = (alias: string, day: string, flags: Quantities) => `
    JOIN price_keys k ON ${PRICE_KEY_MACRO}(${PRICE_KEY_COLUMNS.map((c) => `k.${c}`).join(', ')}) = ${PRICE_KEY_MACRO}(${keyOf(alias, day, flags).join(', ')})`;

/**
 * What rows and cells are joined to their price key on (`keyJoin`): one value standing for the
 * key's ten columns, NULL where any is NULL (as a join on the columns matches nothing there). A
 * 64-bit hash of them where the log's keys hash apart, as they all but always do: a request's key
 * is one of `price_keys` (the cube sums every request), so equal hashes are equal keys. Hashing
 * the ten columns of 749,819 rated requests cost less than comparing them: Acceptance's decision
 * cells on a 1M-row log took 862 ms against 1,065 (wasm/Node, medians of 12). Where two keys
 * share a hash (`exact`), the columns themselves, as a struct, and every figure is as exact.
 */
export function buildPriceKeyMacroSql(exact: boolean, hash = 'hash'): string {
  const args = PRICE_KEY_COLUMNS.map((_, i) => `k${i}`);
  const value = exact ? `{${args.map((a) => `'${a}': ${a}`).join(', ')}}` : `${hash}(${args.join(', ')})`;
  return `CREATE OR REPLACE TEMP MACRO ${PRICE_KEY_MACRO}(${args.join(', ')}) AS
    CASE WHEN ${args.map((a) => `${a} IS NULL`).join(' OR ')} THEN NULL ELSE ${value} END`;
}

const PRICE_KEY_MACRO = 'price_key';

/** Whether two of `price_keys`' keys share a hash (`buildPriceKeyMacroSql`). */
export function priceKeysCollideSql(hash = 'hash'): string {
  const key = PRICE_KEY_COLUMNS.join(', ');
  return `SELECT count(DISTINCT ${hash}(${key})) < count(DISTINCT row(${key})) AS collide FROM price_keys
    WHERE ${PRICE_KEY_COLUMNS.map((c) => `${c} IS NOT NULL`).join(' AND ')}`;
}

/**
 * Rebuilds `priced_cube`: every usage-cube cell with its canonical model, unpriced reason,
 * price entry and exact costs. Every dashboard and report figure reads this table. The same work
 * on the other lane is what batch savings compare: `cost_standard` is kept for batch cells and
 * `cost_batch` for standard ones (NULL elsewhere, and where that lane has no price).
 */
export function buildPricedCubeSql(): string {
  return `CREATE OR REPLACE TEMP TABLE priced_cube AS ${pricedCellsSql()}`;
}

/** What pricing adds to a cube cell in `priced_cube`, each column with its expression over `usage_cube c` and `price_keys k`. */
const PRICED_CELL_COLUMNS = {
  model_key: 'k.model_key',
  unpriced_reason: 'k.a_reason',
  price_id: 'k.a_price_id',
  cost: laneCostSql('a', CELL_QUANTITIES, 'c.billed_attempts'),
  retry_cost: laneCostSql('a', CELL_QUANTITIES, 'greatest(c.billed_attempts - 1, 0)'),
  cost_standard: `CASE WHEN c.lane = 'batch' THEN ${laneCostSql('s', CELL_QUANTITIES, 'c.billed_attempts')} END`,
  cost_batch: `CASE WHEN c.lane = 'standard' THEN ${laneCostSql('t', CELL_QUANTITIES, 'c.billed_attempts')} END`,
};

/** The cells of `cells` (relation of `usage_cube`'s columns) priced. */
function pricedCellsSql(cells = 'usage_cube'): string {
  return `
    SELECT c.*, ${Object.entries(PRICED_CELL_COLUMNS).map(([name, sql]) => `${sql} AS ${name}`).join(',\n      ')}
    FROM ${cells} c ${keyJoin('c', 'c.day', CELL_QUANTITIES)}`;
}

/**
 * Rebuilds `priced_rates`: for each model as logged and provider among the cube's keys, the model
 * the name resolves to and, as text, every rate row its keys' prices are read from (the model's
 * entries with that provider and their prices per size, its tokens per image and per input image,
 * whether any provider prices it). Where both agree before and after a rate change, so do the
 * keys' rows of `price_keys`: `changed_sources` lists the others, whose keys alone are priced again.
 */
export function buildPricedRatesSql(): string {
  const rows = (table: string, alias: string, where: string, order: string) =>
    `COALESCE((SELECT string_agg(CAST(${alias} AS VARCHAR), '|' ORDER BY ${order}) FROM ${table} ${alias} WHERE ${where}), '-')`;
  return `
    CREATE OR REPLACE TEMP TABLE priced_rates AS
    WITH sources AS (SELECT DISTINCT model_raw, provider FROM cube_keys),
    resolved AS (
      SELECT s.model_raw, s.provider, a.model_id AS model
      FROM sources s LEFT JOIN rate_aliases a ON a.alias = ${normalizeModelSql('s.model_raw')}),
    entries AS (
      SELECT p.model_id, p.provider,
        string_agg(CAST(p AS VARCHAR) || ${rows('rate_per_image', 'i', 'i.price_id = p.price_id', 'i.image_size')}, '|' ORDER BY p.price_id) AS entries
      FROM rate_prices p GROUP BY ALL)
    SELECT r.model_raw, r.provider, r.model,
      concat_ws('#', COALESCE(e.entries, '-'), ${rows('rate_models', 'm', 'm.model_id = r.model', 'm.model_id')},
        ${rows('rate_image_tokens', 't', 't.model_id = r.model', 't.image_size')},
        EXISTS (SELECT 1 FROM rate_prices p WHERE p.model_id = r.model)::VARCHAR) AS rates
    FROM resolved r LEFT JOIN entries e ON e.model_id = r.model AND e.provider = r.provider`;
}

const sameSource = (a: string, b: string) => `${a}.model_raw IS NOT DISTINCT FROM ${b}.model_raw AND ${a}.provider IS NOT DISTINCT FROM ${b}.provider`;

/** `changed_sources`: the models as logged and providers of `priced_rates` resolved or rated otherwise than in `priced_rates_before`. */
export function buildChangedSourcesSql(): string {
  return `CREATE OR REPLACE TEMP TABLE changed_sources AS
    SELECT n.model_raw, n.provider FROM priced_rates n LEFT JOIN priced_rates_before o ON ${sameSource('n', 'o')}
    WHERE o.rates IS NULL OR n.model IS DISTINCT FROM o.model OR n.rates IS DISTINCT FROM o.rates`;
}

/**
 * Re-prices the keys of `changed_sources` in `price_keys`: keeps their rows as they were
 * (`price_keys_before`), deletes them and prices them again; the other keys' rows are what
 * `buildPriceKeysSql` would build again.
 */
export function repriceChangedKeysSql(): string[] {
  return [
    `CREATE OR REPLACE TEMP TABLE price_keys_before AS SELECT k.* FROM price_keys k SEMI JOIN changed_sources s ON ${sameSource('k', 's')}`,
    `DELETE FROM price_keys k USING changed_sources s WHERE ${sameSource('k', 's')}`,
    `INSERT INTO price_keys BY NAME SELECT * FROM (${priceKeysSelect(`(SELECT k.* FROM cube_keys k SEMI JOIN changed_sources s ON ${sameSource('k', 's')})`)})`,
  ];
}

/**
 * The price keys re-priced by a rate change (`changed_keys`): those of `changed_sources` whose row
 * of `price_keys` differs from the one it replaced (`price_keys_before`) in what `priced_cube`
 * reads of it (the canonical model, the reason it is unpriced, the entry and every lane's unit costs).
 */
export function buildChangedKeysSql(): string {
  const read = [...PRICE_KEY_COLUMNS, 'model_key', 'a_reason', 'a_price_id', ...(Object.keys(LANES) as LaneAlias[]).flatMap((x) => COEFFICIENTS.map(([name]) => `${x}_p_${name}`))].join(', ');
  const now = `SELECT ${read} FROM price_keys k SEMI JOIN changed_sources s ON ${sameSource('k', 's')}`;
  const before = `SELECT ${read} FROM price_keys_before`;
  return `CREATE OR REPLACE TEMP TABLE changed_keys AS SELECT DISTINCT ${PRICE_KEY_COLUMNS.join(', ')} FROM (
      (${now} EXCEPT ${before}) UNION ALL (${before} EXCEPT ${now}))`;
}

/** How many cells the keys of `changed_keys` have, of how many in all (`cube_keys`' counts). */
export function changedCellsSql(): string {
  return `SELECT COALESCE(sum(k.cells) FILTER (WHERE ck.day IS NOT NULL), 0)::BIGINT AS changed, COALESCE(sum(k.cells), 0)::BIGINT AS cells
    FROM cube_keys k LEFT JOIN changed_keys ck ON ${PRICE_KEY_COLUMNS.map((c) => `ck.${c} = k.${c}`).join(' AND ')}`;
}

/**
 * Re-prices the cells of `changed_keys` in `priced_cube`: copies them as they were (`changed_cells`,
 * which the months read), deletes them and prices them again, the rest left as they were: what
 * `buildPricedCubeSql` would build, for a rate change that moved a few keys. The cell order
 * differs; every reader groups or sorts.
 */
export function repriceChangedCellsSql(): string[] {
  return [
    `CREATE OR REPLACE TEMP TABLE changed_cells AS SELECT p.rowid AS cell, p.*
      FROM priced_cube p JOIN changed_keys ck ON ${PRICE_KEY_COLUMNS.map((col) => `p.${col} = ck.${col}`).join(' AND ')}`,
    'DELETE FROM priced_cube WHERE rowid IN (SELECT cell FROM changed_cells)',
    `INSERT INTO priced_cube BY NAME ${pricedCellsSql(`(SELECT * EXCLUDE (cell, ${Object.keys(PRICED_CELL_COLUMNS).join(', ')}) FROM changed_cells)`)}`,
  ];
}

/**
 * `priced`: every logged request priced on demand, with the same columns the per-row table
 * had (canonical model, reason, per-attempt parts, cost, retry cost, standard and batch), and
 * how many requests of the log share its prompt hash (`prompt_requests`, NULL without one).
 * A view: the explorer prices only what a page, a sort or a filter touches.
 */
export function buildPricedViewSql(): string {
  return `CREATE OR REPLACE VIEW priced AS ${pricedRowsSql('requests')}`;
}

/** `priced`'s rows for the requests of `source` (`requests` or a subquery over it that keeps its columns). */
export function pricedRowsSql(source: string): string {
  const q = ROW_QUANTITIES;
  const parts = attemptParts('a', q);
  const ifPriced = (expr: string) => `CASE WHEN k.a_reason IS NULL THEN ${expr} END`;
  return `
    SELECT r.*, ${IS_REPEAT_SQL} AS is_repeat, CASE WHEN r.prompt_hash <> '' THEN COALESCE(f.requests, 1) END AS prompt_requests, CAST(r.ts AS DATE) AS day, k.model_key, k.a_reason AS unpriced_reason, k.a_price_id AS price_id,
      ${ifPriced(parts.image)} AS image_cost,
      ${ifPriced(parts.input)} AS input_cost,
      ${ifPriced(parts.text)} AS text_cost,
      ${ifPriced(parts.grounding)} AS grounding_cost,
      ${ifPriced(parts.request)} AS request_cost,
      ${laneCostSql('a', q, '1')} AS attempt_cost,
      ${ifPriced(`CASE WHEN k.a_tokens_included THEN 0::${MONEY_TYPE} ELSE COALESCE(k.a_output_text * r.output_thinking_tokens, 0::${MONEY_TYPE}) END`)} AS thinking_cost,
      ${rowCostColumns(q, 'r.billed_attempts')}
    FROM ${source} r ${keyJoin('r', 'CAST(r.ts AS DATE)', q)}
    LEFT JOIN shared_prompts f ON f.prompt_hash = r.prompt_hash`;
}

/** `model_keys`: each model as logged and its canonical model, from the few-row `price_keys`; `request_dims` reads it. */
export function buildModelKeysSql(): string {
  return 'CREATE OR REPLACE TEMP TABLE model_keys AS SELECT DISTINCT model_raw, model_key FROM price_keys';
}

/**
 * `request_dims`: each request's filter columns and prompt hash, without prices, for row-level
 * counts that need no money.
 */
export function buildRequestDimsSql(): string {
  return `CREATE OR REPLACE VIEW request_dims AS
    SELECT r.row_id, r.ts, CAST(r.ts AS DATE) AS day, m.model_key, r.provider, r.lane, r.job_type, r.image_size, r.prompt_hash, r.attributes
    FROM requests r LEFT JOIN model_keys m ON m.model_raw = r.model_raw`;
}

/** The meters of `cellMetersSql`, in the order a bill's SKUs are compared. */
export const CELL_METERS = ['image_output_tokens', 'input_tokens', 'text_output_tokens', 'grounding', 'request'] as const;

/**
 * Every priced cell of `usage_cube` with its cost split by meter (`<meter>_cost`, summing to
 * the cell's `cost`) and the billed quantity of each (`<meter>_units`: image output tokens,
 * input tokens with input images at the model's tokens per image, text and thinking tokens,
 * grounding queries): what a provider's bill charges SKU by SKU.
 */
export function cellMetersSql(): string {
  const q = CELL_QUANTITIES;
  const p = attemptParts('a', q);
  const b = 'c.billed_attempts';
  return `
    SELECT c.day, k.model_key, c.provider, c.lane, c.requests,
      (${p.image}) * ${b} AS image_output_tokens_cost,
      (${p.input}) * ${b} AS input_tokens_cost,
      (${p.text}) * ${b} AS text_output_tokens_cost,
      (${p.grounding}) * ${b} AS grounding_cost,
      (${p.request}) * ${b} AS request_cost,
      (CASE WHEN ${q.hasImageTokens} THEN ${q.imageTokens} ELSE k.a_tokens_per_image * ${q.images} END) * ${b} AS image_output_tokens_units,
      (${q.inputTokens} + ${q.inputImages} * COALESCE(m.input_image_tokens, 0)) * ${b} AS input_tokens_units,
      ${q.textTokens} * ${b} AS text_output_tokens_units,
      ${q.grounding} * ${b} AS grounding_units,
      ${q.requests} * ${b} AS request_units
    FROM usage_cube c ${keyJoin('c', 'c.day', q)}
    LEFT JOIN rate_models m ON m.model_id = k.model_key
    WHERE k.a_reason IS NULL`;
}
