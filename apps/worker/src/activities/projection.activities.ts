import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AUDIT_LOCK_SQL } from '../../../../libs/audit/src';
import { appendWorkflowEvents } from './audit.activities';
import type {
  JurisdictionProjection,
  RequestProjection,
} from '../../../../workflows/activity-types';

/** Outcomes whose assets enter the register. */
const REPORTING_OUTCOMES = new Set<string>(['assets_found', 'partial']);

@Injectable()
export class ProjectionActivities {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Upserts the read model. The `state_seq` guard makes a retried or out-of-order projection a
   * no-op, and the insert branch heals the rare case where the API's own insert never committed.
   * Projections of one request take turns (advisory lock): two concurrent first inserts would
   * otherwise trip over the unique reference, which ON CONFLICT (id) does not absorb.
   */
  async projectRequest(p: RequestProjection): Promise<void> {
    await this.db.transaction(async (em) => {
      // With events to record, the chain's lock comes in the same statement (one round trip
      // less on the path every action waits for). Never at the first projection, which may wait
      // for the API's uncommitted insert while that transaction waits for the chain's lock.
      const audited = (p.audit?.length ?? 0) > 0;
      await em.query(
        `SELECT pg_advisory_xact_lock(hashtext($1))${audited ? `, ${AUDIT_LOCK_SQL}` : ''}`,
        [`trace_request:${p.id}`],
      );
      await this.upsertRequest(em, p);
      // Last: the chain's lock is then held only until the commit. Written even when the
      // state_seq guard dropped a stale read model: the events themselves still happened.
      await appendWorkflowEvents(
        em,
        {
          workflowId: p.workflowId,
          traceRequestId: p.id,
          objectType: 'trace_request',
          objectId: p.id,
          actionPrefix: 'trace-request',
          reference: p.reference,
        },
        p.audit,
        { lockHeld: audited },
      );
    });
  }

  private async upsertRequest(em: EntityManager, p: RequestProjection): Promise<void> {
    await em.query(
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
       WHERE trace_requests.state_seq < EXCLUDED.state_seq AND trace_requests.erased_at IS NULL`,
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

  /**
   * Upserts one country track, then inserts its responses and the assets they report. Responses
   * are append-only and keyed by externalReference, and assets by their position in a response,
   * so plain ON CONFLICT DO NOTHING inserts make a retry or replay a no-op, even from an older
   * projection (its responses are a subset of what is stored). The track row itself only moves
   * forward (`state_seq`). The first statement locks the track's row (ON CONFLICT DO UPDATE locks
   * even when its WHERE is false), so concurrent projections of one track run one after another.
   */
  async projectJurisdiction(p: JurisdictionProjection): Promise<void> {
    const responses = p.state.responses.map((r, seq) => ({
      external_reference: r.externalReference,
      seq,
      outcome: r.outcome,
      narrative: r.narrative ?? null,
      handling_code: r.handlingCode ?? null,
      source_reliability: r.sourceReliability ?? null,
      information_accuracy: r.informationAccuracy ?? null,
      late: r.late,
      recorded_by: r.recordedBy,
      at: r.at,
      body: r,
    }));
    const assets = p.state.responses
      .filter((r) => REPORTING_OUTCOMES.has(r.outcome))
      .flatMap((r) =>
        (r.assets ?? []).map((a, itemIndex) => ({
          external_reference: r.externalReference,
          item_index: itemIndex,
          type: a.type,
          description: a.description,
          identifiers: a.identifiers ?? null,
          holder: a.holder ?? null,
          amount: a.estimatedValue?.amount ?? null,
          currency: a.estimatedValue?.currency ?? null,
          at: r.at,
        })),
      );

    await this.db.transaction(async (em) => {
      // A projection that lands after the request was erased (its activity ran before the
      // workflow was terminated) must not bring content back: the erasure holds the request's
      // advisory lock while it scrubs, so either it sees our rows or we see its erased_at. The
      // advisory lock, not a row lock: projectRequest takes the chain's lock before the row's,
      // so a row lock held here while our audit entries wait for the chain's lock deadlocks.
      await em.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [
        `trace_request:${p.requestId}`,
      ]);
      const [request] = (await em.query(`SELECT erased_at FROM trace_requests WHERE id = $1`, [
        p.requestId,
      ])) as { erased_at: Date | null }[];
      if (request?.erased_at) return;
      await em.query(
        `INSERT INTO jurisdictions (request_id, country, reference, status, deadline, state,
           state_seq, workflow_id, updated_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)
         ON CONFLICT (request_id, country) DO UPDATE SET
           status = EXCLUDED.status, deadline = EXCLUDED.deadline, state = EXCLUDED.state,
           state_seq = EXCLUDED.state_seq, workflow_id = EXCLUDED.workflow_id,
           updated_at = EXCLUDED.updated_at
         WHERE jurisdictions.state_seq < EXCLUDED.state_seq`,
        [
          p.requestId,
          p.country,
          p.reference,
          p.state.status,
          p.state.deadline,
          JSON.stringify(p.state),
          p.stateSeq,
          p.workflowId,
          p.updatedAt,
        ],
      );
      if (responses.length > 0) {
        // One statement for all rows: the list travels as one jsonb parameter.
        await em.query(
          `INSERT INTO jurisdiction_responses (request_id, country, external_reference, seq,
             outcome, narrative, handling_code, source_reliability, information_accuracy, late,
             recorded_by, at, body)
           SELECT $1::uuid, $2, r.external_reference, r.seq, r.outcome, r.narrative,
             r.handling_code, r.source_reliability, r.information_accuracy, r.late,
             r.recorded_by, r.at, r.body
           FROM jsonb_to_recordset($3::jsonb) AS r(external_reference text, seq int,
             outcome text, narrative text, handling_code text, source_reliability text,
             information_accuracy text, late boolean, recorded_by jsonb, at timestamptz,
             body jsonb)
           ON CONFLICT (request_id, country, external_reference) DO NOTHING`,
          [p.requestId, p.country, JSON.stringify(responses)],
        );
      }
      if (assets.length > 0) {
        await em.query(
          `INSERT INTO assets (request_id, country, external_reference, item_index, type,
             description, identifiers, holder, amount, currency, created_at, updated_at)
           SELECT $1::uuid, $2, a.external_reference, a.item_index, a.type, a.description,
             a.identifiers, a.holder, a.amount, a.currency, a.at, a.at
           FROM jsonb_to_recordset($3::jsonb) AS a(external_reference text, item_index int,
             type text, description text, identifiers jsonb, holder text, amount numeric,
             currency text, at timestamptz)
           ON CONFLICT (request_id, country, external_reference, item_index) DO NOTHING`,
          [p.requestId, p.country, JSON.stringify(assets)],
        );
      }
      await appendWorkflowEvents(
        em,
        {
          workflowId: p.workflowId,
          traceRequestId: p.requestId,
          objectType: 'jurisdiction',
          objectId: `${p.requestId}/${p.country}`,
          actionPrefix: 'jurisdiction',
          reference: p.reference,
        },
        p.audit,
      );
    });
  }
}
