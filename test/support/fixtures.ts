import type { TraceRequestContent } from '../../libs/domain/src/types';

/** A complete, valid trace-request body; tests override what they exercise. */
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
