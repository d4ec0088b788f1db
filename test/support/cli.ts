// Runs the `silvertrace` command line as a child process from dist/, as `npx silvertrace` does.
import { execFile } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');
const CLI = join(ROOT, 'dist/apps/cli/src/main.js');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment that points the CLI at an API and signs it in as `account`. */
export function cliAuth(
  baseUrl: string,
  account: { username: string; password: string },
): Record<string, string> {
  return {
    SILVERTRACE_API_URL: baseUrl,
    SILVERTRACE_USERNAME: account.username,
    SILVERTRACE_PASSWORD: account.password,
  };
}

/** Builds the CLI into dist/ from the current sources (swc, about a second). */
export function buildCli(): Promise<void> {
  return new Promise<void>((resolve, reject) =>
    execFile(
      join(ROOT, 'node_modules/.bin/swc'),
      // The CLI checks audit checkpoints with libs/audit's own code (and its hash recipe).
      ['apps/cli', 'libs/audit', 'libs/common', '-d', 'dist', '--config-file', '.swcrc', '--quiet'],
      { cwd: ROOT },
      (err) => (err ? reject(err) : resolve()),
    ),
  );
}

/** One CLI call with only the given environment (no credentials leak in from the test's). */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', ...env },
        timeout: 120_000,
        // An audit export to stdout can be megabytes.
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
