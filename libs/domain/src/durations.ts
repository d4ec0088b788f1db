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
