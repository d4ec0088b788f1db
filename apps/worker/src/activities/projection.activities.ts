import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { RequestProjection } from '../../../../workflows/activity-types';

@Injectable()
export class ProjectionActivities {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Upserts the read model. The `state_seq` guard makes a retried or out-of-order projection a
   * no-op, and the insert branch heals the rare case where the API's own insert never committed.
   */
  async projectRequest(p: RequestProjection): Promise<void> {
    await this.db.query(
      `INSERT INTO trace_requests (id, reference, requesting_country, kind, urgency, language, status,
         version, state_seq, case_reference, subject_name, content, content_hash, state, drafter_id,
         workflow_id, created_at, updated_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18)
       ON CONFLICT (id) DO UPDATE SET
         kind = EXCLUDED.kind, urgency = EXCLUDED.urgency, language = EXCLUDED.language,
         status = EXCLUDED.status, version = EXCLUDED.version, state_seq = EXCLUDED.state_seq,
         case_reference = EXCLUDED.case_reference, subject_name = EXCLUDED.subject_name,
         content = EXCLUDED.content, content_hash = EXCLUDED.content_hash, state = EXCLUDED.state,
         updated_at = EXCLUDED.updated_at
       WHERE trace_requests.state_seq < EXCLUDED.state_seq`,
      [
        p.id,
        p.reference,
        p.requestingCountry,
        p.kind,
        p.urgency,
        p.language,
        p.status,
        p.version,
        p.stateSeq,
        p.caseReference,
        p.subjectName,
        JSON.stringify(p.content),
        p.contentHash,
        JSON.stringify(p.state),
        p.drafterId,
        p.workflowId,
        p.createdAt,
        p.updatedAt,
      ],
    );
  }
}
