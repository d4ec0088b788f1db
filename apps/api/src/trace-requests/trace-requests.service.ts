import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client, WorkflowIdConflictPolicy } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { AppConfig } from '../../../../libs/config/src';
import { APP_CONFIG } from '../../../../libs/config/src/config.module';
import { hashOf } from '../../../../libs/common/src';
import type {
  AssignDto,
  BreakGlassDto,
  CloseDto,
  CreateTraceRequestDto,
  InterpolSubmissionDto,
  QueryAnswerDto,
  ReviewDto,
  SuspendDto,
  UpdateTraceRequestDto,
  WithdrawDto,
} from '../../../../libs/domain/src/dto';
import type { Page, TraceRequestSummary } from '../../../../libs/domain/src/api-types';
import type { Role } from '../../../../libs/domain/src/enums';
import { caseAccess, readsByCase } from '../../../../libs/domain/src/case-access';
import type { RequestCommand, RequestState } from '../../../../libs/domain/src/lifecycle';
import type { Actor, TraceRequestContent } from '../../../../libs/domain/src/types';
import {
  IdempotencyKeyEntity,
  TraceRequestEntity,
} from '../../../../libs/persistence/src/entities';
import { requestWorkflowId, TEMPORAL_CLIENT } from '../../../../libs/temporal/src';
import { DATA_KEY_STORE } from '../../../../libs/crypto/src/crypto.module';
import type { DataKeyStore } from '../../../../libs/crypto/src/data-keys';
import { traceRequestWorkflow } from '../../../../workflows';
import type { TraceRequestWorkflowInput, WorkflowSettings } from '../../../../workflows/messages';
import { WorkflowSettingsService } from '../admin/workflow-settings.service';
import { auditActor, AuditRecorder } from '../audit/audit-recorder.service';
import type { AuthUser } from '../auth/actor';
import { rolesFor } from '../auth/policy';
import { badRequest, conflict, forbidden, notFound, unavailable } from '../common/problem';
import { temporalProblem } from '../common/temporal-errors';
import { cursorAtSql, decodeCursor, encodeCursor, likePattern } from './cursor';
import { DEFAULT_LIMIT, instantOf, ListTraceRequestsQuery } from './list-query.dto';
import { actorFor, plain, RequestWorkflows } from './request-workflows.service';
import { brokeGlassSql, canSee, involvedSql, visibilitySql } from './visibility';
import {
  CaseAccessView,
  JurisdictionSummary,
  SummaryRow,
  TraceRequestView,
  toSummary,
  toView,
} from './view';

/** The roles each action allows, from the one policy (the domain checks them again, with four-eyes). */
export const ACTION_ROLES = {
  edit: rolesFor('trace-requests.edit'),
  submit: rolesFor('trace-requests.submit'),
  review: rolesFor('trace-requests.review'),
  interpolSubmission: rolesFor('trace-requests.interpol-submission'),
  queryAnswers: rolesFor('trace-requests.query-answers'),
  withdraw: rolesFor('trace-requests.withdraw'),
  close: rolesFor('trace-requests.close'),
  suspend: rolesFor('trace-requests.suspend'),
  resume: rolesFor('trace-requests.resume'),
} satisfies Record<string, readonly Role[]>;

const CREATE_SCOPE = 'trace-requests:create';
const START_DEADLINE_MS = 5000;

@Injectable()
export class TraceRequestsService {
  private readonly logger = new Logger(TraceRequestsService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly workflows: RequestWorkflows,
    private readonly settings: WorkflowSettingsService,
    private readonly audit: AuditRecorder,
    @Inject(DATA_KEY_STORE) private readonly keys: DataKeyStore,
  ) {}

