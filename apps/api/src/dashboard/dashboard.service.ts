import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type {
  AssetFigure,
  CountryResponseTimes,
  Dashboard,
  StatusCount,
} from '../../../../libs/domain/src/api-types';
import {
  JURISDICTION_ANSWERED_STATUSES,
  JURISDICTION_OPEN_STATUSES,
} from '../../../../libs/domain/src/rules';
import { applyView } from '../../../../libs/domain/src/views';
import type { AuthUser } from '../auth/actor';
import { visibilitySql } from '../trace-requests/visibility';

const DAY_SECONDS = 86400;
const round = (v: string | null): number | null =>
  v === null ? null : Math.round((Number(v) / DAY_SECONDS) * 10) / 10;

/**
 * Figures for the dashboard, computed with SQL aggregates over the read models and scoped exactly
 * as the lists are: home staff see their country's requests; a foreign liaison sees what was sent
 * to its country, and only its own country's track and assets.
 */
@Injectable()
export class DashboardService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async forUser(user: AuthUser): Promise<Dashboard> {
    const [requestsByStatus, responseTimes, assets] = await Promise.all([
      this.byStatus(user),
      this.responseTimes(user),
      this.assets(user),
    ]);
    const dashboard = {
      generatedAt: new Date().toISOString(),
      requestsByStatus,
      responseTimes,
      assets,
    };
    return applyView('dashboard', user, dashboard);
  }

  private async byStatus(user: AuthUser): Promise<StatusCount[]> {
    const params: unknown[] = [];
    const visible = visibilitySql(user, 't', params);
    const rows = (await this.db.query(
      `SELECT t.status, count(*)::int AS count FROM trace_requests t
        WHERE ${visible} GROUP BY t.status ORDER BY t.status`,
      params,
    )) as StatusCount[];
    return rows;
  }

  private async responseTimes(user: AuthUser): Promise<CountryResponseTimes[]> {
    const params: unknown[] = [];
    const visible = visibilitySql(user, 't', params, (cc) => `j.country = ${cc}`);
    params.push([...JURISDICTION_ANSWERED_STATUSES], [...JURISDICTION_OPEN_STATUSES]);
    const [answered, open] = [params.length - 1, params.length];
    const rows = (await this.db.query(
      `WITH tracks AS (
         SELECT j.country, j.status,
                (SELECT min(r.at) FROM jurisdiction_responses r
                  WHERE r.request_id = j.request_id AND r.country = j.country
                    AND r.outcome <> 'acknowledged') AS answered_at,
                (t.state -> 'interpol' ->> 'publishedAt')::timestamptz AS published_at
           FROM jurisdictions j JOIN trace_requests t ON t.id = j.request_id
          WHERE ${visible})
       SELECT country,
              count(*)::int AS tracks,
              count(*) FILTER (WHERE status = ANY($${answered}::text[]))::int AS answered,
              count(*) FILTER (WHERE status = ANY($${open}::text[]))::int AS open,
              count(*) FILTER (WHERE status = 'OVERDUE')::int AS overdue,
              avg(extract(epoch FROM answered_at - published_at))::text AS avg_s,
              (percentile_cont(0.5) WITHIN GROUP
                 (ORDER BY extract(epoch FROM answered_at - published_at)))::text AS median_s,
              max(extract(epoch FROM answered_at - published_at))::text AS max_s
         FROM tracks GROUP BY country ORDER BY country`,
      params,
    )) as {
      country: string;
      tracks: number;
      answered: number;
      open: number;
      overdue: number;
      avg_s: string | null;
      median_s: string | null;
      max_s: string | null;
    }[];
    return rows.map((r) => ({
      country: r.country.trim(),
      tracks: r.tracks,
      answered: r.answered,
      open: r.open,
      overdue: r.overdue,
      averageDays: round(r.avg_s),
      medianDays: round(r.median_s),
      maxDays: round(r.max_s),
    }));
  }

  private async assets(user: AuthUser): Promise<AssetFigure[]> {
    const params: unknown[] = [];
    const visible = visibilitySql(user, 't', params, (cc) => `a.country = ${cc}`);
    const rows = (await this.db.query(
      `SELECT a.status, a.currency, count(*)::int AS count, sum(a.amount)::text AS amount
         FROM assets a JOIN trace_requests t ON t.id = a.request_id
        WHERE ${visible}
        GROUP BY a.status, a.currency ORDER BY a.status, a.currency NULLS LAST`,
      params,
    )) as { status: string; currency: string | null; count: number; amount: string | null }[];
    return rows.map((r) => ({
      status: r.status,
      currency: r.currency?.trim() ?? null,
      count: r.count,
      amount: r.amount,
    }));
  }
}
