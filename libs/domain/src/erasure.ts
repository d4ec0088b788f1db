// Erasure (crypto-shredding) and retention review: the grounds, the status word an erased
// request reads as, who may order it and the retention limits. Declared once here; the API, the
// gateway, the worker's retention sweep, the CLI and the web app import it. PURE, no imports but
// the domain's own.
import { ADMIN_ROLES } from './admin-scope';
import { Role } from './enums';

/**
 * What an erased request reads as everywhere (detail, list, case file, exports). Not a lifecycle
 * status: no workflow ever reaches it (its workflows are terminated and its content shredded);
 * the read model is rewritten to it by the erasure.
 */
export const ERASED = 'ERASED';
export type ErasedStatus = typeof ERASED;

/** The legal grounds of an erasure (INTERPOL's Rules on the Processing of Data). */
export const ErasureGround = {
  /** Ordered by the Commission for the Control of INTERPOL's Files: a reference and a deadline. */
  CCF_DECISION: 'ccf_decision',
  /** The retention review found nothing that justifies keeping it. */
  RETENTION_EXPIRED: 'retention_expired',
  /** The requesting country withdrew the data. */
  REQUESTER_WITHDREW_DATA: 'requester_withdrew_data',
} as const;
export type ErasureGround = (typeof ErasureGround)[keyof typeof ErasureGround];
export const ERASURE_GROUNDS: readonly ErasureGround[] = Object.freeze(
  Object.values(ErasureGround),
);

/** Grounds that need the order's reference and deadline. */
export const ORDERED_GROUNDS: readonly ErasureGround[] = Object.freeze([
  ErasureGround.CCF_DECISION,
]);
export const isOrderedGround = (g: unknown): boolean =>
  ORDERED_GROUNDS.includes(g as ErasureGround);

/** Who erases through the API: an admin of the requesting country, or an INTERPOL admin. */
export const ERASURE_ROLES: readonly Role[] = ADMIN_ROLES;

/** Who keeps or erases a request whose retention review is due: the requesting country's NCB. */
export const RETENTION_REVIEW_ROLES: readonly Role[] = Object.freeze([Role.NCB_OFFICER]);

/** Who is told when a review is overdue or an ordered erasure is late. */
export const RETENTION_ESCALATION_ROLES: readonly Role[] = ADMIN_ROLES;

/** The decisions of a retention review. */
export const RetentionDecision = { KEEP: 'keep', ERASE: 'erase' } as const;
export type RetentionDecision = (typeof RetentionDecision)[keyof typeof RetentionDecision];
export const RETENTION_DECISIONS: readonly RetentionDecision[] = Object.freeze(
  Object.values(RetentionDecision),
);

/** A kept request is reviewed again at the latest this many years later (RPD: 5 years). */
export const RETENTION_MAX_YEARS = 5;

/** The default RETENTION_REVIEW_AFTER: a review 5 years after creation. */
export const DEFAULT_RETENTION_REVIEW_AFTER = 'P5Y';

/** The instant `years` calendar years after `from` (UTC). */
export function addYears(from: Date, years: number): Date {
  const d = new Date(from.getTime());
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d;
}
