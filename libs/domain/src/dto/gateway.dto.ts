// Machine-to-machine bodies from the INTERPOL gateway (signed; see api.md).
import { Transform } from 'class-transformer';
import { ValidateIf } from 'class-validator';
import { GS_DECISIONS } from '../enums';
import type { GsDecision } from '../enums';
import { LIMITS } from '../limits';
import { Country, OneOf, Text, TextList, compose } from './constraints';
import { SuspendDto } from './actions.dto';
import { JurisdictionResponseDto } from './jurisdiction.dto';

export class GatewayDecisionDto {
  /** Our request reference, as sent with the submission. */
  @Text(LIMITS.code)
  reference!: string;

  @OneOf(GS_DECISIONS)
  decision!: GsDecision;

  @Text(LIMITS.code, { optional: true })
  noticeId?: string;

  // A refusal gives its reasons; a lone string is taken as a list of one.
  @compose(
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? [value] : value)),
    ValidateIf((o: GatewayDecisionDto) => o.decision === 'refused' || o.reasons !== undefined),
    TextList(LIMITS.reason, {
      min: 1,
      max: LIMITS.refusalReasons,
      requiredMessage: 'reasons is required when the decision is refused',
    }),
  )
  reasons?: string[];

  @compose(
    ValidateIf((o: GatewayDecisionDto) => o.decision === 'query' || o.question !== undefined),
    Text(LIMITS.question, { requiredMessage: 'question is required when the decision is query' }),
  )
  question?: string;
}

/** A foreign answer relayed through INTERPOL channels: the response body plus its routing. */
export class GatewayResponseDto extends JurisdictionResponseDto {
  @Text(LIMITS.code)
  reference!: string;

  @Country()
  country!: string;
}

/** The General Secretariat suspends a published request, or extends its suspension (once). */
export class GatewaySuspensionDto extends SuspendDto {
  @Text(LIMITS.code)
  reference!: string;
}

/** The General Secretariat lifts a suspension before its end. */
export class GatewayResumptionDto {
  @Text(LIMITS.code)
  reference!: string;
}

/** The General Secretariat cancels a request it holds (final). */
export class GatewayCancellationDto {
  @Text(LIMITS.code)
  reference!: string;

  @Text(LIMITS.reason)
  reason!: string;
}
