// The request's content as the form holds it (strings, lists as text) and as the API takes it.
import { LANGUAGES } from '../../../../libs/domain/src/enums';

// The form's choices, as the API's validation knows them.
export {
  ASSET_TYPES,
  IDENTITY_DOCUMENT_TYPES,
  LANGUAGES,
  LEGAL_BASIS_TYPES,
  OFFENCE_CATEGORIES,
  PURPOSES,
} from '../../../../libs/domain/src/enums';

/** The identifier fields that make sense for each asset type (the API accepts any of them). */
export const IDENTIFIERS_BY_TYPE: Record<string, string[]> = {
  bank_account: ['iban', 'bic', 'accountNumber'],
  vehicle: ['vin', 'registrationPlate'],
  vessel: ['imo', 'mmsi'],
  aircraft: ['aircraftRegistration'],
  company: ['registryNumber'],
  real_estate: ['registryNumber'],
  crypto_asset: ['walletAddress', 'blockchain'],
  securities: ['isin'],
  cash: ['other'],
  other: ['other'],
};

export interface OffenceForm {
  category: string;
  description: string;
  legalProvision: string;
  from: string;
  to: string;
}

export interface IdentityDocumentForm {
  type: string;
  number: string;
  issuingCountry: string;
}

export interface AssetForm {
  type: string;
  description: string;
  identifiers: Record<string, string>;
  suspectedCountry: string;
  amount: string;
  currency: string;
}

export interface RequestForm {
  kind: string;
  language: string;
  urgency: string;
  caseReference: string;
  requestingAgency: string;
  subject: {
    familyName: string;
    givenNames: string;
    dateOfBirth: string;
    nationalities: string;
    aliases: string;
    /** Optional: an empty list sends none. */
    identityDocuments: IdentityDocumentForm[];
  };
  offences: OffenceForm[];
  legalBasis: { type: string; reference: string; issuedOn: string };
  purposes: string[];
  assets: AssetForm[];
  targetCountries: string;
  allMembers: boolean;
  factsSummary: string;
}

export const emptyOffence = (): OffenceForm => ({
  category: 'fraud',
  description: '',
  legalProvision: '',
  from: '',
  to: '',
});

export const emptyIdentityDocument = (): IdentityDocumentForm => ({
  type: 'passport',
  number: '',
  issuingCountry: '',
});

export const emptyAsset = (): AssetForm => ({
  type: 'bank_account',
  description: '',
  identifiers: {},
  suspectedCountry: '',
  amount: '',
  currency: '',
});

export const emptyForm = (language = 'en'): RequestForm => ({
  kind: 'notice',
  language: LANGUAGES.includes(language as never) ? language : 'en',
  urgency: 'normal',
  caseReference: '',
  requestingAgency: '',
  subject: {
    familyName: '',
    givenNames: '',
    dateOfBirth: '',
    nationalities: '',
    aliases: '',
    identityDocuments: [],
  },
  offences: [emptyOffence()],
  legalBasis: { type: 'court_order', reference: '', issuedOn: '' },
  purposes: ['locate'],
  assets: [emptyAsset()],
  targetCountries: '',
  allMembers: false,
  factsSummary: '',
});

/** "fr, br pt" -> ["FR", "BR", "PT"] */
const codes = (s: string): string[] =>
  s
    .split(/[\s,;]+/)
    .map((c) => c.trim().toUpperCase())
    .filter(Boolean);

const lines = (s: string): string[] =>
  s
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

const opt = <T>(value: string, out: T): T | undefined => (value.trim() ? out : undefined);

