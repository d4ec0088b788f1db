import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateNested,
  type ValidationOptions,
} from 'class-validator';
import {
  ERASURE_GROUNDS,
  type ErasureGround,
  ASSET_TYPES,
  FOREIGN_OUTCOMES,
  HANDLING_CODES,
  INFORMATION_ACCURACIES,
  SOURCE_RELIABILITIES,
  type AssetType,
  type ForeignOutcome,
  type GsDecisionKind,
  type HandlingCode,
  type InformationAccuracy,
  type SourceReliability,
} from '../../../libs/gateway/src';
import {
  COUNTRY_BEHAVIOURS,
  GS_ACTIONS,
  GS_PLANS,
  type CountryBehaviour,
  type GsAction,
  type GsPlan,
} from './sim.types';

// Validation mirrors the wire contract strictly (unknown fields are refused): a simulator that
// swallowed anything would hide contract drift until the real gateway.

const COUNTRY = /^[A-Z]{2}$/;
const COUNTRY_MESSAGE = 'must be an ISO 3166-1 alpha-2 code in upper case';

// --- gateway (signed) ---

export class SubmissionDto {
  @IsString() @IsNotEmpty() @MaxLength(100) reference!: string;
  @IsString() @IsNotEmpty() @MaxLength(100) requestId!: string;
  @IsIn(['notice']) kind!: 'notice';
  @Matches(COUNTRY, { message: `requestingCountry ${COUNTRY_MESSAGE}` }) requestingCountry!: string;
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(250)
  @Matches(COUNTRY, { each: true, message: `each targetCountries item ${COUNTRY_MESSAGE}` })
  targetCountries?: string[];
  @IsOptional() @IsBoolean() allMembers?: boolean;
  @IsString() @IsNotEmpty() @MaxLength(200) contentHash!: string;
  @IsObject() content!: Record<string, unknown>;
}

export class QueryAnswerDto {
  @IsString() @IsNotEmpty() @MaxLength(100) reference!: string;
  @IsString() @IsNotEmpty() @MaxLength(20000) answer!: string;
}

export class WithdrawalDto {
  @IsString() @IsNotEmpty() @MaxLength(100) reference!: string;
  @IsString() @IsNotEmpty() @MaxLength(5000) reason!: string;
}

export class DiffusionDto {
  @IsString() @IsNotEmpty() @MaxLength(100) reference!: string;
  @IsString() @IsNotEmpty() @MaxLength(100) requestId!: string;
  @Matches(COUNTRY, { message: `requestingCountry ${COUNTRY_MESSAGE}` }) requestingCountry!: string;
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(250)
  @Matches(COUNTRY, { each: true, message: `each targetCountries item ${COUNTRY_MESSAGE}` })
  targetCountries!: string[];
  @IsString() @IsNotEmpty() @MaxLength(200) contentHash!: string;
  @IsObject() content!: Record<string, unknown>;
}

// --- control (unsigned, loopback) ---

function IsCountryBehaviourMap(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCountryBehaviourMap',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          Object.entries(value).every(
            ([cc, b]) => COUNTRY.test(cc) && (COUNTRY_BEHAVIOURS as readonly unknown[]).includes(b),
          ),
        defaultMessage: () =>
          `countries must map upper-case country codes to one of ${COUNTRY_BEHAVIOURS.join(', ')}`,
      },
    },
    options,
  );
}

/**
 * Handling code and grading of simulated answers, in the wire's vocabulary. An H3 without its
 * restriction is let through on purpose: silvertrace's gateway is the one that must refuse it.
 */
export class HandlingDto {
  @IsOptional() @IsIn(HANDLING_CODES) handlingCode?: HandlingCode;
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(2000) handlingRestriction?: string;
  @IsOptional() @IsIn(SOURCE_RELIABILITIES) sourceReliability?: SourceReliability;
  @IsOptional() @IsIn(INFORMATION_ACCURACIES) informationAccuracy?: InformationAccuracy;
}

/** Control API: a GS suspension (reason; until or duration, the API judges the limits). */
export class GsSuspendDto {
  @IsOptional() @IsString() @IsNotEmpty() reason?: string;
  @IsOptional() @IsString() @IsNotEmpty() until?: string;
  @IsOptional() @IsString() @IsNotEmpty() duration?: string;
}

/** Control API: a GS cancellation. */
export class GsCancelDto {
  @IsOptional() @IsString() @IsNotEmpty() reason?: string;
}

export class RequestControlDto {
  @IsOptional() @IsIn(GS_PLANS) gsDecision?: GsPlan;
  @IsOptional() @IsIn(['publish', 'refuse']) thenDecision?: 'publish' | 'refuse';
  @IsOptional() @IsArray() @IsString({ each: true }) reasons?: string[];
  @IsOptional() @IsString() @IsNotEmpty() question?: string;
  @IsOptional() @IsInt() @Min(0) @Max(100) failSubmissions?: number;
  @IsOptional() @IsCountryBehaviourMap() countries?: Record<string, CountryBehaviour>;
  @IsOptional() @ValidateNested() @Type(() => HandlingDto) handling?: HandlingDto;
}

export class CountryBehaviourDto {
  @IsIn(COUNTRY_BEHAVIOURS) behaviour!: CountryBehaviour;
}

export class DecideDto {
  @IsIn(GS_ACTIONS) decision!: GsAction;
  @IsOptional() @IsArray() @IsString({ each: true }) reasons?: string[];
  @IsOptional() @IsString() @IsNotEmpty() question?: string;
}

export class MoneyDto {
  @Matches(/^\d{1,15}(\.\d{1,2})?$/, { message: 'amount must be a decimal string like "123.45"' })
  amount!: string;
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code' }) currency!: string;
}

export class AssetDto {
  @IsIn(ASSET_TYPES) type!: AssetType;
  @IsString() @IsNotEmpty() description!: string;
  @IsOptional() @IsObject() identifiers?: Record<string, string>;
  @IsOptional() @IsString() holder?: string;
  @IsOptional() @ValidateNested() @Type(() => MoneyDto) estimatedValue?: MoneyDto;
}

/** An operator-forced answer; its handling fields override the request's and the defaults. */
export class RespondDto extends HandlingDto {
  @IsIn(FOREIGN_OUTCOMES) outcome!: ForeignOutcome;
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => AssetDto)
  assets?: AssetDto[];
  @IsOptional() @IsString() narrative?: string;
}

/** Control vocabulary (verbs) to wire vocabulary (outcomes). */
export const DECISION_WORD: Record<GsAction, GsDecisionKind> = {
  publish: 'published',
  refuse: 'refused',
  query: 'query',
};

/** An erasure the operator makes INTERPOL order (default: a CCF decision due in 30 days). */
export class EraseDto {
  @IsOptional() @IsIn(ERASURE_GROUNDS) ground?: ErasureGround;
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(100) reference?: string;
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/, {
    message: 'deadline must be an ISO 8601 date-time with a zone',
  })
  deadline?: string;
}
