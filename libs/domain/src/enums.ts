// Status words and vocabularies of the HTTP contract (docs: api.md). Plain const objects plus
// union types, no imports: workflow code (Temporal's deterministic sandbox) loads this file.

/** The values of a const object, as a readonly tuple-like array (for IsIn and exhaustive tests). */
function valuesOf<T extends Record<string, string>>(o: T): readonly T[keyof T][] {
  return Object.freeze(Object.values(o) as T[keyof T][]);
}

export const RequestStatus = {
  DRAFT: 'DRAFT',
  IN_REVIEW: 'IN_REVIEW',
  CHANGES_REQUESTED: 'CHANGES_REQUESTED',
  REJECTED: 'REJECTED',
  APPROVED: 'APPROVED',
  SUBMITTED: 'SUBMITTED',
  QUERIED: 'QUERIED',
  REFUSED: 'REFUSED',
  PUBLISHED: 'PUBLISHED',
  COMPLETED: 'COMPLETED',
  CLOSED: 'CLOSED',
  WITHDRAWN: 'WITHDRAWN',
  EXPIRED: 'EXPIRED',
  /** Cancelled by the INTERPOL General Secretariat (final). */
  CANCELLED: 'CANCELLED',
} as const;
export type RequestStatus = (typeof RequestStatus)[keyof typeof RequestStatus];
export const REQUEST_STATUSES = valuesOf(RequestStatus);

/** Nothing happens to a request in these statuses any more. COMPLETED is not final: it can be closed. */
export const REQUEST_FINAL_STATUSES: readonly RequestStatus[] = Object.freeze([
  RequestStatus.REJECTED,
  RequestStatus.REFUSED,
  RequestStatus.CLOSED,
  RequestStatus.WITHDRAWN,
  RequestStatus.EXPIRED,
  RequestStatus.CANCELLED,
]);
export function isFinalRequestStatus(status: RequestStatus): boolean {
  return REQUEST_FINAL_STATUSES.includes(status);
}

export const JurisdictionStatus = {
  AWAITING: 'AWAITING',
  ACKNOWLEDGED: 'ACKNOWLEDGED',
  PARTIAL: 'PARTIAL',
  ANSWERED: 'ANSWERED',
  DECLINED: 'DECLINED',
  OVERDUE: 'OVERDUE',
} as const;
export type JurisdictionStatus = (typeof JurisdictionStatus)[keyof typeof JurisdictionStatus];
export const JURISDICTION_STATUSES = valuesOf(JurisdictionStatus);

/**
 * Final for the request's completion: once every target country is in one of these, the request
 * is COMPLETED. A final country can still send responses (late or supplementary); they are
 * recorded and may move it between final statuses (OVERDUE -> ANSWERED | DECLINED,
 * DECLINED -> ANSWERED) but never back to a non-final one, so completion is never undone.
 */
export const JURISDICTION_FINAL_STATUSES: readonly JurisdictionStatus[] = Object.freeze([
  JurisdictionStatus.ANSWERED,
  JurisdictionStatus.DECLINED,
  JurisdictionStatus.OVERDUE,
]);
export function isFinalJurisdictionStatus(status: JurisdictionStatus): boolean {
  return JURISDICTION_FINAL_STATUSES.includes(status);
}

export const AssetStatus = {
  IDENTIFIED: 'IDENTIFIED',
  FREEZE_REQUESTED: 'FREEZE_REQUESTED',
  FROZEN: 'FROZEN',
  SEIZED: 'SEIZED',
  CONFISCATED: 'CONFISCATED',
  RETURNED: 'RETURNED',
  RELEASED: 'RELEASED',
} as const;
export type AssetStatus = (typeof AssetStatus)[keyof typeof AssetStatus];
export const ASSET_STATUSES = valuesOf(AssetStatus);

/** Human roles of api.md. Machine messages act as the pseudo-role `system` (see SystemActor). */
export const Role = {
  INVESTIGATOR: 'investigator',
  SUPERVISOR: 'supervisor',
  NCB_OFFICER: 'ncb_officer',
  FOREIGN_LIAISON: 'foreign_liaison',
  AUDITOR: 'auditor',
  /** Administers the pilot for its own country only (admin-scope.ts). */
  ADMIN: 'admin',
  /** INTERPOL-level administration: every country, and the pilot-wide settings. */
  INTERPOL_ADMIN: 'interpol_admin',
} as const;
export type Role = (typeof Role)[keyof typeof Role];
export const ROLES = valuesOf(Role);

/** The pseudo-role of machine messages (GS decisions, timers, child workflows); never a user's role. */
export const SYSTEM_ROLE = 'system' as const;
export type SystemRole = typeof SYSTEM_ROLE;

export const RequestKind = { NOTICE: 'notice', DIFFUSION: 'diffusion' } as const;
export type RequestKind = (typeof RequestKind)[keyof typeof RequestKind];
export const REQUEST_KINDS = valuesOf(RequestKind);

export const Language = { EN: 'en', FR: 'fr', ES: 'es', AR: 'ar' } as const;
export type Language = (typeof Language)[keyof typeof Language];
export const LANGUAGES = valuesOf(Language);

export const Urgency = { NORMAL: 'normal', URGENT: 'urgent' } as const;
export type Urgency = (typeof Urgency)[keyof typeof Urgency];
export const URGENCIES = valuesOf(Urgency);

