// Sample data for tests across the repo (unit, workflow, e2e). Not exported from the index:
// import it directly. PURE, like the lifecycle, so workflow tests can use it too.
import type { Actor, SystemActor, TraceRequestContent } from '../types';

/** A complete, valid notice body (POST /trace-requests). Each call returns a fresh copy. */
export function sampleContent(overrides: Partial<TraceRequestContent> = {}): TraceRequestContent {
  return {
    kind: 'notice',
    language: 'en',
    urgency: 'urgent',
    caseReference: 'ZA-DPCI-2025-0042',
    requestingAgency: 'Directorate for Priority Crime Investigation',
    subject: {
      familyName: 'Mokoena',
      givenNames: 'Thabo Johannes',
      dateOfBirth: '1971-04-23',
      nationalities: ['ZA', 'MZ'],
      aliases: ['TJ Mokoena'],
      identityDocuments: [{ type: 'passport', number: 'A01234567', issuingCountry: 'ZA' }],
    },
    offences: [
      {
        category: 'corruption',
        description: 'Kickbacks on public procurement contracts',
        legalProvision: 'Prevention and Combating of Corrupt Activities Act 12 of 2004, s 3',
        from: '2016-01-01',
        to: '2023-06-30',
      },
      {
        category: 'money_laundering',
        description: 'Laundering of the proceeds through offshore companies',
        legalProvision: 'Prevention of Organised Crime Act 121 of 1998, s 4',
      },
    ],
    legalBasis: { type: 'court_order', reference: 'GJ-2024-18812', issuedOn: '2024-11-05' },
    purposes: ['locate', 'identify', 'obtain_information'],
    assets: [
      {
        type: 'bank_account',
        description: 'Current account held with a Milan bank',
        identifiers: { iban: 'IT60X0542811101000000123456' },
        suspectedCountry: 'IT',
        estimatedValue: { amount: '1250000.00', currency: 'EUR' },
      },
      {
        type: 'vessel',
        description: 'Motor yacht, 32 m',
        identifiers: { imo: 'IMO 1234567' },
        suspectedCountry: 'FR',
        estimatedValue: { amount: '8500000', currency: 'EUR' },
      },
      {
        type: 'crypto_asset',
        description: 'Bitcoin wallet',
        identifiers: {
          walletAddress: 'bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh',
          blockchain: 'bitcoin',
        },
      },
    ],
    targetCountries: ['FR', 'IT', 'BR'],
    factsSummary:
      'The subject, a former procurement official, is suspected of receiving kickbacks and moving the proceeds abroad.',
    ...overrides,
  };
}

/**
 * A complete, valid trace-request body for the API and benchmark runs (test/support/fixtures.ts,
 * bench/lib/journey.ts); they override what they exercise.
 */
export function validRequestBody(
  overrides: Partial<TraceRequestContent> = {},
): TraceRequestContent {
  return {
    kind: 'notice',
    language: 'en',
    urgency: 'normal',
    caseReference: 'CAS-2026-0042',
    requestingAgency: 'Directorate for Priority Crime Investigation',
    subject: {
      familyName: 'Mokoena',
      givenNames: 'Thabo James',
      dateOfBirth: '1971-03-14',
      nationalities: ['ZA'],
      aliases: ['TJ Moko'],
      identityDocuments: [{ type: 'passport', number: 'M00123456', issuingCountry: 'ZA' }],
    },
    offences: [
      {
        category: 'money_laundering',
        description: 'Laundering of proceeds of tender fraud through shell companies',
        legalProvision: 'Prevention of Organised Crime Act 121 of 1998, s4',
        from: '2019-01-01',
        to: '2024-06-30',
      },
    ],
    legalBasis: { type: 'court_order', reference: 'GJ-2026-1187', issuedOn: '2026-02-03' },
    purposes: ['locate', 'identify'],
    assets: [
      {
        type: 'bank_account',
        description: 'Current account held through a nominee company',
        identifiers: { iban: 'FR1420041010050500013M02606' },
        suspectedCountry: 'FR',
        estimatedValue: { amount: '1250000.00', currency: 'EUR' },
      },
      {
        type: 'real_estate',
        description: 'Apartment in Sao Paulo',
        suspectedCountry: 'BR',
        estimatedValue: { amount: '3400000.00', currency: 'BRL' },
      },
    ],
    targetCountries: ['FR', 'BR', 'PT'],
    factsSummary:
      'The subject is suspected of laundering proceeds of public tender fraud through companies abroad.',
    ...overrides,
  };
}

export function sampleDiffusion(overrides: Partial<TraceRequestContent> = {}): TraceRequestContent {
  return sampleContent({ kind: 'diffusion', targetCountries: ['FR', 'BR'], ...overrides });
}

/** Demo users of api.md (country ZA is home), as Actors. */
export const actors = {
  investigator: {
    userId: 'u-inv-za',
    username: 'investigator.za',
    role: 'investigator',
    country: 'ZA',
  },
  investigator2: {
    userId: 'u-inv2-za',
    username: 'investigator2.za',
    role: 'investigator',
    country: 'ZA',
  },
  supervisor: { userId: 'u-sup-za', username: 'supervisor.za', role: 'supervisor', country: 'ZA' },
  supervisor2: {
    userId: 'u-sup2-za',
    username: 'supervisor2.za',
    role: 'supervisor',
    country: 'ZA',
  },
  ncb: { userId: 'u-ncb-za', username: 'ncb.za', role: 'ncb_officer', country: 'ZA' },
  auditor: { userId: 'u-aud-za', username: 'auditor.za', role: 'auditor', country: 'ZA' },
  admin: { userId: 'u-adm-za', username: 'admin.za', role: 'admin', country: 'ZA' },
  liaisonFr: { userId: 'u-lia-fr', username: 'liaison.fr', role: 'foreign_liaison', country: 'FR' },
  liaisonBr: { userId: 'u-lia-br', username: 'liaison.br', role: 'foreign_liaison', country: 'BR' },
  /** An investigator of another country: must never act on a ZA request. */
  investigatorFr: {
    userId: 'u-inv-fr',
    username: 'investigator.fr',
    role: 'investigator',
    country: 'FR',
  },
  supervisorFr: {
    userId: 'u-sup-fr',
    username: 'supervisor.fr',
    role: 'supervisor',
    country: 'FR',
  },
  ncbFr: { userId: 'u-ncb-fr', username: 'ncb.fr', role: 'ncb_officer', country: 'FR' },
} satisfies Record<string, Actor>;

export const systemActor: SystemActor = {
  userId: 'system',
  username: 'interpol-gateway',
  role: 'system',
};
