import type { TraceRequestEntity } from '../../../../libs/persistence/src/entities';
import type { AuthUser } from '../auth/actor';

/** What the API shows of a request: its content as drafted plus where it stands. */
export interface TraceRequestView extends Record<string, unknown> {
  id: string;
  reference: string;
  status: string;
  version: number;
  requestingCountry: string;
  contentHash: string;
  createdAt: string;
  updatedAt: string;
  allowedActions: string[];
}

export function toView(row: TraceRequestEntity, _user: AuthUser): TraceRequestView {
  return {
    ...row.content,
    id: row.id,
    reference: row.reference,
    status: row.status,
    version: row.version,
    requestingCountry: row.requestingCountry,
    contentHash: row.contentHash,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    allowedActions: [],
  };
}
