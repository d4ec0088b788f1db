import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { hashOf } from '../../../../libs/common/src';
import type {
  GatewayCancellationDto,
  GatewayDecisionDto,
  GatewayErasureDto,
  GatewayResponseDto,
  GatewayResumptionDto,
  GatewaySuspensionDto,
} from '../../../../libs/domain/src/dto';
import type { GsDecisionCommand, RequestCommand } from '../../../../libs/domain/src/lifecycle';
import type { TraceRequestEntity } from '../../../../libs/persistence/src/entities';
import { WorkflowSettingsService } from '../admin/workflow-settings.service';
import { conflict, notFound } from '../common/problem';
import { idempotentUpdateId } from '../common/temporal-errors';
import { ErasureService } from '../erasure/erasure.service';
import { JurisdictionsService } from '../jurisdictions/jurisdictions.service';
import {
  GATEWAY_ACTOR,
  plain,
  RequestWorkflows,
} from '../trace-requests/request-workflows.service';
import { TraceRequestsService } from '../trace-requests/trace-requests.service';

export interface GatewayAck {
  accepted: true;
  reference: string;
}

/** The gateway is no user: its Idempotency-Keys are kept under this fixed id. */
const GATEWAY_USER_ID = '00000000-0000-0000-0000-000000000000';

/**
 * Messages from INTERPOL (GS decisions, foreign answers relayed through its channels), recorded
 * by the workflows as the system actor `interpol-gateway`. A repeated message changes nothing:
 * a repeated Idempotency-Key with the same body is answered without resending, and the domain
 * accepts a redelivered decision or response with no new events anyway.
 */
@Injectable()
export class GatewayService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly requests: TraceRequestsService,
    private readonly workflows: RequestWorkflows,
    private readonly jurisdictions: JurisdictionsService,
    private readonly settings: WorkflowSettingsService,
    private readonly erasures: ErasureService,
  ) {}

  async decision(dto: GatewayDecisionDto, idempotencyKey?: string): Promise<GatewayAck> {
    const row = await this.request(dto.reference);
    return this.once('gateway:decisions', idempotencyKey, row, dto, async (updateId) => {
      const command: GsDecisionCommand = {
        type: 'gsDecision',
        decision: dto.decision,
        ...(dto.noticeId !== undefined ? { noticeId: dto.noticeId } : {}),
        ...(dto.reasons !== undefined ? { reasons: dto.reasons } : {}),
        ...(dto.question !== undefined ? { question: dto.question } : {}),
        // An allMembers notice goes to the countries participating when it is published.
        recipients: await this.settings.participatingCountries(),
      };
      await this.workflows.command(row.id, command, GATEWAY_ACTOR, updateId);
    });
  }

  suspension(dto: GatewaySuspensionDto, idempotencyKey?: string): Promise<GatewayAck> {
    return this.command('gateway:suspensions', dto.reference, dto, idempotencyKey, {
      type: 'suspend',
      reason: dto.reason,
      ...(dto.until !== undefined ? { until: dto.until } : {}),
      ...(dto.duration !== undefined ? { duration: dto.duration } : {}),
    });
  }

  resumption(dto: GatewayResumptionDto, idempotencyKey?: string): Promise<GatewayAck> {
    return this.command('gateway:resumptions', dto.reference, dto, idempotencyKey, {
      type: 'resume',
    });
  }

  cancellation(dto: GatewayCancellationDto, idempotencyKey?: string): Promise<GatewayAck> {
    return this.command('gateway:cancellations', dto.reference, dto, idempotencyKey, {
      type: 'cancel',
      reason: dto.reason,
    });
  }

  /** A GS order on the request's workflow, as the system actor `interpol-gateway`. */
  private async command(
    scope: string,
    reference: string,
    dto: object,
    idempotencyKey: string | undefined,
    command: RequestCommand,
  ): Promise<GatewayAck> {
    const row = await this.request(reference);
    return this.once(scope, idempotencyKey, row, dto, async (updateId) => {
      await this.workflows.command(row.id, command, GATEWAY_ACTOR, updateId);
    });
  }

  async response(dto: GatewayResponseDto, idempotencyKey?: string): Promise<GatewayAck> {
    const row = await this.request(dto.reference);
    const { reference: _reference, country, ...response } = plain(dto);
    return this.once('gateway:responses', idempotencyKey, row, dto, async (updateId) => {
      await this.jurisdictions.relay(row, country, response, GATEWAY_ACTOR, updateId);
    });
  }

  /**
   * An erasure order: recorded first, then carried out (closing what still runs: an order is
   * not refused for that). A redelivered order of an erased request changes nothing; one whose
   * erasure is pending completes it. If it cannot finish now (503), it stays pending and the
   * worker's retention sweep escalates it once its deadline has passed.
   */
  async erasure(dto: GatewayErasureDto): Promise<GatewayAck> {
    const row = await this.request(dto.requestReference);
    const ack: GatewayAck = { accepted: true, reference: row.reference };
    if ((await this.erasures.find(row.id))?.completedAt) return ack;
    await this.erasures.erase(row, {
      ground: dto.ground,
      reference: dto.reference,
      deadline: dto.deadline,
      closeRunning: true,
      channel: 'gateway',
      by: { actor: GATEWAY_ACTOR.username, role: GATEWAY_ACTOR.role, country: null },
    });
    return ack;
  }

  private async request(reference: string): Promise<TraceRequestEntity> {
    const row = await this.requests.findByReference(reference);
    if (!row) throw notFound(`trace request ${reference}`);
    return row;
  }

  /**
   * Runs `send` unless this Idempotency-Key was already answered for the same body. The key is
   * on record only once answered; a redelivery of a message whose first delivery went unanswered
   * (Temporal or the worker down) is sent again under the same update id, so the workflow records
   * it once (a GS query decided twice would be a second query after the first was answered).
   */
  private async once(
    scope: string,
    key: string | undefined,
    row: TraceRequestEntity,
    body: object,
    send: (updateId: string | undefined) => Promise<void>,
  ): Promise<GatewayAck> {
    const ack: GatewayAck = { accepted: true, reference: row.reference };
    const requestHash = hashOf(plain(body));
    if (key) {
      const prior = (await this.db.query(
        `SELECT request_hash FROM idempotency_keys WHERE user_id = $1 AND scope = $2 AND key = $3`,
        [GATEWAY_USER_ID, scope, key],
      )) as { request_hash: string }[];
      if (prior.length > 0) {
        if (prior[0].request_hash !== requestHash) {
          throw conflict('this Idempotency-Key was already used with a different message');
        }
        return ack;
      }
    }
    await send(key ? idempotentUpdateId(scope, GATEWAY_USER_ID, key, requestHash) : undefined);
    if (key) {
      await this.db.query(
        `INSERT INTO idempotency_keys (user_id, scope, key, request_hash, resource_id)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
        [GATEWAY_USER_ID, scope, key, requestHash, row.id],
      );
    }
    return ack;
  }
}
