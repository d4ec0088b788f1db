/**
 * The activities the workflows call, as types only: workflow code may import this file, the
 * worker implements it (apps/worker/src/activities).
 */
export interface RequestProjection {
  id: string;
  reference: string;
  requestingCountry: string;
  kind: string;
  urgency: string;
  language: string;
  status: string;
  version: number;
  /** Events folded so far; the read model ignores a projection older than what it holds. */
  stateSeq: number;
  caseReference: string;
  subjectName: string;
  content: Record<string, unknown>;
  contentHash: string;
  state: Record<string, unknown>;
  drafterId: string;
  workflowId: string;
  createdAt: string;
  updatedAt: string;
}

export interface RequestActivities {
  /** Idempotent upsert of the request's read model. */
  projectRequest(projection: RequestProjection): Promise<void>;
}
