import type { Plugin } from 'vite';

/**
 * The built app's Content-Security-Policy. The promise is "your logs never leave this browser":
 * the page may talk only to its own origin. DuckDB runs in a same-origin Web Worker and compiles
 * WebAssembly ('wasm-unsafe-eval'); blob: workers are allowed for engines that spawn them.
 */
export const CSP_DIRECTIVES: Record<string, string> = {
  'default-src': "'self'",
  'script-src': "'self' 'wasm-unsafe-eval'",
  'worker-src': "'self' blob:",
  'connect-src': "'self'",
  'img-src': "'self' data: blob:",
  'style-src': "'self'",
  'font-src': "'self'",
  'object-src': "'none'",
  'base-uri': "'self'",
  'form-action': "'none'",
};

export function cspValue(extra: Record<string, string> = {}): string {
  return Object.entries({ ...CSP_DIRECTIVES, ...extra })
    .map(([k, v]) => `${k} ${v}`)
    .join('; ');
}

/** frame-ancestors only works as a header (a meta tag cannot carry it). */
export const CSP_HEADER = cspValue({ 'frame-ancestors': "'none'" });

/**
 * Puts the policy into the built index.html as a meta tag (static hosts need no header set-up)
 * and fails the build if the page would carry an inline script. The dev server is left alone:
 * its hot reload needs inline scripts and a websocket.
 */
export function contentSecurityPolicy(): Plugin {
  return {
    name: 'pixelspend-csp',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html) {
        const inline = /<script(?![^>]*\bsrc=)[^>]*>/i.exec(html);
        if (inline) throw new Error(`index.html has an inline script, which the CSP forbids: ${inline[0]}`);
        return [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: cspValue() }, injectTo: 'head-prepend' }];
      },
    },
  };
}

const ARROW_VALID = /apache-arrow\/builder\/valid\.m?js$/;

/**
 * Apache Arrow compiles its builders' null check with `new Function`, which the CSP forbids
 * ('unsafe-eval' is not allowed). This swaps in the same check as a closure: strict equality
 * against each null value, NaN checked apart (the generated switch does the same).
 */
export function arrowWithoutEval(): Plugin {
  return {
    name: 'pixelspend-arrow-without-eval',
    apply: 'build',
    transform(code, id) {
      if (!ARROW_VALID.test(id.split('?')[0]!)) return null;
      const start = code.indexOf('export function createIsValidFunction(');
      const end = code.indexOf('/** @ignore */', start);
      if (start < 0 || end < 0) this.error('apache-arrow changed: createIsValidFunction not found where expected');
      const replacement = `export function createIsValidFunction(nullValues) {
    if (!nullValues || nullValues.length <= 0) {
        return function isValid(value) { return true; };
    }
    const values = nullValues.filter((x) => x === x);
    const nan = values.length !== nullValues.length;
    return function isValid(x) {
        if (nan && x !== x) return false;
        for (const v of values) if (x === v) return false;
        return true;
    };
}
`;
      return { code: code.slice(0, start) + replacement + code.slice(end), map: null };
    },
  };
}
