import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { hashOf } from '../../../../libs/common/src';
import type { ExtendDeadlineDto, JurisdictionResponseDto } from '../../../../libs/domain/src/dto';
import { isFinalRequestStatus } from '../../../../libs/domain/src/enums';
import type { RequestStatus, Role, TrackAction } from '../../../../libs/domain/src/enums';
import type {
  JurisdictionCommand,
  JurisdictionState,
} from '../../../../libs/domain/src/jurisdiction';
import type { RequestState } from '../../../../libs/domain/src/lifecycle';
import { tracksRun } from '../../../../libs/domain/src/rules';
import type { JurisdictionResponseContent, Principal } from '../../../../libs/domain/src/types';
import type { TraceRequestEntity } from '../../../../libs/persistence/src/entities';
import type { AuthUser } from '../auth/actor';
import { rolesFor } from '../auth/policy';
import { conflict, notFound, ProblemException } from '../common/problem';
import { idempotentUpdateId, PROBLEM_TYPES } from '../common/temporal-errors';
import { plain, RequestWorkflows } from '../trace-requests/request-workflows.service';
import { TraceRequestsService } from '../trace-requests/trace-requests.service';
import { trackActionsFor, trackActor } from './track-actions';
import { applyView } from '../../../../libs/domain/src/views';

/** A recorded response as the API shows it. */
export interface ResponseView extends Partial<JurisdictionResponseContent> {
  id: string;
  externalReference: string;
  late: boolean;
  recordedBy: Principal;
  at: string;
}

/** One target country's track. */
export interface JurisdictionView {
  country: string;
  status: string;
  deadline: string;
  overdueAt?: string;
  /** While the request is suspended: the deadline waits, and moves by the time suspended. */
  pausedSince?: string;
  extensions: JurisdictionState['extensions'];
  responses: ResponseView[];
  /** The track actions (respond, extend) the caller may take now, as the domain decides. */
  allowedActions: TrackAction[];
}

export const RESPOND_ROLES: Role[] = rolesFor('jurisdictions.respond');
export const EXTEND_ROLES: Role[] = rolesFor('jurisdictions.extend');

const RESPONSE_SCOPE = 'jurisdiction-response';

interface TrackRow {
  country: string;
  status: string;
  deadline: Date;
  state: JurisdictionState;
}

interface ResponseRow {
  id: string;
  country: string;
  external_reference: string;
  outcome: string;
  narrative: string | null;
  handling_code: string | null;
  source_reliability: string | null;
  information_accuracy: string | null;
  late: boolean;
  recorded_by: Principal;
  at: Date;
  body: Partial<JurisdictionResponseContent> | null;
}

