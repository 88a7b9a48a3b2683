import { useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { count } from '../../components/format';
import { ScrollBox } from '../../components/scroll-box';
import type { CubeRow } from '../../domain/cube';
import { formatPlain } from '../../domain/money';
import { editHistory, HISTORY_CARD, keyOf, priceTimeline, requestsPerEntry, type EntryChange, type PriceKey } from '../../domain/price-history';
import { exactPerImage } from '../../domain/pricing';
import { IMAGE_SIZES, ratePerMillion, type ActivePrice, type ActiveRates } from '../../domain/rate-card';
import { resolveActiveRates } from '../../hooks/use-active-rates';
import { useAppStore } from '../../state/store';

const today = () => new Date().toISOString().slice(0, 10);

/** Dated entries of one model × provider × lane: the timeline, the requests each priced, and new or ended entries. */
export function PriceHistory(props: { rates: ActiveRates; cube: CubeRow[] | undefined }) {
  const { rates } = props;
  const { userCards, variants, overrides, setUserCards } = useAppStore(
    useShallow((s) => ({ userCards: s.userCards, variants: s.variants, overrides: s.overrides, setUserCards: s.setUserCards })),
  );
  const keys = useMemo(() => {
    const seen = new Map<string, PriceKey>();
    for (const p of rates.prices) seen.set(keyOf(p), { model: p.model, provider: p.provider, lane: p.lane });
    return [...seen.entries()].sort(([a], [b]) => a.localeCompare(b));
  }, [rates]);
  const [selected, setSelected] = useState(() => keys[0]?.[0] ?? '');
  const key = keys.find(([k]) => k === selected)?.[1] ?? keys[0]?.[1];
  const timeline = useMemo(() => (key ? priceTimeline(rates, key) : []), [rates, key]);
  const counts = useMemo(() => (props.cube ? requestsPerEntry(props.cube, timeline) : null), [props.cube, timeline]);
  const [from, setFrom] = useState(today);
  const [rate, setRate] = useState('');
  const [endOn, setEndOn] = useState(today);
  const [problem, setProblem] = useState<string | null>(null);
  const [editing, setEditing] = useState<EntryDraft | null>(null);
  if (!key) return null;
  const model = rates.models.get(key.model);
  const flat = timeline.some((p) => Object.keys(p.perImage).length > 0);

  const apply = (change: EntryChange) => {
    const history = userCards.find((c) => c.name === HISTORY_CARD);
    const edited = ((history?.json as { prices?: { model: string; provider: string; lane: string }[] } | undefined)?.prices ?? []).map(keyOf);
    let card;
    try {
      card = editHistory(rates, edited, key, change, today());
    } catch (error) {
      return setProblem(error instanceof Error ? error.message : String(error));
    }
    const candidate = [...userCards.filter((c) => c.name !== HISTORY_CARD), { name: HISTORY_CARD, json: card }];
    const { issues } = resolveActiveRates({ userCards: candidate, variants, overrides });
    if (issues.length > 0) return setProblem(issues.map((i) => `${i.field}: ${i.message}`).join('; '));
    setProblem(null);
    setEditing(null);
    setUserCards(candidate);
  };
  const save = (draft: EntryDraft) => {
    if (Object.values(draft.rates).some((r) => !/^\d+(\.\d+)?$/.test(r))) return setProblem('enter each price as a decimal number of USD');
    apply({
      kind: 'edit',
      priceId: draft.priceId,
      from: draft.from,
      to: draft.to === '' ? null : draft.to,
      ...(flat ? { perImage: draft.rates } : { outputImagePerM: draft.rates.output_image }),
    });
  };
  const add = () => {
    if (!/^\d+(\.\d+)?$/.test(rate)) return setProblem('enter the new price as a decimal number of USD');
    apply(flat ? { kind: 'add', from, perImage: Object.fromEntries(IMAGE_SIZES.filter((s) => timeline.some((p) => p.perImage[s] !== undefined)).map((s) => [s, rate])) } : { kind: 'add', from, outputImagePerM: rate });
  };

  return (
    <section className="price-history" aria-labelledby="price-history-title" data-testid="price-history">
      <h3 id="price-history-title">Price history</h3>
      <div className="rates-controls">
        <label className="control">
          Model · provider · lane
          <select
            value={keyOf(key)}
            onChange={(e) => {
              setSelected(e.target.value);
              setEditing(null);
            }}
            data-testid="history-key"
          >
            {keys.map(([k, v]) => (
              <option key={k} value={k}>
                {rates.models.get(v.model)?.label ?? v.model} · {v.provider} · {v.lane}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ScrollBox label="Dated entries of this price">
        <table className="table" data-testid="history-table">
          <caption>Each dated entry (from inclusive, to exclusive, UTC) and the logged requests it priced</caption>
          <thead>
            <tr>
              <th scope="col">From → to</th>
              {IMAGE_SIZES.map((s) => <th key={s} scope="col" className="num">$/image {s}</th>)}
              <th scope="col" className="num">Image out $/1M</th>
              <th scope="col" className="num">Requests priced</th>
              <th scope="col">Checked · source</th>
              <th scope="col">Change</th>
            </tr>
          </thead>
          <tbody>
            {timeline.map((p) => (
              <tr key={p.id} data-testid="history-entry" data-from={p.fromDate}>
                <th scope="row">{p.fromDate} → {p.toDate ?? 'open'}</th>
                {IMAGE_SIZES.map((s) => {
                  const v = exactPerImage(p, model?.imageTokens ?? {}, s);
                  return <td key={s} className="num">{v === null ? '—' : `$${formatPlain(v)}`}</td>;
                })}
                <td className="num">{p.tokenRates.output_image === undefined ? '—' : `$${formatPlain(ratePerMillion(p.tokenRates.output_image))}`}</td>
                <td className="num" data-testid="history-requests">
                  {counts ? count(counts.get(p.id)?.requests ?? 0) : '…'}
                  {counts && counts.get(p.id)?.unpriced ? <span className="muted"> (+{count(counts.get(p.id)!.unpriced)} unpriced)</span> : null}
                </td>
                <td className="rate-source">
                  <span>checked {p.checked}</span>
                  <span className="muted rate-source__text" title={p.source}>{p.source}</span>
                </td>
                <td className="history-actions">
                  <button type="button" onClick={() => setEditing(draftOf(p, flat))} aria-expanded={editing?.priceId === p.id} data-testid="history-edit">
                    Edit
                  </button>
                  {p.toDate === null ? (
                    <button type="button" onClick={() => apply({ kind: 'end', priceId: p.id, to: endOn })} data-testid="history-end">
                      End on {endOn}
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollBox>
      {editing ? <EntryEditor draft={editing} onChange={setEditing} onSave={save} onCancel={() => setEditing(null)} /> : null}
      <div className="rates-controls">
        <label className="control">
          New price from
          <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} data-testid="history-from" />
        </label>
        <label className="control">
          {flat ? '$ per image (every size it prices)' : 'Image output $ per 1M tokens'}
          <input type="text" inputMode="decimal" value={rate} onChange={(e) => setRate(e.target.value.trim())} data-testid="history-rate" placeholder="e.g. 45.00" />
        </label>
        <button type="button" onClick={add} data-testid="history-add">Add dated entry</button>
        <label className="control">
          End date for the open entry
          <input type="date" value={endOn} onChange={(e) => setEndOn(e.target.value)} data-testid="history-end-date" />
        </label>
      </div>
      {problem ? <p className="banner banner--error" role="alert" data-testid="history-problem">{problem}</p> : null}
      <p className="muted">
        A new entry copies the one in force on its date, ends that one the day before, and changes only the image price; requests before its date keep
        their price. Editing an entry's dates moves the neighbour that adjoined it, so the timeline keeps no gap. The edits are a card of their own (“{HISTORY_CARD}”): remove it above to undo them.
      </p>
    </section>
  );
}

interface EntryDraft {
  priceId: string;
  label: string;
  from: string;
  to: string;
  /** The image prices being edited: per size for a flat-priced entry, else `output_image` per 1M tokens. */
  rates: Record<string, string>;
}

function draftOf(p: ActivePrice, flat: boolean): EntryDraft {
  const rates: Record<string, string> = {};
  if (flat) {
    for (const s of IMAGE_SIZES) if (p.perImage[s] !== undefined) rates[s] = formatPlain(p.perImage[s]);
  } else if (p.tokenRates.output_image !== undefined) {
    rates.output_image = formatPlain(ratePerMillion(p.tokenRates.output_image));
  }
  return { priceId: p.id, label: `${p.fromDate} → ${p.toDate ?? 'open'}`, from: p.fromDate, to: p.toDate ?? '', rates };
}

function EntryEditor(props: { draft: EntryDraft; onChange: (d: EntryDraft) => void; onSave: (d: EntryDraft) => void; onCancel: () => void }) {
  const { draft, onChange } = props;
  return (
    <form
      className="rates-controls history-editor"
      aria-label={`Edit the entry ${draft.label}`}
      data-testid="history-editor"
      onSubmit={(e) => {
        e.preventDefault();
        props.onSave(draft);
      }}
    >
      <label className="control">
        From
        <input type="date" required value={draft.from} onChange={(e) => onChange({ ...draft, from: e.target.value })} data-testid="history-edit-from" />
      </label>
      <label className="control">
        To (empty: open)
        <input type="date" value={draft.to} onChange={(e) => onChange({ ...draft, to: e.target.value })} data-testid="history-edit-to" />
      </label>
      {Object.entries(draft.rates).map(([meter, value]) => (
        <label className="control" key={meter}>
          {meter === 'output_image' ? 'Image output $ per 1M tokens' : `$ per image ${meter}`}
          <input
            type="text"
            inputMode="decimal"
            value={value}
            onChange={(e) => onChange({ ...draft, rates: { ...draft.rates, [meter]: e.target.value.trim() } })}
            data-testid={`history-edit-rate-${meter}`}
          />
        </label>
      ))}
      <button type="submit" data-testid="history-edit-save">Save entry</button>
      <button type="button" onClick={props.onCancel}>Cancel</button>
    </form>
  );
}
