// Plain value types shared by the API, the workflows and the auditors. Interfaces only (plus the
// type-only enum import), so workflow code can load them without any dependency.
import type {
  AssetType,
  IdentityDocumentType,
  Language,
  LegalBasisType,
  OffenceCategory,
  Purpose,
  RequestKind,
  ResponseOutcome,
  Role,
  SystemRole,
  Urgency,
} from './enums';
import type { Grading, HandlingMarking } from './handling';
import type { RefusalCode } from './rules';

/** ISO 3166-1 alpha-2 code, upper case ("ZA"). */
export type CountryCode = string;
/** ISO 8601 UTC timestamp ("2025-01-10T09:30:00.000Z"). */
export type IsoDateTime = string;
/** ISO 8601 calendar date ("1961-04-23"). */
export type IsoDate = string;

/**
 * An amount of money. The amount is a decimal string ("1250000.00"), never a float: values
 * reach hundreds of millions and must survive JSON, PostgreSQL numeric and hashing unchanged.
 */
export interface Money {
  amount: string;
  /** ISO 4217 code ("EUR"). */
  currency: string;
}

/** A person acting through the API; one role per action even if the user holds several. */
export interface Actor {
  userId: string;
  username: string;
  role: Role;
  /** The user's country (a foreign liaison is scoped to it). */
  country: CountryCode;
}

/**
 * A machine message: the INTERPOL gateway, a deadline timer, a child workflow. Kept a separate
 * shape (role 'system', no country) so no user can ever hold it and `actor.role === 'system'`
 * narrows the union.
 */
export interface SystemActor {
  userId: string;
  /** What sent it, e.g. "interpol-gateway", "timer", "jurisdiction-workflow". */
  username: string;
  role: SystemRole;
}

export type Principal = Actor | SystemActor;

export interface IdentityDocument {
  type: IdentityDocumentType;
  number: string;
  issuingCountry: CountryCode;
}

export interface Subject {
  familyName: string;
  givenNames: string;
  dateOfBirth: IsoDate;
  nationalities: CountryCode[];
  aliases?: string[];
  identityDocuments?: IdentityDocument[];
}

export interface Offence {
  category: OffenceCategory;
  description: string;
  legalProvision: string;
  from?: IsoDate;
  to?: IsoDate;
}

export interface LegalBasis {
  type: LegalBasisType;
  reference: string;
  issuedOn?: IsoDate;
}

/** Known identifiers of an asset; api.md leaves the list open, this is the closed set we accept. */
export interface AssetIdentifiers {
  iban?: string;
  bic?: string;
  accountNumber?: string;
  vin?: string;
  registrationPlate?: string;
  imo?: string;
  mmsi?: string;
  aircraftRegistration?: string;
  registryNumber?: string;
  walletAddress?: string;
  blockchain?: string;
  isin?: string;
  other?: string;
}

export interface TraceAsset {
  type: AssetType;
  description: string;
  identifiers?: AssetIdentifiers;
  suspectedCountry?: CountryCode;
  estimatedValue?: Money;
}

/** The content of a trace request: the POST /trace-requests body (and the PATCH body). */
export interface TraceRequestContent {
  kind: RequestKind;
  language: Language;
  urgency: Urgency;
  caseReference: string;
  requestingAgency: string;
  subject: Subject;
  offences: Offence[];
  legalBasis: LegalBasis;
  purposes: Purpose[];
  assets: TraceAsset[];
  /** Required for a diffusion; a notice has either these or allMembers: true. */
  targetCountries?: CountryCode[];
  allMembers?: boolean;
  factsSummary: string;
}

/** The NCB officer's compliance attestation; both must be literally true. */
export interface Attestation {
  article3Neutrality: true;
  dataQualityChecked: true;
}

/** An asset reported by a foreign jurisdiction. */
export interface ResponseAsset {
  type: AssetType;
  description: string;
  identifiers?: AssetIdentifiers;
  holder?: string;
  estimatedValue?: Money;
}

/**
 * A foreign jurisdiction's response: the body of POST .../jurisdictions/{cc}/responses. Its
 * handling marking and grading (./handling) cover the whole answer, its assets included.
 */
export interface JurisdictionResponseContent extends HandlingMarking, Grading {
  outcome: ResponseOutcome;
  /** The sender's own reference; also the dedup key per country. */
  externalReference: string;
  assets?: ResponseAsset[];
  narrative?: string;
}

/**
 * A command was refused: `code` (closed set, rules.ts) says why and is what the API maps to an
 * HTTP status; `message` is for people; `field` names the input at fault; `rule` names the
 * particular rule when one code covers several (e.g. which four-eyes rule).
 */
export interface Refusal {
  ok: false;
  code: RefusalCode;
  message: string;
  field?: string;
  rule?: string;
}

export type Decision<E> = { ok: true; events: E[] } | Refusal;
