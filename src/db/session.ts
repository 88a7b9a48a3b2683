import type { Filters } from '../domain/filters';
import type { ActiveRates } from '../domain/rate-card';
import type { Report } from '../domain/report';
import type { Engine } from './engine';
import { clearLogs, ingestFiles, openSnapshot, PRICING_PROGRESS, type FileDiagnostics, type IngestOptions, type LogFile } from './ingest/ingest';
import { buildReport } from './report';
import { loadRates } from './rates';
import { warmUpEngine } from './warm-up';
import { applyRates, createPricedViews, pricingFingerprint, reprice } from './workspace';

export type LoadOptions = IngestOptions & { asDefault?: boolean; rates?: ActiveRates };

/** A load whose log was read and stored but could not be priced: everything was unloaded, the data before too. */
export class UnpricedLoadError extends Error {
  constructor(cause: unknown) {
    super(`read, but it could not be summed and priced (${String(cause instanceof Error ? cause.message : cause).split('\n')[0]})`, { cause });
    this.name = 'UnpricedLoadError';
  }
}

/** What a load did: its files' diagnostics, and whether it brought the log's pricing with it (a snapshot priced with these rates). */
interface Loaded {
  diagnostics: FileDiagnostics[];
  priced?: boolean;
}

/**
 * The loaded logs and active rates on one engine. Writes run one at a time, and every
 * change bumps `version`, which is what views watch to re-query.
 */
export class Session {
  version = 0;
  rates: ActiveRates | null = null;
  files: FileDiagnostics[] = [];
  /** True once a user load or clear ran: the start-up sample must not replace it. */
  hasUserData = false;
  private warmedUp = false;
  private queue: Promise<unknown> = Promise.resolve();
  /** Rate changes asked for so far, loads with rates included: a change runs only while it is the latest. */
  private rateRequests = 0;
  private listeners = new Set<() => void>();

  constructor(readonly engine: Engine) {}

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed() {
    this.version++;
    for (const listener of this.listeners) listener();
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => {});
    return next;
  }

  /**
   * Makes `rates` active. A change that a later one (or a load with its own rates) follows before it
   * starts is skipped: only the last is priced, so picking three variants in a row prices a large
   * log once, not three times.
   */
  setRates(rates: ActiveRates): Promise<void> {
    const request = ++this.rateRequests;
    return this.serial(async () => {
      if (request === this.rateRequests) await this.useRates(rates);
    });
  }

  /**
   * Loads files (appending or replacing); a file that is not a log leaves the data as it was.
   * `asDefault` marks the start-up sample: it is skipped (null) once the user loaded anything.
   * `rates` become active with the load, so the log is priced once, not first empty and then loaded.
   */
  loadFiles(files: readonly LogFile[], options: LoadOptions = {}): Promise<FileDiagnostics[] | null> {
    return this.load(async () => ({ diagnostics: await ingestFiles(this.engine, files, options) }), options);
  }

  /**
   * Replaces the loaded data with a snapshot (`openSnapshot`): the bundled sample, ready to price,
   * and already priced where it was made with the rates this load makes active.
   */
  openSnapshot(file: LogFile, options: Omit<LoadOptions, 'mode'> = {}): Promise<FileDiagnostics[] | null> {
    return this.load((rates) => openSnapshot(this.engine, file, rates ? pricingFingerprint(rates) : undefined), { ...options, mode: 'replace' });
  }

  private load(work: (rates: ActiveRates | null) => Promise<Loaded>, options: LoadOptions): Promise<FileDiagnostics[] | null> {
    if (options.rates) this.rateRequests++;
    return this.serial(async () => {
      if (options.asDefault && this.hasUserData) {
        if (options.rates) await this.useRates(options.rates);
        return null;
      }
      if (!options.asDefault) this.hasUserData = true;
      let loaded: Loaded;
      try {
        loaded = await work(options.rates ?? this.rates);
      } catch (error) {
        // New rates still apply to what was loaded before (the refused load changed nothing else).
        if (options.rates) await this.useRates(options.rates);
        throw error;
      }
      try {
        if (loaded.priced) {
          await createPricedViews(this.engine);
        } else {
          if (options.rates) await loadRates(this.engine, options.rates);
          options.onProgress?.('Pricing', PRICING_PROGRESS);
          await reprice(this.engine);
        }
      } catch (error) {
        // The log was stored (its load committed) but could not be summed and priced, e.g. the tab ran
        // out of memory: no view may show a log half made, so nothing stays loaded.
        await clearLogs(this.engine).catch(() => {});
        await reprice(this.engine).catch(() => {});
        this.files = [];
        this.changed();
        throw new UnpricedLoadError(error);
      }
      if (options.rates) this.rates = options.rates;
      const { diagnostics } = loaded;
      const replaced = options.mode === 'replace' || diagnostics.some((d) => d.format.startsWith('usage cube'));
      this.files = replaced ? diagnostics : [...this.files, ...diagnostics];
      this.changed();
      return diagnostics;
    });
  }

  private async useRates(rates: ActiveRates) {
    await applyRates(this.engine, rates);
    this.rates = rates;
    this.changed();
  }

  /**
   * Runs a small log through the engine once (`warmUpEngine`), unless the user has loaded something:
   * their first load then runs code V8 has already optimised. Each statement takes its own turn, so a
   * read or a load waits for one statement at most, and once the user has loaded a file the rest is
   * skipped. Only speed depends on it, so a failure is reported to the console and nothing else.
   */
  async warmUp(): Promise<void> {
    if (this.warmedUp) return;
    this.warmedUp = true;
    const turns = Object.create(this.engine) as Engine;
    turns.query = (sql, params) => this.serial(() => this.engine.query(sql, params));
    turns.exec = (sql) => this.serial(() => this.engine.exec(sql));
    await warmUpEngine(turns, { stop: () => this.hasUserData })
      .catch((error: unknown) => console.warn('PixelSpend: the engine warm-up failed', error));
  }

  clear(): Promise<void> {
    return this.serial(async () => {
      this.hasUserData = true;
      await clearLogs(this.engine);
      await reprice(this.engine);
      this.files = [];
      this.changed();
    });
  }

  report(filters: Filters, batchEligibleJobTypes: readonly string[], wanted?: () => boolean): Promise<Report> {
    return this.read((engine) => buildReport(engine, { filters, batchEligibleJobTypes, reconcileDetail: false }), wanted);
  }

  /**
   * Reads run in order with writes so a view never sees half-applied rates. A read whose `wanted`
   * says no when its turn comes (the view left, or its filters changed since) is not run: it fails
   * with a `StaleReadError`, and the reads after it start sooner.
   */
  read<T>(work: (engine: Engine) => Promise<T>, wanted: () => boolean = () => true): Promise<T> {
    return this.serial(() => {
      if (!wanted()) throw new StaleReadError();
      return work(this.engine);
    });
  }
}

/** A read skipped because nobody waited for its answer any more (`Session.read`). */
export class StaleReadError extends Error {
  constructor() {
    super('skipped: nothing waits for this read any more');
    this.name = 'StaleReadError';
  }
}
