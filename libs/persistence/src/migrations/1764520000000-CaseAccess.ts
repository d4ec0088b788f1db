import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Case access in the home country: the investigators assigned to a request (by its drafter or a
 * supervisor), and every break-glass opening of a request by another investigator, with its
 * reason (also in the audit chain; shown to the request's supervisors).
 */
export class CaseAccess1764520000000 implements MigrationInterface {
  name = 'CaseAccess1764520000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE request_assignments (
        request_id uuid NOT NULL REFERENCES trace_requests(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id),
        username varchar(100) NOT NULL,
        assigned_by varchar(100) NOT NULL,
        assigned_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT request_assignments_pk PRIMARY KEY (request_id, user_id)
      )`);
    await q.query(`CREATE INDEX request_assignments_user_idx ON request_assignments (user_id)`);
    await q.query(`
      CREATE TABLE break_glass_openings (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        request_id uuid NOT NULL REFERENCES trace_requests(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id),
        username varchar(100) NOT NULL,
        reason text NOT NULL,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX break_glass_openings_request_idx ON break_glass_openings (request_id, user_id)`,
    );
    await q.query(`CREATE INDEX break_glass_openings_user_idx ON break_glass_openings (user_id)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE break_glass_openings`);
    await q.query(`DROP TABLE request_assignments`);
  }
}
