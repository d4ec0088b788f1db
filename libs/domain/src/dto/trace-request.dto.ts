// The trace-request body (POST /trace-requests, PATCH /trace-requests/{id}). Nested classes are
// declared before the classes that use them: decorator metadata refers to them at load time.
import { IsBIC, IsIBAN, IsISIN, ValidateIf } from 'class-validator';
import {
  ASSET_TYPES,
  IDENTITY_DOCUMENT_TYPES,
  LANGUAGES,
  LEGAL_BASIS_TYPES,
  OFFENCE_CATEGORIES,
  PURPOSES,
  REQUEST_KINDS,
  URGENCIES,
} from '../enums';
import type {
  AssetType,
  IdentityDocumentType,
  Language,
  LegalBasisType,
  OffenceCategory,
  Purpose,
  RequestKind,
  Urgency,
} from '../enums';
import { LIMITS } from '../limits';
import type {
  AssetIdentifiers,
  IdentityDocument,
  LegalBasis,
  Money,
  Offence,
  Subject,
  TraceAsset,
  TraceRequestContent,
} from '../types';
import {
  Amount,
  Bool,
  Check,
  Country,
  CountryList,
  Currency,
  CalendarDate,
  Nested,
  NestedList,
  OneOf,
  OneOfList,
  Pattern,
  Text,
  TextList,
  compose,
  isImoNumber,
} from './constraints';

/** Nobody alive was born before this; catches typos like 0961. */
const EARLIEST_BIRTH = '1900-01-01';

export class MoneyDto implements Money {
  @Amount()
  amount!: string;

  @Currency()
  currency!: string;
}

export class IdentityDocumentDto implements IdentityDocument {
  @OneOf(IDENTITY_DOCUMENT_TYPES)
  type!: IdentityDocumentType;

  @Text(LIMITS.code)
  number!: string;

  @Country()
  issuingCountry!: string;
}

export class SubjectDto implements Subject {
  @Text(LIMITS.name)
  familyName!: string;

  @Text(LIMITS.name)
  givenNames!: string;

  @CalendarDate({ past: true, min: EARLIEST_BIRTH })
  dateOfBirth!: string;

  @CountryList({ min: 1, max: LIMITS.nationalities, unique: true })
  nationalities!: string[];

  @TextList(LIMITS.name, { optional: true, min: 0, max: LIMITS.aliases, unique: true })
  aliases?: string[];

  @NestedList(() => IdentityDocumentDto, { optional: true, min: 0, max: LIMITS.identityDocuments })
  identityDocuments?: IdentityDocumentDto[];
}

export class OffenceDto implements Offence {
  @OneOf(OFFENCE_CATEGORIES)
  category!: OffenceCategory;

  @Text(LIMITS.description)
  description!: string;

  @Text(LIMITS.legalProvision)
  legalProvision!: string;

  @CalendarDate({ optional: true, notFuture: true })
  from?: string;

  @compose(
    CalendarDate({ optional: true, notFuture: true }),
    Check(
      'notBeforeFrom',
      (to, args) => {
        const from = (args.object as OffenceDto).from;
        return typeof from !== 'string' || (to as string) >= from;
      },
      'to must not be before from',
    ),
  )
  to?: string;
}

export class LegalBasisDto implements LegalBasis {
  @OneOf(LEGAL_BASIS_TYPES)
  type!: LegalBasisType;

  @Text(LIMITS.reference)
  reference!: string;

  @CalendarDate({ optional: true, notFuture: true })
  issuedOn?: string;
}

const optional = { optional: true };

export class AssetIdentifiersDto implements AssetIdentifiers {
  @compose(Text(42, optional), IsIBAN(undefined, { message: 'iban must be a valid IBAN' }))
  iban?: string;

  @compose(Text(11, optional), IsBIC({ message: 'bic must be a valid BIC (SWIFT) code' }))
  bic?: string;

  @Text(64, optional)
  accountNumber?: string;

  @Pattern(
    17,
    /^[A-HJ-NPR-Z0-9]{17}$/i,
    'vin must be a 17-character vehicle identification number',
    optional,
  )
  vin?: string;

