import type { TraceRequestEntity } from '../../../../libs/persistence/src/entities';
import type { AuthUser } from '../auth/actor';

const HOME_ROLES = ['investigator', 'supervisor', 'ncb_officer', 'auditor'] as const;

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
    const sent = ['PUBLISHED', 'COMPLETED', 'CLOSED'].includes(row.status);
    const content = row.content as { targetCountries?: string[]; allMembers?: boolean };
    return (
      sent &&
      (content.allMembers === true || (content.targetCountries ?? []).includes(user.country))
    );
  }
  return false;
}