export const OffenceCategory = {
  FRAUD: 'fraud',
  CORRUPTION: 'corruption',
  DRUG_TRAFFICKING: 'drug_trafficking',
  MONEY_LAUNDERING: 'money_laundering',
  ENVIRONMENTAL_CRIME: 'environmental_crime',
  ORGANISED_CRIME: 'organised_crime',
  TERRORISM: 'terrorism',
  ARMS_TRAFFICKING: 'arms_trafficking',
  HUMAN_TRAFFICKING: 'human_trafficking',
  CYBERCRIME: 'cybercrime',
  OTHER_SERIOUS: 'other_serious',
} as const;
export type OffenceCategory = (typeof OffenceCategory)[keyof typeof OffenceCategory];
export const OFFENCE_CATEGORIES = valuesOf(OffenceCategory);

export const AssetType = {
  REAL_ESTATE: 'real_estate',
  BANK_ACCOUNT: 'bank_account',
  VEHICLE: 'vehicle',
  VESSEL: 'vessel',
  AIRCRAFT: 'aircraft',
  COMPANY: 'company',
  CRYPTO_ASSET: 'crypto_asset',
  SECURITIES: 'securities',
  CASH: 'cash',
  OTHER: 'other',
} as const;
export type AssetType = (typeof AssetType)[keyof typeof AssetType];
export const ASSET_TYPES = valuesOf(AssetType);

export const Purpose = {
  LOCATE: 'locate',
  IDENTIFY: 'identify',
  OBTAIN_INFORMATION: 'obtain_information',
  MONITOR: 'monitor',
} as const;
export type Purpose = (typeof Purpose)[keyof typeof Purpose];
export const PURPOSES = valuesOf(Purpose);

export const LegalBasisType = {
  COURT_ORDER: 'court_order',
  WARRANT: 'warrant',
  PROSECUTOR_DECISION: 'prosecutor_decision',
  OTHER: 'other',
} as const;
export type LegalBasisType = (typeof LegalBasisType)[keyof typeof LegalBasisType];
export const LEGAL_BASIS_TYPES = valuesOf(LegalBasisType);

/** Not fixed by api.md (it says only `type`); a closed list with `other` keeps data comparable. */
export const IdentityDocumentType = {
  PASSPORT: 'passport',
  NATIONAL_ID: 'national_id',
  DRIVING_LICENCE: 'driving_licence',
  RESIDENCE_PERMIT: 'residence_permit',
  OTHER: 'other',
} as const;
export type IdentityDocumentType = (typeof IdentityDocumentType)[keyof typeof IdentityDocumentType];
export const IDENTITY_DOCUMENT_TYPES = valuesOf(IdentityDocumentType);

export const ResponseOutcome = {
  ACKNOWLEDGED: 'acknowledged',
  ASSETS_FOUND: 'assets_found',
  NO_ASSETS: 'no_assets',
  PARTIAL: 'partial',
  DECLINED: 'declined',
} as const;
export type ResponseOutcome = (typeof ResponseOutcome)[keyof typeof ResponseOutcome];
export const RESPONSE_OUTCOMES = valuesOf(ResponseOutcome);

/** Europol SIENA handling codes: H0 law-enforcement use only, H1 not as evidence without
 * permission, H2 no onward dissemination without permission, H3 other restrictions. */
export const HandlingCode = { H0: 'H0', H1: 'H1', H2: 'H2', H3: 'H3' } as const;
export type HandlingCode = (typeof HandlingCode)[keyof typeof HandlingCode];
export const HANDLING_CODES = valuesOf(HandlingCode);

/** Europol 4x4 grading: source reliability A-C, X = cannot be assessed. */
export const SourceReliability = { A: 'A', B: 'B', C: 'C', X: 'X' } as const;
export type SourceReliability = (typeof SourceReliability)[keyof typeof SourceReliability];
export const SOURCE_RELIABILITIES = valuesOf(SourceReliability);

/** Europol 4x4 grading: information accuracy 1 (known true) to 4 (not known to be true). */
export const InformationAccuracy = { ONE: '1', TWO: '2', THREE: '3', FOUR: '4' } as const;
export type InformationAccuracy = (typeof InformationAccuracy)[keyof typeof InformationAccuracy];
export const INFORMATION_ACCURACIES = valuesOf(InformationAccuracy);

export const ReviewDecision = {
  APPROVE: 'approve',
  REJECT: 'reject',
  REQUEST_CHANGES: 'request_changes',
} as const;
export type ReviewDecision = (typeof ReviewDecision)[keyof typeof ReviewDecision];
export const REVIEW_DECISIONS = valuesOf(ReviewDecision);

/** The General Secretariat's answer to a submission (gateway `decision`). */
export const GsDecision = { PUBLISHED: 'published', REFUSED: 'refused', QUERY: 'query' } as const;
export type GsDecision = (typeof GsDecision)[keyof typeof GsDecision];
export const GS_DECISIONS = valuesOf(GsDecision);

/** Action names of api.md routes, as listed in a request's `allowedActions`. */
export const Action = {
  EDIT: 'edit',
  SUBMIT: 'submit',
  REVIEW: 'review',
  INTERPOL_SUBMISSION: 'interpol-submission',
  QUERY_ANSWERS: 'query-answers',
  WITHDRAW: 'withdraw',
  CLOSE: 'close',
  /** Suspend a published request, or extend its suspension once. */
  SUSPEND: 'suspend',
  /** Lift a suspension before its end. */
  RESUME: 'resume',
} as const;
export type Action = (typeof Action)[keyof typeof Action];
export const ACTIONS = valuesOf(Action);

/** Action names on a country track, as listed in a track's `allowedActions`. */
export const TrackAction = { RESPOND: 'respond', EXTEND: 'extend' } as const;
export type TrackAction = (typeof TrackAction)[keyof typeof TrackAction];
export const TRACK_ACTIONS = valuesOf(TrackAction);
