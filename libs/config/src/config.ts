import { plainToInstance, Transform } from 'class-transformer';
import type { WorkflowSettings } from '../../../workflows/messages';
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

  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(200) DB_POOL_SIZE?: number;

  @IsOptional() @IsString() TEMPORAL_ADDRESS?: string;
  @IsOptional() @IsString() TEMPORAL_NAMESPACE?: string;
  @IsOptional() @IsString() TEMPORAL_TASK_QUEUE?: string;

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
  @IsOptional() @Matches(/^[A-Z]{2}(,[A-Z]{2})*$/) PARTICIPATING_COUNTRIES?: string;

  /** Browser origins allowed cross-origin, comma-separated (`https://a.example,https://b`). */
  @IsOptional() @Matches(/^https?:\/\/[^\s,/]+(,https?:\/\/[^\s,/]+)*$/) CORS_ORIGINS?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(1000000) RATE_LIMIT_PER_MINUTE?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(100000) RATE_LIMIT_AUTH_PER_MINUTE?: number;

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

/** The 52 pilot participants are not public; this default is a plausible set for local runs. */
const DEFAULT_PARTICIPANTS = 'BR,DE,ES,FR,GB,IT,NL,PT,US,ZA';

export interface AppConfig {
  production: boolean;
  port: number;
  databaseUrl: string;
  dbPoolSize: number;
  temporal: { address: string; namespace: string; taskQueue: string };
  jwt: { secret: string; ttlSeconds: number };
  demoPassword: string;
  /** Demo users are seeded only outside production mode. */
  seedDemoUsers: boolean;
  gateway: { secret: string; interpolUrl: string };
  logLevel: string;
  /** What a new request's workflow lives by. */
  workflow: WorkflowSettings;
  /** Cross-origin browsers allowed; empty = same-origin only (no CORS headers at all). */
  corsOrigins: string[];
  /** Requests per minute per user (per IP without a valid token); sign-ins per IP. */
  rateLimit: { perMinute: number; authPerMinute: number };
  worker: WorkerTuning;
}

export class ConfigError extends Error {}

/** Parses and checks the environment; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
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
    temporal: {
      address: parsed.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
      namespace: parsed.TEMPORAL_NAMESPACE ?? 'default',
      taskQueue: parsed.TEMPORAL_TASK_QUEUE ?? 'silver-notice',
    },
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
      participatingCountries: (parsed.PARTICIPATING_COUNTRIES ?? DEFAULT_PARTICIPANTS).split(','),
      continueAsNewAfterEvents: 10000,
    },
    corsOrigins: parsed.CORS_ORIGINS ? parsed.CORS_ORIGINS.split(',') : [],
    rateLimit: {
      perMinute: parsed.RATE_LIMIT_PER_MINUTE ?? 600,
      authPerMinute: parsed.RATE_LIMIT_AUTH_PER_MINUTE ?? 20,
    },
    worker: {
      maxCachedWorkflows: parsed.WORKER_MAX_CACHED_WORKFLOWS ?? 500,
      maxConcurrentWorkflowTasks: parsed.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS ?? 40,
      maxConcurrentActivities: parsed.WORKER_MAX_CONCURRENT_ACTIVITIES ?? 50,
      maxConcurrentLocalActivities: parsed.WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES ?? 50,
    },
  };
  if (production) assertProductionSafe(config, env);
  return config;
}

function assertProductionSafe(config: AppConfig, env: NodeJS.ProcessEnv): void {
  const problems: string[] = [];
  if (config.jwt.secret === DEV_DEFAULTS.JWT_SECRET) problems.push('JWT_SECRET must be set');
  if (config.gateway.secret === DEV_DEFAULTS.GATEWAY_SECRET)
    problems.push('GATEWAY_SECRET must be set');
  if (env.SILVERTRACE_DEMO_PASSWORD !== undefined)
    problems.push('SILVERTRACE_DEMO_PASSWORD must not be set (no demo users in production)');
  if (problems.length > 0)
    throw new ConfigError(`refusing to start in production mode: ${problems.join('; ')}`);
}
