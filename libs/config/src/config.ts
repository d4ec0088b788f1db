import { createPublicKey, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import { readPublicKeys, readSigningKey } from '../../audit/src/checkpoints';
import { plainToInstance, Transform } from 'class-transformer';
import { readFileSync } from 'node:fs';
import { durationMs } from '../../domain/src/durations';
import { DEFAULT_RETENTION_REVIEW_AFTER } from '../../domain/src/erasure';
import type { WorkflowSettings } from '../../../workflows/messages';
import {
  MasterKeyError,
  parseMasterKeys,
  readKeyFileSync,
  type MasterKeySettings,
} from '../../crypto/src/master-keys';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Max,
  Min,
  Matches,
  MinLength,
  validateSync,
} from 'class-validator';

/** Secrets that are fine on a laptop and forbidden in production mode. */
export const DEV_DEFAULTS = {
  JWT_SECRET: 'dev-jwt-secret-not-for-production',
  GATEWAY_SECRET: 'dev-gateway-secret',
  SILVERTRACE_DEMO_PASSWORD: 'demo-password',
} as const;

const ISO_DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/;

const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : Number(value);

/**
 * Every environment variable the services read, validated once at boot so a typo fails fast
 * with the variable named instead of surfacing later as a confusing runtime error.
 */
export class Env {
  @IsOptional() @IsIn(['development', 'production', 'test']) NODE_ENV?: string;

  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(65535) PORT?: number;

  @IsOptional()
  @IsString()
  @IsUrl({ protocols: ['postgres', 'postgresql'], require_tld: false, require_protocol: true })
  DATABASE_URL?: string;

  /** The owner role's URL, for the migration step only (docs/auditing.md, "Database roles"). */
  @IsOptional()
  @IsString()
  @IsUrl({ protocols: ['postgres', 'postgresql'], require_tld: false, require_protocol: true })
  MIGRATION_DATABASE_URL?: string;

  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(200) DB_POOL_SIZE?: number;
  /** TLS to PostgreSQL without editing DATABASE_URL (an `sslmode` in the URL takes precedence). */
  @IsOptional() @IsIn(['disable', 'require', 'verify-full']) DATABASE_SSL?: string;
  @IsOptional() @IsString() DATABASE_SSL_CA_PATH?: string;

  @IsOptional() @IsString() TEMPORAL_ADDRESS?: string;
  @IsOptional() @IsString() TEMPORAL_NAMESPACE?: string;
  @IsOptional() @IsString() TEMPORAL_TASK_QUEUE?: string;
  @IsOptional() @IsIn(['true', 'false']) TEMPORAL_TLS?: string;
  @IsOptional() @IsString() TEMPORAL_TLS_CA_PATH?: string;
  @IsOptional() @IsString() TEMPORAL_TLS_CERT_PATH?: string;
  @IsOptional() @IsString() TEMPORAL_TLS_KEY_PATH?: string;
  @IsOptional() @IsString() TEMPORAL_TLS_SERVER_NAME?: string;
  @IsOptional() @IsString() @MinLength(1) TEMPORAL_API_KEY?: string;

  /** How long a stopping worker lets in-flight activities finish before cancelling them. */
  @IsOptional() @Matches(/^\d+(ms|s|m)$/) WORKER_SHUTDOWN_GRACE?: string;
  /** host:port of the worker's Prometheus endpoint (Temporal SDK metrics); off when unset. */
  @IsOptional() @Matches(/^(\[[0-9a-fA-F:]+\]|[\w.-]+):\d{1,5}$/) WORKER_METRICS_ADDRESS?: string;
  /** Bearer token GET /metrics asks for; the endpoint is open when unset. */
  @IsOptional() @IsString() @MinLength(16) METRICS_TOKEN?: string;

  @IsOptional() @IsString() @MinLength(16) JWT_SECRET?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(30) @Max(86400) JWT_TTL_SECONDS?: number;
  @IsOptional() @IsString() @MinLength(8) SILVERTRACE_DEMO_PASSWORD?: string;

