/**
 * A request's retention review date in SQL: its explicit date (a kept request's next review, or
 * an earlier one an admin set), else its creation plus RETENTION_REVIEW_AFTER (`ms`: the
 * parameter holding that duration in milliseconds). Shared by the NCB's work queue and the
 * worker's retention sweep, so both agree on what is due.
 */
export const reviewDueSql = (t: string, ms: string): string =>
  `coalesce(${t}.retention_review_on, ${t}.created_at + ${ms}::bigint * interval '1 millisecond')`;
