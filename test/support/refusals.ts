import { REFUSAL_HTTP } from '../../apps/api/src/common/temporal-errors';
import type { Decision } from '../../libs/domain/src/types';

const KIND = { 400: 'invalid', 403: 'forbidden', 409: 'conflict' } as const;
export type RefusalKind = (typeof KIND)[keyof typeof KIND];

/**
 * A refusal as api.md classes it (400 invalid, 403 forbidden, 409 conflict), read through the
 * API's code -> HTTP table: domain tests state what the client sees, whatever the exact code.
 */
export function kindOf(decision: Decision<unknown>): 'ok' | RefusalKind {
  return decision.ok ? 'ok' : KIND[REFUSAL_HTTP[decision.code].status];
}