  @Text(20, optional)
  registrationPlate?: string;

  @compose(
    Text(11, optional),
    Check(
      'isImoNumber',
      isImoNumber,
      'imo must be an IMO number: 7 digits with a valid check digit',
    ),
  )
  imo?: string;

  @Pattern(9, /^\d{9}$/, 'mmsi must be 9 digits', optional)
  mmsi?: string;

  @Text(20, optional)
  aircraftRegistration?: string;

  @Text(LIMITS.code, optional)
  registryNumber?: string;

  @Pattern(
    LIMITS.reference,
    /^[A-Za-z0-9:._-]{10,}$/,
    'walletAddress must be 10 or more letters, digits or : . _ -',
    optional,
  )
  walletAddress?: string;

  @Text(50, optional)
  blockchain?: string;

  @compose(Text(12, optional), IsISIN({ message: 'isin must be a valid ISIN' }))
  isin?: string;

  @Text(500, optional)
  other?: string;
}

export class TraceAssetDto implements TraceAsset {
  @OneOf(ASSET_TYPES)
  type!: AssetType;

  @Text(LIMITS.description)
  description!: string;

  @Nested(() => AssetIdentifiersDto, optional)
  identifiers?: AssetIdentifiersDto;

  @Country(optional)
  suspectedCountry?: string;

  @Nested(() => MoneyDto, optional)
  estimatedValue?: MoneyDto;
}

/** A notice without targetCountries goes to all members; a diffusion always names its targets. */
function targetsRequired(o: CreateTraceRequestDto): boolean {
  return o.targetCountries !== undefined || o.kind === 'diffusion' || o.allMembers !== true;
}

export class CreateTraceRequestDto implements TraceRequestContent {
  @OneOf(REQUEST_KINDS)
  kind!: RequestKind;

  @OneOf(LANGUAGES)
  language!: Language;

  @OneOf(URGENCIES)
  urgency!: Urgency;

  @Text(LIMITS.reference)
  caseReference!: string;

  @Text(LIMITS.name)
  requestingAgency!: string;

  @Nested(() => SubjectDto)
  subject!: SubjectDto;

  @NestedList(() => OffenceDto, { min: 1, max: LIMITS.offences })
  offences!: OffenceDto[];

  @Nested(() => LegalBasisDto)
  legalBasis!: LegalBasisDto;

  @OneOfList(PURPOSES, { min: 1, max: LIMITS.purposes, unique: true })
  purposes!: Purpose[];

  @NestedList(() => TraceAssetDto, { min: 1, max: LIMITS.assets })
  assets!: TraceAssetDto[];

  // Required unless this is a notice with allMembers: true (ValidateIf skips every check then).
  @compose(
    ValidateIf((o: CreateTraceRequestDto) => targetsRequired(o)),
    CountryList({
      min: 1,
      max: LIMITS.targetCountries,
      unique: true,
      requiredMessage: 'targetCountries is required, unless a notice says allMembers: true',
    }),
  )
  targetCountries?: string[];

  @compose(
    Bool(optional),
    Check(
      'allMembersRule',
      (v, args) => {
        const o = args.object as CreateTraceRequestDto;
        if (v !== true) return true;
        if (o.kind === 'diffusion') return false;
        return o.kind !== 'notice' || o.targetCountries === undefined;
      },
      (args) =>
        (args.object as CreateTraceRequestDto).kind === 'diffusion'
          ? 'allMembers is not allowed for a diffusion: it goes to its targetCountries'
          : 'give either targetCountries or allMembers: true, not both',
    ),
  )
  allMembers?: boolean;

  @Text(LIMITS.factsSummary)
  factsSummary!: string;
}

/**
 * PATCH replaces the whole content (same shape, everything required): the content is versioned
 * and hashed as one document, the notice/diffusion target rules span several fields, and the
 * approved hash must describe exactly what is sent, so a merge of partial bodies would only
 * hide which content a version holds.
 */
export class UpdateTraceRequestDto extends CreateTraceRequestDto {}
