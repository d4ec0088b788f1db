import {
  BadRequestException,
  ConflictException,
  Inject,
  Injectable,
  NotFoundException,
  ServiceUnavailableException,
} from '@nestjs/common';
import {
  INTERPOL_PATHS,
  SILVERTRACE_GATEWAY_PATHS,
  type ErasureOrderMessage,
  type GsCancellationMessage,
  type GsDecisionMessage,
  type GsResumptionMessage,
  type GsSuspensionMessage,
} from '../../../libs/gateway/src';
import { DeliveryService } from './delivery.service';
import { replayOf } from './idempotency';
import { NcbService } from './ncb.service';
import { SimState, now, type StoredAnswer } from './sim-state';
import { SimTimers } from './sim-timers';
import {
  DECISION_WORD,
  type EraseDto,
  type QueryAnswerDto,
  type SubmissionDto,
  type WithdrawalDto,
} from './sim.dto';
import {
  SIM_OPTIONS,
  type DecisionDelivery,
  type Delivery,
  type GsAction,
  type GsOrder,
  type OrderDelivery,
  type GsPlan,
  type RequestStage,
  type ResolvedSimOptions,
  type SimRequest,
} from './sim.types';

const DEFAULT_REFUSAL_REASONS = [
  'Article 3 of the Constitution: the request appears to be of a predominantly political character.',
  'Data quality: the link between the subject and the assets is not sufficiently established.',
];
const DEFAULT_QUESTION =
  'Please provide the reference and date of the judicial decision underpinning the request, and ' +
  'explain how the listed assets are linked to the offences.';

/** Stages in which a further notice submission for the same reference is refused. */
const OPEN_STAGES: RequestStage[] = ['under_review', 'held', 'queried', 'published', 'withdrawn'];

type Round = 'first' | 'after_query';

/** The General Secretariat's Notices and Diffusions Task Force: reviews and decides. */
@Injectable()
export class GsService {
  constructor(
    @Inject(SIM_OPTIONS) private readonly options: ResolvedSimOptions,
    private readonly state: SimState,
    private readonly timers: SimTimers,
    private readonly delivery: DeliveryService,
    private readonly ncb: NcbService,
  ) {}

  receiveSubmission(dto: SubmissionDto, idempotencyKey: string | undefined): StoredAnswer {
    if (!dto.allMembers && !dto.targetCountries?.length) {
      throw new BadRequestException('targetCountries must not be empty unless allMembers is true');
    }
    const path = INTERPOL_PATHS.submissions;
    const request = this.state.getOrCreate(dto.reference);
    request.submissionAttempts++;
    const replay = replayOf(this.state, request, path, idempotencyKey);
    if (replay) return replay;

    const failFirst = request.control.failSubmissions ?? 0;
    if (request.failedSubmissionAttempts < failFirst) {
      request.failedSubmissionAttempts++;
      this.state.log('in', 'submission_unavailable', dto.reference, {
        attempt: request.submissionAttempts,
        idempotencyKey,
      });
      throw new ServiceUnavailableException(
        `simulated GS outage (${request.failedSubmissionAttempts} of ${failFirst})`,
      );
    }
    if (request.kind === 'diffusion') {
      throw new ConflictException(`${dto.reference} was already sent as a diffusion`);
    }
    if (OPEN_STAGES.includes(request.stage)) {
      throw new ConflictException(`${dto.reference} is already ${request.stage}`);
    }

    const receivedAt = now();
    const submissionId = `GS-SUB-${String(this.state.next('submission')).padStart(5, '0')}`;
    request.kind = 'notice';
    request.stage = 'under_review';
    request.requestingCountry = dto.requestingCountry;
    request.submissions.push({
      submissionId,
      receivedAt,
      idempotencyKey,
      requestId: dto.requestId,
      requestingCountry: dto.requestingCountry,
      targetCountries: dto.targetCountries,
      allMembers: dto.allMembers,
      contentHash: dto.contentHash,
    });
    this.state.setContent(dto.reference, dto.content);
    const answer: StoredAnswer = { status: 202, body: { submissionId, receivedAt } };
    this.state.storeAnswer(path, idempotencyKey, answer);
    this.state.log('in', 'submission_received', dto.reference, { submissionId, idempotencyKey });
    this.scheduleReview(request, 'first');
    return answer;
  }

