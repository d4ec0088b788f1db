import type { Role } from '../../../../libs/domain/src/enums';

/** No bearer token needed (the gateway routes check their own HMAC signature instead). */
export const PUBLIC = 'public';
/** Any signed-in user, whatever the role (their own session and notifications). */
export const SIGNED_IN = 'signed-in';

export type Access = typeof PUBLIC | typeof SIGNED_IN | readonly Role[];

/** Roles that read cases: auditors read everything their country may; admins manage users only. */
const READ: readonly Role[] = [
  'investigator',
  'supervisor',
  'ncb_officer',
  'foreign_liaison',
  'auditor',
];

/**
 * THE authorization policy: every route names one action here (with @Action) and the guard
 * allows a caller holding one of its roles. A route without an entry fails the boot, so nothing is
 * open by omission. Finer rules that depend on the case itself (country, visibility, four-eyes)
 * stay in the domain and services, which take their role lists from here too.
 *
 * Auditors hold no write action; admins hold no case action at all.
 */
export const POLICY = {
  'health.live': PUBLIC,
  'health.ready': PUBLIC,
  // No user role: the scraper presents METRICS_TOKEN when one is set (checked by the route).
  'metrics.read': PUBLIC,
  'auth.token': PUBLIC,
  'auth.logout': SIGNED_IN,
  'gateway.decision': PUBLIC,
  'gateway.response': PUBLIC,

  'trace-requests.create': ['investigator'],
  'trace-requests.list': READ,
  'trace-requests.get': READ,
  'trace-requests.edit': ['investigator'],
  'trace-requests.submit': ['investigator'],
  'trace-requests.review': ['supervisor'],
  'trace-requests.interpol-submission': ['ncb_officer'],
  'trace-requests.query-answers': ['investigator'],
  'trace-requests.withdraw': ['investigator', 'ncb_officer'],
  'trace-requests.close': ['ncb_officer'],
  // The drafter or a supervisor (checked by the service) assigns investigators to a case.
  'trace-requests.assign': ['investigator', 'supervisor'],
  // Another investigator of the country opens a case by giving a reason.
  'trace-requests.break-glass': ['investigator'],

  'jurisdictions.list': READ,
  'jurisdictions.respond': ['foreign_liaison', 'ncb_officer'],
  'jurisdictions.extend': ['supervisor'],

  'assets.for-request': READ,
  'assets.list': READ,
  'assets.get': READ,
  'assets.move': ['investigator', 'ncb_officer'],

  'work-queue.list': READ,
  // The timeline is read like the request (a liaison: its own country track only); replay is
  // the auditors' tool and writes nothing.
  'trace-requests.history': READ,
  'audit.replay': ['auditor'],
  'dashboard.get': READ,

  // Marking one's own notification read changes no case: open to every signed-in user.
  'notifications.list': SIGNED_IN,
  'notifications.read': SIGNED_IN,

  // The pilot itself: accounts, quotas, participating countries, deadlines. Admins only, and
  // admins hold nothing else but their own session and inbox.
  'admin.users.list': ['admin'],
  'admin.users.create': ['admin'],
  'admin.users.get': ['admin'],
  'admin.users.update': ['admin'],
  'admin.quotas.list': ['admin'],
  'admin.quotas.set': ['admin'],
  'admin.countries.list': ['admin'],
  'admin.countries.add': ['admin'],
  'admin.countries.remove': ['admin'],
  'admin.deadlines.get': ['admin'],
  'admin.deadlines.set': ['admin'],
  'admin.deadlines.set-country': ['admin'],
  'admin.deadlines.clear-country': ['admin'],
  // The audit chain: auditors only (they read and verify, they never write a case).
  'audit.verify': ['auditor'],
  'audit.entries': ['auditor'],
  'audit.export': ['auditor'],
} as const satisfies Record<string, Access>;

export type ActionKey = keyof typeof POLICY;

export const isActionKey = (key: unknown): key is ActionKey =>
  typeof key === 'string' && Object.prototype.hasOwnProperty.call(POLICY, key);

/** The roles an action allows; for services that check again with the case in hand. */
export function rolesFor(action: ActionKey): Role[] {
  const access: Access = POLICY[action];
  if (typeof access === 'string') throw new Error(`${action} is not restricted to roles`);
  return [...access];
}

/** Whether a caller with these roles may take the action (the token is checked elsewhere). */
export function allows(action: ActionKey, roles: readonly Role[]): boolean {
  const access: Access = POLICY[action];
  if (access === PUBLIC || access === SIGNED_IN) return true;
  return access.some((r) => roles.includes(r));
}
