import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Archived Temporal histories of finished requests (the request's runs and its country tracks),
 * so the timeline and replay outlive Temporal's retention. One row per run; the worker's exporter
 * writes each closed run once (ON CONFLICT DO NOTHING), `sha256` is over the canonical JSON of
 * `history` (the SDK's historyToJSON form).
 */
export class WorkflowHistories1764420000000 implements MigrationInterface {
  name = 'WorkflowHistories1764420000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE workflow_histories (
        workflow_id varchar(200) NOT NULL,
        run_id varchar(64) NOT NULL,
        request_id uuid NOT NULL,
        workflow_type varchar(100) NOT NULL,
        event_count int NOT NULL,
        sha256 char(64) NOT NULL,
        history jsonb NOT NULL,
        started_at timestamptz NOT NULL,
        closed_at timestamptz NOT NULL,
        exported_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT workflow_histories_pk PRIMARY KEY (workflow_id, run_id)
      )`);
    await q.query(
      `CREATE INDEX workflow_histories_request_idx ON workflow_histories (request_id, started_at)`,
    );
    await q.query(`CREATE INDEX workflow_histories_closed_idx ON workflow_histories (closed_at)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE workflow_histories`);
  }
}