  /**
   * Creates the draft row and starts its workflow in one step: the row is committed only after
   * Temporal accepted the start, so a failure leaves nothing behind; with an Idempotency-Key a
   * retry (even a concurrent one) returns the first request instead of making a second.
   */
  async create(
    user: AuthUser,
    dto: CreateTraceRequestDto,
    idempotencyKey?: string,
  ): Promise<{ created: boolean; view: TraceRequestView }> {
    const content = { ...dto } as unknown as TraceRequestContent;
    const requestHash = hashOf(content);
    if (idempotencyKey) {
      const replay = await this.replayIdempotent(user, idempotencyKey, requestHash);
      if (replay) return { created: false, view: replay };
    }
    await this.settings.checkTargets(content.targetCountries);
    // Read before the transaction: what admins set now is what this request lives by.
    const settings = await this.settings.forNewRequest();

    const id = randomUUID();
    const now = new Date();
    // The request's data key, committed on its own before its workflow starts: the start's
    // payloads are encrypted with it, and every worker must find it. (Left behind, unused, if
    // the creation below fails.)
    await this.keys.createRequestKey(id);
    let inserted = false;
    try {
      await this.db.transaction(async (tx) => {
        if (idempotencyKey) {
          const rows = (await tx.query(
            `INSERT INTO idempotency_keys (user_id, scope, key, request_hash, resource_id)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING key`,
            [user.userId, CREATE_SCOPE, idempotencyKey, requestHash, id],
          )) as unknown[];
          // A concurrent twin committed first: give up this attempt and answer with its result.
          if (rows.length === 0) return;
        }
        const reference = await this.nextReference(tx, user.country, now);
        const row = this.newRow(id, reference, user, content, now);
        await tx.save(TraceRequestEntity, row);
        await this.startWorkflow(row, user, content, now, settings);
        // Last, so the chain's lock is held only for the commit.
        await this.audit.inTransaction(tx, {
          at: now,
          ...auditActor(user, 'trace-requests.create'),
          action: 'trace-requests.create',
          objectType: 'trace_request',
          objectId: id,
          traceRequestId: id,
          outcome: 'success',
          details: {
            reference,
            kind: content.kind,
            contentHash: row.contentHash,
            ...(idempotencyKey ? { idempotencyKey } : {}),
          },
        });
        inserted = true;
      });
    } catch (err) {
      const problem = temporalProblem(err, { closed: 'the request could not be started' });
      if (problem && problem.getStatus() === 503) {
        this.logger.error(`workflow start failed: ${(err as Error).message}`);
        throw unavailable('the workflow engine is unavailable; nothing was created, retry later');
      }
      throw problem ?? err;
    }
    if (!inserted && idempotencyKey) {
      const replay = await this.replayIdempotent(user, idempotencyKey, requestHash);
      if (replay) return { created: false, view: replay };
    }
    return { created: true, view: await this.get(user, id) };
  }

  async get(user: AuthUser, id: string, fresh?: RequestState): Promise<TraceRequestView> {
    const row = await this.findVisible(user, id);
    const summaries = await this.jurisdictionSummaries([row.id]);
    // Who may open the case: the home country's business only (a liaison's view drops it anyway).
    const access = user.country === row.requestingCountry ? await this.access(row.id) : undefined;
    return toView(row, user, summaries.get(row.id), fresh, access);
  }

  /**
   * The request's row if the caller may see it; 404 otherwise (unknown and hidden alike). An
   * investigator reads its own cases (drafted, edited, assigned) and those it opened by
   * break-glass; acting needs one of its own cases (403 after a mere break-glass opening).
   */
  async findVisible(
    user: AuthUser,
    id: string,
    purpose: 'read' | 'act' = 'read',
  ): Promise<TraceRequestEntity> {
    const row = await this.db.getRepository(TraceRequestEntity).findOne({ where: { id } });
    if (!row || !canSee(user, row)) throw notFound('trace request');
    if (user.country !== row.requestingCountry || !readsByCase(user)) return row;
    const access = caseAccess(user, await this.caseFacts(user, row));
    if (access === 'case') return row;
    if (access === 'break-glass') {
      if (purpose === 'read') return row;
      throw forbidden(
        'a break-glass opening lets you read this request, not act on it: ask its drafter or a supervisor to assign you',
      );
    }
    throw notFound('trace request');
  }

  /** What decides an investigator's access to one of its country's requests. */
  private async caseFacts(user: AuthUser, row: TraceRequestEntity) {
    const [facts] = (await this.db.query(
      `SELECT ${involvedSql('t', '$2')} AS involved, ${brokeGlassSql('t', '$2')} AS glass
         FROM trace_requests t WHERE t.id = $1`,
      [row.id, user.userId],
    )) as { involved: boolean; glass: boolean }[];
    return {
      requestingCountry: row.requestingCountry,
      involved: facts?.involved === true,
      brokeGlass: facts?.glass === true,
    };
  }

