import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import {
  append,
  AuditEntry,
  AuditEntryInput,
  AuditOutcome,
  record,
} from '../../../../libs/audit/src';
import type { AuthUser } from '../auth/actor';
import { POLICY, type Access } from '../auth/policy';
import type { ProblemDetails } from '../common/problem';
import { auditRuleOf } from './audit-classification';
import { AuditedRequest, currentRequest, requestIdOf } from './request-context';

/** The caller as an entry names them. */
export interface AuditActor {
  actor: string;
  role: string;
  country: string | null;
}

export const ANONYMOUS: AuditActor = { actor: 'anonymous', role: 'none', country: null };

/**
 * The role a user acts in for an action: the first of their roles the policy allows for it (as
 * the workflows record it), else all of them.
 */
export function auditActor(user: AuthUser | undefined, action?: string): AuditActor {
  if (!user) return ANONYMOUS;
  const access = action ? (POLICY as Record<string, Access>)[action] : undefined;
  const role = Array.isArray(access) ? user.roles.find((r) => access.includes(r)) : undefined;
  return { actor: user.username, role: role ?? user.roles.join(','), country: user.country };
}

/** Writes the API's audit entries (libs/audit): in a caller's transaction, or in one of its own. */
@Injectable()
export class AuditRecorder {
  private readonly logger = new Logger('Audit');

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Inside the transaction of the change it records; the HTTP request id comes from context. */
  inTransaction(em: EntityManager, input: AuditEntryInput): Promise<AuditEntry> {
    return append(em, { requestId: requestIdOf(currentRequest()), ...input });
  }

  /** In a transaction of its own (reads, refusals, sign-ins). */
  record(input: AuditEntryInput): Promise<AuditEntry> {
    return record(this.db, { requestId: requestIdOf(currentRequest()), ...input });
  }

  /**
   * Called by the ProblemFilter for every error answer: 401 and 403 of any action are recorded
   * as refused; other 4xx (refused) and 5xx (failure) of audited actions too. Routes that record
   * themselves (`handler`) and errors outside any route (unknown path, body parser) are left out.
   */
  async onProblem(req: AuditedRequest, problem: ProblemDetails): Promise<void> {
    const action = req.policyAction;
    if (!action) return;
    const rule = auditRuleOf(action);
    if (!rule || rule.mode === 'handler') return;
    const security = problem.status === 401 || problem.status === 403;
    if (!security && rule.mode === 'none') return;
    const outcome: AuditOutcome = problem.status >= 500 ? 'failure' : 'refused';
    const object = rule.object ? req.params?.[rule.object.param] : undefined;
    try {
      await record(this.db, {
        ...auditActor(req.user, action),
        action,
        outcome,
        requestId: requestIdOf(req),
        ...(rule.object && typeof object === 'string'
          ? {
              objectType: rule.object.type,
              objectId: object,
              ...(rule.object.isTraceRequest && isUuid(object) ? { traceRequestId: object } : {}),
            }
          : {}),
        details: {
          status: problem.status,
          detail: problem.detail,
          method: req.method,
          path: req.originalUrl?.split('?')[0] ?? req.path,
          ip: req.ip,
        },
      });
    } catch (err) {
      // The answer still goes out; the failure to record is logged loudly.
      this.logger.error(`could not record ${outcome} ${action}: ${(err as Error).message}`);
    }
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID.test(v);
