import { ADMIN_ROLES } from '../../../../libs/domain/src/admin-scope';
import { ASSIGNABLE_ROLE, ASSIGNER_ROLES } from '../../../../libs/domain/src/case-access';
import type { Role } from '../../../../libs/domain/src/enums';
import { ERASURE_ROLES, RETENTION_REVIEW_ROLES } from '../../../../libs/domain/src/erasure';
import {
  ACTION_ROLES,
  AUDIT_ROLES,
  CODEC_DECODE_ROLES,
  CODEC_ENCODE_ROLES,
  CASE_READ_ROLES,
  HOME_ROLES,
} from '../../../../libs/domain/src/rules';

/** No bearer token needed (the gateway routes check their own HMAC signature instead). */
export const PUBLIC = 'public';
/** Any signed-in user, whatever the role (their own session and notifications). */
export const SIGNED_IN = 'signed-in';

export type Access = typeof PUBLIC | typeof SIGNED_IN | readonly Role[];

/** Roles that read cases: auditors read everything their country may; admins manage users only. */
const READ = CASE_READ_ROLES;

/**
 * THE authorization policy: every route names one action here (with @Action) and the guard
 * allows a caller holding one of its roles. A route without an entry fails the boot, so nothing is
 * open by omission. The roles of case actions are the domain's own (ACTION_ROLES in
 * libs/domain/src/rules.ts, which decide reads too); finer rules that depend on the case itself
 * (country, visibility, four-eyes, status) are the domain's and the services'.
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
  'gateway.suspension': PUBLIC,
  'gateway.resumption': PUBLIC,
  'gateway.cancellation': PUBLIC,
  'gateway.erasure': PUBLIC,

  'trace-requests.create': ACTION_ROLES.create,
  'trace-requests.list': READ,
  'trace-requests.get': READ,
  'trace-requests.edit': ACTION_ROLES.edit,
  'trace-requests.submit': ACTION_ROLES.submit,
  'trace-requests.review': ACTION_ROLES.review,
  'trace-requests.interpol-submission': ACTION_ROLES['interpol-submission'],
  'trace-requests.query-answers': ACTION_ROLES['query-answers'],
  'trace-requests.withdraw': ACTION_ROLES.withdraw,
  'trace-requests.close': ACTION_ROLES.close,
  // Staff of the requesting country (the service checks the country); handling codes apply.
  'trace-requests.case-file': HOME_ROLES,
  // The drafter or a supervisor (checked by the service) assigns investigators to a case.
  'trace-requests.assign': ASSIGNER_ROLES,
  // Another investigator of the country opens a case by giving a reason.
  'trace-requests.break-glass': [ASSIGNABLE_ROLE],
  'trace-requests.suspend': ACTION_ROLES.suspend,
  'trace-requests.resume': ACTION_ROLES.resume,

  'jurisdictions.list': READ,
  'jurisdictions.respond': ACTION_ROLES.respond,
  'jurisdictions.extend': ACTION_ROLES.extend,

  'assets.for-request': READ,
  'assets.list': READ,
  'assets.get': READ,
  'assets.move': ACTION_ROLES['asset-move'],

  'work-queue.list': READ,
  // The timeline is read like the request (a liaison: its own country track only); replay is
  // the auditors' tool and writes nothing.
  'trace-requests.history': READ,
  'audit.replay': AUDIT_ROLES,
  'dashboard.get': READ,

  // Marking one's own notification read changes no case: open to every signed-in user.
  'notifications.list': SIGNED_IN,
  'notifications.read': SIGNED_IN,

  // The pilot itself: accounts, quotas, participating countries, deadlines. Admins only, and
  // admins hold nothing else but their own session and inbox.
  'admin.users.list': ADMIN_ROLES,
  'admin.users.create': ADMIN_ROLES,
  'admin.users.get': ADMIN_ROLES,
  'admin.users.update': ADMIN_ROLES,
  'admin.quotas.list': ADMIN_ROLES,
  'admin.quotas.set': ADMIN_ROLES,
  'admin.countries.list': ADMIN_ROLES,
  'admin.countries.add': ADMIN_ROLES,
  'admin.countries.remove': ADMIN_ROLES,
  'admin.deadlines.get': ADMIN_ROLES,
  'admin.deadlines.set': ADMIN_ROLES,
  'admin.deadlines.set-country': ADMIN_ROLES,
  'admin.deadlines.clear-country': ADMIN_ROLES,
  // Erasure of a request's personal data: an admin of the requesting country (checked by the
  // service) or an INTERPOL admin; bringing an ended request's retention review forward.
  'admin.trace-requests.erase': ERASURE_ROLES,
  'admin.trace-requests.retention-review': ADMIN_ROLES,
  // The requesting country's NCB keeps or erases a request whose review is due.
  'trace-requests.retention-review': RETENTION_REVIEW_ROLES,
  // The codec server of the Temporal Web UI and CLI (who and why: libs/domain rules.ts).
  'codec.decode': CODEC_DECODE_ROLES,
  'codec.encode': CODEC_ENCODE_ROLES,
  // The audit chain: auditors only (they read and verify, they never write a case).
  'audit.verify': AUDIT_ROLES,
  'audit.entries': AUDIT_ROLES,
  'audit.checkpoints': AUDIT_ROLES,
  'audit.export': AUDIT_ROLES,
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