  @IsOptional() @IsString() @MinLength(16) GATEWAY_SECRET?: string;
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true })
  INTERPOL_GATEWAY_URL?: string;

  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL?: string;

  @IsOptional() @Transform(toInt) @IsIn([1, 2]) REVIEW_APPROVALS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(10000) QUOTA_PER_YEAR?: number;
  @IsOptional() @Matches(ISO_DURATION) REVIEW_REMINDER_AFTER?: string;
  @IsOptional() @Matches(ISO_DURATION) REVIEW_ESCALATION_AFTER?: string;
  @IsOptional() @Matches(ISO_DURATION) GS_REMINDER_AFTER?: string;
  @IsOptional() @Matches(ISO_DURATION) COUNTRY_DEADLINE?: string;
  @IsOptional() @Matches(/^P[^,]+(,P[^,]+)*$/) COUNTRY_REMINDERS_BEFORE?: string;
  @IsOptional() @Matches(ISO_DURATION) REQUEST_VALIDITY?: string;
  @IsOptional() @Matches(ISO_DURATION) MONITOR_REPORT_EVERY?: string;

  /** Browser origins allowed cross-origin, comma-separated (`https://a.example,https://b`). */
  @IsOptional() @Matches(/^https?:\/\/[^\s,/]+(,https?:\/\/[^\s,/]+)*$/) CORS_ORIGINS?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(1000000) RATE_LIMIT_PER_MINUTE?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(100000) RATE_LIMIT_AUTH_PER_MINUTE?: number;

  /**
   * Which hops in front of the API to believe about the client's address (X-Forwarded-For):
   * off, a hop count, or the proxies' addresses and subnets. Never "true": with it any client
   * could name its own address and dodge the per-IP limits.
   */
  @IsOptional()
  @IsString()
  TRUST_PROXY?: string;
  /** Master keys that wrap the data keys: `id:base64` entries, oldest first (last one wraps). */
  @IsOptional() @IsString() @MinLength(1) SILVERTRACE_MASTER_KEYS?: string;
  /** A file of master key entries, one a line (e.g. a mounted secret). */
  @IsOptional() @IsString() @MinLength(1) SILVERTRACE_MASTER_KEY_FILE?: string;
  /** Local data (embedded PostgreSQL, Temporal SQLite, the development master key). */
  @IsOptional() @IsString() @MinLength(1) SILVERTRACE_DATA_DIR?: string;
  /** Temporal Web UI origins the codec server answers cross-origin (comma-separated). */
  @IsOptional()
  @Matches(/^https?:\/\/[^\s,/]+(,https?:\/\/[^\s,/]+)*$/)
  CODEC_CORS_ORIGINS?: string;
  /** How often the worker's schedule verifies the audit chain (ISO 8601, at least a minute). */
  @IsOptional() @Matches(ISO_DURATION) AUDIT_VERIFY_INTERVAL?: string;
  /** A request's retention review falls due this long after its creation (ISO 8601, P5Y). */
  @IsOptional() @Matches(ISO_DURATION) RETENTION_REVIEW_AFTER?: string;
  /** A due review not decided within this long escalates to the admins (ISO 8601, P30D). */
  @IsOptional() @Matches(ISO_DURATION) RETENTION_REVIEW_GRACE?: string;
  /** How often the worker's schedule sweeps due reviews and late erasure orders (PT1H). */
  @IsOptional() @Matches(ISO_DURATION) RETENTION_SWEEP_INTERVAL?: string;
  /** The worker signs the head every so many new entries... */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(1000000000) AUDIT_CHECKPOINT_EVERY?: number;
  /** ...or this long after the last checkpoint, whichever comes first (ISO 8601, ≥ PT1M). */
  @IsOptional() @Matches(ISO_DURATION) AUDIT_CHECKPOINT_INTERVAL?: string;
  /** The worker's Ed25519 private key (PKCS#8 PEM), kept outside the database. */
  @IsOptional() @IsString() AUDIT_SIGNING_KEY_FILE?: string;
  /** The public key(s) (SPKI PEM) the API checks checkpoints with. */
  @IsOptional() @IsString() AUDIT_PUBLIC_KEY_FILE?: string;
  // Worker tuning (see WorkerTuning below).
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(100000)
  WORKER_MAX_CACHED_WORKFLOWS?: number;
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(2)
  @Max(1000)
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS?: number;
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  WORKER_MAX_CONCURRENT_ACTIVITIES?: number;
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES?: number;
}

/**
 * Worker capacity. The SDK sizes its workflow cache from the machine's total memory (thousands of
 * cached runs on a large host, each a V8 context kept alive); a fixed default keeps the worker's
 * RSS predictable, and an evicted run is only replayed from its history when it next has work.
 */
