// Query strings of the audit routes, validated by the global DomainValidationPipe: unknown
// parameters are refused and every bad one is named.
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { Check, compose, OneOf, Text } from '../../../../libs/domain/src/dto/constraints';
import { instantOf, single } from '../trace-requests/list-query.dto';

export const AUDIT_DEFAULT_LIMIT = 50;
export const AUDIT_MAX_LIMIT = 500;

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d{1,9}$/.test(value) ? Number(value) : value;

/** An ISO 8601 date (a whole UTC day) or date-time, named in the error. */
function Instant(name: string): PropertyDecorator {
  return compose(
    single(name),
    Text(40, { optional: true }),
    Check(
      'isoInstant',
      (v) => typeof v !== 'string' || instantOf(v, 'from') !== undefined,
      `${name} must be an ISO 8601 date (2026-01-31) or date-time (2026-01-31T12:00:00Z)`,
    ),
  );
}

/** `from` inclusive; `to` inclusive (a bare date: through its end). */
export class AuditRangeQuery {
  @Instant('from')
  from?: string;

  @Instant('to')
  to?: string;
}

/** GET /api/v1/audit/entries */
export class AuditEntriesQuery extends AuditRangeQuery {
  /** The trace request the entries concern. */
  @compose(
    single('requestId'),
    IsOptional(),
    IsUUID('all', { message: 'requestId must be a UUID' }),
  )
  requestId?: string;

  /** A username or system id (exact). */
  @compose(single('actor'), Text(200, { optional: true }))
  actor?: string;

  /** An action key (exact), e.g. trace-requests.get or trace-request.Approved. */
  @compose(single('action'), Text(100, { optional: true }))
  action?: string;

  @compose(
    Transform(toInt),
    IsOptional(),
    IsInt({ message: 'limit must be an integer' }),
    Min(1, { message: 'limit must be at least 1' }),
    Max(AUDIT_MAX_LIMIT, { message: `limit must be at most ${AUDIT_MAX_LIMIT}` }),
  )
  limit?: number;

  /** nextCursor of the previous page. */
  @compose(
    single('cursor'),
    Text(20, { optional: true }),
    Check('cursor', (v) => typeof v !== 'string' || /^\d{1,18}$/.test(v), 'cursor is not valid'),
  )
  cursor?: string;
}

export const EXPORT_FORMATS = ['csv', 'json'] as const;

/** GET /api/v1/audit/export */
export class AuditExportQuery extends AuditRangeQuery {
  @compose(single('format'), OneOf(EXPORT_FORMATS, { optional: true }))
  format?: (typeof EXPORT_FORMATS)[number];
}