@Injectable()
export class JurisdictionsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly requests: TraceRequestsService,
    private readonly workflows: RequestWorkflows,
  ) {}

  /**
   * The tracks of a request the caller may see, as its declared view shows them (a foreign
   * liaison: its own country's track, without home staff's names and notes).
   */
  async list(user: AuthUser, requestId: string): Promise<JurisdictionView[]> {
    const row = await this.requests.findVisible(user, requestId);
    const tracks = (await this.tracks(row.id)).map((t) => withActions(user, row, t));
    return applyView('tracks', user, tracks, row.requestingCountry);
  }

  /**
   * A response for country `cc` by its liaison or an NCB officer recording it. With an
   * Idempotency-Key, a retry with the same body answers as the first time; the same key with
   * another body is a 409. (A repeated externalReference is recorded once by the domain anyway.)
   */
  async respond(
    user: AuthUser,
    requestId: string,
    cc: string,
    dto: JurisdictionResponseDto,
    idempotencyKey?: string,
  ): Promise<JurisdictionView> {
    const row = await this.requests.findVisible(user, requestId);
    this.requireTrack(row, cc);
    const body = plain(dto);
    const requestHash = hashOf({ requestId, country: cc, body });
    if (idempotencyKey) await this.checkKey(user, idempotencyKey, requestHash);

    const actor = trackActor(user, row.status, trackFacts(row, cc), 'respond', RESPOND_ROLES);
    const state = await this.workflows.jurisdiction(
      row.id,
      cc,
      { type: 'respond', ...body },
      actor,
      tracksRun(row.status),
      idempotencyKey
        ? idempotentUpdateId(RESPONSE_SCOPE, user.userId, idempotencyKey, requestHash)
        : undefined,
    );
    if (idempotencyKey) {
      await this.db.query(
        `INSERT INTO idempotency_keys (user_id, scope, key, request_hash, resource_id)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
        [user.userId, RESPONSE_SCOPE, idempotencyKey, requestHash, row.id],
      );
    }
    return this.track(user, row, cc, state);
  }

  /** A supervisor of the requesting country gives a country more time. */
  async extend(
    user: AuthUser,
    requestId: string,
    cc: string,
    dto: ExtendDeadlineDto,
  ): Promise<JurisdictionView> {
    const row = await this.requests.findVisible(user, requestId);
    this.requireTrack(row, cc);
    const command: JurisdictionCommand = {
      type: 'extend',
      newDeadline: new Date(dto.newDeadline).toISOString(),
      ...(dto.reason !== undefined ? { reason: dto.reason } : {}),
    };
    const state = await this.workflows.jurisdiction(
      row.id,
      cc,
      command,
      trackActor(user, row.status, trackFacts(row, cc), 'extend', EXTEND_ROLES),
      tracksRun(row.status),
    );
    return this.track(user, row, cc, state);
  }

  /**
   * A response relayed by the INTERPOL gateway (system actor): found by the request's
   * reference; 404 when the request or the country's track is unknown.
   */
  async relay(
    row: TraceRequestEntity,
    cc: string,
    response: JurisdictionResponseContent,
    actor: Principal,
    updateId?: string,
  ): Promise<JurisdictionState> {
    this.requireTrack(row, cc);
    return this.workflows.jurisdiction(
      row.id,
      cc,
      { type: 'respond', ...plain(response) },
      actor,
      tracksRun(row.status),
      updateId,
    );
  }

  /**
   * The country must be a target of a request that has been sent (404 otherwise), and the
   * request must still run (409: its tracks stop when it ends).
   */
  private requireTrack(row: TraceRequestEntity, cc: string): void {
    const state = row.state as unknown as RequestState | null;
    if (!state?.jurisdictions || state.jurisdictions[cc] === undefined) {
      throw notFound(`jurisdiction ${cc} of this request`);
    }
    if (isFinalRequestStatus(row.status as RequestStatus)) {
      throw new ProblemException(
        409,
        `the request is closed (${row.status}); its country tracks have stopped`,
        undefined,
        PROBLEM_TYPES.closed,
      );
    }
  }

  private async checkKey(user: AuthUser, key: string, requestHash: string): Promise<void> {
    const prior = (await this.db.query(
      `SELECT request_hash FROM idempotency_keys WHERE user_id = $1 AND scope = $2 AND key = $3`,
      [user.userId, RESPONSE_SCOPE, key],
    )) as { request_hash: string }[];
    if (prior.length > 0 && prior[0].request_hash !== requestHash) {
      throw conflict('this Idempotency-Key was already used with a different body');
    }
  }

  /**
   * One track as it now stands, as the caller's view shows it; `fresh` (what the update
   * returned) if the read model lags.
   */
  private async track(
    user: AuthUser,
    row: TraceRequestEntity,
    cc: string,
    fresh: JurisdictionState,
  ): Promise<JurisdictionView> {
    const track = withActions(user, row, await this.current(row.id, cc, fresh));
    return applyView('track', user, track, row.requestingCountry);
  }

  private async current(
    requestId: string,
    cc: string,
    fresh: JurisdictionState,
  ): Promise<Omit<JurisdictionView, 'allowedActions'>> {
    const stored = (await this.tracks(requestId, cc))[0];
    if (stored && stored.responses.length >= fresh.responses.length) return stored;
    return {
      country: cc,
      status: fresh.status,
      deadline: fresh.deadline,
      ...(fresh.overdueAt ? { overdueAt: fresh.overdueAt } : {}),
      ...(fresh.pausedSince ? { pausedSince: fresh.pausedSince } : {}),
      extensions: fresh.extensions ?? [],
      responses: fresh.responses.map((r, i) => ({
        ...r,
        id:
          stored?.responses.find((s) => s.externalReference === r.externalReference)?.id ?? `${i}`,
      })),
    };
  }

  /** Tracks and their responses from the read model (jurisdictions, jurisdiction_responses). */
  private async tracks(
    requestId: string,
    cc?: string,
  ): Promise<Omit<JurisdictionView, 'allowedActions'>[]> {
    const params: unknown[] = [requestId];
    const only = cc ? ` AND country = $2` : '';
    if (cc) params.push(cc);
    const rows = (await this.db.query(
      `SELECT country, status, deadline, state FROM jurisdictions
        WHERE request_id = $1${only} ORDER BY country`,
      params,
    )) as TrackRow[];
    const responses = (await this.db.query(
      `SELECT id, country, external_reference, outcome, narrative, handling_code,
              source_reliability, information_accuracy, late, recorded_by, at, body
         FROM jurisdiction_responses WHERE request_id = $1${only} ORDER BY country, seq, at`,
      params,
    )) as ResponseRow[];
    return rows.map((t) => {
      const country = t.country.trim();
      return {
        country,
        status: t.status,
        deadline: new Date(t.deadline).toISOString(),
        ...(t.state?.overdueAt ? { overdueAt: t.state.overdueAt } : {}),
        ...(t.state?.pausedSince ? { pausedSince: t.state.pausedSince } : {}),
        extensions: t.state?.extensions ?? [],
        responses: responses.filter((r) => r.country.trim() === country).map(responseView),
      };
    });
  }
}

/** What the domain judges a track's actions on, from the request's row. */
function trackFacts(row: TraceRequestEntity, cc: string) {
  const state = row.state as unknown as RequestState | null;
  return {
    country: cc,
    requestingCountry: row.requestingCountry,
    status: state?.jurisdictions?.[cc] ?? 'AWAITING',
    deadline: null,
  };
}

/** A track with the actions the caller may take on it now. */
function withActions(
  user: AuthUser,
  row: TraceRequestEntity,
  track: Omit<JurisdictionView, 'allowedActions'>,
): JurisdictionView {
  const facts = {
    country: track.country,
    requestingCountry: row.requestingCountry,
    status: track.status as JurisdictionState['status'],
    deadline: track.deadline,
  };
  return { ...track, allowedActions: trackActionsFor(user, row.status, facts) };
}

function responseView(r: ResponseRow): ResponseView {
  const body = r.body ?? {};
  return {
    id: r.id,
    externalReference: r.external_reference,
    outcome: r.outcome as JurisdictionResponseContent['outcome'],
    ...(body.assets !== undefined ? { assets: body.assets } : {}),
    ...(r.narrative !== null ? { narrative: r.narrative } : {}),
    ...(r.handling_code !== null ? { handlingCode: r.handling_code as never } : {}),
    // H3's restriction text lives in the stored body (no column of its own).
    ...(body.handlingRestriction !== undefined
      ? { handlingRestriction: body.handlingRestriction }
      : {}),
    ...(r.source_reliability !== null ? { sourceReliability: r.source_reliability as never } : {}),
    ...(r.information_accuracy !== null
      ? { informationAccuracy: r.information_accuracy as never }
      : {}),
    late: r.late,
    recordedBy: r.recorded_by,
    at: new Date(r.at).toISOString(),
  };
}
