// `npm start`: the whole local system on embedded defaults (PostgreSQL, Temporal dev server,
// migrations, worker, api, simulator), printed URLs, and an ordered stop on Ctrl-C.
// Every child runs in its own process group so a terminal Ctrl-C reaches only this process,
// which then stops the apps before Temporal and PostgreSQL instead of all at once; on Linux the
// kernel also signals each child if this process dies without stopping them (even SIGKILL).
import { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { ensureCheckpointKeys } from '../libs/audit/src/checkpoints';
import { assertPortFree } from './lib/ports';
import {
  APP_ROLE,
  assertNoRunningPostgres,
  checkPostgres,
  ensureAppRole,
  maskPassword,
  startEmbeddedPostgres,
} from './lib/postgres';
import { ExitInfo, signal, spawnSupervised, terminate } from './lib/processes';
import { ready, startTemporalDevServer } from './lib/temporal-dev';
import { devMasterKeyFile, ensureDevMasterKeyFile } from '../libs/crypto/src/master-keys';
import { repoRoot, resolveTemporalCli } from './lib/tools';

/** A failure the user can fix: printed as one message, without a stack trace. */
class StartupError extends Error {}

interface Service {
  name: string;
  exited: Promise<ExitInfo>;
  stop(): Promise<void>;
}

// Stop order: entry points first, then the worker, then what they all depend on.
const STOP_ORDER = ['api', 'sim', 'worker', 'migrate', 'temporal', 'postgres'];
const HEALTH_TIMEOUT_MS = 120_000;

const root = repoRoot();
const services = new Map<string, Service>();
const children = new Set<ChildProcess>();
const inflight: Promise<unknown>[] = [];
let stopCode: number | undefined;
let wake: () => void = () => {};
const stopRequested = new Promise<void>((r) => (wake = r));

const say = (line: string) => console.log(`[stack] ${line}`);

function requestStop(code: number, why?: string): void {
  if (stopCode !== undefined) return;
  stopCode = code;
  if (why) say(why);
  wake();
}

function forceExit(): never {
  say('second interrupt: killing everything now');
  for (const child of children) signal(child, 'SIGKILL');
  process.exit(130);
}

let firstSignalAt: number | undefined;

function onSignal(sig: NodeJS.Signals): void {
  if (firstSignalAt === undefined) {
    firstSignalAt = Date.now();
    if (stopCode === undefined) requestStop(0, `${sig}: stopping...`);
    else say('already stopping; interrupt again to kill everything');
  } else if (Date.now() - firstSignalAt > 1_000) {
    forceExit();
  }
  // Else the same interrupt arriving twice (the terminal signals the whole process group and
  // npm or timeout forward it too): not a request to force.
}

class Cancelled extends Error {}

/** Awaits p unless a stop is requested first (p keeps running; its result is still tracked). */
async function step<T>(p: Promise<T>): Promise<T> {
  inflight.push(p.catch(() => undefined));
  return Promise.race([p, stopRequested.then(() => Promise.reject(new Cancelled()))]);
}

function watch(service: Service, { expectExit = false } = {}): void {
  services.set(service.name, service);
  void service.exited.then((info) => {
    if (stopCode === undefined && !expectExit) {
      requestStop(
        1,
        `${service.name} exited unexpectedly (${describeExit(info)}); stopping everything`,
      );
    }
  });
}

function describeExit(info: ExitInfo): string {
  return info.signal ? `signal ${info.signal}` : `exit code ${info.code ?? '?'}`;
}

function prefixed(name: string): (line: string) => void {
  return (line) => process.stdout.write(`[${name}] ${line}\n`);
}

/** Runs `node <script>` in its own process group with its output prefixed by its name. */
function startNode(name: string, script: string, env: NodeJS.ProcessEnv): Service {
  const child = spawnSupervised(process.execPath, [script], 'SIGTERM', {
    cwd: root,
    env,
    detached: true,
  });
  children.add(child);
  for (const [stream, out] of [
    [child.stdout, process.stdout],
    [child.stderr, process.stderr],
  ] as const) {
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) =>
      out.write(`[${name}] ${line}\n`),
    );
  }
  const exited = new Promise<ExitInfo>((done) => {
    child.once('exit', (code, sig) => done({ code, signal: sig }));
    child.once('error', (err) => {
      process.stderr.write(`[${name}] cannot run: ${err.message}\n`);
      done({ code: null, signal: null });
    });
  });
  void exited.then(() => children.delete(child));
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= terminate(child, exited, [
      ['SIGTERM', 15_000], // the worker finishes in-flight activities within this
      ['SIGKILL', 5_000],
    ]));
  return { name, exited, stop };
}

