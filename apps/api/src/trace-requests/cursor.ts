import { badRequest } from '../common/problem';

/**
 * Opaque keyset cursors: base64url of the last item's sort key `[at, id]`, where `at` is the
 * row's timestamp with microseconds (as PostgreSQL holds it) so no row is skipped or repeated.
 */
export interface CursorKey {
  at: string;
  id: string;
}

/** SQL selecting a timestamptz column as an exact UTC text key (microseconds kept). */
export const cursorAtSql = (column: string): string =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify([key.at, key.id]), 'utf8').toString('base64url');
}

const AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A real instant (no 2026-02-30): what PostgreSQL would also accept, so never a 500. */
function isInstant(at: string): boolean {
  const ms = at.slice(0, 23);
  const parsed = new Date(`${ms}Z`);
  return (
    !isNaN(parsed.getTime()) && parsed.getTime() >= 0 && parsed.toISOString().slice(0, 23) === ms
  );
}

/** Decodes a cursor; anything that is not one of ours is a 400 naming `cursor`. */
export function decodeCursor(
  cursor: string | undefined,
  idPattern: RegExp = UUID,
): CursorKey | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === 'string' &&
      AT.test(parsed[0]) &&
      isInstant(parsed[0]) &&
      typeof parsed[1] === 'string' &&
      idPattern.test(parsed[1])
    ) {
      return { at: parsed[0], id: parsed[1] };
    }
  } catch {
    // fall through
  }
  throw badRequest('invalid cursor', [
    { field: 'cursor', message: 'cursor must be a nextCursor value from a previous page' },
  ]);
}

/** Escapes LIKE wildcards so a search for "50%" matches the text "50%". */
export function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
