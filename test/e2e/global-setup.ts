import type { TestProject } from 'vitest/node';
import { serveBuild } from '../../scripts/lib/preview';

/** Builds the production bundle and serves it; several runs can build side by side with their own folder and port. */
export default async function setup(project: TestProject) {
  const served = await serveBuild({
    port: Number(process.env.E2E_PORT ?? 4319),
    outDir: process.env.E2E_OUT_DIR ?? 'dist',
    build: !process.env.E2E_SKIP_BUILD,
  });
  project.provide('baseUrl', served.url);
  return served.stop;
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}
