// The cluster settings of libs/config: Temporal TLS/mTLS/API key, PostgreSQL TLS, the worker's
// shutdown grace and metrics address, METRICS_TOKEN, and what production mode asks each service.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCheckpointKeys, keyIdOf } from '../../libs/audit/src/checkpoints';
import { ConfigError, loadConfig } from '../../libs/config/src/config';
import { dataSourceOptions } from '../../libs/persistence/src/data-source';
import { migrationTarget } from '../../libs/persistence/src/migrate';
import { temporalConnectionOptions } from '../../libs/temporal/src/connection-options';

// The audit checkpoint keys are added in beforeAll (files in the suite's directory).
const PROD: Record<string, string> = {
  NODE_ENV: 'production',
  JWT_SECRET: 'a-jwt-secret-of-32-characters-ok',
  GATEWAY_SECRET: 'a-gateway-secret-long-enough',
  INTERPOL_GATEWAY_URL: 'https://gateway.example.org',
  SILVERTRACE_MASTER_KEYS: `m1:${Buffer.alloc(32, 7).toString('base64')}`,
};

describe('cluster configuration', () => {
  let dir: string;
  const file = (name: string) => join(dir, name);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'silvertrace-config-'));
    for (const n of ['ca.pem', 'client.pem', 'client.key', 'pg-ca.pem']) {
      await writeFile(file(n), `-----BEGIN ${n}-----\n`);
    }
    const keys = ensureCheckpointKeys(join(dir, 'keys'));
    PROD.AUDIT_SIGNING_KEY_FILE = keys.privateKeyFile;
    PROD.AUDIT_PUBLIC_KEY_FILE = keys.publicKeyFile;
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('speaks plain gRPC to Temporal unless told otherwise', () => {
    const c = loadConfig({});
    expect(c.temporal.tls).toBeUndefined();
    expect(temporalConnectionOptions(c.temporal)).toEqual({ address: '127.0.0.1:7233' });
  });

  it('reads the CA, the client pair and the server name for mTLS, and passes the API key', () => {
    const c = loadConfig({
      TEMPORAL_ADDRESS: 'silvertrace.abcde.tmprl.cloud:7233',
      TEMPORAL_TLS_CA_PATH: file('ca.pem'),
      TEMPORAL_TLS_CERT_PATH: file('client.pem'),
      TEMPORAL_TLS_KEY_PATH: file('client.key'),
      TEMPORAL_TLS_SERVER_NAME: 'frontend.internal',
      TEMPORAL_API_KEY: 'key-123',
    });
    const opts = temporalConnectionOptions(c.temporal);
    expect(opts.address).toBe('silvertrace.abcde.tmprl.cloud:7233');
    expect(opts.apiKey).toBe('key-123');
    expect(opts.tls?.serverNameOverride).toBe('frontend.internal');
    expect(opts.tls?.serverRootCACertificate?.toString()).toContain('BEGIN ca.pem');
    expect(opts.tls?.clientCertPair?.crt.toString()).toContain('BEGIN client.pem');
    expect(opts.tls?.clientCertPair?.key.toString()).toContain('BEGIN client.key');
  });

  it('turns TLS on (system CAs) for TEMPORAL_TLS=true alone and for an API key', () => {
    expect(loadConfig({ TEMPORAL_TLS: 'true' }).temporal.tls).toEqual({});
    expect(loadConfig({ TEMPORAL_API_KEY: 'k' }).temporal.tls).toEqual({});
  });

  it.each([
    [
      { TEMPORAL_TLS_CERT_PATH: 'x' },
      /TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH go together/,
    ],
    [{ TEMPORAL_TLS: 'false', TEMPORAL_API_KEY: 'k' }, /TEMPORAL_TLS: false contradicts/],
    [{ TEMPORAL_TLS: 'yes' }, /TEMPORAL_TLS/],
    [
      { TEMPORAL_TLS_CA_PATH: '/nonexistent/ca.pem' },
      /TEMPORAL_TLS_CA_PATH: cannot read \/nonexistent\/ca.pem \(ENOENT\)/,
    ],
    [{ DATABASE_SSL: 'prefer' }, /DATABASE_SSL/],
    [{ DATABASE_SSL_CA_PATH: 'x' }, /DATABASE_SSL_CA_PATH: needs DATABASE_SSL=verify-full/],
    [{ WORKER_SHUTDOWN_GRACE: '30' }, /WORKER_SHUTDOWN_GRACE/],
    [{ WORKER_METRICS_ADDRESS: 'http://0.0.0.0:9464' }, /WORKER_METRICS_ADDRESS/],
    [{ METRICS_TOKEN: 'short' }, /METRICS_TOKEN/],
  ])('refuses %j naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('builds the PostgreSQL TLS options for require and verify-full, and the pool size', () => {
    expect(loadConfig({}).databaseSsl).toBeUndefined();
    expect(loadConfig({ DATABASE_SSL: 'disable' }).databaseSsl).toBeUndefined();
    expect(loadConfig({ DATABASE_SSL: 'require' }).databaseSsl).toEqual({
      rejectUnauthorized: false,
    });
    const verify = loadConfig({
      DATABASE_SSL: 'verify-full',
      DATABASE_SSL_CA_PATH: file('pg-ca.pem'),
      DB_POOL_SIZE: '25',
    });
    expect(verify.databaseSsl?.rejectUnauthorized).toBe(true);
    expect(verify.databaseSsl?.ca?.toString()).toContain('BEGIN pg-ca.pem');
    const options = dataSourceOptions(verify.databaseUrl, verify.dbPoolSize, verify.databaseSsl);
    expect(options).toMatchObject({ poolSize: 25, ssl: { rejectUnauthorized: true } });
    expect(dataSourceOptions('postgres://x@h/db')).not.toHaveProperty('ssl');
  });

  it('gives the worker a 30 s shutdown grace by default, and reads ms, s and m', () => {
    expect(loadConfig({}).worker).toMatchObject({
      shutdownGraceMs: 30_000,
      metricsAddress: undefined,
    });
    expect(loadConfig({ WORKER_SHUTDOWN_GRACE: '1500ms' }).worker.shutdownGraceMs).toBe(1500);
    expect(loadConfig({ WORKER_SHUTDOWN_GRACE: '2m' }).worker.shutdownGraceMs).toBe(120_000);
    expect(loadConfig({ WORKER_METRICS_ADDRESS: '0.0.0.0:9464' }).worker.metricsAddress).toBe(
      '0.0.0.0:9464',
    );
  });

  describe('production mode asks each service for what it uses', () => {
    it('starts both with everything set', () => {
      expect(loadConfig(PROD, 'api').production).toBe(true);
      expect(loadConfig(PROD, 'worker').production).toBe(true);
    });

    it('asks the API for JWT_SECRET, not the worker', () => {
      const { JWT_SECRET: _, ...noJwt } = PROD;
      expect(() => loadConfig(noJwt, 'api')).toThrow(/JWT_SECRET must be set/);
      expect(loadConfig(noJwt, 'worker').production).toBe(true);
    });

    it('asks the worker for INTERPOL_GATEWAY_URL (the default is the simulator), not the API', () => {
      const { INTERPOL_GATEWAY_URL: _, ...noUrl } = PROD;
      expect(() => loadConfig(noUrl, 'worker')).toThrow(/INTERPOL_GATEWAY_URL must be set/);
      expect(loadConfig(noUrl, 'api').production).toBe(true);
    });

    it('asks both for a master key, never generating one, and checks the keys given', async () => {
      const { SILVERTRACE_MASTER_KEYS: _, ...noKeys } = PROD;
      for (const app of ['api', 'worker'] as const) {
        expect(() => loadConfig(noKeys, app)).toThrow(
          /SILVERTRACE_MASTER_KEYS or SILVERTRACE_MASTER_KEY_FILE must be set/,
        );
      }
      const key = Buffer.alloc(32, 1).toString('base64');
      await writeFile(
        file('master-keys'),
        `# rotated 2026-12, newest last\nold:${key}\nnew:${key}\n`,
      );
      const fromFile = loadConfig(
        { ...noKeys, SILVERTRACE_MASTER_KEY_FILE: file('master-keys') },
        'api',
      );
      expect(fromFile.crypto).toMatchObject({ file: file('master-keys'), production: true });
      // A short key or a missing file names the variable (and never echoes key material).
      const short = Buffer.alloc(16, 1).toString('base64');
      expect(() => loadConfig({ ...PROD, SILVERTRACE_MASTER_KEYS: `k:${short}` })).toThrow(
        /SILVERTRACE_MASTER_KEYS: master key "k" must be 32 bytes/,
      );
      expect(() => loadConfig({ SILVERTRACE_MASTER_KEY_FILE: file('none') })).toThrow(
        /SILVERTRACE_MASTER_KEY_FILE: cannot read .* \(ENOENT\)/,
      );
    });

    it('asks the worker for its signing key, the API for the public key, neither for the other', () => {
      const { AUDIT_SIGNING_KEY_FILE: _s, ...noSigning } = PROD;
      expect(() => loadConfig(noSigning, 'worker')).toThrow(/AUDIT_SIGNING_KEY_FILE must be set/);
      expect(loadConfig(noSigning, 'api').audit.signingKey).toBeUndefined();
      const { AUDIT_PUBLIC_KEY_FILE: _p, ...noPublic } = PROD;
      expect(() => loadConfig(noPublic, 'api')).toThrow(/AUDIT_PUBLIC_KEY_FILE must be set/);
      const worker = loadConfig(noPublic, 'worker').audit;
      // The API never loads the private key, even when the variable is set.
      expect(loadConfig(PROD, 'api').audit.signingKey).toBeUndefined();
      expect(worker.signingKey?.asymmetricKeyType).toBe('ed25519');
      expect(worker.publicKeys?.map(keyIdOf)).toEqual([keyIdOf(worker.signingKey!)]);
    });

    it('names a key file that is missing, not Ed25519 or not a key', () => {
      expect(() =>
        loadConfig({ ...PROD, AUDIT_SIGNING_KEY_FILE: file('nope.pem') }, 'worker'),
      ).toThrow(/AUDIT_SIGNING_KEY_FILE: cannot read an Ed25519 private key from .*nope\.pem/);
      expect(() => loadConfig({ ...PROD, AUDIT_PUBLIC_KEY_FILE: file('ca.pem') }, 'api')).toThrow(
        /AUDIT_PUBLIC_KEY_FILE: .*ca\.pem holds no PEM public key/,
      );
      expect(() => loadConfig({ AUDIT_CHECKPOINT_EVERY: '0' })).toThrow(/AUDIT_CHECKPOINT_EVERY/);
      expect(() => loadConfig({ AUDIT_CHECKPOINT_INTERVAL: 'PT10S' })).toThrow(
        /AUDIT_CHECKPOINT_INTERVAL: must be PT1M or longer/,
      );
      expect(loadConfig({}).audit).toMatchObject({
        checkpointEvery: 1000,
        checkpointIntervalMs: 15 * 60_000,
      });
      expect(() => loadConfig({ MIGRATION_DATABASE_URL: 'mysql://x' })).toThrow(
        /MIGRATION_DATABASE_URL/,
      );
    });

    it('asks both for GATEWAY_SECRET and refuses demo users in both', () => {
      const { GATEWAY_SECRET: _, ...noGateway } = PROD;
      for (const app of ['api', 'worker'] as const) {
        expect(() => loadConfig(noGateway, app)).toThrow(/GATEWAY_SECRET must be set/);
        expect(() =>
          loadConfig({ ...PROD, SILVERTRACE_DEMO_PASSWORD: 'x'.repeat(12) }, app),
        ).toThrow(/SILVERTRACE_DEMO_PASSWORD must not be set/);
      }
    });
  });

  describe('the migration step: the owner migrates, the application role is granted', () => {
    const OWNER = 'postgres://silvertrace:o@db:5432/silvertrace';
    const APP = 'postgres://silvertrace_app:a@db:5432/silvertrace';
    it('migrates as MIGRATION_DATABASE_URL and grants DATABASE_URL’s user', () => {
      expect(migrationTarget({ MIGRATION_DATABASE_URL: OWNER, DATABASE_URL: APP })).toEqual({
        url: OWNER,
        appRole: 'silvertrace_app',
      });
      // One role for both, as before the split (production's API and worker then refuse).
      expect(migrationTarget({ DATABASE_URL: APP })).toEqual({ url: APP });
    });
    it('refuses the same role twice, and no URL at all', () => {
      expect(() =>
        migrationTarget({ MIGRATION_DATABASE_URL: OWNER, DATABASE_URL: OWNER.replace(':o@', '@') }),
      ).toThrow(/names the same role as DATABASE_URL/);
      expect(() => migrationTarget({})).toThrow(ConfigError);
    });
  });
});
