// Bodies and query strings of the admin routes, validated by the global DomainValidationPipe:
// unknown fields are refused and every bad field is named.
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsDefined,
  IsInt,
  IsOptional,
  Max,
  Min,
} from 'class-validator';
import { Password } from '../../../../libs/domain/src/dto/auth.dto';
import {
  Bool,
  Check,
  compose,
  Country,
  EachItem,
  Pattern,
} from '../../../../libs/domain/src/dto/constraints';
import { durationMs, isIsoDuration } from '../../../../libs/domain/src/durations';
import { ROLES, type Role } from '../../../../libs/domain/src/enums';
import { LIMITS } from '../../../../libs/domain/src/limits';

/** Twenty years: longer than any deadline or validity the pilot could mean. */
const MAX_DURATION_MS = 20 * 365 * 86400e3;

/** A positive ISO 8601 duration the workflows can time (P60D, PT12H, P1Y6M). */
export const isDeadline = (v: unknown): v is string =>
  isIsoDuration(v) && durationMs(v) > 0 && durationMs(v) <= MAX_DURATION_MS;

const DURATION_MESSAGE =
  '$property must be a positive ISO 8601 duration of at most 20 years, e.g. P60D';

/** Optional; null puts the setting back to its default (the environment's). */
const Duration = () => compose(IsOptional(), Check('isDeadline', isDeadline, DURATION_MESSAGE));

const Roles = (optional: boolean) =>
  compose(
    optional ? IsOptional() : IsDefined({ message: 'roles is required' }),
    IsArray({ message: 'roles must be a list' }),
    ArrayMinSize(1, { message: 'roles must name at least one role' }),
    ArrayMaxSize(ROLES.length, { message: `roles must have at most ${ROLES.length} items` }),
    ArrayUnique({ message: 'roles must not repeat a role' }),
    EachItem(
      'isRole',
      (r) => (ROLES as readonly unknown[]).includes(r),
      `must be one of: ${ROLES.join(', ')}`,
    ),
  );

export class CreateUserDto {
  @Pattern(
    LIMITS.username,
    /^[A-Za-z0-9][A-Za-z0-9._@-]{2,99}$/,
    'username must be 3 to 100 letters, digits, dots, dashes, underscores or @',
  )
  username!: string;

  // Checked against the password policy by the service (length, not the username).
  @Password()
  password!: string;

  @Roles(false) roles!: Role[];

  @Country() country!: string;
}

/** Any of roles, country, active; changing one revokes the user's tokens. */
export class UpdateUserDto {
  @Roles(true) roles?: Role[];
  @Country({ optional: true }) country?: string;
  @Bool({ optional: true }) active?: boolean;
}

export class SetQuotaDto {
  /** Submissions this country may make that year; null puts it back to QUOTA_PER_YEAR. */
  // No IsOptional: it would let a missing limit through; null is asked for explicitly.
  @Check(
    'isQuotaLimit',
    (v) => v === null || (Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 10000),
    'limit must be an integer from 0 to 10000, or null for the default',
  )
  limit!: number | null;
}

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value;

export class QuotaQuery {
  @compose(
    Transform(toInt),
    IsOptional(),
    IsInt({ message: 'year must be a year such as 2026' }),
    Min(2000, { message: 'year must be 2000 or later' }),
    Max(2100, { message: 'year must be 2100 or earlier' }),
  )
  year?: number;
}

/** The lifecycle durations an admin may change; null resets one to the default. */
export class UpdateDeadlinesDto {
  @Duration() reviewReminderAfter?: string | null;
  @Duration() reviewEscalationAfter?: string | null;
  @Duration() gsReminderAfter?: string | null;
  @Duration() countryDeadline?: string | null;
  @compose(
    IsOptional(),
    IsArray({ message: 'countryRemindersBefore must be a list of ISO 8601 durations' }),
    ArrayMaxSize(10, { message: 'countryRemindersBefore must have at most 10 items' }),
    ArrayUnique({ message: 'countryRemindersBefore must not repeat a duration' }),
    EachItem('isDeadline', isDeadline, 'must be a positive ISO 8601 duration, e.g. P14D'),
  )
  countryRemindersBefore?: string[] | null;
  @Duration() validity?: string | null;
  @Duration() monitorReportEvery?: string | null;
}

export class CountryDeadlineDto {
  @compose(
    IsDefined({ message: 'countryDeadline is required' }),
    Check('isDeadline', isDeadline, DURATION_MESSAGE),
  )
  countryDeadline!: string;
}
