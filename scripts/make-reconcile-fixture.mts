/**
 * Writes test/fixtures/reconcile/requests.csv: a seeded log whose billed cost (`cost_usd`)
 * differs from the bundled rate card in known ways, one per request (column `injected`); see
 * scripts/lib/reconcile-fixture.ts. The rate-override rows need the override of
 * RECONCILE_OVERRIDE to count as such; without it they match. Run:
 *   npx tsx scripts/make-reconcile-fixture.mts
 */
import { writeFileSync } from 'node:fs';
import { resolveRates } from '../src/domain/rate-card';
import { bundledRateCardPaths, readRateCards } from '../src/node/bundled-rates';
import { fixtureCsv, reconcileFixture, RECONCILE_OVERRIDE } from './lib/reconcile-fixture';

const cards = readRateCards(bundledRateCardPaths());
const o = RECONCILE_OVERRIDE;
const entry = resolveRates(cards).prices.find((p) => p.model === o.model && p.provider === o.provider && p.lane === o.lane)!;
const rates = resolveRates(cards, { overrides: [{ priceId: entry.id, field: o.field, value: o.value }] });
writeFileSync('test/fixtures/reconcile/requests.csv', fixtureCsv(reconcileFixture(rates)));