  /** The investigators assigned to a request and its break-glass openings, oldest first. */
  private async access(requestId: string): Promise<CaseAccessView> {
    const [assignees, breakGlass] = await Promise.all([
      this.db.query(
        `SELECT user_id, username, assigned_by, assigned_at FROM request_assignments
          WHERE request_id = $1 ORDER BY assigned_at, username`,
        [requestId],
      ) as Promise<{ user_id: string; username: string; assigned_by: string; assigned_at: Date }[]>,
      this.db.query(
        `SELECT user_id, username, reason, at FROM break_glass_openings
          WHERE request_id = $1 ORDER BY at, id`,
        [requestId],
      ) as Promise<{ user_id: string; username: string; reason: string; at: Date }[]>,
    ]);
    return {
      assignees: assignees.map((a) => ({
        userId: a.user_id,
        username: a.username,
        assignedBy: a.assigned_by,
        at: new Date(a.assigned_at).toISOString(),
      })),
      breakGlass: breakGlass.map((b) => ({
        userId: b.user_id,
        username: b.username,
        reason: b.reason,
        at: new Date(b.at).toISOString(),
      })),
    };
  }

  /**
   * Assigns an investigator of the request's country to it: by its drafter or a supervisor of
   * that country. Assigning someone already assigned changes nothing; each assignment is audited.
   */
  async assign(user: AuthUser, id: string, dto: AssignDto): Promise<TraceRequestView> {
    const row = await this.findVisible(user, id, 'act');
    const supervisor = user.roles.includes('supervisor');
    if (!supervisor && row.drafterId !== user.userId) {
      throw forbidden(
        `only the drafter or a supervisor of ${row.requestingCountry} assigns investigators`,
      );
    }
    const [target] = (await this.db.query(
      `SELECT id, username, roles, country, active FROM users WHERE id = $1`,
      [dto.userId],
    )) as { id: string; username: string; roles: Role[]; country: string; active: boolean }[];
    if (
      !target ||
      !target.active ||
      !target.roles.includes('investigator') ||
      target.country.trim() !== row.requestingCountry
    ) {
      throw badRequest('invalid assignment', [
        {
          field: 'userId',
          message: `userId must be an active investigator of ${row.requestingCountry}`,
        },
      ]);
    }
    await this.db.transaction(async (tx) => {
      const inserted = (await tx.query(
        `INSERT INTO request_assignments (request_id, user_id, username, assigned_by)
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING user_id`,
        [row.id, target.id, target.username, user.username],
      )) as unknown[];
      if (inserted.length === 0) return;
      await this.auditCase(tx, user, 'trace-requests.assign', row.id, {
        assigneeId: target.id,
        assignee: target.username,
      });
    });
    return this.get(user, id);
  }

  /**
   * An investigator of the request's country, not on the case, opens it by giving a reason: the
   * opening is recorded with its reason, audited in the same transaction, and the country's
   * supervisors are told (the reason shows on the request for them). It lets the investigator
   * read the request, not act on it.
   */
  async breakGlass(user: AuthUser, id: string, dto: BreakGlassDto): Promise<TraceRequestView> {
    const row = await this.db.getRepository(TraceRequestEntity).findOne({ where: { id } });
    if (!row || user.country !== row.requestingCountry) throw notFound('trace request');
    const access = caseAccess(user, await this.caseFacts(user, row));
    if (access === 'none') throw notFound('trace request');
    if (access === 'country' || access === 'case') {
      throw conflict('you already have access to this request; no break-glass is needed');
    }
    await this.db.transaction(async (tx) => {
      const [opening] = (await tx.query(
        `INSERT INTO break_glass_openings (request_id, user_id, username, reason)
         VALUES ($1, $2, $3, $4) RETURNING id`,
        [row.id, user.userId, user.username, dto.reason],
      )) as { id: string }[];
      await tx.query(
        `INSERT INTO notifications (key, request_id, reference, recipient_role, recipient_country,
           kind, message, created_at)
         VALUES ($1, $2, $3, 'supervisor', $4, 'break_glass', $5, now())`,
        [
          `break-glass-${opening.id}`,
          row.id,
          row.reference,
          row.requestingCountry,
          `${user.username} opened ${row.reference} by break-glass; the reason is on the request`,
        ],
      );
      await this.auditCase(tx, user, 'trace-requests.break-glass', row.id, {
        openingId: opening.id,
        reason: dto.reason,
      });
    });
    return this.get(user, id);
  }

