import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ERASED } from '../../../../libs/domain/src/erasure';
import type { TraceRequestEntity } from '../../../../libs/persistence/src/entities';
import { isGrpcServiceError, ServiceError, WorkflowNotFoundError } from '@temporalio/client';
import type { HistoryEntry, ReplayReport, ReplayStep } from '../../../../libs/domain/src/api-types';
import { handlingOf } from '../../../../libs/domain/src/handling';
import type { JurisdictionEvent } from '../../../../libs/domain/src/jurisdiction';
import { stateAt, timeline, type RequestEvent } from '../../../../libs/domain/src/lifecycle';
import type { Principal } from '../../../../libs/domain/src/types';
import type { RunHistory } from '../../../../libs/temporal/src/histories';
import type { AuthUser } from '../auth/actor';
import type { EncryptionCodec } from '../../../../libs/crypto/src/codec';
import { PAYLOAD_CODEC } from '../../../../libs/crypto/src/crypto.module';
import { DataKeyDestroyedError } from '../../../../libs/crypto/src/data-keys';
import { dataConverterOf } from '../../../../libs/crypto/src/standalone';
import { notFound, ProblemException, unavailable } from '../common/problem';
import { TraceRequestsService } from '../trace-requests/trace-requests.service';
import { jurisdictionEventsOf, requestEventsOf } from './history-events';
import { HistorySource, type RequestHistories } from './history-source.service';
import { currentWorkflowBundle, replayHistories } from './replayer';
import { applyView } from '../../../../libs/domain/src/views';
import { isHomeStaff } from '../trace-requests/view';

/** What an entry says beyond type, time and actor; bulky content shown by its hash. */
function detailsOf(event: RequestEvent | JurisdictionEvent): Record<string, unknown> {
  const { type: _t, at: _a, actor: _p, ...rest } = event as unknown as Record<string, unknown>;
  if ('content' in rest) delete rest.content;
  return rest;
}

interface AuditTimelineRow {
  seq: string;
  at: Date;
  actor: string;
  role: string;
  action: string;
  object_id: string | null;
  details: Record<string, unknown> | null;
}

const who = (actor: Principal) => ({ actor: actor.username, role: actor.role });

@Injectable()
export class ReplayService {
  constructor(
    private readonly requests: TraceRequestsService,
    private readonly source: HistorySource,
    @InjectDataSource() private readonly db: DataSource,
    @Inject(PAYLOAD_CODEC) private readonly codec: EncryptionCodec,
  ) {}

  /**
   * The request's timeline: its own events and its country tracks', oldest first, as the
   * caller's declared view shows it (a foreign liaison: its own country's entries).
   */
  async history(user: AuthUser, id: string): Promise<HistoryEntry[]> {
    const row = await this.requests.findVisible(user, id);
    if (row.erasedAt) {
      const erased = await this.erasedTimeline(user, row);
      return applyView('timeline', user, erased, row.requestingCountry);
    }
    const histories = await this.load(id);
    const entries: HistoryEntry[] = [];
    const recorded = requestEventsOf(histories.request.map((r) => r.history)).events;
    timeline(recorded.map((r) => r.event)).forEach((entry, i) => {
      const event = entry.event;
      entries.push({
        at: entry.at,
        ...who(entry.actor),
        ...(event.type === 'JurisdictionChanged' ? { country: event.country } : {}),
        action: entry.action,
        fromStatus: entry.fromStatus,
        toStatus: entry.toStatus,
        details: detailsOf(event),
        workflowId: histories.request[0].workflowId,
        eventId: recorded[i].eventId,
      });
    });
    for (const track of histories.tracks) {
      const rebuilt = jurisdictionEventsOf(track.history);
      rebuilt.events.forEach(({ event, eventId }, i) => {
        const handling = event.type === 'ResponseRecorded' ? handlingOf(event.response) : undefined;
        entries.push({
          at: event.at,
          ...who(event.actor),
          country: rebuilt.country,
          action: event.type,
          fromStatus: rebuilt.statuses[i].from,
          toStatus: rebuilt.statuses[i].to,
          details: detailsOf(event),
          ...(handling ? { handling } : {}),
          workflowId: track.workflowId,
          eventId,
        });
      });
    }
    // Stable: entries of one workflow keep their recorded order at equal times.
    const ordered = entries
      .map((e, i) => ({ e, i, t: Date.parse(e.at) }))
      .sort((a, b) => a.t - b.t || a.i - b.i)
      .map(({ e }) => e);
    return applyView('timeline', user, ordered, row.requestingCountry);
  }

