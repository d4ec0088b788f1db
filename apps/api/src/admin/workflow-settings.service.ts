import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../../../../libs/config/src';
import { APP_CONFIG } from '../../../../libs/config/src/config.module';
import type { WorkflowSettings } from '../../../../workflows/messages';
import { badRequest } from '../common/problem';

/** The lifecycle durations admins may change (stored in workflow_settings by these keys). */
export const DEADLINE_KEYS = [
  'reviewReminderAfter',
  'reviewEscalationAfter',
  'gsReminderAfter',
  'countryDeadline',
  'countryRemindersBefore',
  'validity',
  'monitorReportEvery',
] as const;
export type DeadlineKey = (typeof DEADLINE_KEYS)[number];
export type Deadlines = Pick<WorkflowSettings, DeadlineKey>;

export interface DeadlinesView extends Deadlines {
  /** Answer deadlines of particular countries, instead of countryDeadline. */
  countryDeadlines: Record<string, string>;
  /** What each setting is when no admin changed it (the environment). */
  defaults: Deadlines;
}

/**
 * What a request starts with: the environment's defaults, overlaid by what admins stored, plus
 * the participating countries and their own deadlines. Read when a request is created and put in
 * its workflow's input, so a change applies to requests started afterwards and never to a
 * running one (its history replays the same).
 */
@Injectable()
export class WorkflowSettingsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  defaults(): Deadlines {
    const w = this.config.workflow;
    return Object.fromEntries(DEADLINE_KEYS.map((k) => [k, w[k]])) as unknown as Deadlines;
  }

  /** One round trip: stored settings, active countries and their deadlines. */
  private async load(): Promise<{
    stored: Partial<Deadlines>;
    countries: string[];
    countryDeadlines: Record<string, string>;
  }> {
    const [row] = (await this.db.query(
      `SELECT (SELECT coalesce(jsonb_object_agg(key, value), '{}') FROM workflow_settings) AS stored,
              (SELECT coalesce(jsonb_agg(country ORDER BY country), '[]')
                 FROM participating_countries WHERE active) AS countries,
              (SELECT coalesce(jsonb_object_agg(country, response_deadline), '{}')
                 FROM participating_countries
                WHERE active AND response_deadline IS NOT NULL) AS deadlines`,
    )) as {
      stored: Record<string, unknown>;
      countries: string[];
      deadlines: Record<string, string>;
    }[];
    const stored: Partial<Record<DeadlineKey, unknown>> = {};
    for (const key of DEADLINE_KEYS) if (key in row.stored) stored[key] = row.stored[key];
    return {
      stored: stored as Partial<Deadlines>,
      countries: row.countries,
      countryDeadlines: row.deadlines,
    };
  }

  async deadlines(): Promise<DeadlinesView> {
    const { stored, countryDeadlines } = await this.load();
    const defaults = this.defaults();
    return { ...defaults, ...stored, countryDeadlines, defaults };
  }

  /** The settings a request created now lives by. */
  async forNewRequest(): Promise<WorkflowSettings> {
    const { stored, countries, countryDeadlines } = await this.load();
    return {
      ...this.config.workflow,
      ...stored,
      participatingCountries: countries,
      ...(Object.keys(countryDeadlines).length > 0 ? { countryDeadlines } : {}),
    };
  }

  async participatingCountries(): Promise<string[]> {
    const rows = (await this.db.query(
      `SELECT country FROM participating_countries WHERE active ORDER BY country`,
    )) as { country: string }[];
    return rows.map((r) => r.country);
  }

  /** 400 naming targetCountries when a request targets a country outside the pilot. */
  async checkTargets(targets: readonly string[] | undefined): Promise<void> {
    if (!targets || targets.length === 0) return;
    const rows = (await this.db.query(
      `SELECT t.c AS country FROM unnest($1::text[]) AS t(c)
        WHERE NOT EXISTS (SELECT 1 FROM participating_countries p
                           WHERE p.country = t.c AND p.active)`,
      [targets],
    )) as { country: string }[];
    if (rows.length === 0) return;
    const outside = rows.map((r) => r.country);
    throw badRequest('the request targets countries that do not participate', [
      {
        field: 'targetCountries',
        message: `targetCountries must be participating countries; not participating: ${outside.join(', ')}`,
      },
    ]);
  }
}
