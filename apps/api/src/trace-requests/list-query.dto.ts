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

  /** Case-insensitive match over reference, case reference and subject name. */
  @compose(
    single('q'),
    Text(200, { optional: true }),
    // PostgreSQL text cannot hold U+0000: refuse it here rather than fail in the query.
    Check('noNul', (v) => typeof v !== 'string' || !v.includes('\u0000'), 'q must not contain NUL'),
  )
  q?: string;

  @Limit()
  limit?: number;

  @CursorParam()
  cursor?: string;
}
