import type { LoggerService, LogLevel } from '@nestjs/common';
import type {
  ForeignResponseMessage,
  GsCancellationMessage,
  GsDecisionMessage,
  GsResumptionMessage,
  GsSuspensionMessage,
  HandlingCode,
  InformationAccuracy,
  SourceReliability,
} from '../../../libs/gateway/src';

export const GS_PLANS = ['publish', 'refuse', 'query', 'hold'] as const;
export type GsPlan = (typeof GS_PLANS)[number];
export const GS_ACTIONS = ['publish', 'refuse', 'query'] as const;
export type GsAction = (typeof GS_ACTIONS)[number];
export const COUNTRY_BEHAVIOURS = ['found', 'none', 'partial', 'declined', 'silent'] as const;
export type CountryBehaviour = (typeof COUNTRY_BEHAVIOURS)[number];

export interface DeliveryOptions {
  /** Attempts per outbound message before giving up (default 8). */
  maxAttempts: number;
  /** First backoff; doubles per attempt up to maxDelayMs (defaults 250 / 10 000). */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Per-attempt HTTP timeout (default 10 000). */
  timeoutMs: number;
}

export interface SimOptions {
  /** 0 picks a free port (startSim only). Default 3100. */
  port?: number;
  /** Default 127.0.0.1: the simulator and its control API are for local use. */
  host?: string;
  /** silvertrace's API base URL, e.g. http://127.0.0.1:3000. */
  apiUrl: string;
  /** Shared GATEWAY_SECRET used both to verify inbound and to sign outbound messages. */
  secret: string;
  /** Delay before the GS posts its decision (default 1500). */
  decisionDelayMs?: number;
  /** Delay before each foreign NCB message (default 2000). */
  responseDelayMs?: number;
  /** Who answers a notice sent to `allMembers` (besides countries configured through the control API). */
  memberCountries?: string[];
  delivery?: Partial<DeliveryOptions>;
  /** Nest logger; false silences it (tests read the control API instead). */
  logger?: LoggerService | LogLevel[] | false;
}

export interface ResolvedSimOptions {
  apiUrl: string;
  secret: string;
  decisionDelayMs: number;
  responseDelayMs: number;
  memberCountries: string[];
  delivery: DeliveryOptions;
}

export const SIM_OPTIONS = Symbol('SIM_OPTIONS');

export const DEFAULT_MEMBER_COUNTRIES = ['BR', 'DE', 'ES', 'FR', 'GB', 'IT', 'NL'];

/** The handling code and grading a simulated NCB puts on its answers. */
export interface SimHandling {
  handlingCode: HandlingCode;
  /** Sent with H3 (silvertrace refuses H3 without it, which a test may want to see). */
  handlingRestriction?: string;
  sourceReliability: SourceReliability;
  informationAccuracy: InformationAccuracy;
}

/** Unless the control API says otherwise: any police purpose, a usually reliable source. */
export const DEFAULT_HANDLING: SimHandling = {
  handlingCode: 'H0',
  sourceReliability: 'B',
  informationAccuracy: '2',
};

export interface RequestControl {
  gsDecision?: GsPlan;
  /** Decision after a query has been answered. */
  thenDecision?: 'publish' | 'refuse';
  reasons?: string[];
  question?: string;
  /** The first N submission attempts are answered 503. */
  failSubmissions?: number;
  countries?: Record<string, CountryBehaviour>;
  /** Handling code and grading of every answer to this request (over DEFAULT_HANDLING). */
  handling?: Partial<SimHandling>;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'cancelled';

export interface Delivery<T> {
  id: string;
  url: string;
  idempotencyKey: string;
  message: T;
  status: DeliveryStatus;
  attempts: number;
  /** HTTP status of the last attempt that got an answer. */
  lastStatus?: number;
  lastError?: string;
  createdAt: string;
  deliveredAt?: string;
}

export type DecisionDelivery = Delivery<GsDecisionMessage>;
export type ResponseDelivery = Delivery<ForeignResponseMessage>;

export type RequestStage =
  | 'awaiting_submission'
  | 'under_review'
  | 'held'
  | 'queried'
  | 'published'
  | 'refused'
  | 'diffused'
  | 'withdrawn'
  | 'cancelled';

export interface SubmissionRecord {
  submissionId: string;
  receivedAt: string;
  idempotencyKey?: string;
  requestId: string;
  requestingCountry: string;
  targetCountries?: string[];
  allMembers?: boolean;
  contentHash: string;
}

export interface DiffusionRecord {
  diffusionId: string;
  receivedAt: string;
  idempotencyKey?: string;
  requestId: string;
  requestingCountry: string;
  targetCountries: string[];
  contentHash: string;
}

export interface SimRequest {
  reference: string;
  kind?: 'notice' | 'diffusion';
  stage: RequestStage;
  control: RequestControl;
  requestingCountry?: string;
  /** Countries that answer once the notice is published or the diffusion sent. */
  answeringCountries: string[];
  noticeId?: string;
  /** Every POST /gs/submissions for this reference: 503s and idempotent replays included. */
  submissionAttempts: number;
  /** Attempts answered 503 because of `failSubmissions`. */
  failedSubmissionAttempts: number;
  submissions: SubmissionRecord[];
  diffusions: DiffusionRecord[];
  queryAnswers: { answer: string; receivedAt: string; idempotencyKey?: string }[];
  withdrawals: { reason: string; receivedAt: string; idempotencyKey?: string }[];
  idempotencyKeys: { path: string; key: string; count: number; firstSeenAt: string }[];
  decisions: DecisionDelivery[];
  responses: ResponseDelivery[];
  /** The GS's suspensions, resumptions and cancellations sent through the control API. */
  orders: OrderDelivery[];
}

/** What the GS orders about a published request (the control API makes it). */
export type GsOrder = 'suspension' | 'resumption' | 'cancellation';
export type OrderDelivery = Delivery<
  GsSuspensionMessage | GsResumptionMessage | GsCancellationMessage
> & { order: GsOrder };

export interface LogEntry {
  seq: number;
  at: string;
  direction: 'in' | 'out' | 'control' | 'sim';
  event: string;
  reference?: string;
  detail?: Record<string, unknown>;
}
