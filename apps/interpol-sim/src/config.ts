import { plainToInstance, Transform } from 'class-transformer';
import {
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  validateSync,
} from 'class-validator';
import {
  DEFAULT_DECISION_DELAY_MS,
  DEFAULT_RESPONSE_DELAY_MS,
  DEFAULT_SIM_HOST,
  DEFAULT_SIM_PORT,
} from './sim';
import { DEFAULT_MEMBER_COUNTRIES, type SimOptions } from './sim.types';

export const DEV_GATEWAY_SECRET = 'dev-gateway-secret';
export const DEFAULT_SILVERTRACE_API_URL = 'http://127.0.0.1:3000';

const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;

/** The environment the simulator reads, checked at boot so a typo fails loudly. */
class SimEnvironment {
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(65535) SIM_PORT?: number;
  @IsOptional() @IsString() SIM_HOST?: string;
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  SILVERTRACE_API_URL?: string;
  @IsOptional() @IsString() GATEWAY_SECRET?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) SIM_DECISION_DELAY_MS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) SIM_RESPONSE_DELAY_MS?: number;
  @IsOptional()
  @Matches(/^[A-Za-z]{2}(,[A-Za-z]{2})*$/, { message: 'SIM_MEMBER_COUNTRIES: e.g. "FR,BR,DE"' })
  SIM_MEMBER_COUNTRIES?: string;
  @IsOptional() @IsString() NODE_ENV?: string;
}

export function loadSimConfig(env: NodeJS.ProcessEnv = process.env): SimOptions {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = plainToInstance(SimEnvironment, present, { excludeExtraneousValues: false });
  const errors = validateSync(parsed, { skipMissingProperties: false });
  const problems = errors.flatMap((e) => Object.values(e.constraints ?? {}));

  const production = parsed.NODE_ENV === 'production';
  if (production && (!parsed.GATEWAY_SECRET || parsed.GATEWAY_SECRET === DEV_GATEWAY_SECRET)) {
    problems.push('GATEWAY_SECRET must be set to a real secret in production mode');
  }
  if (problems.length)
    throw new Error(`interpol-sim configuration invalid:\n- ${problems.join('\n- ')}`);

  return {
    port: parsed.SIM_PORT ?? DEFAULT_SIM_PORT,
    host: parsed.SIM_HOST ?? DEFAULT_SIM_HOST,
    apiUrl: parsed.SILVERTRACE_API_URL ?? DEFAULT_SILVERTRACE_API_URL,
    secret: parsed.GATEWAY_SECRET ?? DEV_GATEWAY_SECRET,
    decisionDelayMs: parsed.SIM_DECISION_DELAY_MS ?? DEFAULT_DECISION_DELAY_MS,
    responseDelayMs: parsed.SIM_RESPONSE_DELAY_MS ?? DEFAULT_RESPONSE_DELAY_MS,
    memberCountries:
      parsed.SIM_MEMBER_COUNTRIES?.split(',').map((c) => c.toUpperCase()) ??
      DEFAULT_MEMBER_COUNTRIES,
  };
}