  /** Replays every history of the request and folds its events step by step. */
  async replay(user: AuthUser, id: string, asOf?: string): Promise<ReplayReport> {
    const row = await this.requests.findVisible(user, id);
    if (row.erasedAt) {
      // Crypto-shredded: nothing can be decoded, so nothing is replayed; who did what and when
      // is still on the audit chain.
      const steps = (await this.erasedTimeline(user, row))
        .filter((e) => e.country === undefined)
        .map((e) => ({
          eventId: e.eventId,
          workflowId: e.workflowId,
          runId: '',
          at: e.at,
          status: e.toStatus,
          action: e.action,
          actor: e.actor ?? '',
        }));
      return {
        requestId: id,
        erased: true,
        deterministic: false,
        events: 0,
        finalStatus: ERASED,
        steps,
        histories: [],
        ...(asOf !== undefined
          ? { asOf: new Date(asOf).toISOString(), state: null, status: null }
          : {}),
      };
    }
    const histories = await this.load(id);
    const all: RunHistory[] = [...histories.request, ...histories.tracks];
    // Decoded by the source already; the codec is the replayer's too, so no payload it meets is
    // ever read encrypted.
    const outcomes = await replayHistories(
      await currentWorkflowBundle(),
      all,
      dataConverterOf(this.codec),
    );
    const rebuilt = requestEventsOf(histories.request.map((r) => r.history));
    const entries = timeline(rebuilt.events.map((r) => r.event));
    const steps: ReplayStep[] = entries.map((entry, i) => {
      const run = histories.request[rebuilt.events[i].run ?? 0];
      return {
        eventId: rebuilt.events[i].eventId,
        workflowId: run.workflowId,
        runId: run.runId,
        at: entry.at,
        status: entry.toStatus,
        action: entry.action,
        actor: entry.actor.username,
      };
    });
    const failed = outcomes.find((o) => !o.deterministic);
    const report: ReplayReport = {
      requestId: id,
      deterministic: !failed,
      ...(failed
        ? { divergence: `${failed.workflowId} (run ${failed.runId}): ${failed.error}` }
        : {}),
      events: all.reduce((n, r) => n + r.events, 0),
      finalStatus: rebuilt.state?.status ?? 'UNKNOWN',
      steps,
      histories: all.map((run) => {
        const outcome = outcomes.find(
          (o) => o.workflowId === run.workflowId && o.runId === run.runId,
        );
        return {
          workflowId: run.workflowId,
          runId: run.runId,
          events: run.events,
          sha256: run.sha256,
          source: run.source,
          deterministic: outcome?.deterministic ?? false,
          ...(outcome?.error ? { error: outcome.error } : {}),
        };
      }),
    };
    const problems = [
      ...rebuilt.problems,
      ...histories.tracks.flatMap((t) => jurisdictionEventsOf(t.history).problems),
    ];
    if (problems.length) report.problems = problems;
    if (asOf !== undefined) {
      const state = stateAt(
        rebuilt.events.map((r) => r.event),
        asOf,
      );
      report.asOf = new Date(asOf).toISOString();
      report.state = state ?? null;
      report.status = state?.status ?? null;
    }
    return report;
  }

  /**
   * The timeline of an erased request, from the audit chain (which never held content): who did
   * what and when, each entry marked `erased`, with no details but an erasure's ground and
   * order reference. A foreign liaison still sees its own country's track only.
   */
  private async erasedTimeline(user: AuthUser, row: TraceRequestEntity): Promise<HistoryEntry[]> {
    const home = isHomeStaff(user, row.requestingCountry);
    const rows = (await this.db.query(
      `SELECT seq, at, actor, role, action, object_id, details FROM audit_log
        WHERE trace_request_id = $1 AND outcome = 'success'
          AND (action LIKE 'trace-request.%' OR action LIKE 'jurisdiction.%'
               OR action IN ('trace-requests.create', 'trace-requests.erase'))
        ORDER BY seq`,
      [row.id],
    )) as AuditTimelineRow[];
    const entries: HistoryEntry[] = [];
    for (const r of rows) {
      const track = r.action.startsWith('jurisdiction.');
      const country = track ? String(r.object_id ?? '').split('/')[1] : undefined;
      if (track ? !home && country !== user.country : !home) continue;
      const d = r.details ?? {};
      const erasure = r.action === 'trace-requests.erase';
      entries.push({
        at: new Date(r.at).toISOString(),
        actor: r.actor,
        role: r.role,
        ...(country ? { country } : {}),
        action: r.action.replace(/^(trace-request|jurisdiction)\./, ''),
        fromStatus: typeof d.fromStatus === 'string' ? d.fromStatus : null,
        toStatus: erasure
          ? ERASED
          : typeof d.toStatus === 'string'
            ? d.toStatus
            : r.action === 'trace-requests.create'
              ? 'DRAFT'
              : '',
        details: erasure
          ? {
              ground: d.ground,
              ...(d.orderReference ? { orderReference: d.orderReference } : {}),
              ...(d.deadline ? { deadline: d.deadline } : {}),
            }
          : {},
        workflowId: '',
        eventId: `audit-${r.seq}`,
        erased: true,
      });
    }
    return entries;
  }

  /** Histories for a request; none left anywhere is a 404, Temporal unreachable a 503. */
  private async load(id: string): Promise<RequestHistories> {
    try {
      return await this.source.forRequest(id);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw notFound('history of this request');
      // Crypto-shredded: the history exists but its content can never be read again.
      if (err instanceof DataKeyDestroyedError) {
        throw new ProblemException(410, 'the content of this request was erased');
      }
      if (err instanceof ServiceError || isGrpcServiceError(err)) {
        throw unavailable('the workflow engine is unavailable and the history is not archived');
      }
      throw err;
    }
  }
}
