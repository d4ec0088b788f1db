import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What admins manage through the API. `participating_countries`: the pilot's members (a request
 * may target only active ones; an allMembers notice goes to them), each with an optional answer
 * deadline of its own. `workflow_settings`: stored overrides of the lifecycle durations (the
 * environment gives the defaults), read when a request starts. `quota_counters.quota_limit`: a
 * country's own limit for one year (NULL: the default, QUOTA_PER_YEAR).
 */
export class Admin1764400000000 implements MigrationInterface {
  name = 'Admin1764400000000';

  /**
   * The 52 pilot participants are not public: a plausible set (EU, EEA, G20 and other active
   * INTERPOL members), which holds every country the test suites target.
   */
  static readonly PILOT_COUNTRIES = [
    'AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE', 'IT',
    'LV', 'LT', 'LU', 'MT', 'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE', 'GB', 'US', 'CA',
    'AU', 'NZ', 'JP', 'KR', 'SG', 'BR', 'ZA', 'CH', 'NO', 'IS', 'AR', 'MX', 'CL', 'CO', 'IN',
    'ID', 'MY', 'AE', 'TR', 'MA', 'KE', 'NG',
  ]; // prettier-ignore

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE participating_countries (
        country char(2) PRIMARY KEY CHECK (country ~ '^[A-Z]{2}$'),
        active boolean NOT NULL DEFAULT true,
        response_deadline text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Seeded only when nobody has set the list yet.
    await q.query(
      `INSERT INTO participating_countries (country)
         SELECT unnest($1::text[])
          WHERE NOT EXISTS (SELECT 1 FROM participating_countries)`,
      [Admin1764400000000.PILOT_COUNTRIES],
    );
    await q.query(`
      CREATE TABLE workflow_settings (
        key text PRIMARY KEY,
        value jsonb NOT NULL,
        updated_by uuid,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`ALTER TABLE quota_counters ADD COLUMN quota_limit int CHECK (quota_limit >= 0)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE quota_counters DROP COLUMN quota_limit`);
    await q.query(`DROP TABLE workflow_settings`);
    await q.query(`DROP TABLE participating_countries`);
  }
}
