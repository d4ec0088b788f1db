// ISO 8601 durations (the configuration's format) to milliseconds. PURE: used inside workflows.
// Years and months are taken as 365 and 30 days: deadlines here are administrative periods, and a
// fixed length keeps timers identical on replay whatever the calendar.

const PATTERN =
  /^P(?!$)(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?=\d)(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

const UNIT_MS = [365 * 86400e3, 30 * 86400e3, 7 * 86400e3, 86400e3, 3600e3, 60e3, 1e3];

/** True when `value` is an ISO 8601 duration this module understands (e.g. P60D, PT12H, P1Y6M). */
export function isIsoDuration(value: unknown): value is string {
  return typeof value === 'string' && PATTERN.test(value);
}

/** Milliseconds of an ISO 8601 duration; throws on anything else. */
export function durationMs(value: string): number {
  const m = PATTERN.exec(value);
  if (!m) throw new Error(`not an ISO 8601 duration: ${value}`);
  return m.slice(1).reduce((sum, part, i) => sum + (part ? Number(part) * UNIT_MS[i] : 0), 0);
}

/**
 * ISO 8601 UTC ("2026-06-01T10:00:00.000Z") of epoch milliseconds, by calendar arithmetic
 * (H. Hinnant's civil-from-days): the domain has no clock and builds no Date.
 */
export function isoFromMs(ms: number): string {
  const days = Math.floor(ms / 86400e3);
  const inDay = ms - days * 86400e3;
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const h = Math.floor(inDay / 3600e3);
  const m = Math.floor((inDay % 3600e3) / 60e3);
  const s = Math.floor((inDay % 60e3) / 1e3);
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(h)}:${pad(m)}:${pad(s)}.${pad(inDay % 1e3, 3)}Z`;
}
