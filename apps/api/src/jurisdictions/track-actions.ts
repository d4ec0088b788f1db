import { TRACK_ACTIONS } from '../../../../libs/domain/src/enums';
import type { RequestStatus, Role, TrackAction } from '../../../../libs/domain/src/enums';
import { allowedTrackActions, type TrackFacts } from '../../../../libs/domain/src/jurisdiction';
import type { Actor } from '../../../../libs/domain/src/types';
import type { AuthUser } from '../auth/actor';

/** The caller as the domain judges it in one of its roles (an action takes one role). */
function asRole(user: AuthUser, role: Role): Actor {
  return { userId: user.userId, username: user.username, role, country: user.country };
}

/**
 * The track actions the caller may take now on one country's track: the domain's
 * allowedTrackActions for every role the caller holds, in api.md order. Sent as `allowedActions`
 * on every track, so the web app shows exactly what the domain would accept.
 */
export function trackActionsFor(
  user: AuthUser,
  requestStatus: string,
  track: TrackFacts,
  now: string = new Date().toISOString(),
): TrackAction[] {
  const allowed = new Set<TrackAction>();
  for (const role of user.roles) {
    const actions = allowedTrackActions(
      track,
      asRole(user, role),
      now,
      requestStatus as RequestStatus,
    );
    for (const action of actions) allowed.add(action);
  }
  return TRACK_ACTIONS.filter((a) => allowed.has(a));
}

/**
 * The actor a track action is sent as: the first of the caller's roles in which the domain allows
 * it; else the first role the policy allows, so the workflow refuses it with the domain's reason.
 */
export function trackActor(
  user: AuthUser,
  requestStatus: string,
  track: TrackFacts,
  action: TrackAction,
  policyRoles: readonly Role[],
): Actor {
  const now = new Date().toISOString();
  const role =
    user.roles.find((r) =>
      allowedTrackActions(track, asRole(user, r), now, requestStatus as RequestStatus).includes(
        action,
      ),
    ) ??
    user.roles.find((r) => policyRoles.includes(r)) ??
    policyRoles[0];
  return asRole(user, role);
}
