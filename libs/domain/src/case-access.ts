// Case access in the home country: who may open one of their country's requests. Pure (enums
// only), like the views; the API decides each read and list with it.
import type { Role } from './enums';

/** Home roles that read every request of their country. */
export const COUNTRY_READER_ROLES: readonly Role[] = Object.freeze([
  'supervisor',
  'ncb_officer',
  'auditor',
]);

/** Investigators read the requests they drafted or edited, or are assigned to. */
export const ASSIGNABLE_ROLE: Role = 'investigator';

/** Who assigns investigators: the request's drafter, or a supervisor of its country. */
export const ASSIGNER_ROLES: readonly Role[] = Object.freeze(['investigator', 'supervisor']);

/**
 * How a home user reaches a request of its country:
 * - `country`: a supervisor, NCB officer or auditor reads every request of its country;
 * - `case`: an investigator who drafted or edited it, or is assigned to it;
 * - `break-glass`: another investigator who gave a reason (read only, audited, shown to the
 *   case's supervisors);
 * - `needs-break-glass`: another investigator, who may give one;
 * - `none`: not a home reader of this request.
 */
export type CaseAccess = 'country' | 'case' | 'break-glass' | 'needs-break-glass' | 'none';

export interface CaseFacts {
  requestingCountry: string;
  /** The user drafted or edited it, or is assigned to it. */
  involved: boolean;
  /** The user opened it by break-glass before. */
  brokeGlass: boolean;
}

export function caseAccess(
  user: { roles: readonly Role[]; country: string },
  facts: CaseFacts,
): CaseAccess {
  if (user.country !== facts.requestingCountry) return 'none';
  if (COUNTRY_READER_ROLES.some((r) => user.roles.includes(r))) return 'country';
  if (!user.roles.includes(ASSIGNABLE_ROLE)) return 'none';
  if (facts.involved) return 'case';
  return facts.brokeGlass ? 'break-glass' : 'needs-break-glass';
}

/** Whether the user needs more than its country to read its country's requests. */
export function readsByCase(user: { roles: readonly Role[] }): boolean {
  return (
    !COUNTRY_READER_ROLES.some((r) => user.roles.includes(r)) &&
    user.roles.includes(ASSIGNABLE_ROLE)
  );
}
