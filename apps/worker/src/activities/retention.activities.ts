import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AppConfig } from '../../../../libs/config/src';
import { APP_CONFIG } from '../../../../libs/config/src/config.module';
import { GLOBAL_ADMIN_ROLES } from '../../../../libs/domain/src/admin-scope';
import {
  RETENTION_ESCALATION_ROLES,
  RETENTION_REVIEW_ROLES,
} from '../../../../libs/domain/src/erasure';
import type { Role } from '../../../../libs/domain/src/enums';
import { reviewDueSql } from '../../../../libs/persistence/src/retention-sql';
import type { RetentionSweepResult } from '../../../../workflows/activity-types';

interface Found {
  id: string;
  reference: string;
  country: string;
  due: Date;
}

/** Who hears of one request's escalation: its country's admins, every INTERPOL admin. */
const escalationRecipients = (country: string) =>
  RETENTION_ESCALATION_ROLES.map((role) => ({
    role,
    country: GLOBAL_ADMIN_ROLES.includes(role) ? null : country,
  }));

/**
 * The retention sweep (workflows/retention-sweep.workflow.ts). Each finding is marked in the same
 * transaction as its notifications (keys name the request and the date), so a retried or
 * concurrent sweep announces nothing twice. Messages name the reference only, never content.
 */
@Injectable()
export class RetentionActivities {
  private readonly logger = new Logger(RetentionActivities.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async sweepRetention(): Promise<RetentionSweepResult> {
    const { reviewAfterMs, graceMs } = this.config.retention;
    const due = reviewDueSql('t', '$1');
    return this.db.transaction(async (tx) => {
      const dueRows = (await tx.query(
        `UPDATE trace_requests t SET retention_notified_for = ${due}
          WHERE t.erased_at IS NULL AND ${due} <= now()
            AND t.retention_notified_for IS DISTINCT FROM ${due}
          RETURNING t.id, t.reference, t.requesting_country AS country, ${due} AS due`,
        [reviewAfterMs],
      )) as [Found[], number];
      for (const r of dueRows[0]) {
        for (const role of RETENTION_REVIEW_ROLES) {
          await notify(tx, `retention-due:${r.id}:${iso(r.due)}:${role}`, r, role, r.country, {
            kind: 'retention_review_due',
            message: `${r.reference}: retention review due since ${iso(r.due).slice(0, 10)}; keep or erase`,
          });
        }
      }
      const overdueRows = (await tx.query(
        `UPDATE trace_requests t SET retention_escalated_for = ${due}
          WHERE t.erased_at IS NULL
            AND ${due} + $2::bigint * interval '1 millisecond' <= now()
            AND t.retention_escalated_for IS DISTINCT FROM ${due}
          RETURNING t.id, t.reference, t.requesting_country AS country, ${due} AS due`,
        [reviewAfterMs, graceMs],
      )) as [Found[], number];
      for (const r of overdueRows[0]) {
        for (const to of escalationRecipients(r.country)) {
          await notify(
            tx,
            `retention-overdue:${r.id}:${iso(r.due)}:${to.role}`,
            r,
            to.role,
            to.country,
            {
              kind: 'retention_review_overdue',
              message: `${r.reference}: retention review overdue since ${iso(r.due).slice(0, 10)}`,
            },
          );
        }
      }
      const lateRows = (await tx.query(
        `UPDATE erasures e SET escalated_at = now()
          WHERE e.completed_at IS NULL AND e.deadline < now() AND e.escalated_at IS NULL
          RETURNING e.request_id AS id, e.reference, e.requesting_country AS country,
                    e.deadline AS due, e.order_reference`,
      )) as [(Found & { order_reference: string | null })[], number];
      for (const r of lateRows[0]) {
        const recipients = [
          ...escalationRecipients(r.country),
          ...RETENTION_REVIEW_ROLES.map((role) => ({ role, country: r.country as string | null })),
        ];
        for (const to of recipients) {
          await notify(tx, `erasure-late:${r.id}:${to.role}`, r, to.role, to.country, {
            kind: 'erasure_order_overdue',
            message:
              `${r.reference}: the ordered erasure${r.order_reference ? ` ${r.order_reference}` : ''} ` +
              `is not done and its deadline ${iso(r.due)} has passed`,
          });
        }
      }
      const result = {
        due: dueRows[0].length,
        overdue: overdueRows[0].length,
        lateErasures: lateRows[0].length,
      };
      if (result.due + result.overdue + result.lateErasures > 0) {
        this.logger.log(
          `retention sweep: ${result.due} due, ${result.overdue} overdue, ${result.lateErasures} late erasures`,
        );
      }
      return result;
    });
  }
}

const iso = (d: Date | string): string => new Date(d).toISOString();

async function notify(
  tx: EntityManager,
  key: string,
  r: Found,
  role: Role,
  country: string | null,
  n: { kind: string; message: string },
): Promise<void> {
  await tx.query(
    `INSERT INTO notifications (key, request_id, reference, recipient_role, recipient_country,
       kind, message, created_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,now()) ON CONFLICT (key) DO NOTHING`,
    [key, r.id, r.reference, role, country, n.kind, n.message],
  );
}
