import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { AppConfig } from '../../../../libs/config/src';
import { APP_CONFIG } from '../../../../libs/config/src/config.module';
import { isCountryCode } from '../../../../libs/domain/src/dto/constraints';
import { durationMs } from '../../../../libs/domain/src/durations';
import type { AuthUser } from '../auth/actor';
import { badRequest, notFound } from '../common/problem';
import { countryScopeRefusal, pilotWideRefusal } from '../../../../libs/domain/src/admin-scope';
import { refuse } from './admin-users.service';
import type { CountryDeadlineDto, UpdateDeadlinesDto } from './admin.dto';
import { recordAdminChange } from './admin-change';
import {
  DEADLINE_KEYS,
  type Deadlines,
  type DeadlinesView,
  WorkflowSettingsService,
} from './workflow-settings.service';

export interface QuotaView {
  country: string;
  year: number;
  /** The limit that applies: the country's own, or the default. */
  limit: number;
  /** The country's own limit for the year; null when the default applies. */
  customLimit: number | null;
  used: number;
}

export interface CountryView {
  country: string;
  active: boolean;
  responseDeadline: string | null;
  createdAt: string;
  updatedAt: string;
}

interface CountryRow {
  country: string;
  active: boolean;
  response_deadline: string | null;
  created_at: Date;
  updated_at: Date;
}

