// Handling conditions at the API edge (rules: ../handling.ts): the marking every received item
// carries, and the source permissions recorded by whoever exports withheld items.
import { IsUUID, ValidateIf } from 'class-validator';
import { HANDLING_CODES } from '../enums';
import type { HandlingCode } from '../enums';
import { handlingRestrictionProblem } from '../handling';
import type { HandlingMarking, SourcePermission } from '../handling';
import { LIMITS } from '../limits';
import { Check, NestedList, OneOf, Text, compose } from './constraints';

/**
 * The marking of one received item. A response extends it; an attachment will too, so each
 * carries its own code.
 */
export abstract class HandlingMarkingDto implements HandlingMarking {
  @OneOf(HANDLING_CODES, { optional: true })
  handlingCode?: HandlingCode;

  @compose(
    ValidateIf(
      (o: HandlingMarkingDto) => o.handlingCode === 'H3' || o.handlingRestriction !== undefined,
    ),
    Text(LIMITS.reason, {
      requiredMessage: 'handlingRestriction is required with H3: state the restriction',
    }),
    Check(
      'restrictionFitsCode',
      (_v, args) => handlingRestrictionProblem(args.object as HandlingMarking) === undefined,
      (args) => handlingRestrictionProblem(args.object as HandlingMarking) ?? '',
    ),
  )
  handlingRestriction?: string;
}

export class SourcePermissionDto implements SourcePermission {
  @IsUUID('all', { message: '$property must be the id of an answer (a UUID)' })
  answerId!: string;

  @Text(LIMITS.reference)
  reference!: string;
}

/** POST /api/v1/trace-requests/{id}/case-file */
export class CaseFileDto {
  /** The source's permission for each withheld (H2/H3) answer to include. */
  @NestedList(() => SourcePermissionDto, { optional: true, min: 0, max: 100 })
  permissions?: SourcePermissionDto[];
}
