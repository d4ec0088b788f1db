import type { EntityManager } from 'typeorm';
import { append } from '../../../../libs/audit/src';
import { auditActor } from '../audit/audit-recorder.service';
import { currentRequest, requestIdOf } from '../audit/request-context';
import type { AuthUser } from '../auth/actor';

/** One admin change, as it is audited: who, what, on what, with which values. */
export interface AdminChange {
  action: string;
  target: string;
  changes: Record<string, unknown>;
}

/**
 * Called inside the transaction of every admin write, after the change and before the commit: the
 * audit entry is appended in the same transaction, so a change and its record commit or roll back
 * together. `changes` never carries a password.
 */
export async function recordAdminChange(
  tx: EntityManager,
  admin: AuthUser,
  change: AdminChange,
): Promise<void> {
  const [objectType, ...rest] = change.target.split(':');
  await append(tx, {
    ...auditActor(admin, change.action),
    action: change.action,
    objectType,
    objectId: rest.join(':') || null,
    outcome: 'success',
    requestId: requestIdOf(currentRequest()),
    details: change.changes,
  });
}
