import type { TraceRequestEntity } from '../../../../libs/persistence/src/entities';
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
    parts.push(`${alias}.requesting_country = $${params.length}`);
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