const countryView = (r: CountryRow): CountryView => ({
  country: r.country,
  active: r.active,
  responseDeadline: r.response_deadline,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

/** The rows of a raw statement: TypeORM's query() answers UPDATE with [rows, count]. */
async function rowsOf<T>(tx: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  const result = await tx.queryRunner!.query(sql, params, true);
  return (result.records ?? []) as T[];
}

/** A country code in a path: 400 naming `country` unless ISO 3166-1 alpha-2 (upper case). */
export function countryParam(value: string): string {
  if (!isCountryCode(value))
    throw badRequest('invalid country', [
      { field: 'country', message: 'country must be an ISO 3166-1 alpha-2 code, e.g. GR' },
    ]);
  return value;
}

export function yearParam(value: string): number {
  const year = /^\d{4}$/.test(value) ? Number(value) : NaN;
  if (!(year >= 2000 && year <= 2100))
    throw badRequest('invalid year', [
      { field: 'year', message: 'year must be a year from 2000 to 2100' },
    ]);
  return year;
}

/**
 * Quotas, participating countries and deadlines. Every write is one transaction holding the
 * change and its record (recordAdminChange), and setting a value twice changes nothing more.
 */
@Injectable()
export class AdminSettingsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly settings: WorkflowSettingsService,
  ) {}

  // ---- quotas ----

  /** Every participating country's quota for the year, and any other country with a counter. */
  async quotas(year: number): Promise<{ year: number; defaultLimit: number; items: QuotaView[] }> {
    const rows = (await this.db.query(
      `SELECT coalesce(p.country, c.country) AS country, coalesce(c.used, 0) AS used,
              c.quota_limit
         FROM (SELECT country FROM participating_countries WHERE active) p
         FULL JOIN (SELECT * FROM quota_counters WHERE year = $1) c ON c.country = p.country
        ORDER BY 1`,
      [year],
    )) as { country: string; used: number; quota_limit: number | null }[];
    const defaultLimit = this.config.workflow.quotaPerYear;
    return {
      year,
      defaultLimit,
      items: rows.map((r) => this.quotaView(r.country, year, r.used, r.quota_limit)),
    };
  }

  async setQuota(
    admin: AuthUser,
    country: string,
    year: number,
    limit: number | null,
  ): Promise<QuotaView> {
    refuse(countryScopeRefusal(admin, country, 'change the quota'));
    return this.db.transaction(async (tx) => {
      const [row] = (await tx.query(
        `INSERT INTO quota_counters (country, year, quota_limit) VALUES ($1, $2, $3)
         ON CONFLICT (country, year) DO UPDATE SET quota_limit = EXCLUDED.quota_limit
         RETURNING used, quota_limit`,
        [country, year, limit],
      )) as { used: number; quota_limit: number | null }[];
      await recordAdminChange(tx, admin, {
        action: 'admin.quotas.set',
        target: `quota:${country}:${year}`,
        changes: { limit },
      });
      return this.quotaView(country, year, row.used, row.quota_limit);
    });
  }

  private quotaView(country: string, year: number, used: number, custom: number | null) {
    return {
      country,
      year,
      limit: custom ?? this.config.workflow.quotaPerYear,
      customLimit: custom,
      used,
    };
  }

  // ---- participating countries ----

  async countries(): Promise<{ items: CountryView[] }> {
    const rows = (await this.db.query(
      `SELECT * FROM participating_countries ORDER BY country`,
    )) as CountryRow[];
    return { items: rows.map(countryView) };
  }

  /** Adds a country, or takes a removed one back; `created` only when it was never listed. */
  async addCountry(
    admin: AuthUser,
    country: string,
  ): Promise<{ created: boolean; view: CountryView }> {
    refuse(countryScopeRefusal(admin, country, 'add to the pilot the country'));
    return this.db.transaction(async (tx) => {
      const [row] = (await tx.query(
        `INSERT INTO participating_countries AS p (country) VALUES ($1)
         ON CONFLICT (country) DO UPDATE SET active = true,
           updated_at = CASE WHEN p.active THEN p.updated_at ELSE now() END
         RETURNING *, (xmax = 0) AS inserted`,
        [country],
      )) as (CountryRow & { inserted: boolean })[];
      await recordAdminChange(tx, admin, {
        action: 'admin.countries.add',
        target: `country:${country}`,
        changes: { active: true },
      });
      return { created: row.inserted, view: countryView(row) };
    });
  }

  /**
   * Takes a country out of the pilot: new requests may no longer target it. The row stays
   * (inactive), so its history and its deadline survive a later return; running requests and
   * their country tracks are not touched.
   */
  async removeCountry(admin: AuthUser, country: string): Promise<void> {
    refuse(countryScopeRefusal(admin, country, 'remove from the pilot the country'));
    await this.db.transaction(async (tx) => {
      const rows = await rowsOf(
        tx,
        `UPDATE participating_countries
            SET active = false, updated_at = CASE WHEN active THEN now() ELSE updated_at END
          WHERE country = $1 RETURNING country`,
        [country],
      );
      if (rows.length === 0) throw notFound(`participating country ${country}`);
      await recordAdminChange(tx, admin, {
        action: 'admin.countries.remove',
        target: `country:${country}`,
        changes: { active: false },
      });
    });
  }

  // ---- deadlines ----

  deadlines(): Promise<DeadlinesView> {
    return this.settings.deadlines();
  }

  /** Stores the given durations (null: back to the default); the rest stays as it is. */
  async setDeadlines(admin: AuthUser, dto: UpdateDeadlinesDto): Promise<DeadlinesView> {
    const given = DEADLINE_KEYS.filter((k) => dto[k] !== undefined);
    if (given.length === 0)
      throw badRequest('nothing to change', [
        { field: DEADLINE_KEYS[0], message: `give at least one of ${DEADLINE_KEYS.join(', ')}` },
      ]);
    refuse(pilotWideRefusal(admin, 'the default deadlines'));
    await this.db.transaction(async (tx) => {
      // One change at a time, so the consistency check below sees the others' committed values.
      await tx.query(`LOCK TABLE workflow_settings IN SHARE ROW EXCLUSIVE MODE`);
      for (const key of given) {
        const value = dto[key];
        if (value === null) await tx.query(`DELETE FROM workflow_settings WHERE key = $1`, [key]);
        else
          await tx.query(
            `INSERT INTO workflow_settings (key, value, updated_by) VALUES ($1, $2::jsonb, $3)
             ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value,
               updated_by = EXCLUDED.updated_by, updated_at = now()
             WHERE workflow_settings.value IS DISTINCT FROM EXCLUDED.value`,
            [key, JSON.stringify(value), admin.userId],
          );
      }
      const [row] = (await tx.query(
        `SELECT coalesce(jsonb_object_agg(key, value), '{}') AS stored FROM workflow_settings`,
      )) as { stored: Record<string, unknown> }[];
      const effective = { ...this.settings.defaults(), ...row.stored } as Deadlines;
      if (durationMs(effective.reviewEscalationAfter) <= durationMs(effective.reviewReminderAfter))
        throw badRequest('the escalation must come after the reminder', [
          {
            field: given.includes('reviewEscalationAfter')
              ? 'reviewEscalationAfter'
              : 'reviewReminderAfter',
            message: `reviewEscalationAfter (${effective.reviewEscalationAfter}) must be longer than reviewReminderAfter (${effective.reviewReminderAfter})`,
          },
        ]);
      await recordAdminChange(tx, admin, {
        action: 'admin.deadlines.set',
        target: 'deadlines',
        changes: Object.fromEntries(given.map((k) => [k, dto[k]])),
      });
    });
    return this.settings.deadlines();
  }

  /** A participating country's own answer deadline (null clears it back to the default). */
  async setCountryDeadline(
    admin: AuthUser,
    country: string,
    dto: CountryDeadlineDto | null,
  ): Promise<DeadlinesView> {
    refuse(countryScopeRefusal(admin, country, 'change the answer deadline'));
    await this.db.transaction(async (tx) => {
      const rows = await rowsOf(
        tx,
        `UPDATE participating_countries SET response_deadline = $2, updated_at = now()
          WHERE country = $1 AND active RETURNING country`,
        [country, dto?.countryDeadline ?? null],
      );
      if (rows.length === 0) {
        if (dto === null) throw notFound(`participating country ${country}`);
        throw badRequest(`${country} does not participate`, [
          { field: 'country', message: `${country} is not a participating country` },
        ]);
      }
      await recordAdminChange(tx, admin, {
        action: dto ? 'admin.deadlines.set-country' : 'admin.deadlines.clear-country',
        target: `country:${country}`,
        changes: { countryDeadline: dto?.countryDeadline ?? null },
      });
    });
    return this.settings.deadlines();
  }
}
