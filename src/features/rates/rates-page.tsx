import { useMemo, useState } from 'react';
import type { CubeRow } from '../../domain/cube';
import { priceChanges } from '../../domain/price-history';
import type { AsyncState } from '../../hooks/use-async';
import { useCube } from '../../hooks/use-cube';
import { useShallow } from 'zustand/react/shallow';
import { StatusBanner } from '../../components/status-banner';
import { readPriceFile } from '../../domain/importers/detect';
import type { ImportNote } from '../../domain/importers/import-result';
import { exportRateCard } from '../../domain/rate-card-export';
import { formatIssue, RateCardError, type ActiveRates, type RateCardIssue } from '../../domain/rate-card';
import { resolveActiveRates, useActiveRates } from '../../hooks/use-active-rates';
import { useAppStore } from '../../state/store';
import { PriceEditor } from './price-editor';
import { rateRows } from './rate-rows';
import { RatesTable } from './rates-table';
import { PriceHistory } from './price-history';

const today = () => new Date().toISOString().slice(0, 10);

export function RatesPage() {
  const { rates } = useActiveRates();
  if (!rates) return <p className="muted" data-testid="view-loading">Loading rate cards…</p>;
  return <RatesView rates={rates} />;
}

function RatesView({ rates }: { rates: ActiveRates }) {
  const store = useAppStore(
    useShallow((s) => ({
      userCards: s.userCards,
      variants: s.variants,
      overrides: s.overrides,
      setVariant: s.setVariant,
      setOverride: s.setOverride,
      resetOverride: s.resetOverride,
      resetAllOverrides: s.resetAllOverrides,
      setUserCards: s.setUserCards,
    })),
  );
  const [editing, setEditing] = useState<string | null>(null);
  const cube = useCube();
  const rows = useMemo(() => rateRows(rates), [rates]);
  const price = rates.prices.find((p) => p.id === editing) ?? null;
  const stale = store.overrides.filter((o) => !rates.prices.some((p) => p.id === o.priceId));

  const saveOverride = (priceId: string, field: string, value: string): string | null => {
    const override = { priceId, field, value };
    const candidate = [...store.overrides.filter((o) => !(o.priceId === priceId && o.field === field)), override];
    const { issues } = resolveActiveRates({ userCards: store.userCards, variants: store.variants, overrides: candidate });
    if (issues.length > 0) return issues.map((i) => `${i.field}: ${i.message}`).join('; ');
    store.setOverride(override);
    return null;
  };

  return (
    <section className="view rates-view" data-testid="view-rates" aria-labelledby="rates-title">
      <div className="rates-view__head">
        <h2 id="rates-title">Rate card</h2>
        <p className="muted">
          {rates.prices.length} price entries for {rates.models.size} models. Change a price with Edit: every figure in the app is re-priced at once.
        </p>
      </div>

      <div className="rates-controls">
        {rates.variantGroups.map((g) => (
          <label key={g.id} className="control">
            {g.label}
            <select value={rates.selectedVariants[g.id]} onChange={(e) => store.setVariant(g.id, e.target.value)} data-testid={`variant-${g.id}`}>
              {g.options.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.label}
                  {o.id === g.default ? ' (default)' : ''}
                </option>
              ))}
            </select>
          </label>
        ))}
        <div className="control">
          <span>
            Manual overrides: <strong data-testid="override-count">{store.overrides.length}</strong>
          </span>
          <button type="button" disabled={store.overrides.length === 0} onClick={() => store.resetAllOverrides()} data-testid="reset-all-overrides">
            Reset all overrides
          </button>
        </div>
      </div>

      {stale.length > 0 ? (
        <StatusBanner tone="warn" testId="stale-overrides">
          {stale.length === 1 ? '1 saved override no longer matches a price entry and is not applied' : `${stale.length} saved overrides no longer match a price entry and are not applied`}:{' '}
          {stale.map((o) => `${o.priceId} ${o.field}`).join('; ')}. A loaded card may have replaced the entry; Reset all overrides clears them.
        </StatusBanner>
      ) : null}

      <CardFiles rates={rates} cube={cube} />

      {price ? (
        <PriceEditor
          price={price}
          onSave={(field, value) => saveOverride(price.id, field, value)}
          onReset={(field) => store.resetOverride(price.id, field)}
          onClose={() => {
            setEditing(null);
            // Back to the row the editor was opened from, for keyboard users.
            document.querySelector<HTMLButtonElement>(`[data-price-id="${CSS.escape(price.id)}"] [data-testid="edit-price"]`)?.focus();
          }}
        />
      ) : null}

      <RatesTable rows={rows} selected={editing} onEdit={setEditing} />
      <PriceHistory rates={rates} cube={cube.data} />
    </section>
  );
}

