// jest globalSetup (runs once, in jest's parent process): fresh PostgreSQL and Temporal servers
// for the whole run, shared by every suite through the environment variables set here.
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCheckpointKeys } from '../../libs/audit/src/checkpoints';
import { ensureDevMasterKeyFile } from '../../libs/crypto/src/master-keys';
import { runMigrations } from '../../libs/persistence/src/migrate';
import { freePort } from '../../scripts/lib/ports';
import {
  APP_ROLE,
  ensureAppRole,
  maskPassword,
  RunningPostgres,
  startEmbeddedPostgres,
} from '../../scripts/lib/postgres';
import { RunningTemporal, startTemporalDevServer } from '../../scripts/lib/temporal-dev';
import { resolveTemporalCli, resolveTemporalTestServer } from '../../scripts/lib/tools';

export interface TestServers {
  tmpDir?: string;
  /** Where the run's development master key lives (payloads are encrypted in tests too). */
  keyDir?: string;
  postgres?: RunningPostgres;
  temporal?: RunningTemporal;
}

// globalSetup and globalTeardown share jest's parent process, hence its globalThis.
const KEY = Symbol.for('silvertrace.testServers');
export function testServers(): TestServers | undefined {
  return (globalThis as Record<symbol, TestServers | undefined>)[KEY];
}

export const say = (line: string) => process.stdout.write(`[test-setup] ${line}\n`);
const since = (t: number) => `${((Date.now() - t) / 1000).toFixed(1)}s`;

export default async function globalSetup(): Promise<void> {
  const servers: TestServers = {};
  (globalThis as Record<symbol, TestServers | undefined>)[KEY] = servers;
  process.stdout.write('\n');
  try {
    const [cli, testServerPath] = await Promise.all([
      process.env.TEST_TEMPORAL_ADDRESS ? undefined : resolveTemporalCli(say),
      resolveTemporalTestServer(say),
    ]);
    process.env.TEMPORAL_TEST_SERVER_PATH = testServerPath;
    // Data protection is never off: the run's services and clients share one generated master
    // key, in a temp dir of its own, unless the caller gave keys.
    if (!process.env.SILVERTRACE_MASTER_KEYS && !process.env.SILVERTRACE_MASTER_KEY_FILE) {
      servers.keyDir = await mkdtemp(join(tmpdir(), 'silvertrace-keys-'));
      const keyFile = join(servers.keyDir, 'master-keys');
      await ensureDevMasterKeyFile(keyFile);
      process.env.SILVERTRACE_MASTER_KEY_FILE = keyFile;
    }
    say(`Temporal time-skipping test server: ${testServerPath}`);

    servers.tmpDir = await mkdtemp(join(tmpdir(), 'silvertrace-test-'));
    // As root, PostgreSQL runs as the `postgres` user, which must be able to enter it.
    await chmod(servers.tmpDir, 0o711);
    // The audit checkpoints' key pair, as the local stack makes one (docs/auditing.md, "Signed checkpoints").
    if (!process.env.AUDIT_SIGNING_KEY_FILE) {
      const keys = ensureCheckpointKeys(join(servers.tmpDir, 'keys'));
      process.env.AUDIT_SIGNING_KEY_FILE = keys.privateKeyFile;
      process.env.AUDIT_PUBLIC_KEY_FILE = keys.publicKeyFile;
    }

    const database = async () => {
      const started = Date.now();
      let url = process.env.TEST_DATABASE_URL;
      if (!url) {
        const port = await freePort();
        servers.postgres = await startEmbeddedPostgres({
          dataDir: join(servers.tmpDir as string, 'postgres'),
          port,
          database: 'silvertrace_test',
          persistent: false,
        });
        url = servers.postgres.url;
      }
      // As in production: migrations as the owner, the suites' API and workers as the
      // application role, which may only SELECT and INSERT on the audit tables. Suites that
      // tamper with the chain on purpose use MIGRATION_DATABASE_URL (the superuser) explicitly.
      const appUrl = await ensureAppRole(url);
      await runMigrations(url, () => undefined, undefined, APP_ROLE);
      process.env.MIGRATION_DATABASE_URL = url;
      process.env.DATABASE_URL = appUrl;
      const what = servers.postgres ? 'embedded, fresh' : 'TEST_DATABASE_URL';
      say(
        `PostgreSQL (${what}) ${maskPassword(url)} migrated in ${since(started)}; ` +
          `the apps connect as ${APP_ROLE}`,
      );
    };

    const temporal = async () => {
      const started = Date.now();
      let address = process.env.TEST_TEMPORAL_ADDRESS;
      if (!address) {
        servers.temporal = await startTemporalDevServer({
          cli: cli as string,
          port: await freePort(),
          log: (line) => say(`temporal: ${line}`),
        });
        address = servers.temporal.address;
      }
      process.env.TEMPORAL_ADDRESS = address;
      const what = servers.temporal ? 'dev server, in-memory' : 'TEST_TEMPORAL_ADDRESS';
      say(`Temporal (${what}) ${address} ready in ${since(started)}`);
    };

    const results = await Promise.allSettled([database(), temporal()]);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  } catch (err) {
    // jest skips globalTeardown when globalSetup fails: clean up here.
    await stopTestServers(servers);
    throw err;
  }
}

export async function stopTestServers(servers: TestServers): Promise<void> {
  await Promise.allSettled([servers.temporal?.stop(), servers.postgres?.stop()]);
  if (servers.tmpDir) await rm(servers.tmpDir, { recursive: true, force: true });
  if (servers.keyDir) await rm(servers.keyDir, { recursive: true, force: true });
}
