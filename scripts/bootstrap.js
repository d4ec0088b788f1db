// npm prestart/pretest: install dependencies on a fresh clone, otherwise return at once.
// No dependencies of its own: it runs before node_modules exists.
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
// npm writes this file at the end of every successful install.
if (!existsSync(join(root, 'node_modules', '.package-lock.json'))) {
  console.error('bootstrap: node_modules is missing or incomplete: running `npm ci`...');
  // Under npm, npm_execpath is the npm that runs us: reuse it rather than whatever is on PATH.
  const execPath = process.env.npm_execpath;
  const npmCli = execPath && /npm-cli\.c?js$/.test(execPath) ? execPath : undefined;
  const result = npmCli
    ? spawnSync(process.execPath, [npmCli, 'ci'], { cwd: root, stdio: 'inherit' })
    : spawnSync('npm', ['ci'], {
        cwd: root,
        stdio: 'inherit',
        shell: process.platform === 'win32',
      });
  if (result.error) {
    console.error(`bootstrap: cannot run npm ci: ${result.error.message}`);
    process.exit(1);
  }
  if (result.status !== 0) {
    console.error(`bootstrap: npm ci failed (exit code ${result.status ?? result.signal})`);
    process.exit(result.status || 1);
  }
}
