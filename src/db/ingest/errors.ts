/** A file that is not a request log at all: one clear message, nothing loaded from it. */
export class NotALogError extends Error {
  constructor(readonly file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'NotALogError';
  }
}

export function checkAbort(signal?: AbortSignal): void {
  if (signal?.aborted) throw new DOMException('Loading was cancelled', 'AbortError');
}

/** Lets the browser paint progress and see a Cancel click between chunks of JS parsing. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
