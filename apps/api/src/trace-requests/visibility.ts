import type { TraceRequestEntity } from '../../../../libs/persistence/src/entities';
import { readsByCase } from '../../../../libs/domain/src/case-access';
import {
  HOME_ROLES,
  isSentToCountries,
  SENT_TO_COUNTRIES_STATUSES,
} from '../../../../libs/domain/src/rules';
import type { AuthUser } from '../auth/actor';

/**
 * Need-to-know: home-country staff see their own country's requests; a foreign liaison sees a
 * request only once it was sent to its country. Anything else is answered as if it did not exist.
 */
export function canSee(
  user: AuthUser,
  row: Pick<TraceRequestEntity, 'requestingCountry' | 'content' | 'status'>,
): boolean {
  if (HOME_ROLES.some((r) => user.roles.includes(r)) && user.country === row.requestingCountry) {
    return true;
  }
  if (user.roles.includes('foreign_liaison')) {
    const sent = isSentToCountries(row.status);
    const content = row.content as { targetCountries?: string[]; allMembers?: boolean };
    return (
      sent &&
      (content.allMembers === true || (content.targetCountries ?? []).includes(user.country))
    );
  }
  return false;
}

/**
 * canSee as a SQL condition over a trace_requests alias, for lists. Pushes its values onto
 * `params` and refers to them by position; FALSE for a caller without a reading role.
 * `liaisonOnly`, given the parameter holding the caller's country, narrows what a foreign liaison
 * sees further (e.g. its own country's assets only).
 */
export function visibilitySql(
  user: AuthUser,
  alias: string,
  params: unknown[],
  liaisonOnly?: (countryParam: string) => string,
): string {
  const parts: string[] = [];
  if (HOME_ROLES.some((r) => user.roles.includes(r))) {
    params.push(user.country);
    const home = `${alias}.requesting_country = $${params.length}`;
    parts.push(readsByCase(user) ? `(${home} AND ${caseSql(user, alias, params)})` : home);
  }
  if (user.roles.includes('foreign_liaison')) {
    params.push([...SENT_TO_COUNTRIES_STATUSES], user.country);
    const statuses = `$${params.length - 1}::text[]`;
    const country = `$${params.length}::text`;
    parts.push(
      `(${alias}.status = ANY(${statuses}) AND ` +
        `((${alias}.content -> 'targetCountries') ? ${country} ` +
        `OR (${alias}.content ->> 'allMembers') = 'true')` +
        (liaisonOnly ? ` AND ${liaisonOnly(country)}` : '') +
        ')',
    );
  }
  return parts.length ? `(${parts.join(' OR ')})` : 'FALSE';
}

/**
 * An investigator's own cases (libs/domain/src/case-access.ts) as a SQL condition: drafted or
 * edited, assigned, or opened by break-glass before.
 */
export function caseSql(user: AuthUser, alias: string, params: unknown[]): string {
  params.push(user.userId);
  const me = `$${params.length}`;
  return `(${involvedSql(alias, me)} OR ${brokeGlassSql(alias, me)})`;
}

/** The user (`me`, a parameter) drafted or edited the request, or is assigned to it. */
export function involvedSql(alias: string, me: string): string {
  return (
    `(${me}::text = ANY(${alias}.involved_ids) OR EXISTS (SELECT 1 FROM request_assignments ra ` +
    `WHERE ra.request_id = ${alias}.id AND ra.user_id = ${me}::uuid))`
  );
}

/** The user (`me`, a parameter) opened the request by break-glass. */
export function brokeGlassSql(alias: string, me: string): string {
  return (
    `EXISTS (SELECT 1 FROM break_glass_openings bg ` +
    `WHERE bg.request_id = ${alias}.id AND bg.user_id = ${me}::uuid)`
  );
}
