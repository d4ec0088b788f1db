// A foreign jurisdiction's response (POST .../jurisdictions/{cc}/responses) and the asset
// register's status move (POST /assets/{assetId}/status).
import { Transform } from 'class-transformer';
import { ValidateIf } from 'class-validator';
import {
  ASSET_STATUSES,
  ASSET_TYPES,
  INFORMATION_ACCURACIES,
  RESPONSE_OUTCOMES,
  SOURCE_RELIABILITIES,
} from '../enums';
import type {
  AssetStatus,
  AssetType,
  InformationAccuracy,
  ResponseOutcome,
  SourceReliability,
} from '../enums';
import { LIMITS } from '../limits';
import type { JurisdictionResponseContent, ResponseAsset } from '../types';
import { HandlingMarkingDto } from './handling.dto';
import { Check, Nested, NestedList, OneOf, Text, compose } from './constraints';
import { AssetIdentifiersDto, MoneyDto } from './trace-request.dto';

const optional = { optional: true };

export class ResponseAssetDto implements ResponseAsset {
  @OneOf(ASSET_TYPES)
  type!: AssetType;

  @Text(LIMITS.description)
  description!: string;

  @Nested(() => AssetIdentifiersDto, optional)
  identifiers?: AssetIdentifiersDto;

  @Text(LIMITS.name, optional)
  holder?: string;

  @Nested(() => MoneyDto, optional)
  estimatedValue?: MoneyDto;
}

/** The answer's handling marking (code, H3 restriction) comes from HandlingMarkingDto. */
export class JurisdictionResponseDto
  extends HandlingMarkingDto
  implements JurisdictionResponseContent
{
  @OneOf(RESPONSE_OUTCOMES)
  outcome!: ResponseOutcome;

  /** The sender's own reference; a repeated one is recorded once. */
  @Text(LIMITS.reference)
  externalReference!: string;

  @compose(
    NestedList(() => ResponseAssetDto, { ...optional, min: 0, max: LIMITS.assets }),
    Check(
      'assetsFitOutcome',
      (v, args) => {
        // Judged only against a known outcome; an unknown one has its own error.
        const outcome = (args.object as JurisdictionResponseDto).outcome;
        return (
          !Array.isArray(v) ||
          v.length === 0 ||
          !RESPONSE_OUTCOMES.includes(outcome) ||
          outcome === 'assets_found' ||
          outcome === 'partial'
        );
      },
      'assets belong to an assets_found or partial response',
    ),
  )
  assets?: ResponseAssetDto[];

  /** Free text; required for a decline, which must give its reason. */
  @compose(
    ValidateIf(
      (o: JurisdictionResponseDto) => o.outcome === 'declined' || o.narrative !== undefined,
    ),
    Text(LIMITS.narrative, {
      requiredMessage: 'narrative is required: a decline must give its reason',
    }),
  )
  narrative?: string;

  @OneOf(SOURCE_RELIABILITIES, optional)
  sourceReliability?: SourceReliability;

  // The 4x4 grade is often written as a number; accept 2 as "2".
  @compose(
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'number' ? String(value) : value,
    ),
    OneOf(INFORMATION_ACCURACIES, optional),
  )
  informationAccuracy?: InformationAccuracy;
}

export class AssetStatusDto {
  @OneOf(ASSET_STATUSES)
  status!: AssetStatus;

  /** Every step is backed by a bilateral (MLA) request or decision. */
  @Text(LIMITS.reference)
  mlaReference!: string;

  @Text(LIMITS.description, optional)
  note?: string;
}
