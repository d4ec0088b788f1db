import type { ActionKey } from '../auth/policy';

/**
 * How an action's successful calls reach the audit chain (refusals and failures of every action
 * are recorded by the problem filter, see AuditRecorder.onProblem):
 * - `transaction`: the code that makes the change appends the entry in the change's own database
 *   transaction: the API service (`by: 'api'`), or the worker's projection activity for what a
 *   workflow records (`by: 'worker'`, keyed by workflow id and event number, so a retry writes
 *   it once).
 * - `recorded`: the global AuditInterceptor appends one entry per successful call before the
 *   answer leaves (reads of a case, audit reads, changes to the caller's own session).
 * - `handler`: the route records success and failure itself (sign-in, streamed export); the
 *   problem filter leaves its errors alone.
 * - `none`: not recorded on success (probes, lists); `why` says why.
 */
export type AuditMode = 'transaction' | 'recorded' | 'handler' | 'none';

export interface AuditRule {
  mode: AuditMode;
  /** For `transaction`: who appends it. */
  by?: 'api' | 'worker';
  /** Where the entry is written, or why nothing is. */
  why: string;
  /** For `recorded`: the object, taken from a route parameter. */
  object?: { type: string; param: string; isTraceRequest?: boolean };
}

const worker = (why: string): AuditRule => ({ mode: 'transaction', by: 'worker', why });
const api = (why: string): AuditRule => ({ mode: 'transaction', by: 'api', why });
const none = (why: string): AuditRule => ({ mode: 'none', why });
const recorded = (why: string, object?: AuditRule['object']): AuditRule => ({
  mode: 'recorded',
  why,
  ...(object ? { object } : {}),
});
const handler = (why: string): AuditRule => ({ mode: 'handler', why });
const REQUEST = { type: 'trace_request', param: 'id', isTraceRequest: true };

/**
 * THE audit classification: one rule per policy action (auth/policy.ts). A new action without a
 * rule fails `npm run check` and test/unit/audit-classification.test.ts.
 */
export const AUDIT_CLASSIFICATION = {
  'health.live': none('liveness probe, polled'),
  'health.ready': none('readiness probe, polled'),
  'metrics.read': none('Prometheus scrape, polled'),
  'auth.token': handler('AuthService.issueToken records success, failure and lockout'),
  'auth.logout': recorded('revokes the caller’s own tokens'),
  'gateway.decision': worker('the request workflow records the GS decision (projectRequest)'),
  'gateway.response': worker('the country track records the answer (projectJurisdiction)'),
  'gateway.suspension': worker('the request workflow records the GS suspension (projectRequest)'),
  'gateway.resumption': worker('the request workflow records the resumption (projectRequest)'),
  'gateway.cancellation': worker('the request workflow records the cancellation (projectRequest)'),
  'gateway.erasure': api('ErasureService records the completed erasure (ground, order)'),

  'trace-requests.create': api('TraceRequestsService.create, with the draft row'),
  'trace-requests.list': none('a list of summaries; each detail read is recorded'),
  'trace-requests.get': recorded('a read of a request’s detail', REQUEST),
  'trace-requests.edit': worker('the workflow records Edited (projectRequest)'),
  'trace-requests.submit': worker('the workflow records the transition (projectRequest)'),
  'trace-requests.review': worker('the workflow records the transition (projectRequest)'),
  'trace-requests.interpol-submission': worker('the workflow records it (projectRequest)'),
  'trace-requests.query-answers': worker('the workflow records it (projectRequest)'),
  'trace-requests.withdraw': worker('the workflow records it (projectRequest)'),
  'trace-requests.close': worker('the workflow records it (projectRequest)'),
  'trace-requests.case-file': api(
    'CaseFileService records each export with the source permissions it relied on',
  ),
  'trace-requests.assign': api('TraceRequestsService.assign, with the assignment row'),
  'trace-requests.break-glass': api(
    'TraceRequestsService.breakGlass, with the opening and the supervisors’ notification',
  ),
  'trace-requests.suspend': worker('the workflow records it (projectRequest)'),
  'trace-requests.resume': worker('the workflow records it (projectRequest)'),

  'jurisdictions.list': recorded('a read of a request’s country tracks and answers', REQUEST),
  'jurisdictions.respond': worker('the country track records it (projectJurisdiction)'),
  'jurisdictions.extend': worker('the country track records it (projectJurisdiction)'),

  'assets.for-request': recorded('a read of a request’s asset register', REQUEST),
  'assets.list': none('a list of summaries; each detail read is recorded'),
  'assets.get': recorded('a read of an asset’s detail', { type: 'asset', param: 'assetId' }),
  'assets.move': api('AssetsService.move, with the asset_moves row'),

  'dashboard.get': none('aggregate figures over the caller’s scope, no case detail'),
  'work-queue.list': none('a list of summaries; each detail read is recorded'),

  'notifications.list': none('the caller’s own inbox'),
  'notifications.read': recorded('marks the caller’s own notification read', {
    type: 'notification',
    param: 'id',
  }),

  'admin.users.list': recorded('a read of the accounts'),
  'admin.users.create': api('AdminUsersService.create, with the account (recordAdminChange)'),
  'admin.users.get': recorded('a read of an account', { type: 'user', param: 'id' }),
  'admin.users.update': api('AdminUsersService.update, with the change (recordAdminChange)'),
  'admin.quotas.list': none('pilot settings, not case data'),
  'admin.quotas.set': api('AdminSettingsService.setQuota (recordAdminChange)'),
  'admin.countries.list': none('pilot settings, not case data'),
  'admin.countries.add': api('AdminSettingsService.addCountry (recordAdminChange)'),
  'admin.countries.remove': api('AdminSettingsService.removeCountry (recordAdminChange)'),
  'admin.deadlines.get': none('pilot settings, not case data'),
  'admin.deadlines.set': api('AdminSettingsService.setDeadlines (recordAdminChange)'),
  'admin.deadlines.set-country': api('AdminSettingsService.setCountryDeadline (recordAdminChange)'),
  'admin.deadlines.clear-country': api('AdminSettingsService (recordAdminChange)'),
  'admin.trace-requests.erase': api(
    'ErasureService records the completed erasure with its ground and reference',
  ),
  'admin.trace-requests.retention-review': api('RetentionService.bringForward, with the change'),
  'trace-requests.retention-review': api(
    'RetentionService records a kept review; an erase decision is recorded by ErasureService',
  ),

  'trace-requests.history': recorded('a read of a request’s timeline', REQUEST),
  'audit.replay': recorded('an audit read: a replay of a request’s histories', REQUEST),

  'codec.decode': api('CodecService records each decode: namespace, count, keys and requests'),
  'codec.encode': api('CodecService records each encode: namespace and count'),

  'audit.verify': recorded('an audit read'),
  'audit.entries': recorded('an audit read'),
  'audit.checkpoints': recorded('an audit read'),
  'audit.export': handler('AuditController.export records it before streaming'),
} as const satisfies Record<ActionKey, AuditRule>;

/** The rule of an action; undefined for an action nobody classified. */
export function auditRuleOf(action: string): AuditRule | undefined {
  return Object.prototype.hasOwnProperty.call(AUDIT_CLASSIFICATION, action)
    ? (AUDIT_CLASSIFICATION as Record<string, AuditRule>)[action]
    : undefined;
}