export interface WorkerTuning {
  maxCachedWorkflows: number;
  maxConcurrentWorkflowTasks: number;
  maxConcurrentActivities: number;
  maxConcurrentLocalActivities: number;
}

/** Off, a number of hops, or the addresses Express' `trust proxy` should believe. */
function trustProxyOf(value: string | undefined): false | number | string[] {
  if (value === undefined || value === '' || value === 'false' || value === '0') return false;
  if (/^\d+$/.test(value)) {
    if (Number(value) <= 10) return Number(value);
    throw new ConfigError('invalid configuration:\n  TRUST_PROXY: at most 10 hops');
  }
  // "true" would believe any X-Forwarded-For: every client could pick its own rate-limit budget.
  const list = value.split(',').map((v) => v.trim());
  const bad = list.find((v) => !/^(loopback|linklocal|uniquelocal)$/.test(v) && !isIpOrSubnet(v));
  if (bad !== undefined)
    throw new ConfigError(
      `invalid configuration:\n  TRUST_PROXY: ${bad} is not a proxy address, subnet or hop count`,
    );
  return list;
}

function isIpOrSubnet(value: string): boolean {
  const [address, prefix, ...rest] = value.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  return (
    prefix === undefined ||
    (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128))
  );
}

/** Which service reads the configuration: production mode asks each only for what it uses. */
export type AppName = 'api' | 'worker';

/** TLS to the Temporal frontend, in the shape both the client and the worker SDK take. */
export interface TemporalTls {
  serverNameOverride?: string;
  serverRootCACertificate?: Buffer;
  clientCertPair?: { crt: Buffer; key: Buffer };
}

/** node-postgres' `ssl` option; undefined leaves it to DATABASE_URL (`sslmode=`) and PG* vars. */
export type DatabaseSsl = { rejectUnauthorized: boolean; ca?: Buffer } | undefined;

export interface AppConfig {
  production: boolean;
  port: number;
  databaseUrl: string;
  dbPoolSize: number;
  databaseSsl: DatabaseSsl;
  temporal: {
    address: string;
    namespace: string;
    taskQueue: string;
    /** undefined: plain gRPC (a private network or the dev server). */
    tls?: TemporalTls;
    apiKey?: string;
  };
  worker: WorkerTuning & { shutdownGraceMs: number; metricsAddress?: string };
  /** Bearer token of GET /metrics; undefined: open (scraped inside the cluster). */
  metricsToken?: string;
  jwt: { secret: string; ttlSeconds: number };
  demoPassword: string;
  /** Demo users are seeded only outside production mode. */
  seedDemoUsers: boolean;
  gateway: { secret: string; interpolUrl: string };
  logLevel: string;
  /**
   * The defaults of what a new request's workflow lives by; admins override the durations and
   * the participating countries in PostgreSQL (apps/api/src/admin).
   */
  workflow: WorkflowSettings;
  /** Cross-origin browsers allowed; empty = same-origin only (no CORS headers at all). */
  corsOrigins: string[];
  /** Requests per minute per user (per IP without a valid token); sign-ins per IP. */
  rateLimit: { perMinute: number; authPerMinute: number };
  /** Express' `trust proxy`: false (the socket's address is the client), hops, or proxies. */
  trustProxy: false | number | string[];
  /**
   * The periodic verification of the audit chain (a Temporal schedule the worker creates) and
   * its signed checkpoints: the worker's private key (worker only), the public keys they are
   * checked with (the API's AUDIT_PUBLIC_KEY_FILE; the worker adds its own key's).
   */
  audit: {
    verifyIntervalMs: number;
    checkpointEvery: number;
    checkpointIntervalMs: number;
    signingKey?: KeyObject;
    publicKeys?: KeyObject[];
  };
  /** Payload encryption: where the master keys come from (never off). */
  crypto: MasterKeySettings;
  /**
   * Retention review (README, "Personal data"): when a review falls due after creation, when a
   * due one escalates, how often the worker's schedule sweeps.
   */
  retention: { reviewAfterMs: number; graceMs: number; sweepIntervalMs: number };
  /** Origins of the Temporal Web UI allowed to call the codec server from the browser. */
  codecCorsOrigins: string[];
}

export class ConfigError extends Error {}

