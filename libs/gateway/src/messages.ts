// Wire formats between silvertrace and INTERPOL (the General Secretariat and foreign NCBs).
// Every message is a JSON POST signed with SIGNATURE_HEADER; senders add an Idempotency-Key and a
// receiver answers a repeated key with its first answer.

/** Outbound routes on the INTERPOL side, relative to INTERPOL_GATEWAY_URL. */
export const INTERPOL_PATHS = {
  submissions: '/gs/submissions',
  queryAnswers: '/gs/query-answers',
  withdrawals: '/gs/withdrawals',
  diffusions: '/ncb/diffusions',
} as const;

/** Inbound routes on silvertrace's API, relative to its base URL. */
export const SILVERTRACE_GATEWAY_PATHS = {
  decisions: '/api/v1/gateway/interpol/decisions',
  responses: '/api/v1/gateway/interpol/responses',
  suspensions: '/api/v1/gateway/interpol/suspensions',
  resumptions: '/api/v1/gateway/interpol/resumptions',
  cancellations: '/api/v1/gateway/interpol/cancellations',
  erasures: '/api/v1/gateway/interpol/erasures',
} as const;

// The vocabularies are the domain's: the wire speaks exactly what the rules accept.
export {
  ASSET_TYPES,
  GS_DECISIONS,
  HANDLING_CODES,
  INFORMATION_ACCURACIES,
  RESPONSE_OUTCOMES as FOREIGN_OUTCOMES,
  SOURCE_RELIABILITIES,
} from '../../domain/src/enums';
export type {
  AssetType,
  GsDecision as GsDecisionKind,
  HandlingCode,
  InformationAccuracy,
  ResponseOutcome as ForeignOutcome,
  SourceReliability,
} from '../../domain/src/enums';
export { ERASURE_GROUNDS, type ErasureGround } from '../../domain/src/erasure';
import type { ErasureGround } from '../../domain/src/erasure';
import type {
  AssetType,
  GsDecision as GsDecisionKind,
  HandlingCode,
  InformationAccuracy,
  ResponseOutcome as ForeignOutcome,
  SourceReliability,
} from '../../domain/src/enums';

/** Money as a decimal string so no float rounding creeps in; currency is ISO 4217. */
export interface MoneyAmount {
  amount: string;
  currency: string;
}

// --- silvertrace -> INTERPOL ---

/** POST /gs/submissions: a notice for the GS to review. */
export interface GsSubmissionMessage {
  reference: string;
  requestId: string;
  kind: 'notice';
  requestingCountry: string;
  targetCountries?: string[];
  allMembers?: boolean;
  /** Hash of `content` as the requester computed it, so both sides can name the exact version. */
  contentHash: string;
  content: Record<string, unknown>;
}

/** 202 answer to a submission. */
export interface GsSubmissionAccepted {
  submissionId: string;
  receivedAt: string;
}

/** POST /gs/query-answers: the requester's answer to a GS query. */
export interface GsQueryAnswerMessage {
  reference: string;
  answer: string;
}

/** POST /gs/withdrawals: the requester withdraws the notice or diffusion. */
export interface GsWithdrawalMessage {
  reference: string;
  reason: string;
}

/** 202 answer to a query answer or a withdrawal. */
export interface GatewayAck {
  reference: string;
  receivedAt: string;
}

/** POST /ncb/diffusions: sent by the requesting NCB straight to the target countries. */
export interface NcbDiffusionMessage {
  reference: string;
  requestId: string;
  requestingCountry: string;
  targetCountries: string[];
  contentHash: string;
  content: Record<string, unknown>;
}

/** 202 answer to a diffusion. */
export interface NcbDiffusionAccepted {
  diffusionId: string;
  receivedAt: string;
}

// --- INTERPOL -> silvertrace ---

/** POST /api/v1/gateway/interpol/decisions: the GS review outcome. */
export interface GsDecisionMessage {
  reference: string;
  decision: GsDecisionKind;
  /** Set when published. */
  noticeId?: string;
  /** Set when refused. */
  reasons?: string[];
  /** Set when the GS queries the requester. */
  question?: string;
}

/**
 * POST /api/v1/gateway/interpol/suspensions: the GS suspends a published request (or extends its
 * suspension once), until `until` or for `duration` (ISO 8601, at most P6M from its start).
 */
export interface GsSuspensionMessage {
  reference: string;
  reason: string;
  until?: string;
  duration?: string;
}

/** POST /api/v1/gateway/interpol/resumptions: the GS lifts its suspension before its end. */
export interface GsResumptionMessage {
  reference: string;
}

/** POST /api/v1/gateway/interpol/cancellations: the GS cancels the request (final). */
export interface GsCancellationMessage {
  reference: string;
  reason: string;
}

/**
 * POST /api/v1/gateway/interpol/erasures: an erasure ordered through INTERPOL (a CCF decision
 * carries its reference and the deadline it must be carried out by).
 */
export interface ErasureOrderMessage {
  /** silvertrace's request reference. */
  requestReference: string;
  ground: ErasureGround;
  reference?: string;
  deadline?: string;
}

export interface ForeignAsset {
  type: AssetType;
  description: string;
  identifiers?: Record<string, string>;
  holder?: string;
  estimatedValue?: MoneyAmount;
}

/** POST /api/v1/gateway/interpol/responses: a foreign answer relayed through INTERPOL channels. */
export interface ForeignResponseMessage {
  reference: string;
  /** ISO 3166-1 alpha-2 of the answering country. */
  country: string;
  outcome: ForeignOutcome;
  /** The sender's own reference; stable across redeliveries of the same message. */
  externalReference: string;
  assets?: ForeignAsset[];
  narrative?: string;
  /** SIENA handling code of the whole answer, its assets included (H0-H3). */
  handlingCode?: HandlingCode;
  /** Required with H3 (other restrictions), refused with any other code. */
  handlingRestriction?: string;
  /** Source reliability A, B, C or X; information accuracy "1" to "4". */
  sourceReliability?: SourceReliability;
  informationAccuracy?: InformationAccuracy;
}