/** Loaded cards (add, remove), the import notes of the last load, and export of the active card. */
function CardFiles({ rates, cube }: { rates: ActiveRates; cube: AsyncState<CubeRow[]> }) {
  const { userCards, variants, overrides, setUserCards } = useAppStore(
    useShallow((s) => ({ userCards: s.userCards, variants: s.variants, overrides: s.overrides, setUserCards: s.setUserCards })),
  );
  const [from, setFrom] = useState(today);
  const [result, setResult] = useState<{ name: string; issues: RateCardIssue[]; notes: ImportNote[]; source: string } | null>(null);
  // A loaded card waits here until the user has seen what it would do to the logged requests.
  const [preview, setPreview] = useState<{ name: string; card: unknown; notes: ImportNote[]; source: string; from: string; candidate: ActiveRates } | null>(null);
  // Counted against the cube as it is when shown, so a card chosen while the log is still loading is counted once it is ready.
  const changes = useMemo(() => (preview && cube.data ? priceChanges(cube.data, rates, preview.candidate) : null), [preview, cube.data, rates]);

  const load = async (file: File) => {
    const name = file.name;
    const fail = (message: string) => setResult({ name, issues: [{ card: name, entry: 'file', field: '', message }], notes: [], source: '' });
    if (userCards.some((c) => c.name === name)) return fail('a card with this name is loaded already: remove it first');
    let json: unknown;
    try {
      json = JSON.parse(await file.text());
    } catch (error) {
      return fail(`not valid JSON (${error instanceof Error ? error.message : String(error)})`);
    }
    try {
      const loaded = readPriceFile(json, { name, checked: today(), from, knownModels: rates.aliases });
      const candidate = [...userCards, { name, json: loaded.card }];
      const resolved = resolveActiveRates({ userCards: candidate, variants, overrides });
      if (resolved.issues.length > 0 || !resolved.rates) return setResult({ name, issues: resolved.issues, notes: loaded.notes, source: loaded.source });
      setResult(null);
      setPreview({ name, card: loaded.card, notes: loaded.notes, source: loaded.source, from, candidate: resolved.rates });
    } catch (error) {
      if (error instanceof RateCardError) return setResult({ name, issues: error.issues, notes: [], source: '' });
      throw error;
    }
  };

  const download = () => {
    const stamp = today();
    const card = exportRateCard(rates, `PixelSpend active rate card, exported ${stamp}`, 'The active prices: chosen variants only, manual overrides applied. Load it to use exactly these prices.');
    const url = URL.createObjectURL(new Blob([`${JSON.stringify(card, null, 2)}\n`], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `pixelspend-rate-card-${stamp}.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  return (
    <div className="card-files">
      <div className="card-files__row">
        <label className="control">
          Load a rate card, LiteLLM price map or OpenRouter model list (JSON)
          <input
            type="file"
            accept=".json,application/json"
            data-testid="load-rate-card"
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) void load(file);
            }}
          />
        </label>
        <label className="control">
          Imported prices apply from
          <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} data-testid="import-from" />
        </label>
        <button type="button" onClick={download} data-testid="export-rate-card">
          Export active card
        </button>
      </div>

      {preview ? (
        <div className="banner banner--warn import-preview" role="status" data-testid="import-preview">
          <p>
            <strong>{preview.name}</strong>, prices applied from <strong>{preview.from}</strong>:{' '}
            {changes && cube.data!.length > 0 ? (
              <>
                <span data-testid="preview-changed">{changes.changed.toLocaleString('en-US')}</span> logged requests would change price,{' '}
                <span data-testid="preview-unpriced">{changes.becomeUnpriced.toLocaleString('en-US')}</span> would become unpriced and{' '}
                <span data-testid="preview-priced">{changes.becomePriced.toLocaleString('en-US')}</span> would gain a price.
              </>
            ) : changes ? (
              'no log is loaded, so no request changes.'
            ) : cube.status === 'failed' ? (
              `the logged requests it would change could not be counted (${cube.error ?? 'unknown error'}).`
            ) : (
              <span data-testid="preview-counting">counting the logged requests it would change…</span>
            )}
          </p>
          <button type="button" className="primary" data-testid="preview-apply"
            onClick={() => {
              setUserCards([...userCards, { name: preview.name, json: preview.card }]);
              setResult({ name: preview.name, issues: [], notes: preview.notes, source: preview.source });
              setPreview(null);
            }}>
            Apply
          </button>{' '}
          <button type="button" data-testid="preview-cancel" onClick={() => setPreview(null)}>Cancel</button>
        </div>
      ) : null}

      {userCards.length > 0 ? (
        <ul className="card-files__list" data-testid="user-cards">
          {userCards.map((c, i) => (
            <li key={c.name}>
              <strong>{c.name}</strong>{' '}
              <span className="muted">({(c.json as { prices?: unknown[] }).prices?.length ?? 0} prices; replaces the bundled entries for what it prices)</span>{' '}
              <button type="button" className="link-button" onClick={() => setUserCards(userCards.filter((_, j) => j !== i))} data-testid="remove-card" aria-label={`Remove ${c.name}`}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      ) : null}

      {result && result.issues.length > 0 ? (
        <StatusBanner tone="error" testId="load-problems">
          {result.name} was not loaded; the active prices are unchanged:
          <ul>{result.issues.map((i) => <li key={formatIssue(i)}>{formatIssue(i)}</li>)}</ul>
        </StatusBanner>
      ) : null}
      {result && result.issues.length === 0 ? (
        <StatusBanner tone={result.notes.length > 0 ? 'warn' : 'info'} testId="load-result">
          Loaded {result.name}
          {result.source !== 'pixelspend' ? ` (imported from ${result.source === 'litellm' ? 'a LiteLLM price map' : 'an OpenRouter model list'})` : ''}.
          {result.notes.length > 0 ? (
            <details open={result.notes.length <= 6}>
              <summary>What could not be expressed or was left out ({result.notes.length})</summary>
              <ul data-testid="import-notes">
                {result.notes.map((n, i) => (
                  <li key={i}>
                    {n.entry ? <code>{n.entry}</code> : 'whole file'}
                    {n.field ? ` · ${n.field}` : ''}: {n.message}
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
        </StatusBanner>
      ) : null}
    </div>
  );
}
