// Size limits shared by the DTOs (class-validator) and the pure rules, so the workflow refuses
// exactly what the API would. No imports: workflow code loads this file.
export const LIMITS = Object.freeze({
  /** Names, agencies, references, identifiers. */
  name: 200,
  reference: 200,
  /** Short codes and identifiers (document numbers, plates, notice ids). */
  code: 100,
  description: 2000,
  comment: 2000,
  reason: 2000,
  legalProvision: 500,
  factsSummary: 10000,
  narrative: 10000,
  answer: 10000,
  question: 10000,
  summary: 10000,
  aliases: 20,
  nationalities: 10,
  identityDocuments: 20,
  offences: 50,
  purposes: 4,
  assets: 200,
  /** Every INTERPOL member country (196) but the requesting one. */
  targetCountries: 195,
  refusalReasons: 20,
  username: 100,
  password: 200,
});
