import { Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/actor';

/** One admin change, as it would be audited: who, what, on what, with which values. */
export interface AdminChange {
  action: string;
  target: string;
  changes: Record<string, unknown>;
}

const logger = new Logger('Admin');

/**
 * Called inside the transaction of every admin write, after the change and before the commit:
 * the place for an audit entry written in the same transaction (so a change and its record commit
 * or roll back together). Today it logs who changed what (no passwords, no case data).
 */
export function recordAdminChange(
  _tx: EntityManager,
  admin: AuthUser,
  change: AdminChange,
): Promise<void> {
  logger.log({ msg: 'admin change', by: admin.username, ...change });
  return Promise.resolve();
}
