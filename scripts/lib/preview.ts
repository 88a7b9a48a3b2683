import { spawn, spawnSync } from 'node:child_process';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

/** Chromium flags for this machine: headless, no sandbox (root), and no calls home (the network is closed). */
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic',
];

/** Debian's Chromium (or CHROMIUM_PATH), headless; never a browser a tool downloads. */
const launchOptions = (extraArgs: string[] = []) => ({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: [...CHROMIUM_ARGS, ...extraArgs],
});

export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch(launchOptions(extraArgs));
}

/** The same browser with a profile kept in `dir`, as a user's is from one visit to the next. */
export function launchChromiumProfile(dir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(dir, launchOptions());
}

export interface ServedBuild {
  url: string;
  stop: () => void;
}

/**
 * Builds the app into `outDir` (unless `build` is false) and serves it with `vite preview` in
 * its own process group, so `stop` ends the server and everything it started.
 */
export async function serveBuild(options: { port: number | string; outDir: string; build?: boolean; timeoutMs?: number }): Promise<ServedBuild> {
  if (options.build !== false) {
    // What users get: Vitest sets NODE_ENV=test, which a build inherits, and that build carried
    // React's development runtime (StrictMode rendering twice and its checks).
    const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn', '--outDir', options.outDir, '--emptyOutDir'], {
      stdio: 'inherit',
      env: { ...process.env, NODE_ENV: 'production' },
    });
    if (build.status !== 0) throw new Error('vite build failed');
  }
  const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(options.port), '--strictPort', '--outDir', options.outDir], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  server.stdout?.on('data', (d) => (output += String(d)));
  server.stderr?.on('data', (d) => (output += String(d)));
  const stop = () => {
    try {
      if (server.pid) process.kill(-server.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  const url = `http://127.0.0.1:${options.port}/`;
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    try {
      if ((await fetch(url)).ok) return { url, stop };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      stop();
      throw new Error(`preview server did not start on port ${options.port}:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
