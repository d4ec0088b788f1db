// Bodies of an erasure (admin route and INTERPOL gateway) and of a retention review.
import { ValidateIf } from 'class-validator';
import {
  ERASURE_GROUNDS,
  isOrderedGround,
  RETENTION_DECISIONS,
  RetentionDecision,
} from '../erasure';
import type { ErasureGround } from '../erasure';
import { LIMITS } from '../limits';
import { Bool, CalendarDate, OneOf, Text, Timestamp, compose } from './constraints';

/** What every erasure order says: its ground and, for a CCF decision, reference and deadline. */
export class ErasureOrderDto {
  @OneOf(ERASURE_GROUNDS)
  ground!: ErasureGround;

  /** The CCF decision's reference (required for ccf_decision, optional otherwise). */
  @compose(
    ValidateIf((o: ErasureOrderDto) => isOrderedGround(o.ground) || o.reference !== undefined),
    Text(LIMITS.code, { requiredMessage: 'reference is required for a ccf_decision' }),
  )
  reference?: string;

  /** When the order must be carried out by (required for ccf_decision). */
  @compose(
    ValidateIf((o: ErasureOrderDto) => isOrderedGround(o.ground) || o.deadline !== undefined),
    Timestamp({ requiredMessage: 'deadline is required for a ccf_decision' }),
  )
  deadline?: string;
}

/** `POST /admin/trace-requests/{id}/erasure`. */
export class ErasureDto extends ErasureOrderDto {
  /**
   * Erasing a request whose workflows still run terminates them: say so explicitly (409
   * workflow_running otherwise).
   */
  @Bool({ optional: true })
  closeRunning?: boolean;
}

/** An erasure ordered through the signed INTERPOL gateway (always closes what still runs). */
export class GatewayErasureDto extends ErasureOrderDto {
  /** Our request reference. */
  @Text(LIMITS.code)
  requestReference!: string;
}

/** `POST /trace-requests/{id}/retention-review` (the requesting country's NCB). */
export class RetentionReviewDto {
  @OneOf(RETENTION_DECISIONS)
  decision!: RetentionDecision;

  @compose(
    ValidateIf((o: RetentionReviewDto) => o.decision === RetentionDecision.KEEP),
    Text(LIMITS.reason, { requiredMessage: 'reason is required to keep a request' }),
  )
  reason?: string;

  /** The next review (YYYY-MM-DD): after today, at most 5 years ahead (checked by the service). */
  @compose(
    ValidateIf((o: RetentionReviewDto) => o.decision === RetentionDecision.KEEP),
    CalendarDate({ requiredMessage: 'nextReviewOn is required to keep a request' }),
  )
  nextReviewOn?: string;

  /** With decision erase: terminate workflows that still run (as for the admin's erasure). */
  @Bool({ optional: true })
  closeRunning?: boolean;
}

/** `PUT /admin/trace-requests/{id}/retention-review`: an earlier review of a closed request. */
export class SetRetentionReviewDto {
  @CalendarDate()
  reviewOn!: string;
}