  receiveQueryAnswer(dto: QueryAnswerDto, idempotencyKey: string | undefined): StoredAnswer {
    const path = INTERPOL_PATHS.queryAnswers;
    const request = this.known(dto.reference, path, idempotencyKey);
    const replay = replayOf(this.state, request, path, idempotencyKey);
    if (replay) return replay;
    if (request.stage !== 'queried') {
      throw new ConflictException(`no open GS query for ${dto.reference} (it is ${request.stage})`);
    }

    const receivedAt = now();
    request.queryAnswers.push({ answer: dto.answer, receivedAt, idempotencyKey });
    request.stage = 'under_review';
    const answer: StoredAnswer = { status: 202, body: { reference: dto.reference, receivedAt } };
    this.state.storeAnswer(path, idempotencyKey, answer);
    this.state.log('in', 'query_answer_received', dto.reference, { idempotencyKey });
    this.scheduleReview(request, 'after_query');
    return answer;
  }

  receiveWithdrawal(dto: WithdrawalDto, idempotencyKey: string | undefined): StoredAnswer {
    const path = INTERPOL_PATHS.withdrawals;
    const request = this.known(dto.reference, path, idempotencyKey);
    const replay = replayOf(this.state, request, path, idempotencyKey);
    if (replay) return replay;

    const receivedAt = now();
    request.withdrawals.push({ reason: dto.reason, receivedAt, idempotencyKey });
    request.stage = 'withdrawn';
    // Pending reviews and country answers stop; messages already being delivered finish.
    this.timers.cancel(`review:${dto.reference}`);
    this.timers.cancel(`ncb:${dto.reference}`);
    const answer: StoredAnswer = { status: 202, body: { reference: dto.reference, receivedAt } };
    this.state.storeAnswer(path, idempotencyKey, answer);
    this.state.log('in', 'withdrawal_received', dto.reference, { idempotencyKey });
    return answer;
  }

  /** Control API: decide now, cancelling any scheduled review (also ends a `hold`). */
  decideNow(
    reference: string,
    action: GsAction,
    overrides: { reasons?: string[]; question?: string },
  ): DecisionDelivery {
    const request = this.state.find(reference);
    if (!request || request.kind !== 'notice') {
      throw new NotFoundException(`no notice submission received for ${reference}`);
    }
    if (request.stage === 'withdrawn') throw new ConflictException(`${reference} was withdrawn`);
    this.state.log('control', 'decide_now', reference, { decision: action });
    return this.issueDecision(request, action, overrides);
  }

  /**
   * Control API: the GS suspends (or extends the suspension of), lifts the suspension of, or
   * cancels a request it published. The message goes out signed; silvertrace judges it (a
   * refusal is the delivery's lastStatus). A cancellation stops the countries' answers.
   */
  orderNow(
    reference: string,
    order: GsOrder,
    details: { reason?: string; until?: string; duration?: string },
  ): OrderDelivery {
    const request = this.state.find(reference);
    if (!request || (request.stage !== 'published' && request.stage !== 'diffused')) {
      throw new NotFoundException(`no published notice or diffusion for ${reference}`);
    }
    let message: GsSuspensionMessage | GsResumptionMessage | GsCancellationMessage;
    if (order === 'suspension') {
      message = {
        reference,
        reason:
          details.reason ?? 'Suspended by the General Secretariat pending a compliance review.',
        ...(details.until !== undefined ? { until: details.until } : {}),
        ...(details.until === undefined ? { duration: details.duration ?? 'P1M' } : {}),
      };
    } else if (order === 'resumption') {
      message = { reference };
    } else {
      message = {
        reference,
        reason: details.reason ?? 'Cancelled by the General Secretariat.',
      };
      request.stage = 'cancelled';
      this.timers.cancel(`ncb:${reference}`);
    }
    const path = {
      suspension: SILVERTRACE_GATEWAY_PATHS.suspensions,
      resumption: SILVERTRACE_GATEWAY_PATHS.resumptions,
      cancellation: SILVERTRACE_GATEWAY_PATHS.cancellations,
    }[order];
    const n = this.state.next(`order:${reference}`);
    const { delivery } = this.delivery.send(
      path,
      `gs-${order}-${reference}-${n}`,
      message,
      reference,
    );
    const recorded: OrderDelivery = Object.assign(delivery, { order });
    request.orders.push(recorded);
    this.state.log('control', `${order}_sent`, reference, {});
    return recorded;
  }