/** Parses and checks the environment; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, app: AppName = 'api'): AppConfig {
  const parsed = plainToInstance(Env, { ...env }, { excludeExtraneousValues: false });
  const errors = validateSync(parsed, { skipMissingProperties: false, forbidUnknownValues: false });
  if (errors.length > 0) {
    const lines = errors.map(
      (e) => `${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`,
    );
    throw new ConfigError(`invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const production = parsed.NODE_ENV === 'production';
  const config: AppConfig = {
    production,
    port: parsed.PORT ?? 3000,
    databaseUrl: parsed.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:55432/silvertrace',
    dbPoolSize: parsed.DB_POOL_SIZE ?? 10,
    databaseSsl: databaseSsl(parsed),
    temporal: {
      address: parsed.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
      namespace: parsed.TEMPORAL_NAMESPACE ?? 'default',
      taskQueue: parsed.TEMPORAL_TASK_QUEUE ?? 'silver-notice',
      tls: temporalTls(parsed),
      apiKey: parsed.TEMPORAL_API_KEY,
    },
    worker: {
      shutdownGraceMs: toMs(parsed.WORKER_SHUTDOWN_GRACE ?? '30s'),
      metricsAddress: parsed.WORKER_METRICS_ADDRESS,
      maxCachedWorkflows: parsed.WORKER_MAX_CACHED_WORKFLOWS ?? 500,
      maxConcurrentWorkflowTasks: parsed.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS ?? 40,
      maxConcurrentActivities: parsed.WORKER_MAX_CONCURRENT_ACTIVITIES ?? 50,
      maxConcurrentLocalActivities: parsed.WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES ?? 50,
    },
    metricsToken: parsed.METRICS_TOKEN,
    jwt: {
      secret: parsed.JWT_SECRET ?? DEV_DEFAULTS.JWT_SECRET,
      ttlSeconds: parsed.JWT_TTL_SECONDS ?? 900,
    },
    demoPassword: parsed.SILVERTRACE_DEMO_PASSWORD ?? DEV_DEFAULTS.SILVERTRACE_DEMO_PASSWORD,
    seedDemoUsers: !production,
    gateway: {
      secret: parsed.GATEWAY_SECRET ?? DEV_DEFAULTS.GATEWAY_SECRET,
      interpolUrl: parsed.INTERPOL_GATEWAY_URL ?? 'http://127.0.0.1:3100',
    },
    logLevel: parsed.LOG_LEVEL ?? 'info',
    workflow: {
      requiredApprovals: parsed.REVIEW_APPROVALS === 2 ? 2 : 1,
      quotaPerYear: parsed.QUOTA_PER_YEAR ?? 9,
      reviewReminderAfter: parsed.REVIEW_REMINDER_AFTER ?? 'P2D',
      reviewEscalationAfter: parsed.REVIEW_ESCALATION_AFTER ?? 'P5D',
      gsReminderAfter: parsed.GS_REMINDER_AFTER ?? 'P10D',
      countryDeadline: parsed.COUNTRY_DEADLINE ?? 'P60D',
      countryRemindersBefore: (parsed.COUNTRY_REMINDERS_BEFORE ?? 'P14D,P3D').split(','),
      validity: parsed.REQUEST_VALIDITY ?? 'P5Y',
      monitorReportEvery: parsed.MONITOR_REPORT_EVERY ?? 'P30D',
      // Admins manage them in PostgreSQL (participating_countries), read when a request starts.
      participatingCountries: [],
      continueAsNewAfterEvents: 10000,
    },
    corsOrigins: parsed.CORS_ORIGINS ? parsed.CORS_ORIGINS.split(',') : [],
    rateLimit: {
      perMinute: parsed.RATE_LIMIT_PER_MINUTE ?? 600,
      authPerMinute: parsed.RATE_LIMIT_AUTH_PER_MINUTE ?? 20,
    },
    trustProxy: trustProxyOf(parsed.TRUST_PROXY),
    audit: {
      verifyIntervalMs: durationMs(parsed.AUDIT_VERIFY_INTERVAL ?? 'PT15M'),
      checkpointEvery: parsed.AUDIT_CHECKPOINT_EVERY ?? 1000,
      checkpointIntervalMs: durationMs(parsed.AUDIT_CHECKPOINT_INTERVAL ?? 'PT15M'),
      ...auditKeys(parsed, app),
    },
    crypto: {
      keys: parsed.SILVERTRACE_MASTER_KEYS,
      file: parsed.SILVERTRACE_MASTER_KEY_FILE,
      devDir: parsed.SILVERTRACE_DATA_DIR ?? '.data',
      production,
    },
    codecCorsOrigins: parsed.CODEC_CORS_ORIGINS
      ? parsed.CODEC_CORS_ORIGINS.split(',')
      : ['http://127.0.0.1:8233', 'http://localhost:8233'],
    retention: {
      reviewAfterMs: durationMs(parsed.RETENTION_REVIEW_AFTER ?? DEFAULT_RETENTION_REVIEW_AFTER),
      graceMs: durationMs(parsed.RETENTION_REVIEW_GRACE ?? 'P30D'),
      sweepIntervalMs: durationMs(parsed.RETENTION_SWEEP_INTERVAL ?? 'PT1H'),
    },
  };
  checkMasterKeys(config.crypto);
  if (config.audit.verifyIntervalMs < 60_000) {
    throw new ConfigError(
      'invalid configuration:\n  AUDIT_VERIFY_INTERVAL: must be PT1M or longer',
    );
  }
  if (config.retention.sweepIntervalMs < 60_000) {
    throw new ConfigError(
      'invalid configuration:\n  RETENTION_SWEEP_INTERVAL: must be PT1M or longer',
    );
  }
  if (config.audit.checkpointIntervalMs < 60_000) {
    throw new ConfigError(
      'invalid configuration:\n  AUDIT_CHECKPOINT_INTERVAL: must be PT1M or longer',
    );
  }
  if (production) assertProductionSafe(config, env, app);
  return config;
}

/** Master keys given are well-formed (a development key is generated later when none is). */
function checkMasterKeys(settings: MasterKeySettings): void {
  try {
    if (settings.keys) parseMasterKeys(settings.keys, 'SILVERTRACE_MASTER_KEYS');
    else if (settings.file) readKeyFileSync(settings.file);
  } catch (err) {
    if (err instanceof MasterKeyError)
      throw new ConfigError(`invalid configuration:\n  ${err.message}`);
    throw err;
  }
}