/** The API body: empty optional fields are left out, so the API judges only what was given. */
export function toBody(f: RequestForm): Record<string, unknown> {
  const body: Record<string, unknown> = {
    kind: f.kind,
    language: f.language,
    urgency: f.urgency,
    caseReference: f.caseReference.trim(),
    requestingAgency: f.requestingAgency.trim(),
    subject: {
      familyName: f.subject.familyName.trim(),
      givenNames: f.subject.givenNames.trim(),
      dateOfBirth: f.subject.dateOfBirth,
      nationalities: codes(f.subject.nationalities),
      ...(lines(f.subject.aliases).length ? { aliases: lines(f.subject.aliases) } : {}),
      ...(f.subject.identityDocuments.length
        ? {
            identityDocuments: f.subject.identityDocuments.map((d) => ({
              type: d.type,
              number: d.number.trim(),
              issuingCountry: d.issuingCountry.trim().toUpperCase(),
            })),
          }
        : {}),
    },
    offences: f.offences.map((o) => ({
      category: o.category,
      description: o.description.trim(),
      legalProvision: o.legalProvision.trim(),
      from: opt(o.from, o.from),
      to: opt(o.to, o.to),
    })),
    legalBasis: {
      type: f.legalBasis.type,
      reference: f.legalBasis.reference.trim(),
      issuedOn: opt(f.legalBasis.issuedOn, f.legalBasis.issuedOn),
    },
    purposes: f.purposes,
    assets: f.assets.map((a) => {
      const identifiers = Object.fromEntries(
        Object.entries(a.identifiers)
          .map(([k, v]) => [k, v.trim()])
          .filter(([, v]) => v),
      );
      return {
        type: a.type,
        description: a.description.trim(),
        identifiers: Object.keys(identifiers).length ? identifiers : undefined,
        suspectedCountry: opt(a.suspectedCountry, a.suspectedCountry.trim().toUpperCase()),
        estimatedValue:
          a.amount.trim() || a.currency.trim()
            ? { amount: a.amount.trim(), currency: a.currency.trim().toUpperCase() }
            : undefined,
      };
    }),
    factsSummary: f.factsSummary.trim(),
  };
  if (f.kind === 'notice' && f.allMembers) body.allMembers = true;
  else body.targetCountries = codes(f.targetCountries);
  return JSON.parse(JSON.stringify(body)) as Record<string, unknown>;
}

type Content = Record<string, unknown> & {
  subject?: Record<string, unknown>;
  offences?: Record<string, unknown>[];
  legalBasis?: Record<string, unknown>;
  assets?: Record<string, unknown>[];
};

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The form for a request as the API shows it (to resume a draft). */
export function fromContent(c: Content): RequestForm {
  const subject = c.subject ?? {};
  return {
    kind: str(c.kind) || 'notice',
    language: str(c.language) || 'en',
    urgency: str(c.urgency) || 'normal',
    caseReference: str(c.caseReference),
    requestingAgency: str(c.requestingAgency),
    subject: {
      familyName: str(subject.familyName),
      givenNames: str(subject.givenNames),
      dateOfBirth: str(subject.dateOfBirth),
      nationalities: ((subject.nationalities as string[]) ?? []).join(', '),
      aliases: ((subject.aliases as string[]) ?? []).join('\n'),
      identityDocuments: ((subject.identityDocuments as Record<string, unknown>[]) ?? []).map(
        (d) => ({
          type: str(d.type) || 'passport',
          number: str(d.number),
          issuingCountry: str(d.issuingCountry),
        }),
      ),
    },
    offences: (c.offences ?? []).map((o) => ({
      category: str(o.category),
      description: str(o.description),
      legalProvision: str(o.legalProvision),
      from: str(o.from),
      to: str(o.to),
    })),
    legalBasis: {
      type: str(c.legalBasis?.type) || 'court_order',
      reference: str(c.legalBasis?.reference),
      issuedOn: str(c.legalBasis?.issuedOn),
    },
    purposes: (c.purposes as string[]) ?? [],
    assets: (c.assets ?? []).map((a) => {
      const value = (a.estimatedValue ?? {}) as Record<string, unknown>;
      return {
        type: str(a.type),
        description: str(a.description),
        identifiers: { ...((a.identifiers as Record<string, string>) ?? {}) },
        suspectedCountry: str(a.suspectedCountry),
        amount: str(value.amount),
        currency: str(value.currency),
      };
    }),
    targetCountries: ((c.targetCountries as string[]) ?? []).join(', '),
    allMembers: c.allMembers === true,
    factsSummary: str(c.factsSummary),
  };
}

/** Field paths whose values differ between two bodies (for the edit-conflict comparison). */
export function differences(
  mine: unknown,
  theirs: unknown,
  path = '',
): { path: string; mine: string; theirs: string }[] {
  const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object';
  if (isObj(mine) && isObj(theirs) && !Array.isArray(mine) && !Array.isArray(theirs)) {
    const keys = [...new Set([...Object.keys(mine), ...Object.keys(theirs)])].sort();
    return keys.flatMap((k) => differences(mine[k], theirs[k], path ? `${path}.${k}` : k));
  }
  const a = JSON.stringify(mine ?? null);
  const b = JSON.stringify(theirs ?? null);
  return a === b
    ? []
    : [{ path, mine: mine === undefined ? '' : a, theirs: theirs === undefined ? '' : b }];
}

/** The content fields of a request view (the rest is where it stands). */
export const CONTENT_KEYS = [
  'kind',
  'language',
  'urgency',
  'caseReference',
  'requestingAgency',
  'subject',
  'offences',
  'legalBasis',
  'purposes',
  'assets',
  'targetCountries',
  'allMembers',
  'factsSummary',
];

export function contentOf(view: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(CONTENT_KEYS.filter((k) => k in view).map((k) => [k, view[k]]));
}
