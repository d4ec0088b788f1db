import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { HistoryEntry } from '../../../../libs/domain/src/api-types';
import type { CaseFileDto } from '../../../../libs/domain/src/dto';
import type { HandlingCode } from '../../../../libs/domain/src/enums';
import {
  HANDLING_CODES_NEEDING_PERMISSION,
  isNotForEvidence,
  needsSourcePermission,
  NOT_FOR_EVIDENCE,
  type HandlingMarking,
} from '../../../../libs/domain/src/handling';
import type { JurisdictionResponseContent } from '../../../../libs/domain/src/types';
import { AssetRegister, AssetsService, AssetView, decimal } from '../assets/assets.service';
import { auditActor, AuditRecorder } from '../audit/audit-recorder.service';
import type { AuthUser } from '../auth/actor';
import { badRequest, notFound } from '../common/problem';
import {
  JurisdictionsService,
  JurisdictionView,
  ResponseView,
} from '../jurisdictions/jurisdictions.service';
import { ReplayService } from '../replay/replay.service';
import { TraceRequestsService } from '../trace-requests/trace-requests.service';
import { isHomeStaff, TraceRequestView } from '../trace-requests/view';

/** What an exported item says about its evidential use (H1). */
export interface EvidenceMark {
  evidenceMark?: typeof NOT_FOR_EVIDENCE;
}

/** An answer left out of the case file, named so its source's permission can be sought. */
export interface WithheldAnswer {
  answerId: string;
  country: string;
  handlingCode: HandlingCode;
}

export interface CaseFileHandling {
  /** The rule applied, in words, for whoever reads the file. */
  rule: string;
  withheld: WithheldAnswer[];
  /** H2/H3 answers included on the source's permission, with its reference. */
  released: (WithheldAnswer & { permission: string })[];
  /** Answers (and their assets) marked "not for use as evidence". */
  notForEvidence: string[];
}

/** The case file: everything about a request that may leave silvertrace under its handling codes. */
export interface CaseFile {
  request: TraceRequestView;
  timeline: (HistoryEntry & EvidenceMark)[];
  jurisdictions: (Omit<JurisdictionView, 'responses'> & {
    responses: (ResponseView & EvidenceMark & { sourcePermission?: string })[];
  })[];
  assets: AssetRegister & { items: (AssetView & EvidenceMark)[] };
  handling: CaseFileHandling;
}

/** An answer's identity in the timeline and the register: its country and its sender's reference. */
const key = (country: string, externalReference: string) => `${country}\u0000${externalReference}`;

/**
 * Builds case files under the handling codes: an H2 or H3 answer, its assets and its timeline
 * entry are left out unless the exporter records the source's permission for it; H1 content is
 * marked "not for use as evidence". Each export is audited with the permissions it used.
 */