  /**
   * The CCF orders silvertrace to erase a request (whether or not the GS ever received it: a
   * diffusion's data is erased too). Defaults: a CCF decision with a reference of its own, due in
   * 30 days (the CCF's month).
   */
  eraseNow(reference: string, dto: EraseDto): Delivery<ErasureOrderMessage> {
    const ground = dto.ground ?? 'ccf_decision';
    const n = this.state.next('erasure');
    const message: ErasureOrderMessage = {
      requestReference: reference,
      ground,
      ...(ground === 'ccf_decision' || dto.reference !== undefined
        ? {
            reference:
              dto.reference ?? `CCF-${new Date().getUTCFullYear()}-${String(n).padStart(4, '0')}`,
          }
        : {}),
      ...(ground === 'ccf_decision' || dto.deadline !== undefined
        ? { deadline: dto.deadline ?? new Date(Date.now() + 30 * 86400e3).toISOString() }
        : {}),
    };
    this.state.log('control', 'erasure_ordered', reference, { ground });
    const { delivery } = this.delivery.send(
      SILVERTRACE_GATEWAY_PATHS.erasures,
      `gs-erasure-${reference}-${n}`,
      message,
      reference,
    );
    return delivery;
  }

  private known(reference: string, path: string, idempotencyKey: string | undefined): SimRequest {
    const request = this.state.find(reference);
    if (!request) {
      this.state.log('in', 'unknown_reference', reference, { path, idempotencyKey });
      throw new NotFoundException(`nothing was submitted for ${reference}`);
    }
    return request;
  }

  private planFor(request: SimRequest, round: Round): GsPlan {
    return round === 'first'
      ? (request.control.gsDecision ?? 'publish')
      : (request.control.thenDecision ?? 'publish');
  }

  private scheduleReview(request: SimRequest, round: Round): void {
    const hold = (): void => {
      request.stage = 'held';
      this.state.log('sim', 'review_held', request.reference, { round });
    };
    if (this.planFor(request, round) === 'hold') return hold();
    this.timers.after(this.options.decisionDelayMs, [`review:${request.reference}`], () => {
      // Read the plan again: the control API may have changed it while the review was pending.
      const plan = this.planFor(request, round);
      if (plan === 'hold') return hold();
      this.issueDecision(request, plan, {});
    });
  }

  private issueDecision(
    request: SimRequest,
    action: GsAction,
    overrides: { reasons?: string[]; question?: string },
  ): DecisionDelivery {
    const { reference, control } = request;
    this.timers.cancel(`review:${reference}`);
    const message: GsDecisionMessage = { reference, decision: DECISION_WORD[action] };
    if (action === 'publish') {
      request.noticeId ??= `SILVER-${new Date().getUTCFullYear()}-${String(this.state.next('notice')).padStart(5, '0')}`;
      message.noticeId = request.noticeId;
      request.stage = 'published';
    } else if (action === 'refuse') {
      message.reasons = overrides.reasons ?? control.reasons ?? DEFAULT_REFUSAL_REASONS;
      request.stage = 'refused';
    } else {
      message.question = overrides.question ?? control.question ?? DEFAULT_QUESTION;
      request.stage = 'queried';
    }

    const n = this.state.next(`decision:${reference}`);
    const { delivery, settled } = this.delivery.send(
      SILVERTRACE_GATEWAY_PATHS.decisions,
      `gs-decision-${reference}-${n}`,
      message,
      reference,
    );
    request.decisions.push(delivery);
    this.state.log('out', 'decision_sent', reference, { decision: message.decision });

    if (action === 'publish') {
      // The notice is published at the GS whether or not silvertrace took the message; only a
      // reset or shutdown (cancelled delivery) or a later change of stage stops the countries.
      void settled.then((d) => {
        if (d.status === 'cancelled' || request.stage !== 'published') return;
        if (this.state.find(reference) !== request) return;
        this.ncb.startAnswering(request, this.ncb.noticeTargets(request));
      });
    }
    return delivery;
  }
}
