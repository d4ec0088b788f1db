// Realistic synthetic trace requests for the search suite and the benchmark: varied subjects,
// aliases and asset identifiers (IBAN, VIN, IMO, wallet, registry number), statuses, kinds,
// target countries and creation times, in the shape the projection activity writes.
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { hashOf } from '../libs/common/src';
import { REQUEST_STATUSES } from '../libs/domain/src/enums';
import { sampleContent } from '../libs/domain/src/testing/fixtures';
import { initialState } from '../libs/domain/src/lifecycle';
import type { RequestState } from '../libs/domain/src/lifecycle';
import type { TraceRequestContent } from '../libs/domain/src/types';
import type { RequestProjection } from '../workflows/activity-types';

const FAMILY = [
  'Mokoena',
  'Dlamini',
  'Naidoo',
  'van der Merwe',
  'Botha',
  'Khumalo',
  'Pillay',
  'Nkosi',
  'Smith',
  'Ferreira',
  'Coetzee',
  'Mahlangu',
  'Ndlovu',
  'Petersen',
  'Jacobs',
  'Zulu',
  'Moreau',
  'Silva',
  'Rossi',
  'Okafor',
  'Haddad',
  'Kowalski',
  'Novak',
  'Schmidt',
  'Garcia',
];
const GIVEN = [
  'Thabo',
  'Sipho',
  'Anele',
  'Pieter',
  'Johan',
  'Lerato',
  'Naledi',
  'Ravi',
  'Maria',
  'Ahmed',
  'Chen',
  'Jean',
  'Lucas',
  'Ana',
  'Kwame',
  'Fatima',
  'Ivan',
  'Elena',
];
const TARGETS = ['BR', 'DE', 'ES', 'FR', 'GB', 'IT', 'NL', 'PT', 'US', 'AE', 'MU', 'CH'];
// Every status but the two the seed never produced (same list and order as before).
const STATUSES = REQUEST_STATUSES.filter((s) => s !== 'EXPIRED' && s !== 'CANCELLED');
const LETTERS = 'ABCDEFGHJKLMNPRSTUVWXYZ';

const pick = <T>(list: readonly T[], n: number): T => list[n % list.length];
const digits = (n: number, width: number) => String(n).padStart(width, '0').slice(-width);
const code = (n: number, width: number) => {
  let s = '';
  for (let i = 0; i < width; i += 1, n = Math.floor(n / LETTERS.length) + i * 7) {
    s += LETTERS[n % LETTERS.length];
  }
  return s;
};

/** Identifiers unique to row i, so a search for one finds exactly one request. */
export function identifiersOf(i: number) {
  return {
    iban: `GB${digits(i % 97, 2)}BARC${digits(i * 7919, 14)}`,
    vin: `WVW${code(i, 3)}${digits(i, 11)}`,
    imo: `IMO ${digits(9000000 + i, 7)}`,
    walletAddress: `bc1q${(i * 2654435761).toString(16).padStart(12, '0')}${digits(i, 8)}`,
    registryNumber: `REG-${digits(i, 7)}`,
  };
}

export interface SyntheticOptions {
  country: string;
  drafterId: string;
  createdAt: Date;
  status?: string;
  kind?: 'notice' | 'diffusion';
  urgency?: 'normal' | 'urgent';
  targetCountries?: string[];
  caseReference?: string;
  familyName?: string;
  aliases?: string[];
  editorIds?: string[];
  approvals?: { userId: string; at: string }[];
  jurisdictions?: Record<string, string>;
  /** Prefix of the reference (country-year-seq otherwise). */
  reference?: string;
}

