// Bodies of the trace-request actions (review, INTERPOL submission, query answer, withdraw,
// close) and of a deadline extension.
import { Equals, IsDefined, IsString, IsUUID, MaxLength, ValidateIf } from 'class-validator';
import { durationMs, isIsoDuration } from '../durations';
import { SUSPENSION_RULES } from '../rules';
import { REVIEW_DECISIONS } from '../enums';
import type { ReviewDecision } from '../enums';
import { LIMITS } from '../limits';
import type { Attestation } from '../types';
import { Check, Timestamp, Nested, OneOf, Text, compose, isNonBlank } from './constraints';

/** Reject and request_changes must say why (an unknown decision gets its own error only). */
function needsComment(o: ReviewDto): boolean {
  return o.decision === 'reject' || o.decision === 'request_changes';
}

export class ReviewDto {
  @OneOf(REVIEW_DECISIONS)
  decision!: ReviewDecision;

  /** Optional (may be empty) when approving; a rejection or change request must say why. */
  @compose(
    ValidateIf((o: ReviewDto) => needsComment(o) || (o.comment ?? undefined) !== undefined),
    IsDefined({ message: 'comment is required to reject or request changes' }),
    IsString({ message: 'comment must be a string' }),
    MaxLength(LIMITS.comment, { message: `comment must be at most ${LIMITS.comment} characters` }),
    Check(
      'commentRequired',
      (v, args) => !needsComment(args.object as ReviewDto) || isNonBlank(v),
      'comment is required to reject or request changes',
    ),
  )
  comment?: string;
}

export class AttestationDto implements Attestation {
  @Equals(true, { message: 'article3Neutrality must be true (Article 3 neutrality checked)' })
  article3Neutrality!: true;

  @Equals(true, { message: 'dataQualityChecked must be true (data quality checked)' })
  dataQualityChecked!: true;
}

export class InterpolSubmissionDto {
  @Nested(() => AttestationDto)
  attestation!: AttestationDto;
}

export class QueryAnswerDto {
  @Text(LIMITS.answer)
  answer!: string;
}

export class WithdrawDto {
  @Text(LIMITS.reason)
  reason!: string;
}

export class CloseDto {
  @Text(LIMITS.summary)
  summary!: string;
}

/** POST .../jurisdictions/{cc}/deadline (supervisor): give a country more time. */
export class ExtendDeadlineDto {
  @Timestamp()
  newDeadline!: string;

  @Text(LIMITS.reason, { optional: true })
  reason?: string;
}

/** An investigator of the request's country to assign to it. */
export class AssignDto {
  @IsUUID('all', { message: 'userId must be a user id (UUID)' })
  userId!: string;
}

/** Why an investigator not assigned to a request opens it (audited, shown to its supervisors). */
export class BreakGlassDto {
  @Text(LIMITS.reason)
  reason!: string;
}

const MAX_SUSPENSION_MS = durationMs(SUSPENSION_RULES.maxDuration);

/**
 * POST .../suspension (NCB officer), and the General Secretariat's suspension through the
 * gateway: why, and until when, as `until` or as a `duration` (exactly one). A running
 * suspension is extended (once) by the same body: `duration` then counts from its current end.
 * The six-month limit from the suspension's start is the domain's (400 naming the field).
 */
export class SuspendDto {
  @Text(LIMITS.reason)
  reason!: string;

  @compose(
    ValidateIf((o: SuspendDto) => o.until !== undefined || o.duration === undefined),
    Timestamp({
      requiredMessage: 'until (an ISO 8601 date-time) or duration (e.g. P3M) is required',
    }),
    Check(
      'untilOrDuration',
      (_v, args) => (args.object as SuspendDto).duration === undefined,
      'give until or duration, not both',
    ),
  )
  until?: string;

  @compose(
    ValidateIf((o: SuspendDto) => o.duration !== undefined),
    IsString({ message: 'duration must be an ISO 8601 duration such as P3M' }),
    Check(
      'isSuspensionDuration',
      (v) => isIsoDuration(v) && durationMs(v) > 0 && durationMs(v) <= MAX_SUSPENSION_MS,
      `duration must be an ISO 8601 duration of at most ${SUSPENSION_RULES.maxDuration} (e.g. P3M)`,
    ),
  )
  duration?: string;
}