function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 1 || port > 65535) {
    throw new StartupError(`${name}=${raw} is not a port number (1-65535)`);
  }
  return port;
}

async function waitForHealth(url: string): Promise<void> {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  let last = 'no answer';
  while (Date.now() < deadline && stopCode === undefined) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  if (stopCode !== undefined) throw new Cancelled();
  throw new StartupError(
    `the API did not become ready within ${HEALTH_TIMEOUT_MS / 1000}s (${url}: ${last}); ` +
      `see the [api] and [worker] lines above`,
  );
}

async function startAll(): Promise<void> {
  const env = process.env;
  const dataDir = resolve(env.SILVERTRACE_DATA_DIR || join(root, '.data'));
  const apiPort = portFromEnv('PORT', 3000);
  const simPort = portFromEnv('SIM_PORT', 3100);
  const embeddedPg = !env.DATABASE_URL;
  const devTemporal = !env.TEMPORAL_ADDRESS;
  const pgPort = portFromEnv('SILVERTRACE_PG_PORT', 55432);
  const temporalPort = portFromEnv('TEMPORAL_PORT', 7233);
  const uiPort = portFromEnv('TEMPORAL_UI_PORT', 8233);
  const namespace = env.TEMPORAL_NAMESPACE || 'default';
  const pgDir = join(dataDir, 'postgres');
  // Payloads are always encrypted: without configured master keys, a development key is
  // generated once into the data directory (kept with the data it protects).
  const masterKeyFile =
    env.SILVERTRACE_MASTER_KEYS || env.SILVERTRACE_MASTER_KEY_FILE || env.NODE_ENV === 'production'
      ? undefined
      : devMasterKeyFile(dataDir);
  const uiOrigins = `http://127.0.0.1:${uiPort},http://localhost:${uiPort}`;

  // 1. Everything that can fail is checked before anything starts.
  const dist = (p: string) => join(root, 'dist', p);
  const scripts = {
    migrate: dist('libs/persistence/src/migrate.js'),
    worker: dist('apps/worker/src/main.js'),
    api: dist('apps/api/src/main.js'),
    sim: dist('apps/interpol-sim/src/main.js'),
  };
  for (const script of Object.values(scripts)) {
    if (!existsSync(script)) {
      throw new StartupError(`${relative(root, script)} is missing: run \`npm run build\` first`);
    }
  }
  if (embeddedPg) await assertNoRunningPostgres(pgDir).catch(rethrowAsStartup);
  const ports = [
    { port: apiPort, what: 'API', envVar: 'PORT' },
    { port: simPort, what: 'simulator', envVar: 'SIM_PORT' },
  ];
  if (embeddedPg) ports.push({ port: pgPort, what: 'PostgreSQL', envVar: 'SILVERTRACE_PG_PORT' });
  if (devTemporal) {
    ports.push({ port: temporalPort, what: 'Temporal', envVar: 'TEMPORAL_PORT' });
    ports.push({ port: uiPort, what: 'Temporal UI', envVar: 'TEMPORAL_UI_PORT' });
  }
  const seen = new Map<number, string>();
  for (const { port, envVar } of ports) {
    const other = seen.get(port);
    if (other) {
      throw new StartupError(`${other} and ${envVar} are both ${port}: give each its own port`);
    }
    seen.set(port, envVar);
  }
  for (const { port, what, envVar } of ports) {
    await assertPortFree(port, '127.0.0.1', what, envVar).catch(rethrowAsStartup);
  }
  if (!embeddedPg) {
    await step(checkPostgres(env.DATABASE_URL as string)).catch(rethrowAsStartup);
  }
  if (!devTemporal) {
    await step(ready(env.TEMPORAL_ADDRESS as string, namespace, 5_000)).catch((err: unknown) => {
      if (err instanceof Cancelled) throw err;
      throw new StartupError(
        `cannot reach Temporal at TEMPORAL_ADDRESS=${env.TEMPORAL_ADDRESS} (namespace ` +
          `${namespace}): ${err instanceof Error ? err.message : String(err)}`,
      );
    });
  }
  const cli = devTemporal
    ? await step(resolveTemporalCli((line) => say(line))).catch(rethrowAsStartup)
    : undefined;
  if (masterKeyFile) await step(ensureDevMasterKeyFile(masterKeyFile)).catch(rethrowAsStartup);

  // 2. PostgreSQL and Temporal, side by side.
  const started = Date.now();
  const pgStart = embeddedPg
    ? startEmbeddedPostgres({
        dataDir: pgDir,
        port: pgPort,
        database: 'silvertrace',
        persistent: true,
        detached: true,
        log: prefixed('postgres'),
      }).then(async (pg) => {
        watch({ name: 'postgres', exited: pg.exited, stop: pg.stop });
        say(
          `PostgreSQL ready on 127.0.0.1:${pgPort} in ${secondsSince(started)} (data: ${shortPath(pgDir)})`,
        );
        // Migrations as the owner (the superuser here), the apps as a role that may only
        // SELECT and INSERT on the audit tables (docs/auditing.md, "Database roles").
        return { owner: pg.url, app: await ensureAppRole(pg.url) };
      })
    : Promise.resolve({
        owner: env.MIGRATION_DATABASE_URL || undefined,
        app: env.DATABASE_URL as string,
      });
  const temporalStart = cli
    ? startTemporalDevServer({
        cli,
        port: temporalPort,
        uiPort,
        uiCodecEndpoint: `http://127.0.0.1:${apiPort}/codec`,
        dbFile: join(dataDir, 'temporal.sqlite'),
        namespace,
        detached: true,
        log: prefixed('temporal'),
      }).then((t) => {
        watch({ name: 'temporal', exited: t.exited, stop: t.stop });
        say(`Temporal dev server ready on ${t.address} in ${secondsSince(started)}`);
        return t;
      })
    : Promise.resolve(undefined);
  const [pgResult, temporalResult] = await step(Promise.allSettled([pgStart, temporalStart]));
  for (const r of [pgResult, temporalResult]) {
    if (r.status === 'rejected') rethrowAsStartup(r.reason);
  }
  const database = (pgResult as PromiseFulfilledResult<Awaited<typeof pgStart>>).value;
  const databaseUrl = database.app;
  const temporal = (temporalResult as PromiseFulfilledResult<Awaited<typeof temporalStart>>).value;
  const temporalAddress = temporal?.address ?? (env.TEMPORAL_ADDRESS as string);

  // The audit checkpoints' Ed25519 key pair: the worker signs, the API checks with the public
  // half. Generated once into the data directory unless given (production brings its own).
  const keys =
    env.AUDIT_SIGNING_KEY_FILE || env.AUDIT_PUBLIC_KEY_FILE
      ? undefined
      : ensureCheckpointKeys(join(dataDir, 'keys'));

  // 3. Migrations, as their own step: the apps never change the schema.
  const childEnv: NodeJS.ProcessEnv = {
    ...env,
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporalAddress,
    SIM_PORT: String(simPort),
    INTERPOL_GATEWAY_URL: env.INTERPOL_GATEWAY_URL || `http://127.0.0.1:${simPort}`,
    SILVERTRACE_API_URL: env.SILVERTRACE_API_URL || `http://127.0.0.1:${apiPort}`,
    ...(masterKeyFile ? { SILVERTRACE_MASTER_KEY_FILE: masterKeyFile } : {}),
    CODEC_CORS_ORIGINS: env.CODEC_CORS_ORIGINS || uiOrigins,
  };
  delete childEnv.PORT; // only the API listens on PORT
  delete childEnv.MIGRATION_DATABASE_URL; // only the migration step is the owner
  const migrate = startNode('migrate', scripts.migrate, {
    ...childEnv,
    ...(database.owner ? { MIGRATION_DATABASE_URL: database.owner } : {}),
  });
  watch(migrate, { expectExit: true });
  const migrated = await step(migrate.exited);
  if (migrated.code !== 0) {
    throw new StartupError(
      `migrations failed (${describeExit(migrated)}); see the [migrate] lines above`,
    );
  }

  // 4. The apps; the API's readiness covers its database and Temporal connections.
  const workerEnv = keys ? { ...childEnv, AUDIT_SIGNING_KEY_FILE: keys.privateKeyFile } : childEnv;
  // The API never holds the private key.
  const apiEnv: NodeJS.ProcessEnv = { ...childEnv, PORT: String(apiPort) };
  delete apiEnv.AUDIT_SIGNING_KEY_FILE;
  if (keys) apiEnv.AUDIT_PUBLIC_KEY_FILE = keys.publicKeyFile;
  watch(startNode('worker', scripts.worker, workerEnv));
  watch(startNode('api', scripts.api, apiEnv));
  watch(startNode('sim', scripts.sim, childEnv));
  const api = `http://127.0.0.1:${apiPort}`;
  await step(waitForHealth(`${api}/health/ready`));

  const password = env.SILVERTRACE_DEMO_PASSWORD || 'demo-password';
  const body = JSON.stringify({ username: 'investigator.za', password });
  const lines = [
    '',
    `SilverTrace is up (${secondsSince(started)}). Ctrl-C stops everything.`,
    `  Web app        ${api}/   (sign in as a demo user, e.g. investigator.za / ${password === 'demo-password' ? password : '<SILVERTRACE_DEMO_PASSWORD>'})`,
    `  API            ${api}/api/v1`,
    `  OpenAPI docs   ${api}/api/docs`,
    temporal?.uiUrl
      ? `  Temporal UI    ${temporal.uiUrl}   (payloads encrypted; the codec server ${api}/codec decodes them for an NCB officer's or auditor's token: docs/data-protection.md)`
      : `  Temporal       ${temporalAddress} (external)`,
    `  Simulator      http://127.0.0.1:${simPort}  (simulated INTERPOL GS and foreign NCBs)`,
    `  PostgreSQL     ${maskPassword(databaseUrl)}${embeddedPg ? ` (embedded; the apps' role ${APP_ROLE}, migrations as the owner)` : ''}`,
    keys
      ? `  Audit key      ${shortPath(keys.publicKeyFile)}  (checks checkpoints: silvertrace audit verify --checkpoints --public-key ...)`
      : `  Audit key      ${env.AUDIT_PUBLIC_KEY_FILE ?? '(AUDIT_PUBLIC_KEY_FILE not set)'}`,
    ...(masterKeyFile ? [`  Master key     ${shortPath(masterKeyFile)} (development key)`] : []),
    `  sign in: curl -s -X POST ${api}/api/v1/auth/token -H 'content-type: application/json' -d '${body}'`,
    '',
  ];
  console.log(lines.join('\n'));
}

function rethrowAsStartup(err: unknown): never {
  if (err instanceof Cancelled || err instanceof StartupError) throw err;
  throw new StartupError(err instanceof Error ? err.message : String(err));
}

function shortPath(p: string): string {
  const rel = relative(root, p);
  return rel && !rel.startsWith('..') ? rel : p;
}

function secondsSince(t: number): string {
  return `${((Date.now() - t) / 1000).toFixed(1)}s`;
}

async function stopAll(): Promise<void> {
  // A start still in flight (e.g. PostgreSQL initialising) registers its service when it
  // settles; wait for it so nothing is left running.
  await Promise.allSettled(inflight);
  const names = [...services.keys()].sort((a, b) => STOP_ORDER.indexOf(a) - STOP_ORDER.indexOf(b));
  for (const name of names) {
    const service = services.get(name);
    if (!service) continue;
    const started = Date.now();
    await service.stop().catch((err: unknown) => say(`stopping ${name} failed: ${String(err)}`));
    say(`${name} stopped in ${secondsSince(started)}`);
  }
}

async function main(): Promise<void> {
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => onSignal(sig));
  }
  // If we die some other way, no child outlives us (the libs do the same for their servers).
  process.on('exit', () => children.forEach((child) => signal(child, 'SIGKILL')));
  // e.g. piped into `head`, or the terminal went away: keep stopping things regardless.
  process.stdout.on('error', () => undefined);
  process.stderr.on('error', () => undefined);

  try {
    await startAll();
    await stopRequested;
  } catch (err) {
    if (!(err instanceof Cancelled)) {
      const message =
        err instanceof StartupError ? err.message : ((err as Error)?.stack ?? String(err));
      console.error(`\nsilvertrace: cannot start: ${message}\n`);
      requestStop(1);
    }
  }
  await stopAll();
  say(stopCode === 0 ? 'stopped' : 'stopped after a failure');
  process.exit(stopCode ?? 1);
}

void main();
