import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Notification } from '../../../../workflows/activity-types';

@Injectable()
export class NotificationActivities {
  private readonly logger = new Logger(NotificationActivities.name);

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Stores the notification once per key; `created_at` is the workflow's time of the event, so
   * a retry stores exactly the same row. The log line names kind, reference and recipient only:
   * the message may name the subject.
   */
  async notify(n: Notification): Promise<void> {
    const inserted: unknown[] = await this.db.query(
      `INSERT INTO notifications (key, request_id, reference, recipient_role, recipient_country,
         recipient_user_id, kind, message, created_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)
       ON CONFLICT (key) DO NOTHING RETURNING id`,
      [
        n.key,
        n.requestId ?? null,
        n.reference ?? null,
        n.recipientRole ?? null,
        n.recipientCountry ?? null,
        n.recipientUserId ?? null,
        n.kind,
        n.message,
        n.at,
      ],
    );
    if (inserted.length > 0) {
      this.logger.log(
        `notification ${n.kind} for ${n.reference ?? 'no request'} to ${recipientOf(n)}`,
      );
    }
  }
}

function recipientOf(n: Notification): string {
  const parts: string[] = [];
  if (n.recipientRole || n.recipientCountry) {
    parts.push(`${n.recipientRole ?? 'any role'}@${n.recipientCountry ?? 'any country'}`);
  }
  if (n.recipientUserId) parts.push(`user ${n.recipientUserId}`);
  return parts.length > 0 ? parts.join(' and ') : 'nobody in particular';
}
