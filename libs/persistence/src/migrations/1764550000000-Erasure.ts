import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Erasure (crypto-shredding) and retention review (README, "Personal data").
 *
 * - `erasures`: one row per erased request, written FIRST (the intent: ground, the order's
 *   reference and deadline, who ordered it, through which channel), then completed once every
 *   step is done (workflows terminated, data key destroyed, read models scrubbed). A row without
 *   `completed_at` is an erasure under way: a retry finishes it, the retention sweep escalates it
 *   when an order's deadline passed. Holds no personal data.
 * - `trace_requests.erased_at`: set with the scrub, in the same transaction as `completed_at`.
 * - `trace_requests.retention_review_on`: an explicit review date (a kept request's next review,
 *   or an earlier one an admin set); null means the default (created_at + RETENTION_REVIEW_AFTER).
 *   `retention_notified_for` / `retention_escalated_for` remember which review date the sweep
 *   already announced or escalated, so each is told once per date.
 */
export class Erasure1764550000000 implements MigrationInterface {
  name = 'Erasure1764550000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE erasures (
        request_id uuid PRIMARY KEY REFERENCES trace_requests(id),
        reference varchar(32) NOT NULL,
        requesting_country char(2) NOT NULL,
        ground varchar(32) NOT NULL,
        order_reference varchar(200),
        deadline timestamptz,
        channel varchar(16) NOT NULL,
        ordered_by varchar(200) NOT NULL,
        ordered_role varchar(100) NOT NULL,
        requested_at timestamptz NOT NULL DEFAULT now(),
        attempts int NOT NULL DEFAULT 1,
        last_error text,
        completed_at timestamptz,
        escalated_at timestamptz
      )`);
    await q.query(
      `CREATE INDEX erasures_pending_idx ON erasures (deadline) WHERE completed_at IS NULL`,
    );
    await q.query(`ALTER TABLE trace_requests ADD COLUMN erased_at timestamptz`);
    await q.query(`ALTER TABLE trace_requests ADD COLUMN retention_review_on timestamptz`);
    await q.query(`ALTER TABLE trace_requests ADD COLUMN retention_notified_for timestamptz`);
    await q.query(`ALTER TABLE trace_requests ADD COLUMN retention_escalated_for timestamptz`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE trace_requests DROP COLUMN retention_escalated_for`);
    await q.query(`ALTER TABLE trace_requests DROP COLUMN retention_notified_for`);
    await q.query(`ALTER TABLE trace_requests DROP COLUMN retention_review_on`);
    await q.query(`ALTER TABLE trace_requests DROP COLUMN erased_at`);
    await q.query(`DROP TABLE erasures`);
  }
}
