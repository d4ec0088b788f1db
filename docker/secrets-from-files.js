// Preloaded into every Node.js process of the silvertrace images (NODE_OPTIONS=--require ...), so
// secrets can be mounted as files (Docker/Compose secrets, Kubernetes Secret volumes) instead of
// being passed in the environment, without the services knowing about it:
//
//   NAME_FILE=/run/secrets/x   for NAME in DATABASE_URL, MIGRATION_DATABASE_URL, JWT_SECRET,
//                              GATEWAY_SECRET, TEMPORAL_API_KEY, METRICS_TOKEN:
//                              NAME becomes the file's content (one trailing newline dropped)
//   DATABASE_PASSWORD_FILE=... the file's content becomes the password of DATABASE_URL
//                              (percent-encoded), so the URL itself holds no secret; the same
//                              for MIGRATION_DATABASE_PASSWORD_FILE and MIGRATION_DATABASE_URL
// (AUDIT_SIGNING_KEY_FILE and AUDIT_PUBLIC_KEY_FILE are paths the services read themselves.)
//
// Setting both NAME and NAME_FILE, or naming a file that cannot be read, stops the process with
// exit code 2 and a message naming the variable, like any other invalid configuration. A *_FILE
// variable is removed once read, and worker threads (which inherit NODE_OPTIONS and a copy of
// the environment: the Temporal worker runs workflows in one) are left alone.
'use strict';
const { readFileSync } = require('node:fs');
const { isMainThread } = require('node:worker_threads');

const FROM_FILES = [
  'DATABASE_URL',
  'MIGRATION_DATABASE_URL',
  'JWT_SECRET',
  'GATEWAY_SECRET',
  'TEMPORAL_API_KEY',
  'METRICS_TOKEN',
];

function fail(message) {
  process.stderr.write(`invalid configuration:\n  ${message}\n`);
  process.exit(2);
}

function readSecret(variable) {
  const path = process.env[variable];
  try {
    return readFileSync(path, 'utf8').replace(/\r?\n$/, '');
  } catch (err) {
    return fail(`${variable}: cannot read ${path} (${err.code || err.message})`);
  }
}

function load() {
  for (const name of FROM_FILES) {
    const variable = `${name}_FILE`;
    if (!process.env[variable]) continue;
    if (process.env[name] !== undefined)
      fail(`${name}: set either ${name} or ${variable}, not both`);
    process.env[name] = readSecret(variable);
    delete process.env[variable];
  }
  for (const prefix of ['', 'MIGRATION_']) {
    if (process.env[`${prefix}DATABASE_PASSWORD_FILE`]) addDatabasePassword(prefix);
  }
}

function addDatabasePassword(prefix) {
  const fileVar = `${prefix}DATABASE_PASSWORD_FILE`;
  const urlVar = `${prefix}DATABASE_URL`;
  const password = readSecret(fileVar);
  let url;
  try {
    url = new URL(process.env[urlVar] || '');
  } catch {
    fail(`${fileVar}: needs ${urlVar} (postgres://user@host:5432/db) to put it in`);
  }
  if (url.password) fail(`${fileVar}: ${urlVar} already holds a password`);
  url.password = encodeURIComponent(password);
  process.env[urlVar] = url.toString();
  delete process.env[fileVar];
}

if (isMainThread) load();
