import { normalizeModelId, type ModelSpec, type PriceSpec, type RateCard } from '../rate-card';
import { decimals, isZero, scaledDecimal } from './decimal';

/** Something in the source a rate card cannot express, or that was left out on purpose. */
export interface ImportNote {
  /** The source's key or id for the entry ("gemini/gemini-3-pro-image-preview"); "" for the whole file. */
  entry: string;
  field: string;
  message: string;
}

export interface ImportResult {
  source: 'litellm' | 'openrouter';
  card: RateCard;
  /** Never empty of meaning: what was not imported and why. Nothing here is guessed. */
  notes: ImportNote[];
}

export interface ImportOptions {
  /** The card's name (usually the file name). */
  name: string;
  /** When the file was fetched (YYYY-MM-DD): the prices' `checked` date. */
  checked: string;
  /**
   * The date the imported prices apply from (YYYY-MM-DD). The files carry no effective dates,
   * so the caller must say; requests before it find no imported price.
   */
  from: string;
  /** Normalised alias → canonical model id of the models already known, so prices attach to them. */
  knownModels?: ReadonlyMap<string, string>;
}

/** Collects models, prices and notes while an importer walks a file. */
export class CardBuilder {
  readonly notes: ImportNote[] = [];
  readonly prices: PriceSpec[] = [];
  private readonly models = new Map<string, ModelSpec>();
  private readonly keys = new Map<string, string>();

  constructor(
    private readonly options: ImportOptions,
    private readonly sourceLabel: string,
  ) {}

  note(entry: string, field: string, message: string): void {
    this.notes.push({ entry, field, message });
  }

  /** The canonical id for a source's model name; defines a new model when it is not known. */
  model(sourceKey: string, vendor: string): { id: string; known: boolean } {
    const normalized = normalizeModelId(sourceKey);
    const known = this.options.knownModels?.get(normalized);
    if (known) return { id: known, known: true };
    const id = normalized.replace(/[^a-z0-9._:-]/g, '-').replace(/^[^a-z0-9]+/, '');
    if (!this.models.has(id)) {
      const spec: ModelSpec = { id, label: sourceKey, family: 'other', vendor };
      if (normalizeModelId(sourceKey) !== id) spec.aliases = [sourceKey];
      this.models.set(id, spec);
    }
    return { id, known: false };
  }

  /** Per-token USD → USD per 1M tokens, exact, or a note and null when a rate card cannot hold it. */
  perMillion(entry: string, field: string, value: unknown): string | null {
    const text = scaledDecimal(value, 6);
    if (text === null) {
      this.note(entry, field, `${JSON.stringify(value)} is not a non-negative number: not imported`);
      return null;
    }
    if (decimals(text) > 6) {
      this.note(entry, field, `$${text} per 1M tokens has more than 6 decimals: a rate card cannot hold it exactly, not imported`);
      return null;
    }
    return text;
  }

  /** A flat USD amount, exact, or a note and null. */
  amount(entry: string, field: string, value: unknown): string | null {
    const text = scaledDecimal(value);
    if (text === null || decimals(text) > 12) {
      this.note(entry, field, `${JSON.stringify(value)} is not a non-negative amount with at most 12 decimals: not imported`);
      return null;
    }
    return text;
  }

  /** Adds a price unless one for the same model / provider / lane is already there (then notes it). */
  addPrice(entry: string, price: Omit<PriceSpec, 'from' | 'to' | 'source' | 'checked'>): void {
    const key = `${price.model} / ${price.provider} / ${price.lane}`;
    const first = this.keys.get(key);
    if (first !== undefined) {
      this.note(entry, '', `${key} is already priced by "${first}" in this file: kept the first`);
      return;
    }
    this.keys.set(key, entry);
    const { model, provider, lane, ...charges } = price;
    this.prices.push({
      model,
      provider,
      lane,
      from: this.options.from,
      to: null,
      ...charges,
      source: `${this.sourceLabel}: ${this.options.name}, entry "${entry}"`,
      checked: this.options.checked,
    });
  }

  build(source: ImportResult['source'], description: string): ImportResult {
    const models = [...this.models.values()].filter((m) => this.prices.some((p) => p.model === m.id));
    const card: RateCard = { format: 'pixelspend-rate-card', version: 1, name: this.options.name, description, prices: this.prices };
    if (models.length > 0) card.models = models;
    this.note('', 'from', `The file has no effective dates: every imported price applies from ${this.options.from}; earlier requests find no imported price.`);
    return { source, card, notes: this.notes };
  }
}

export { isZero };
