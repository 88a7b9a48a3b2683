import type { Filters } from '../domain/filters';
import type { ActiveRates } from '../domain/rate-card';
import type { Report } from '../domain/report';
import type { Engine } from './engine';
import { clearLogs, ingestFiles, openSnapshot, type FileDiagnostics, type IngestOptions, type LogFile } from './ingest/ingest';
import { buildReport } from './report';
import { loadRates } from './rates';
import { applyRates, reprice } from './workspace';

export type LoadOptions = IngestOptions & { asDefault?: boolean; rates?: ActiveRates };

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
  private queue: Promise<unknown> = Promise.resolve();
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

  setRates(rates: ActiveRates): Promise<void> {
    return this.serial(async () => {
      await applyRates(this.engine, rates);
      this.rates = rates;
      this.changed();
    });
  }

  /**
   * Loads files (appending or replacing); a file that is not a log leaves the data as it was.
   * `asDefault` marks the start-up sample: it is skipped (null) once the user loaded anything.
   * `rates` become active with the load, so the log is priced once, not first empty and then loaded.
   */
  loadFiles(files: readonly LogFile[], options: LoadOptions = {}): Promise<FileDiagnostics[] | null> {
    return this.load(() => ingestFiles(this.engine, files, options), options);
  }

  /** Replaces the loaded data with a snapshot (`openSnapshot`): the bundled sample, ready to price. */
  openSnapshot(file: LogFile, options: Omit<LoadOptions, 'mode'> = {}): Promise<FileDiagnostics[] | null> {
    return this.load(() => openSnapshot(this.engine, file), { ...options, mode: 'replace' });
  }

  private load(work: () => Promise<FileDiagnostics[]>, options: LoadOptions): Promise<FileDiagnostics[] | null> {
    return this.serial(async () => {
      if (options.rates) {
        await loadRates(this.engine, options.rates);
        this.rates = options.rates;
      }
      if (options.asDefault && this.hasUserData) {
        if (options.rates) {
          await reprice(this.engine);
          this.changed();
        }
        return null;
      }
      if (!options.asDefault) this.hasUserData = true;
      let diagnostics: FileDiagnostics[];
      try {
        diagnostics = await work();
      } catch (error) {
        // New rates still apply to what was loaded before (the refused load changed nothing else).
        if (options.rates) {
          await reprice(this.engine);
          this.changed();
        }
        throw error;
      }
      options.onProgress?.('Pricing');
      await reprice(this.engine);
      const replaced = options.mode === 'replace' || diagnostics.some((d) => d.format.startsWith('usage cube'));
      this.files = replaced ? diagnostics : [...this.files, ...diagnostics];
      this.changed();
      return diagnostics;
    });
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

  report(filters: Filters, batchEligibleJobTypes: readonly string[]): Promise<Report> {
    return this.serial(() => buildReport(this.engine, { filters, batchEligibleJobTypes, reconcileDetail: false }));
  }

  /** Reads run in order with writes so a view never sees half-applied rates. */
  read<T>(work: (engine: Engine) => Promise<T>): Promise<T> {
    return this.serial(() => work(this.engine));
  }
}