  /** A case-access change on the audit chain, last in its transaction (see AuditRecorder). */
  private auditCase(
    tx: EntityManager,
    user: AuthUser,
    action: 'trace-requests.assign' | 'trace-requests.break-glass',
    requestId: string,
    details: Record<string, unknown>,
  ) {
    return this.audit.inTransaction(tx, {
      ...auditActor(user, action),
      action,
      objectType: 'trace_request',
      objectId: requestId,
      traceRequestId: requestId,
      outcome: 'success',
      details,
    });
  }

  /** By reference (the INTERPOL gateway's key); no visibility rule: the gateway is the system. */
  findByReference(reference: string): Promise<TraceRequestEntity | null> {
    return this.db.getRepository(TraceRequestEntity).findOne({ where: { reference } });
  }

  /**
   * The requests the caller may see, newest first (created_at desc, id desc), filtered, one
   * keyset page at a time.
   */
  async list(user: AuthUser, query: ListTraceRequestsQuery): Promise<Page<TraceRequestSummary>> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const after = decodeCursor(query.cursor);
    const params: unknown[] = [];
    const where = [visibilitySql(user, 't', params)];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (query.status?.length) where.push(`t.status = ANY(${param(query.status)}::text[])`);
    if (query.kind) where.push(`t.kind = ${param(query.kind)}`);
    if (query.urgency) where.push(`t.urgency = ${param(query.urgency)}`);
    if (query.country) {
      const c = param(query.country);
      where.push(
        `((t.content -> 'targetCountries') ? ${c}::text OR EXISTS ` +
          `(SELECT 1 FROM jurisdictions j WHERE j.request_id = t.id AND j.country = ${c}::text))`,
      );
    }
    if (query.q) where.push(searchSql(query.q, param));
    where.push(...createdSql(query, param));
    if (after) {
      where.push(
        `(t.created_at, t.id) < (${param(after.at)}::timestamptz, ${param(after.id)}::uuid)`,
      );
    }
    const ids = (await this.db.query(
      `SELECT t.id, ${cursorAtSql('t.created_at')} AS at FROM trace_requests t
        WHERE ${where.join(' AND ')}
        ORDER BY t.created_at DESC, t.id DESC
        LIMIT ${param(limit + 1)}`,
      params,
    )) as { id: string; at: string }[];
    const page = ids.slice(0, limit);
    // The page's summaries in one query, without the large content and state columns.
    const rows = page.length
      ? ((await this.db.query(
          `SELECT t.id, t.reference, t.status, t.kind, t.urgency, t.case_reference,
                  t.subject_name, t.requesting_country, t.version, t.created_at, t.updated_at,
                  jsonb_build_object(
                    'familyName', t.content #>> '{subject,familyName}',
                    'givenNames', t.content #>> '{subject,givenNames}') AS subject,
                  t.content -> 'targetCountries' AS targets,
                  coalesce((t.content ->> 'allMembers')::boolean, false) AS all_members,
                  (SELECT jsonb_agg(jsonb_build_array(trim(j.country), j.status, j.deadline)
                                    ORDER BY j.country)
                     FROM jurisdictions j WHERE j.request_id = t.id) AS tracks
             FROM trace_requests t WHERE t.id = ANY($1::uuid[])`,
          [page.map((r) => r.id)],
        )) as SummaryRow[])
      : [];
    const byId = new Map(rows.map((r) => [r.id, r]));
    const last = page[page.length - 1];
    return {
      items: page
        .map((r) => byId.get(r.id))
        .filter((r): r is SummaryRow => r !== undefined)
        .map((r) => toSummary(r, user)),
      nextCursor: ids.length > limit && last ? encodeCursor({ at: last.at, id: last.id }) : null,
    };
  }

  /** Status and deadline of every country track of these requests, from the read model. */
  async jurisdictionSummaries(requestIds: string[]): Promise<Map<string, JurisdictionSummary[]>> {
    const out = new Map<string, JurisdictionSummary[]>();
    if (requestIds.length === 0) return out;
    const rows = (await this.db.query(
      `SELECT request_id, country, status, deadline FROM jurisdictions
        WHERE request_id = ANY($1::uuid[]) ORDER BY request_id, country`,
      [requestIds],
    )) as { request_id: string; country: string; status: string; deadline: Date | null }[];
    for (const r of rows) {
      const list = out.get(r.request_id) ?? [];
      list.push({
        country: r.country.trim(),
        status: r.status,
        deadline: r.deadline ? new Date(r.deadline).toISOString() : null,
      });
      out.set(r.request_id, list);
    }
    return out;
  }

  // ---- actions: one workflow update each, answered with the request as it now stands ----

  async edit(user: AuthUser, id: string, dto: UpdateTraceRequestDto, expectedVersion: number) {
    const content = plain(dto) as unknown as TraceRequestContent;
    await this.settings.checkTargets(content.targetCountries);
    return this.act(user, id, ACTION_ROLES.edit, {
      type: 'edit',
      content,
      contentHash: hashOf(content),
      expectedVersion,
    });
  }

  submit(user: AuthUser, id: string, expectedVersion?: number) {
    return this.act(user, id, ACTION_ROLES.submit, {
      type: 'submit',
      ...(expectedVersion !== undefined ? { expectedVersion } : {}),
    });
  }

  review(user: AuthUser, id: string, dto: ReviewDto, expectedVersion?: number) {
    return this.act(user, id, ACTION_ROLES.review, {
      type: 'review',
      decision: dto.decision,
      ...(dto.comment !== undefined && dto.comment !== null ? { comment: dto.comment } : {}),
      ...(expectedVersion !== undefined ? { expectedVersion } : {}),
    });
  }

  submitToInterpol(user: AuthUser, id: string, _dto: InterpolSubmissionDto) {
    return this.act(user, id, ACTION_ROLES.interpolSubmission, {
      type: 'submitToInterpol',
      // Both literally true: the DTO refused anything else.
      attestation: { article3Neutrality: true, dataQualityChecked: true },
    });
  }

  answerQuery(user: AuthUser, id: string, dto: QueryAnswerDto) {
    return this.act(user, id, ACTION_ROLES.queryAnswers, {
      type: 'answerQuery',
      answer: dto.answer,
    });
  }

  withdraw(user: AuthUser, id: string, dto: WithdrawDto) {
    return this.act(user, id, ACTION_ROLES.withdraw, { type: 'withdraw', reason: dto.reason });
  }

  close(user: AuthUser, id: string, dto: CloseDto) {
    return this.act(user, id, ACTION_ROLES.close, { type: 'close', summary: dto.summary });
  }

  /** Suspend a published request, or extend its suspension once (the domain's rules). */
  suspend(user: AuthUser, id: string, dto: SuspendDto) {
    return this.act(user, id, ACTION_ROLES.suspend, {
      type: 'suspend',
      reason: dto.reason,
      ...(dto.until !== undefined ? { until: dto.until } : {}),
      ...(dto.duration !== undefined ? { duration: dto.duration } : {}),
    });
  }

  resume(user: AuthUser, id: string) {
    return this.act(user, id, ACTION_ROLES.resume, { type: 'resume' });
  }

  /**
   * Visibility first (404), then the command to the workflow as the caller in the role the route
   * allows; answers with the view after the workflow recorded and projected it.
   */
  private async act(
    user: AuthUser,
    id: string,
    roles: readonly Role[],
    command: RequestCommand,
  ): Promise<TraceRequestView> {
    await this.findVisible(user, id, 'act');
    const state = await this.workflows.command(id, command, actorFor(user, roles));
    return this.get(user, id, state);
  }

  private async replayIdempotent(user: AuthUser, key: string, requestHash: string) {
    const prior = await this.db
      .getRepository(IdempotencyKeyEntity)
      .findOne({ where: { userId: user.userId, scope: CREATE_SCOPE, key } });
    if (!prior) return undefined;
    if (prior.requestHash !== requestHash) {
      throw conflict('this Idempotency-Key was already used with a different body');
    }
    return this.get(user, prior.resourceId);
  }

  /** References read like ZA-2026-000042: requesting country, year, then a global sequence. */
  private async nextReference(tx: EntityManager, country: string, now: Date): Promise<string> {
    const [{ seq }] = (await tx.query(`SELECT nextval('trace_request_reference_seq') AS seq`)) as {
      seq: string;
    }[];
    return `${country}-${now.getUTCFullYear()}-${seq.padStart(6, '0')}`;
  }

  private newRow(
    id: string,
    reference: string,
    user: AuthUser,
    content: TraceRequestContent,
    now: Date,
  ): TraceRequestEntity {
    return Object.assign(new TraceRequestEntity(), {
      id,
      reference,
      requestingCountry: user.country,
      kind: content.kind,
      urgency: content.urgency,
      language: content.language,
      status: 'DRAFT',
      version: 1,
      stateSeq: 0,
      caseReference: content.caseReference,
      subjectName: subjectName(content),
      content: content as unknown as Record<string, unknown>,
      contentHash: hashOf(content),
      state: null,
      drafterId: user.userId,
      workflowId: requestWorkflowId(id),
      createdAt: now,
      updatedAt: now,
    });
  }

  private async startWorkflow(
    row: TraceRequestEntity,
    user: AuthUser,
    content: TraceRequestContent,
    now: Date,
    settings: WorkflowSettings,
  ): Promise<void> {
    const input: TraceRequestWorkflowInput = {
      id: row.id,
      reference: row.reference,
      requestingCountry: row.requestingCountry,
      content,
      contentHash: row.contentHash,
      actor: toActor(user, 'investigator'),
      createdAt: now.toISOString(),
      settings,
    };
    // Bounded, so a Temporal outage answers 503 promptly instead of holding the transaction.
    await this.temporal.connection.withDeadline(Date.now() + START_DEADLINE_MS, () =>
      this.temporal.workflow.start(traceRequestWorkflow, {
        taskQueue: this.config.temporal.taskQueue,
        workflowId: row.workflowId,
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        args: [input],
      }),
    );
  }
}

