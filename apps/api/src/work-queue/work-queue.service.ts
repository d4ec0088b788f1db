import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../../../../libs/config/src';
import { APP_CONFIG } from '../../../../libs/config/src/config.module';
import { reviewDueSql } from '../../../../libs/persistence/src/retention-sql';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type {
  SectionName,
  WorkItem,
  WorkQueue,
  WorkSection,
} from '../../../../libs/domain/src/api-types';
import {
  JURISDICTION_OPEN_STATUSES,
  TRACKS_RUNNING_STATUSES,
} from '../../../../libs/domain/src/rules';
import { applyView } from '../../../../libs/domain/src/views';
import type { AuthUser } from '../auth/actor';
import type { SummaryRow } from '../trace-requests/view';
import { involvedSql } from '../trace-requests/visibility';

export const SECTION_LIMIT = 50;

/** Tracks still expecting an answer (late answers to an OVERDUE country are accepted too). */
const OPEN_TRACKS = JURISDICTION_OPEN_STATUSES;
/** Requests whose country tracks still run. */
const RUNNING = TRACKS_RUNNING_STATUSES;

const COLUMNS = `t.id, t.reference, t.status, t.kind, t.urgency, t.case_reference, t.subject_name,
  t.requesting_country, t.created_at, t.updated_at`;

/** What COLUMNS selects (part of the list summary's row), plus the track sections' columns. */
interface Row extends Pick<
  SummaryRow,
  | 'id'
  | 'reference'
  | 'status'
  | 'kind'
  | 'urgency'
  | 'case_reference'
  | 'subject_name'
  | 'requesting_country'
  | 'created_at'
  | 'updated_at'
> {
  country?: string;
  country_status?: string;
  deadline?: Date;
  total: string;
}

/** A section query: `from`/`where` over trace_requests t (and maybe jurisdictions j). */
interface Spec {
  from: string;
  where: string;
  order: string;
  params: unknown[];
  track?: boolean;
}

/**
 * What each role has to do next, read from the projected state (drafter, editors, approvals) and
 * the jurisdictions table. Every section is scoped to the caller's country as lists are.
 */
@Injectable()
export class WorkQueueService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async forUser(user: AuthUser): Promise<WorkQueue> {
    const specs: [SectionName, Spec][] = [];
    const me = user.userId;
    const cc = user.country;
    const waiting = `CASE WHEN t.urgency = 'urgent' THEN 0 ELSE 1 END, t.updated_at, t.id`;
    // Drafter or editor (a draft has no approvals: a change request resets them).
    const mine = `$2::text = ANY(t.involved_ids)`;

    if (user.roles.includes('investigator')) {
      specs.push(
        ['drafts', requests(`t.status = 'DRAFT' AND ${mine}`, waiting, [cc, me])],
        [
          'changesRequested',
          requests(`t.status = 'CHANGES_REQUESTED' AND ${mine}`, waiting, [cc, me]),
        ],
        // An investigator on the case answers the General Secretariat.
        [
          'queries',
          requests(`t.status = 'QUERIED' AND ${involvedSql('t', '$2')}`, waiting, [cc, me]),
        ],
      );
    }
    if (user.roles.includes('supervisor')) {
      // Four-eyes: not what I drafted or edited, nor what I already approved in this round.
      const notMine = `NOT ${mine}`;
      specs.push([
        'awaitingReview',
        requests(`t.status = 'IN_REVIEW' AND ${notMine}`, waiting, [cc, me]),
      ]);
    }
    if (user.roles.includes('ncb_officer')) {
      specs.push(
        ['readyForInterpol', requests(`t.status = 'APPROVED'`, waiting, [cc])],
        ['toClose', requests(`t.status = 'COMPLETED'`, waiting, [cc])],
        [
          'overdueCountries',
          {
            from: 'trace_requests t JOIN jurisdictions j ON j.request_id = t.id',
            where:
              `t.requesting_country = $1 AND t.status = ANY($2::text[]) AND ` +
              `(j.status = 'OVERDUE' OR (j.status = ANY($3::text[]) AND j.deadline < now()))`,
            order: 'j.deadline, t.id, j.country',
            params: [cc, RUNNING, OPEN_TRACKS],
            track: true,
          },
        ],
        [
          'retentionReviews',
          requests(
            `t.erased_at IS NULL AND ${reviewDueSql('t', '$2')} <= now()`,
            `${reviewDueSql('t', '$2')}, t.id`,
            [cc, this.config.retention.reviewAfterMs],
          ),
        ],
      );
    }
    if (user.roles.includes('foreign_liaison')) {
      specs.push([
        'awaitingAnswer',
        {
          from: 'jurisdictions j JOIN trace_requests t ON t.id = j.request_id',
          where:
            `j.country = $1 AND t.status = ANY($2::text[]) AND ` +
            `(j.status = ANY($3::text[]) OR j.status = 'OVERDUE')`,
          order: 'j.deadline, t.id',
          params: [cc, RUNNING, OPEN_TRACKS],
          track: true,
        },
      ]);
    }

    const out: WorkQueue = {};
    const sections = await Promise.all(specs.map(([, spec]) => this.section(spec)));
    specs.forEach(([name], i) => (out[name] = sections[i]));
    // Each section as the role that works it may see it (a liaison: no national case number).
    return applyView('workQueue', user, out);
  }

  private async section(spec: Spec): Promise<WorkSection> {
    const track = spec.track ? `, j.country, j.status AS country_status, j.deadline` : '';
    // Request sections pick and count ids from the covering index, then read 50 rows only.
    const sql = spec.track
      ? `SELECT ${COLUMNS}${track}, count(*) OVER () AS total FROM ${spec.from}
          WHERE ${spec.where} ORDER BY ${spec.order} LIMIT ${SECTION_LIMIT}`
      : `WITH picked AS (SELECT t.id, count(*) OVER () AS total FROM ${spec.from}
           WHERE ${spec.where} ORDER BY ${spec.order} LIMIT ${SECTION_LIMIT})
         SELECT ${COLUMNS}, picked.total FROM picked JOIN trace_requests t ON t.id = picked.id
          ORDER BY ${spec.order}`;
    const rows = (await this.db.query(sql, spec.params)) as Row[];
    return { total: rows.length ? Number(rows[0].total) : 0, items: rows.map(toItem) };
  }
}

function requests(where: string, order: string, params: unknown[]): Spec {
  return {
    from: 'trace_requests t',
    where: `t.requesting_country = $1 AND ${where}`,
    order,
    params,
  };
}

function toItem(r: Row): WorkItem {
  return {
    id: r.id,
    reference: r.reference,
    status: r.status,
    kind: r.kind,
    urgency: r.urgency,
    caseReference: r.case_reference,
    subjectName: r.subject_name,
    requestingCountry: r.requesting_country,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
    ...(r.country !== undefined
      ? {
          country: r.country.trim(),
          countryStatus: r.country_status,
          deadline: r.deadline ? new Date(r.deadline).toISOString() : undefined,
        }
      : {}),
  };
}
