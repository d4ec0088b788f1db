// The lifecycle half of the domain is loaded by Temporal workflow code (deterministic sandbox):
// it must import nothing but itself, and never read the clock or randomness.
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import * as domain from '../../libs/domain/src';
import * as pure from '../../libs/domain/src/lifecycle-index';
import {
  ACTIONS,
  ASSET_STATUSES,
  ASSET_TYPES,
  AssetStatus,
  JURISDICTION_STATUSES,
  LANGUAGES,
  LEGAL_BASIS_TYPES,
  OFFENCE_CATEGORIES,
  PURPOSES,
  REQUEST_FINAL_STATUSES,
  REQUEST_KINDS,
  RESPONSE_OUTCOMES,
  ROLES,
  URGENCIES,
  canMoveAsset,
} from '../../libs/domain/src/lifecycle-index';

const SRC = resolve(__dirname, '../../libs/domain/src');

function specifiers(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found = [
    ...text.matchAll(/\b(?:import|export)\b[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g),
    ...text.matchAll(/\bimport\s*['"]([^'"]+)['"]/g),
    ...text.matchAll(/\b(?:require|import)\s*\(\s*['"]([^'"]+)['"]/g),
  ];
  return found.map((m) => m[1]);
}

/** Every file reachable from `entry` by imports, relative to src. */
function closure(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const visit = (file: string) => {
    const key = relative(SRC, file);
    if (seen.has(key)) return;
    const specs = specifiers(file);
    seen.set(key, specs);
    for (const s of specs) if (s.startsWith('.')) visit(resolve(dirname(file), `${s}.ts`));
  };
  visit(join(SRC, entry));
  return seen;
}

describe('lifecycle-index is dependency-free', () => {
  const files = closure('lifecycle-index.ts');

  test('it reaches only the pure files', () => {
    expect([...files.keys()].sort()).toEqual(
      [
        'assets.ts',
        'durations.ts',
        'enums.ts',
        'handling.ts',
        'jurisdiction.ts',
        'lifecycle-index.ts',
        'lifecycle.ts',
        'limits.ts',
        'rules.ts',
        'types.ts',
      ].sort(),
    );
  });

  test.each([...files.entries()])('%s imports only relative modules', (_f, specs) => {
    expect(specs.filter((s) => !s.startsWith('./'))).toEqual([]);
  });

  test.each([...files.keys()])('%s has no clock, randomness or process access', (file) => {
    const code = readFileSync(join(SRC, file), 'utf8').replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '');
    expect(code).not.toMatch(/Date\.now|new Date\b|Math\.random|process\.|setTimeout|setInterval/);
  });

  test('the test fixtures are pure too (workflow tests may use them)', () => {
    expect(specifiers(join(SRC, 'testing/fixtures.ts'))).toEqual(['../types']);
  });

  test('the full index adds the DTOs and validateBody on top', () => {
    for (const name of Object.keys(pure)) expect(domain).toHaveProperty(name);
    expect(typeof domain.validateBody).toBe('function');
    expect(pure).not.toHaveProperty('validateBody');
    expect(pure).not.toHaveProperty('CreateTraceRequestDto');
  });
});

describe('vocabularies are exactly those of api.md', () => {
  test.each<[string, readonly string[], string[]]>([
    [
      'JurisdictionStatus',
      JURISDICTION_STATUSES,
      ['AWAITING', 'ACKNOWLEDGED', 'PARTIAL', 'ANSWERED', 'DECLINED', 'OVERDUE'],
    ],
    [
      'AssetStatus',
      ASSET_STATUSES,
      ['IDENTIFIED', 'FREEZE_REQUESTED', 'FROZEN', 'SEIZED', 'CONFISCATED', 'RETURNED', 'RELEASED'],
    ],
    [
      'Role',
      ROLES,
      [
        'investigator',
        'supervisor',
        'ncb_officer',
        'foreign_liaison',
        'auditor',
        'admin',
        'interpol_admin',
      ],
    ],
    ['RequestKind', REQUEST_KINDS, ['notice', 'diffusion']],
    ['Language', LANGUAGES, ['en', 'fr', 'es', 'ar']],
    ['Urgency', URGENCIES, ['normal', 'urgent']],
    [
      'OffenceCategory',
      OFFENCE_CATEGORIES,
      [
        'fraud',
        'corruption',
        'drug_trafficking',
        'money_laundering',
        'environmental_crime',
        'organised_crime',
        'terrorism',
        'arms_trafficking',
        'human_trafficking',
        'cybercrime',
        'other_serious',
      ],
    ],
    [
      'AssetType',
      ASSET_TYPES,
      [
        'real_estate',
        'bank_account',
        'vehicle',
        'vessel',
        'aircraft',
        'company',
        'crypto_asset',
        'securities',
        'cash',
        'other',
      ],
    ],
    ['Purpose', PURPOSES, ['locate', 'identify', 'obtain_information', 'monitor']],
    [
      'LegalBasisType',
      LEGAL_BASIS_TYPES,
      ['court_order', 'warrant', 'prosecutor_decision', 'other'],
    ],
    [
      'ResponseOutcome',
      RESPONSE_OUTCOMES,
      ['acknowledged', 'assets_found', 'no_assets', 'partial', 'declined'],
    ],
    [
      'Action',
      ACTIONS,
      [
        'edit',
        'submit',
        'review',
        'interpol-submission',
        'query-answers',
        'withdraw',
        'close',
        'suspend',
        'resume',
      ],
    ],
    [
      'final request statuses',
      REQUEST_FINAL_STATUSES,
      ['REJECTED', 'REFUSED', 'CLOSED', 'WITHDRAWN', 'EXPIRED', 'CANCELLED'],
    ],
  ])('%s', (_n, actual, expected) => {
    expect([...actual]).toEqual(expected);
  });

  test('vocabulary lists are frozen', () => {
    expect(Object.isFrozen(ROLES)).toBe(true);
    expect(Object.isFrozen(REQUEST_FINAL_STATUSES)).toBe(true);
  });
});

describe('asset register moves', () => {
  const S = AssetStatus;
  test.each<[AssetStatus, AssetStatus, boolean]>([
    [S.IDENTIFIED, S.FREEZE_REQUESTED, true],
    [S.FREEZE_REQUESTED, S.FROZEN, true],
    [S.FROZEN, S.SEIZED, true],
    [S.SEIZED, S.CONFISCATED, true],
    [S.CONFISCATED, S.RETURNED, true],
    [S.IDENTIFIED, S.SEIZED, true],
    [S.FROZEN, S.RELEASED, true],
    [S.CONFISCATED, S.RELEASED, true],
    [S.IDENTIFIED, S.IDENTIFIED, false],
    [S.FROZEN, S.FREEZE_REQUESTED, false],
    [S.RETURNED, S.RELEASED, false],
    [S.RELEASED, S.FROZEN, false],
    [S.RELEASED, S.RELEASED, false],
  ])('%s -> %s: %s', (from, to, ok) => {
    expect(canMoveAsset(from, to)).toBe(ok);
  });
});
