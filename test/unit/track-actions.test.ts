// The track actions the web app shows are the `allowedActions` the API sends on every track
// (apps/api/src/jurisdictions/track-actions.ts over the domain's allowedTrackActions). Over every
// request status x track status x role x country, they must be exactly the actions the domain
// accepts with a real command: a button never offers what would be refused (e.g. Extend on an
// OVERDUE track), nor hides what would be accepted.
import {
  JURISDICTION_STATUSES,
  REQUEST_STATUSES,
  ROLES,
  TRACK_ACTIONS,
  decideJurisdiction,
  initialJurisdiction,
  tracksRun,
} from '../../libs/domain/src/lifecycle-index';
import type {
  Actor,
  JurisdictionCommand,
  JurisdictionState,
  JurisdictionStatus,
  RequestStatus,
  Role,
  TrackAction,
  TrackFacts,
} from '../../libs/domain/src/lifecycle-index';
import type { AuthUser } from '../../apps/api/src/auth/actor';
import { trackActionsFor, trackActor } from '../../apps/api/src/jurisdictions/track-actions';

const NOW = '2026-03-01T00:00:00.000Z';
const DEADLINE = '2026-04-01T00:00:00.000Z';
const HOME = 'ZA';
const TRACK = 'FR';

const track = (status: JurisdictionStatus): JurisdictionState => ({
  ...initialJurisdiction({ country: TRACK, requestingCountry: HOME, deadline: DEADLINE }),
  status,
});

/** What a user would really send for each action. */
const REAL: Record<TrackAction, JurisdictionCommand> = {
  respond: { type: 'respond', outcome: 'no_assets', externalReference: 'FR-2026-1' },
  extend: { type: 'extend', newDeadline: '2026-05-01T00:00:00.000Z', reason: 'more time' },
};

const user = (roles: Role[], country: string): AuthUser => ({
  userId: `u-${roles.join('+')}-${country}`,
  username: `${roles.join('+')}.${country.toLowerCase()}`,
  roles,
  country,
});

const users: AuthUser[] = [
  ...ROLES.flatMap((role) => [HOME, TRACK, 'BR'].map((cc) => user([role], cc))),
  user(['supervisor', 'ncb_officer'], HOME),
  user(['foreign_liaison', 'ncb_officer'], HOME),
  user(['auditor', 'admin'], HOME),
];

/** The actions the domain accepts for this user, trying each of its roles with a real command. */
function accepted(requestStatus: RequestStatus, state: JurisdictionState, u: AuthUser) {
  if (!tracksRun(requestStatus)) return []; // the tracks stopped: nothing reaches them
  return TRACK_ACTIONS.filter((action) =>
    u.roles.some((role) => {
      const actor: Actor = { userId: u.userId, username: u.username, role, country: u.country };
      return decideJurisdiction(state, REAL[action], actor, NOW).ok;
    }),
  );
}

const rows = REQUEST_STATUSES.flatMap((rs) =>
  JURISDICTION_STATUSES.flatMap((js) => users.map((u) => [rs, js, u.username, u] as const)),
);

describe('track allowedActions = what the domain accepts', () => {
  test.each(rows)('request %s, track %s, %s', (requestStatus, status, _name, u) => {
    const state = track(status);
    const shown = trackActionsFor(u, requestStatus, state, NOW);
    expect(shown).toEqual(accepted(requestStatus, state, u));
  });
});

describe('the rule, stated once more in words', () => {
  const actions = (requestStatus: RequestStatus, status: JurisdictionStatus, u: AuthUser) =>
    trackActionsFor(u, requestStatus, track(status), NOW);

  test('while the tracks run, the liaison of the country and the home NCB respond', () => {
    for (const status of JURISDICTION_STATUSES) {
      expect(actions('PUBLISHED', status, user(['foreign_liaison'], TRACK))).toEqual(['respond']);
      expect(actions('COMPLETED', status, user(['ncb_officer'], HOME))).toContain('respond');
      expect(actions('PUBLISHED', status, user(['foreign_liaison'], 'BR'))).toEqual([]);
      expect(actions('PUBLISHED', status, user(['ncb_officer'], TRACK))).toEqual([]);
    }
  });

  test('a home supervisor extends an open track, never a final one (OVERDUE included)', () => {
    const sup = user(['supervisor'], HOME);
    expect(actions('PUBLISHED', 'AWAITING', sup)).toEqual(['extend']);
    expect(actions('PUBLISHED', 'ACKNOWLEDGED', sup)).toEqual(['extend']);
    expect(actions('PUBLISHED', 'PARTIAL', sup)).toEqual(['extend']);
    expect(actions('PUBLISHED', 'OVERDUE', sup)).toEqual([]);
    expect(actions('COMPLETED', 'ANSWERED', sup)).toEqual([]);
    expect(actions('PUBLISHED', 'DECLINED', sup)).toEqual([]);
    expect(actions('PUBLISHED', 'AWAITING', user(['supervisor'], TRACK))).toEqual([]);
  });

  test('a user with several roles gets the union, in api.md order', () => {
    expect(actions('PUBLISHED', 'PARTIAL', user(['supervisor', 'ncb_officer'], HOME))).toEqual([
      'respond',
      'extend',
    ]);
  });

  test('no track action once the request has ended, nor before it was sent', () => {
    for (const rs of ['CLOSED', 'WITHDRAWN', 'EXPIRED', 'SUBMITTED', 'DRAFT'] as const) {
      expect(actions(rs, 'AWAITING', user(['foreign_liaison'], TRACK))).toEqual([]);
      expect(actions(rs, 'AWAITING', user(['supervisor'], HOME))).toEqual([]);
    }
  });

  test('auditors and admins never act on a track', () => {
    for (const status of JURISDICTION_STATUSES) {
      expect(actions('PUBLISHED', status, user(['auditor', 'admin'], HOME))).toEqual([]);
    }
  });
});

describe('the role a track action is sent in', () => {
  const facts: TrackFacts = {
    country: TRACK,
    requestingCountry: HOME,
    status: 'AWAITING',
    deadline: null,
  };
  const respondRoles: Role[] = ['foreign_liaison', 'ncb_officer'];

  test('the role in which the domain allows it', () => {
    const both = user(['foreign_liaison', 'ncb_officer'], HOME);
    expect(trackActor(both, 'PUBLISHED', facts, 'respond', respondRoles).role).toBe('ncb_officer');
    const liaison = user(['ncb_officer', 'foreign_liaison'], TRACK);
    expect(trackActor(liaison, 'PUBLISHED', facts, 'respond', respondRoles).role).toBe(
      'foreign_liaison',
    );
  });

  test('else the policy role, so the workflow refuses with the domain reason', () => {
    const other = user(['foreign_liaison'], 'BR');
    expect(trackActor(other, 'PUBLISHED', facts, 'respond', respondRoles).role).toBe(
      'foreign_liaison',
    );
  });
});