/**
 * The checkpoint keys a service holds: the worker its private key (never the API), both the
 * public keys of AUDIT_PUBLIC_KEY_FILE; the worker also checks with its own key's public half.
 */
function auditKeys(env: Env, app: AppName): { signingKey?: KeyObject; publicKeys?: KeyObject[] } {
  try {
    const signingKey =
      app === 'worker' && env.AUDIT_SIGNING_KEY_FILE
        ? readSigningKey(env.AUDIT_SIGNING_KEY_FILE)
        : undefined;
    const given = env.AUDIT_PUBLIC_KEY_FILE ? readPublicKeys(env.AUDIT_PUBLIC_KEY_FILE) : [];
    const own = signingKey ? [createPublicKey(signingKey)] : [];
    const publicKeys = [...own, ...given];
    return {
      ...(signingKey ? { signingKey } : {}),
      ...(publicKeys.length > 0 ? { publicKeys } : {}),
    };
  } catch (err) {
    throw new ConfigError(`invalid configuration:\n  ${(err as Error).message}`, { cause: err });
  }
}

/** `500ms`, `30s`, `2m` (already validated) in milliseconds. */
function toMs(value: string): number {
  const [, n, unit] = /^(\d+)(ms|s|m)$/.exec(value) as RegExpExecArray;
  return Number(n) * { ms: 1, s: 1000, m: 60_000 }[unit as 'ms' | 's' | 'm'];
}

/** Reads a certificate or key named by a variable; a missing file names the variable. */
function readPem(variable: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new ConfigError(`invalid configuration:\n  ${variable}: cannot read ${path} (${reason})`);
  }
}

