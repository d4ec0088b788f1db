import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../../../../libs/config/src';
import { APP_CONFIG } from '../../../../libs/config/src/config.module';
import { isFinalRequestStatus, type RequestStatus } from '../../../../libs/domain/src/enums';
import {
  addYears,
  ErasureGround,
  RETENTION_MAX_YEARS,
  RETENTION_REVIEW_ROLES,
  RetentionDecision,
} from '../../../../libs/domain/src/erasure';
import type { RetentionReviewDto } from '../../../../libs/domain/src/dto';
import { RefusalCode } from '../../../../libs/domain/src/rules';
import type { TraceRequestEntity } from '../../../../libs/persistence/src/entities';
import { reviewDueSql } from '../../../../libs/persistence/src/retention-sql';
import { auditActor, AuditRecorder, type AuditActor } from '../audit/audit-recorder.service';
import type { AuthUser } from '../auth/actor';
import { badRequest, notFound } from '../common/problem';
import { refusalProblem } from '../common/temporal-errors';
import { ErasureService, type ErasureRecord } from './erasure.service';

export interface RetentionView {
  id: string;
  reference: string;
  /** When the request is (next) reviewed. */
  reviewOn: string;
  due: boolean;
  erasure?: ErasureRecord;
}

const day = (d: Date): string => d.toISOString().slice(0, 10);

/** Retention reviews: the NCB keeps (with a reason and a new date) or erases; admins bring one forward. */
@Injectable()
export class RetentionService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly erasure: ErasureService,
    private readonly audit: AuditRecorder,
  ) {}

  /** The request's current review date. */
  async reviewOn(id: string): Promise<Date> {
    const [row] = (await this.db.query(
      `SELECT ${reviewDueSql('t', '$2')} AS on FROM trace_requests t WHERE t.id = $1`,
      [id, this.config.retention.reviewAfterMs],
    )) as { on: Date }[];
    return new Date(row.on);
  }

  /** The NCB officer of the requesting country decides a review. */
  async review(user: AuthUser, row: TraceRequestEntity, dto: RetentionReviewDto) {
    if (!RETENTION_REVIEW_ROLES.some((r) => user.roles.includes(r)))
      throw notFound('trace request');
    if (user.country !== row.requestingCountry) {
      throw refusalProblem(
        RefusalCode.FORBIDDEN_COUNTRY,
        `only the NCB of ${row.requestingCountry} reviews the retention of its requests`,
      );
    }
    if (row.erasedAt) {
      throw refusalProblem(RefusalCode.ALREADY_ERASED, `request ${row.reference} was erased`);
    }
    const by = auditActor(user, 'trace-requests.retention-review');
    if (dto.decision === RetentionDecision.ERASE) {
      const erasure = await this.erasure.erase(row, {
        ground: ErasureGround.RETENTION_EXPIRED,
        closeRunning: dto.closeRunning === true,
        channel: 'retention',
        by,
      });
      return { id: row.id, reference: row.reference, decision: dto.decision, erasure };
    }
    const next = dto.nextReviewOn!;
    const today = day(new Date());
    const latest = day(addYears(new Date(), RETENTION_MAX_YEARS));
    if (next <= today || next > latest) {
      throw badRequest('invalid nextReviewOn', [
        {
          field: 'nextReviewOn',
          message: `nextReviewOn must be after today and at most ${RETENTION_MAX_YEARS} years ahead (${latest})`,
        },
      ]);
    }
    const previous = await this.reviewOn(row.id);
    await this.setReviewOn(row, next, by, 'trace-requests.retention-review', {
      decision: dto.decision,
      reason: dto.reason,
      previousReviewOn: previous.toISOString(),
    });
    return this.view(row);
  }

  /** An admin brings the review of an ended request forward (never later than it is). */
  async bringForward(admin: AuthUser, row: TraceRequestEntity, reviewOn: string) {
    if (row.erasedAt) {
      throw refusalProblem(RefusalCode.ALREADY_ERASED, `request ${row.reference} was erased`);
    }
    if (!isFinalRequestStatus(row.status as RequestStatus)) {
      throw refusalProblem(
        RefusalCode.NOT_ALLOWED_IN_STATE,
        `request ${row.reference} is ${row.status}: only an ended request gets an earlier review`,
      );
    }
    const current = await this.reviewOn(row.id);
    if (reviewOn >= day(current)) {
      throw badRequest('invalid reviewOn', [
        {
          field: 'reviewOn',
          message: `reviewOn must be before the current review (${day(current)})`,
        },
      ]);
    }
    const action = 'admin.trace-requests.retention-review';
    await this.setReviewOn(row, reviewOn, auditActor(admin, action), action, {
      previousReviewOn: current.toISOString(),
    });
    return this.view(row);
  }

  /**
   * The new review date and its audit entry, in one transaction; the sweep announces and
   * escalates the new date afresh.
   */
  private async setReviewOn(
    row: TraceRequestEntity,
    reviewOn: string,
    by: AuditActor,
    action: string,
    details: Record<string, unknown>,
  ): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(
        `UPDATE trace_requests SET retention_review_on = $2::date,
           retention_notified_for = NULL, retention_escalated_for = NULL WHERE id = $1`,
        [row.id, reviewOn],
      );
      await this.audit.inTransaction(tx, {
        ...by,
        action,
        objectType: 'trace_request',
        objectId: row.id,
        traceRequestId: row.id,
        outcome: 'success',
        details: { reference: row.reference, ...details, reviewOn },
      });
    });
  }

  async view(row: TraceRequestEntity): Promise<RetentionView> {
    const on = await this.reviewOn(row.id);
    const erasure = await this.erasure.find(row.id);
    return {
      id: row.id,
      reference: row.reference,
      reviewOn: on.toISOString(),
      due: on.getTime() <= Date.now(),
      ...(erasure ? { erasure } : {}),
    };
  }
}
