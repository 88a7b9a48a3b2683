import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

const run = promisify(execFile);

/** Runs the CLI through its package bin, as a user would, in UTC; a non-zero exit is a result, not a throw. */
export async function cli(...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/pixelspend-report.js', ...args], { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, TZ: 'UTC' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