function temporalTls(env: Env): TemporalTls | undefined {
  const problems: string[] = [];
  const pathsGiven =
    env.TEMPORAL_TLS_CA_PATH ??
    env.TEMPORAL_TLS_CERT_PATH ??
    env.TEMPORAL_TLS_KEY_PATH ??
    env.TEMPORAL_TLS_SERVER_NAME;
  if (!env.TEMPORAL_TLS_CERT_PATH !== !env.TEMPORAL_TLS_KEY_PATH)
    problems.push('TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH go together (mTLS)');
  if (env.TEMPORAL_TLS === 'false' && (pathsGiven || env.TEMPORAL_API_KEY))
    problems.push('TEMPORAL_TLS: false contradicts the TLS settings or TEMPORAL_API_KEY given');
  if (problems.length > 0)
    throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
  // An API key is a bearer credential: it never travels in clear text.
  if (env.TEMPORAL_TLS !== 'true' && !pathsGiven && !env.TEMPORAL_API_KEY) return undefined;
  const tls: TemporalTls = {};
  if (env.TEMPORAL_TLS_SERVER_NAME) tls.serverNameOverride = env.TEMPORAL_TLS_SERVER_NAME;
  if (env.TEMPORAL_TLS_CA_PATH)
    tls.serverRootCACertificate = readPem('TEMPORAL_TLS_CA_PATH', env.TEMPORAL_TLS_CA_PATH);
  if (env.TEMPORAL_TLS_CERT_PATH && env.TEMPORAL_TLS_KEY_PATH) {
    tls.clientCertPair = {
      crt: readPem('TEMPORAL_TLS_CERT_PATH', env.TEMPORAL_TLS_CERT_PATH),
      key: readPem('TEMPORAL_TLS_KEY_PATH', env.TEMPORAL_TLS_KEY_PATH),
    };
  }
  return tls;
}

/** DATABASE_SSL and DATABASE_SSL_CA_PATH alone, for the migration step (which needs no more). */
export function databaseSslFrom(env: NodeJS.ProcessEnv): DatabaseSsl {
  const { DATABASE_SSL, DATABASE_SSL_CA_PATH } = env;
  if (DATABASE_SSL !== undefined && !['disable', 'require', 'verify-full'].includes(DATABASE_SSL))
    throw new ConfigError(
      'invalid configuration:\n  DATABASE_SSL: must be one of disable, require, verify-full',
    );
  return databaseSsl({ DATABASE_SSL, DATABASE_SSL_CA_PATH } as Env);
}

function databaseSsl(env: Env): DatabaseSsl {
  if (env.DATABASE_SSL_CA_PATH && env.DATABASE_SSL !== 'verify-full')
    throw new ConfigError(
      'invalid configuration:\n  DATABASE_SSL_CA_PATH: needs DATABASE_SSL=verify-full',
    );
  if (env.DATABASE_SSL === undefined || env.DATABASE_SSL === 'disable') return undefined;
  // `require` encrypts without checking who answers (libpq's meaning of the word).
  if (env.DATABASE_SSL === 'require') return { rejectUnauthorized: false };
  const ssl: DatabaseSsl = { rejectUnauthorized: true };
  if (env.DATABASE_SSL_CA_PATH) ssl.ca = readPem('DATABASE_SSL_CA_PATH', env.DATABASE_SSL_CA_PATH);
  return ssl;
}

function assertProductionSafe(config: AppConfig, env: NodeJS.ProcessEnv, app: AppName): void {
  const problems: string[] = [];
  // The API signs tokens; the worker never does, so it is not asked for JWT_SECRET.
  if (app === 'api' && config.jwt.secret === DEV_DEFAULTS.JWT_SECRET)
    problems.push('JWT_SECRET must be set');
  // Both use it: the API checks INTERPOL's signatures, the worker signs what it sends.
  if (config.gateway.secret === DEV_DEFAULTS.GATEWAY_SECRET)
    problems.push('GATEWAY_SECRET must be set');
  if (app === 'worker' && env.INTERPOL_GATEWAY_URL === undefined)
    problems.push('INTERPOL_GATEWAY_URL must be set (the default is the local simulator)');
  // Payloads are always encrypted; production never falls back to a generated key.
  if (!config.crypto.keys && !config.crypto.file)
    problems.push('SILVERTRACE_MASTER_KEYS or SILVERTRACE_MASTER_KEY_FILE must be set');
  // The checkpoints are what proves the audit log was not rewritten (docs/auditing.md, "Audit log").
  if (app === 'worker' && !config.audit.signingKey)
    problems.push('AUDIT_SIGNING_KEY_FILE must be set (the key that signs audit checkpoints)');
  if (app === 'api' && !config.audit.publicKeys)
    problems.push('AUDIT_PUBLIC_KEY_FILE must be set (the key audit checkpoints are checked with)');
  if (env.SILVERTRACE_DEMO_PASSWORD !== undefined)
    problems.push('SILVERTRACE_DEMO_PASSWORD must not be set (no demo users in production)');
  if (problems.length > 0)
    throw new ConfigError(`refusing to start in production mode: ${problems.join('; ')}`);
}
