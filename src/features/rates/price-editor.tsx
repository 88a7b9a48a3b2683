import { useEffect, useRef, useState } from 'react';
import type { ActivePrice } from '../../domain/rate-card';
import { editableFields } from './rate-rows';

export interface PriceEditorProps {
  price: ActivePrice;
  /** Returns problems (nothing stored) or null when the override was applied. */
  onSave: (field: string, value: string) => string | null;
  onReset: (field: string) => void;
  onClose: () => void;
}

/** Manual overrides of one price entry: each field saved on its own, Enter to save, reset per field. */
export function PriceEditor(props: PriceEditorProps) {
  const { price } = props;
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [price.id]);

  return (
    <section
      className="price-editor"
      data-testid="price-editor"
      data-price-id={price.id}
      aria-labelledby="price-editor-title"
      onKeyDown={(e) => {
        if (e.key === 'Escape') props.onClose();
      }}
    >
      <div className="price-editor__head">
        <h3 id="price-editor-title" tabIndex={-1} ref={heading}>
          {price.model} · {price.provider} · {price.lane} · from {price.fromDate}
        </h3>
        <button type="button" onClick={props.onClose} data-testid="close-editor">
          Close (Esc)
        </button>
      </div>
      <p className="muted">
        Source: {price.source}. Checked {price.checked}; card {price.card}. Amounts in USD as decimals; a change re-prices every figure at once and is kept in this browser.
        {price.tokensIncluded ? ' This per-image price already covers input and text tokens.' : ''}
      </p>
      <div className="price-editor__fields">
        {editableFields(price).map((f) => (
          <FieldEditor
            key={`${price.id}:${f.field}:${f.value}`}
            field={f.field}
            label={f.label}
            value={f.value}
            isOverridden={price.overridden.includes(f.field)}
            onSave={(value) => props.onSave(f.field, value)}
            onReset={() => props.onReset(f.field)}
          />
        ))}
      </div>
    </section>
  );
}

function FieldEditor(props: { field: string; label: string; value: string; isOverridden: boolean; onSave: (value: string) => string | null; onReset: () => void }) {
  const [draft, setDraft] = useState(props.value);
  const [problem, setProblem] = useState<string | null>(null);
  const id = `field-${props.field.replace(/\W/g, '-')}`;
  const isChanged = draft.trim() !== props.value;

  return (
    <form
      className="field-editor"
      data-testid={`field-${props.field}`}
      onSubmit={(e) => {
        e.preventDefault();
        if (!isChanged) return;
        setProblem(props.onSave(draft.trim()));
      }}
    >
      <label htmlFor={id}>
        {props.label}
        {props.isOverridden ? <span className="tag tag--override">override</span> : null}
      </label>
      <input
        id={id}
        inputMode="decimal"
        value={draft}
        placeholder="not set"
        onChange={(e) => {
          setDraft(e.target.value);
          setProblem(null);
        }}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? `${id}-problem` : undefined}
        data-testid="override-input"
      />
      <button type="submit" disabled={!isChanged} data-testid="override-save">
        Save
      </button>
      {props.isOverridden ? (
        <button type="button" onClick={props.onReset} data-testid="override-reset">
          Reset
        </button>
      ) : null}
      {problem ? (
        <span className="field-editor__problem" id={`${id}-problem`} role="alert">
          {problem}
        </span>
      ) : null}
    </form>
  );
}
