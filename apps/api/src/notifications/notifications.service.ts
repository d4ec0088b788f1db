import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { applyView } from '../../../../libs/domain/src/views';
import type { AuthUser } from '../auth/actor';
import { notFound } from '../common/problem';
import { cursorAtSql, decodeCursor, encodeCursor } from '../trace-requests/cursor';
import { DEFAULT_LIMIT } from '../trace-requests/list-query.dto';
import { rowsOf } from '../trace-requests/sql';
import type { ListNotificationsQuery } from './list-notifications.query';

export interface NotificationView {
  id: string;
  /** Null for notices about no request (the audit chain's alarm). */
  requestId: string | null;
  reference: string | null;
  kind: string;
  message: string;
  createdAt: string;
  readAt: string | null;
}

interface NotificationRow {
  id: string;
  request_id: string | null;
  reference: string | null;
  kind: string;
  message: string;
  created_at: Date;
  read_at: Date | null;
  cursor_at?: string;
}

const COLUMNS = `n.id, n.request_id, n.reference, n.kind, n.message, n.created_at, n.read_at`;

/**
 * The caller's notifications: those addressed to them, and those addressed to one of their roles
 * in their own country. A role notification is read for the whole role once one of them reads it.
 */
@Injectable()
export class NotificationsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(
    user: AuthUser,
    query: ListNotificationsQuery,
  ): Promise<{ items: NotificationView[]; nextCursor: string | null }> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const after = decodeCursor(query.cursor);
    const params: unknown[] = [user.userId, user.roles, user.country];
    const where = [mine('n')];
    if (query.unread === true) where.push('n.read_at IS NULL');
    if (query.unread === false) where.push('n.read_at IS NOT NULL');
    if (after) {
      params.push(after.at, after.id);
      where.push(
        `(n.created_at, n.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`,
      );
    }
    params.push(limit + 1);
    const rows = (await this.db.query(
      `SELECT ${COLUMNS}, ${cursorAtSql('n.created_at')} AS cursor_at FROM notifications n
        WHERE ${where.join(' AND ')}
        ORDER BY n.created_at DESC, n.id DESC LIMIT $${params.length}`,
      params,
    )) as NotificationRow[];
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return applyView('notifications', user, {
      items: page.map(view),
      nextCursor:
        rows.length > limit && last ? encodeCursor({ at: last.cursor_at!, id: last.id }) : null,
    });
  }

  /** Marks one of the caller's notifications read (once: the first reading time stays). */
  async markRead(user: AuthUser, id: string): Promise<NotificationView> {
    const rows = await rowsOf<NotificationRow>(
      this.db,
      `UPDATE notifications n SET read_at = COALESCE(n.read_at, now())
        WHERE n.id = $4 AND ${mine('n')}
        RETURNING ${COLUMNS}`,
      [user.userId, user.roles, user.country, id],
    );
    if (rows.length === 0) throw notFound('notification');
    return applyView('notification', user, view(rows[0]));
  }
}

/** Addressed to the caller ($1 user id, $2 roles, $3 country). */
function mine(alias: string): string {
  return (
    `(${alias}.recipient_user_id = $1::uuid OR ` +
    `(${alias}.recipient_role = ANY($2::text[]) AND ` +
    // No country: addressed to the role everywhere (the audit chain's alarm).
    `(${alias}.recipient_country = $3 OR ${alias}.recipient_country IS NULL)))`
  );
}

function view(r: NotificationRow): NotificationView {
  return {
    id: r.id,
    requestId: r.request_id,
    reference: r.reference,
    kind: r.kind,
    message: r.message,
    createdAt: new Date(r.created_at).toISOString(),
    readAt: r.read_at ? new Date(r.read_at).toISOString() : null,
  };
}
