// Query strings of the list routes (this one and the shared pieces of the others), validated by the global DomainValidationPipe like bodies:
// unknown parameters are refused and every bad one is named.
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import {
  Check,
  Country,
  OneOf,
  OneOfList,
  Text,
  compose,
} from '../../../../libs/domain/src/dto/constraints';
import { REQUEST_KINDS, REQUEST_STATUSES, URGENCIES } from '../../../../libs/domain/src/enums';
import type { RequestKind, RequestStatus, Urgency } from '../../../../libs/domain/src/enums';

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;

/** "20" -> 20; anything else is left for IsInt to name. */
const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d{1,9}$/.test(value) ? Number(value) : value;

/** "A,B" or a repeated parameter -> ["A", "B"]. */
export const toList = ({ value }: { value: unknown }) => {
  if (value === undefined || value === null) return value;
  const items = Array.isArray(value) ? value : [value];
  return items.flatMap((v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()) : [v]));
};

/** A query parameter given twice where one is expected. */
export const single = (name: string) =>
  Check('single', (v) => !Array.isArray(v), `${name} must be given once`);

export function Limit(): PropertyDecorator {
  return compose(
    Transform(toInt),
    IsOptional(),
    IsInt({ message: 'limit must be an integer' }),
    Min(1, { message: 'limit must be at least 1' }),
    Max(MAX_LIMIT, { message: `limit must be at most ${MAX_LIMIT}` }),
  );
}

export function CursorParam(): PropertyDecorator {
  return compose(single('cursor'), Text(500, { optional: true }));
}

/** GET /api/v1/trace-requests */
export class ListTraceRequestsQuery {
  /** One status or several, comma separated (status=PUBLISHED,COMPLETED). */
  @compose(
    Transform(toList),
    OneOfList(REQUEST_STATUSES, { optional: true, min: 1, max: REQUEST_STATUSES.length }),
  )
  status?: RequestStatus[];

  /** A target country of the request. */
  @compose(single('country'), Country({ optional: true }))
  country?: string;

  @compose(single('kind'), OneOf(REQUEST_KINDS, { optional: true }))
  kind?: RequestKind;

  @compose(single('urgency'), OneOf(URGENCIES, { optional: true }))
  urgency?: Urgency;

  /**
   * Case-insensitive substring match over reference, case reference, subject name and aliases,
   * and asset identifiers (IBAN, VIN, IMO, wallet, registry number; spaces and dashes ignored).
   */
  @compose(
    single('q'),
    Text(200, { optional: true }),
    // PostgreSQL text cannot hold U+0000: refuse it here rather than fail in the query.
    Check('noNul', (v) => typeof v !== 'string' || !v.includes('\u0000'), 'q must not contain NUL'),
  )
  q?: string;

  /** Created on or after: a date (from its start, UTC) or an ISO 8601 date-time. */
  @compose(single('createdFrom'), IsoInstant('createdFrom'))
  createdFrom?: string;

  /** Created on or before: a date (to its end, UTC) or an ISO 8601 date-time. */
  @compose(single('createdTo'), IsoInstant('createdTo'))
  createdTo?: string;

  @Limit()
  limit?: number;

  @CursorParam()
  cursor?: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * The instant a createdFrom/createdTo value stands for; undefined when it is not one. A bare date
 * means its first instant for `from` and the first instant of the next day (exclusive) for `to`.
 */
export function instantOf(value: string, edge: 'from' | 'to'): Date | undefined {
  if (DATE.test(value)) {
    const d = new Date(`${value}T00:00:00.000Z`);
    if (isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) return undefined;
    return edge === 'to' ? new Date(d.getTime() + 86_400_000) : d;
  }
  if (!DATE_TIME.test(value)) return undefined;
  const d = new Date(value);
  if (isNaN(d.getTime()) || d.getUTCFullYear() < 1 || d.getUTCFullYear() > 9999) return undefined;
  // Date accepts 2026-02-30T00:00Z by rolling over; the calendar date must survive the parse.
  const local = new Date(`${value.slice(0, 10)}T00:00:00.000Z`);
  if (local.toISOString().slice(0, 10) !== value.slice(0, 10)) return undefined;
  return d;
}

function IsoInstant(name: string): PropertyDecorator {
  return compose(
    Text(40, { optional: true }),
    Check(
      'isoInstant',
      (v) => typeof v !== 'string' || instantOf(v, 'from') !== undefined,
      `${name} must be an ISO 8601 date (2026-01-31) or date-time (2026-01-31T12:00:00Z)`,
    ),
  );
}