/**
 * `q` over the generated, lower-cased `search_text` (trigram-indexed; see the Search migration).
 * Identifiers are also held compacted, so "FR14 2004-1010" finds FR1420041010...
 */
export function searchSql(q: string, param: (v: unknown) => string): string {
  const parts = [`t.search_text LIKE lower(${param(likePattern(q))})`];
  // Separators people type inside identifiers; anything else (even % and _) is searched as is.
  const compact = q.replace(/[\s./:-]/g, '');
  if (compact !== q && compact.length >= 3) {
    parts.push(`t.search_text LIKE lower(${param(likePattern(compact))})`);
  }
  return parts.length === 1 ? parts[0] : `(${parts.join(' OR ')})`;
}

/** createdFrom (inclusive) and createdTo (a date: through its end; a date-time: inclusive). */
export function createdSql(
  query: Pick<ListTraceRequestsQuery, 'createdFrom' | 'createdTo'>,
  param: (v: unknown) => string,
): string[] {
  const out: string[] = [];
  const from = query.createdFrom ? instantOf(query.createdFrom, 'from') : undefined;
  const to = query.createdTo ? instantOf(query.createdTo, 'to') : undefined;
  const toIsDate = query.createdTo !== undefined && query.createdTo.length === 10;
  if (from && to && from.getTime() > to.getTime() - (toIsDate ? 1 : 0)) {
    throw badRequest('invalid query', [
      { field: 'createdTo', message: 'createdTo must not be before createdFrom' },
    ]);
  }
  if (from) out.push(`t.created_at >= ${param(from.toISOString())}::timestamptz`);
  if (to) out.push(`t.created_at ${toIsDate ? '<' : '<='} ${param(to.toISOString())}::timestamptz`);
  return out;
}

export function subjectName(content: TraceRequestContent): string {
  const s = content.subject;
  return [s.familyName, s.givenNames, ...(s.aliases ?? [])].filter(Boolean).join(' ');
}

export function toActor(user: AuthUser, role: Actor['role']): Actor {
  return { userId: user.userId, username: user.username, role, country: user.country };
}
