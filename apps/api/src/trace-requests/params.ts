import { HttpException, ParseUUIDPipe } from '@nestjs/common';
import { badRequest, notFound } from '../common/problem';

/** A malformed id cannot name a request: answer as for any unknown one. */
export const requestId = () =>
  new ParseUUIDPipe({ exceptionFactory: () => notFound('trace request') });

/** Idempotency-Key values: 1 to 200 visible ASCII characters. */
export function checkIdempotencyKey(key: string | undefined): string | undefined {
  if (key !== undefined && !/^[\x21-\x7e]{1,200}$/.test(key)) {
    throw badRequest('invalid Idempotency-Key', [
      { field: 'Idempotency-Key', message: 'must be 1 to 200 visible ASCII characters' },
    ]);
  }
  return key;
}

/**
 * The version in an If-Match header: `3`, `"3"` or `W/"3"` (the ETag we send is `"3"`).
 * Required on PATCH (428 naming the header when missing), optional elsewhere.
 */
export function ifMatchVersion(header: string | undefined, required: true): number;
export function ifMatchVersion(header: string | undefined, required: false): number | undefined;
export function ifMatchVersion(header: string | undefined, required: boolean): number | undefined {
  if (header === undefined || header.trim() === '') {
    if (!required) return undefined;
    throw new HttpException(
      {
        type: 'urn:silvertrace:problem:precondition-required',
        title: 'Precondition Required',
        status: 428,
        detail: 'If-Match is required: send the version you edited (the ETag of the request)',
        errors: [{ field: 'If-Match', message: 'If-Match is required' }],
      },
      428,
    );
  }
  const m = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  if (!m || Number(m[1]) < 1) {
    throw badRequest('invalid If-Match', [
      { field: 'If-Match', message: 'If-Match must be a version number, e.g. "3"' },
    ]);
  }
  return Number(m[1]);
}