@Injectable()
export class CaseFileService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly requests: TraceRequestsService,
    private readonly jurisdictions: JurisdictionsService,
    private readonly assets: AssetsService,
    private readonly replay: ReplayService,
    private readonly audit: AuditRecorder,
  ) {}

  async build(user: AuthUser, id: string, dto: CaseFileDto): Promise<CaseFile> {
    const row = await this.requests.findVisible(user, id);
    // A foreign liaison reads its own track but never exports the requester's case file.
    if (!isHomeStaff(user, row.requestingCountry)) throw notFound('trace request');
    const request = await this.requests.get(user, id);
    const tracks = await this.jurisdictions.list(user, id);
    const answers = tracks.flatMap((t) => t.responses.map((r) => ({ country: t.country, r })));

    // Every permission must name an answer of this request that needs one.
    const permissions = dto.permissions ?? [];
    const permitted = new Map<string, string>();
    const errors = permissions.flatMap((p, i) => {
      const found = answers.find((a) => a.r.id === p.answerId);
      if (found && needsSourcePermission(found.r)) {
        permitted.set(p.answerId, p.reference);
        return [];
      }
      return [
        {
          field: `permissions[${i}].answerId`,
          message: found
            ? `answer ${p.answerId} is not under ${HANDLING_CODES_NEEDING_PERMISSION.join(' or ')}: it needs no permission`
            : `answer ${p.answerId} is not an answer of this request`,
        },
      ];
    });
    if (errors.length > 0) throw badRequest('a permission names no withheld answer', errors);

    const handling: CaseFileHandling = {
      rule:
        `answers under ${HANDLING_CODES_NEEDING_PERMISSION.join(' or ')} are left out with their ` +
        `assets unless the source's permission is recorded; H1 content is marked "${NOT_FOR_EVIDENCE}"`,
      withheld: [],
      released: [],
      notForEvidence: [],
    };
    const withheldKeys = new Set<string>();
    const released = new Map<string, string>();
    const h1Keys = new Set<string>();
    for (const { country, r } of answers) {
      if (needsSourcePermission(r)) {
        const item = { answerId: r.id, country, handlingCode: r.handlingCode! };
        const permission = permitted.get(r.id);
        if (permission === undefined) {
          handling.withheld.push(item);
          withheldKeys.add(key(country, r.externalReference));
        } else {
          handling.released.push({ ...item, permission });
          released.set(key(country, r.externalReference), permission);
        }
      } else if (isNotForEvidence(r)) {
        handling.notForEvidence.push(r.id);
        h1Keys.add(key(country, r.externalReference));
      }
    }

    const jurisdictions = tracks.map((t) => ({
      ...t,
      responses: t.responses
        .filter((r) => !withheldKeys.has(key(t.country, r.externalReference)))
        .map((r) => ({
          ...r,
          ...(isNotForEvidence(r) ? { evidenceMark: NOT_FOR_EVIDENCE } : {}),
          ...(permitted.has(r.id) ? { sourcePermission: permitted.get(r.id)! } : {}),
        })),
    }));

    // The timeline is read from the workflow histories, which may run ahead of the read model:
    // an entry is judged on its own recorded code, and released only by a matching permission.
    const timeline = (await this.replay.history(user, id)).map((e) => {
      const response = responseOf(e);
      if (!response || !e.country) return e;
      const k = key(e.country, response.externalReference);
      if (needsSourcePermission(response) && !released.has(k)) {
        return {
          ...e,
          details: { withheld: true, handlingCode: response.handlingCode },
          handling: { handlingCode: response.handlingCode } as HandlingMarking,
        };
      }
      return isNotForEvidence(response) ? { ...e, evidenceMark: NOT_FOR_EVIDENCE } : e;
    });

    const register = await this.assets.forRequest(user, id);
    const items = register.items
      .filter((a) => !withheldKeys.has(key(a.country, a.externalReference)))
      .map((a) =>
        h1Keys.has(key(a.country, a.externalReference))
          ? { ...a, evidenceMark: NOT_FOR_EVIDENCE }
          : a,
      );
    const assets = {
      ...register,
      items,
      totals: items.length === register.items.length ? register.totals : await this.totals(items),
    };

    // Recorded before the file leaves: the references of the permissions it relied on.
    await this.audit.record({
      ...auditActor(user, 'trace-requests.case-file'),
      action: 'trace-requests.case-file',
      objectType: 'trace_request',
      objectId: row.id,
      traceRequestId: row.id,
      outcome: 'success',
      details: {
        permissions: handling.released.map((r) => ({
          answerId: r.answerId,
          handlingCode: r.handlingCode,
          reference: r.permission,
        })),
        withheld: handling.withheld.map((w) => w.answerId),
        notForEvidence: handling.notForEvidence,
      },
    });
    return { request, timeline, jurisdictions, assets, handling };
  }

  /** Totals per currency of the assets kept, summed by PostgreSQL (never through a float). */
  private async totals(items: AssetView[]): Promise<AssetRegister['totals']> {
    if (items.length === 0) return [];
    const rows = (await this.db.query(
      `SELECT currency, SUM(amount)::text AS amount FROM assets
        WHERE id = ANY($1::uuid[]) AND amount IS NOT NULL AND currency IS NOT NULL
        GROUP BY currency ORDER BY currency`,
      [items.map((a) => a.id)],
    )) as { currency: string; amount: string }[];
    return rows.map((r) => ({ currency: r.currency, amount: decimal(r.amount) }));
  }
}

/** The answer a timeline entry records, if it records one. */
function responseOf(e: HistoryEntry): JurisdictionResponseContent | undefined {
  if (e.action !== 'ResponseRecorded') return undefined;
  const response = (e.details as { response?: JurisdictionResponseContent }).response;
  return response && typeof response.externalReference === 'string' ? response : undefined;
}
