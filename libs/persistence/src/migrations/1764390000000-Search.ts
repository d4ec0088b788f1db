import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Search over trace requests. `search_text` is a generated column (so neither the API's insert
 * nor the projection has to fill it): lower-cased reference, case reference, subject name with
 * aliases, and every asset identifier (IBAN, VIN, IMO, wallet, registry number...) both as
 * written and compacted to letters and digits ("FR14 2004" is found as "fr142004"). A pg_trgm
 * GIN index serves `LIKE '%...%'` on it. Scoped lists walk (requesting_country, created_at, id).
 * `involved_ids` (drafter, editors, current approvers) serves the work queues' four-eyes rule.
 */
export class Search1764390000000 implements MigrationInterface {
  name = 'Search1764390000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`
      CREATE FUNCTION trace_request_search_text(reference text, case_reference text,
          subject_name text, content jsonb) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
          SELECT lower(concat_ws(' ', reference, case_reference, subject_name,
            (SELECT string_agg(v #>> '{}' || ' ' ||
                regexp_replace(v #>> '{}', '[^[:alnum:]]', '', 'g'), ' ')
               FROM jsonb_path_query(content, 'lax $.assets[*].identifiers.*') AS v)))
        $$`);
    await q.query(`
      ALTER TABLE trace_requests ADD COLUMN search_text text GENERATED ALWAYS AS
        (trace_request_search_text(reference, case_reference, subject_name, content)) STORED`);
    await q.query(
      `CREATE INDEX trace_requests_search_trgm_idx ON trace_requests
         USING gin (search_text gin_trgm_ops)`,
    );
    await q.query(
      `CREATE INDEX trace_requests_country_created_idx
         ON trace_requests (requesting_country, created_at DESC, id DESC)`,
    );
    // Work queues read who is involved in a request without detoasting the large `state`:
    // drafter, editors and this round's approvers (nobody of them may review it now).
    await q.query(`
      CREATE FUNCTION trace_request_involved(drafter_id uuid, state jsonb) RETURNS text[]
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
          SELECT array_remove(ARRAY[drafter_id::text]
            || ARRAY(SELECT jsonb_array_elements_text(coalesce(state -> 'editorIds', '[]')))
            || ARRAY(SELECT a ->> 'userId'
                       FROM jsonb_array_elements(coalesce(state -> 'approvals', '[]')) AS a),
            NULL)
        $$`);
    await q.query(`
      ALTER TABLE trace_requests ADD COLUMN involved_ids text[] GENERATED ALWAYS AS
        (trace_request_involved(drafter_id, state)) STORED`);
    // Covering, so a queue's count and order come from the index alone (rows are wide).
    await q.query(
      `CREATE INDEX trace_requests_country_status_idx
         ON trace_requests (requesting_country, status, updated_at)
         INCLUDE (urgency, id, drafter_id, involved_ids)`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX trace_requests_country_status_idx`);
    await q.query(`ALTER TABLE trace_requests DROP COLUMN involved_ids`);
    await q.query(`DROP FUNCTION trace_request_involved(uuid, jsonb)`);
    await q.query(`DROP INDEX trace_requests_country_created_idx`);
    await q.query(`DROP INDEX trace_requests_search_trgm_idx`);
    await q.query(`ALTER TABLE trace_requests DROP COLUMN search_text`);
    await q.query(`DROP FUNCTION trace_request_search_text(text, text, text, jsonb)`);
  }
}
