// The browser for the UI tests: Debian's chromium driven by playwright-core (never a downloaded
// browser), and the web bundle those tests open (built when missing or older than its sources).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ROOT = resolve(__dirname, '../..');
const WEB_SRC = join(ROOT, 'apps/web');
const WEB_INDEX = join(ROOT, 'dist/web/index.html');

/**
 * Flags for this machine: no sandbox (root in a container), no GPU, and none of chromium's own
 * background traffic (updates, sync, QUIC probes), which the network here refuses. playwright
 * gives every launch a fresh temporary profile (--user-data-dir) of its own.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}: the browser tests need Debian's package. ` +
        'Install it with `apt-get update && apt-get install -y --no-install-recommends chromium` ' +
        '(or set CHROMIUM_PATH); never a browser download.',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds dist/web (vite) unless it is there and newer than every file of apps/web. */
export function ensureWebBundle(): void {
  if (existsSync(WEB_INDEX) && statSync(WEB_INDEX).mtimeMs >= newestMtime(WEB_SRC)) return;
  process.stdout.write('[ui] building the web application (npm run build:web)\n');
  execFileSync('npm', ['run', '-s', 'build:web'], { cwd: ROOT, stdio: 'inherit' });
}