/** A projection for row `i`, as the workflow would project it. */
export function syntheticRequest(i: number, o: SyntheticOptions): RequestProjection {
  const ids = identifiersOf(i);
  const familyName = o.familyName ?? pick(FAMILY, i * 7 + 3);
  const givenNames = `${pick(GIVEN, i * 5 + 1)} ${pick(GIVEN, i * 11 + 2)}`;
  const aliases = o.aliases ?? (i % 3 === 0 ? [`${pick(GIVEN, i)} ${familyName.slice(0, 4)}`] : []);
  const targets =
    o.targetCountries ??
    [pick(TARGETS, i), pick(TARGETS, i * 3 + 1)].filter(
      (c, k, all) => all.indexOf(c) === k && c !== o.country,
    );
  const content: TraceRequestContent = sampleContent({
    kind: o.kind ?? (i % 5 === 0 ? 'diffusion' : 'notice'),
    urgency: o.urgency ?? (i % 4 === 0 ? 'urgent' : 'normal'),
    caseReference:
      o.caseReference ?? `${o.country}-DPCI-${o.createdAt.getUTCFullYear()}-${digits(i, 6)}`,
    subject: {
      familyName,
      givenNames,
      dateOfBirth: `19${digits(50 + (i % 45), 2)}-0${1 + (i % 9)}-1${i % 9}`,
      nationalities: [o.country],
      aliases,
    },
    assets: [
      { type: 'bank_account', description: 'Nominee account', identifiers: { iban: ids.iban } },
      { type: 'vehicle', description: 'Sports car', identifiers: { vin: ids.vin } },
      { type: 'vessel', description: 'Motor yacht', identifiers: { imo: ids.imo } },
      {
        type: 'crypto_asset',
        description: 'Wallet',
        identifiers: { walletAddress: ids.walletAddress },
      },
      {
        type: 'company',
        description: 'Shell company',
        identifiers: { registryNumber: ids.registryNumber },
      },
    ],
    targetCountries: targets.length ? targets : ['FR'],
  });
  const id = randomUUID();
  const at = o.createdAt.toISOString();
  const reference = o.reference ?? `${o.country}-${o.createdAt.getUTCFullYear()}-${digits(i, 7)}`;
  const contentHash = hashOf(content);
  const base = initialState({
    type: 'Created',
    at,
    actor: { userId: o.drafterId, username: '', role: 'investigator', country: o.country },
    id,
    reference,
    content,
    contentHash,
    requestingCountry: o.country,
    requiredApprovals: 1,
  });
  const status = o.status ?? pick(STATUSES, i * 13 + 5);
  const state: RequestState = {
    ...base,
    status: status as RequestState['status'],
    editorIds: o.editorIds ?? [],
    approvals: o.approvals ?? [],
    jurisdictions: (o.jurisdictions ?? {}) as RequestState['jurisdictions'],
  };
  return {
    id,
    reference,
    requestingCountry: o.country,
    kind: content.kind,
    urgency: content.urgency,
    language: content.language,
    status,
    version: 1,
    stateSeq: 1,
    caseReference: content.caseReference,
    subjectName: [familyName, givenNames, ...aliases].join(' '),
    content: content as unknown as Record<string, unknown>,
    contentHash,
    state: state as unknown as Record<string, unknown>,
    drafterId: o.drafterId,
    workflowId: `trace-request-${id}`,
    createdAt: at,
    updatedAt: at,
  };
}

/** Many rows in one statement (the projection's columns; search_text is generated). */
export async function insertRequests(db: DataSource, rows: RequestProjection[]): Promise<void> {
  await db.query(
    `INSERT INTO trace_requests (id, reference, requesting_country, kind, urgency, language,
       status, version, state_seq, case_reference, subject_name, content, content_hash, state,
       drafter_id, workflow_id, created_at, updated_at)
     SELECT r."id", r."reference", r."requestingCountry", r."kind", r."urgency", r."language",
       r."status", r."version", r."stateSeq", r."caseReference", r."subjectName", r."content",
       r."contentHash", r."state", r."drafterId", r."workflowId", r."createdAt", r."updatedAt"
     FROM jsonb_to_recordset($1::jsonb) AS r("id" uuid, "reference" text,
       "requestingCountry" text, "kind" text, "urgency" text, "language" text, "status" text,
       "version" int, "stateSeq" int, "caseReference" text, "subjectName" text, "content" jsonb,
       "contentHash" text, "state" jsonb, "drafterId" uuid, "workflowId" text,
       "createdAt" timestamptz, "updatedAt" timestamptz)`,
    [JSON.stringify(rows)],
  );
}
