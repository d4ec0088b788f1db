// The handling rules declared once in libs/domain/src/handling.ts: which codes need the source's
// permission to leave, which are marked not for evidence, and H3's restriction text.
import {
  HANDLING_CODES,
  handlingOf,
  handlingRestrictionProblem,
  isNotForEvidence,
  needsSourcePermission,
} from '../../libs/domain/src';

describe('handling rules', () => {
  it('H2 and H3 need a permission to leave; H1 is not for evidence; H0 and no code are free', () => {
    expect(
      HANDLING_CODES.map((handlingCode) => [
        handlingCode,
        needsSourcePermission({ handlingCode }),
        isNotForEvidence({ handlingCode }),
      ]),
    ).toEqual([
      ['H0', false, false],
      ['H1', false, true],
      ['H2', true, false],
      ['H3', true, false],
    ]);
    expect(needsSourcePermission({})).toBe(false);
    expect(isNotForEvidence(undefined)).toBe(false);
  });

  it('H3 needs its restriction in text, and only H3 takes one', () => {
    expect(
      handlingRestrictionProblem({ handlingCode: 'H3', handlingRestriction: 'No tax use' }),
    ).toBe(undefined);
    expect(handlingRestrictionProblem({ handlingCode: 'H3' })).toMatch(/required with H3/);
    expect(handlingRestrictionProblem({ handlingCode: 'H3', handlingRestriction: ' ' })).toMatch(
      /required with H3/,
    );
    expect(handlingRestrictionProblem({ handlingCode: 'H0', handlingRestriction: 'x' })).toMatch(
      /H3 answer only/,
    );
    expect(handlingRestrictionProblem({ handlingRestriction: 'x' })).toMatch(/H3 answer only/);
    expect(handlingRestrictionProblem({ handlingCode: 'H0' })).toBe(undefined);
  });

  it('picks the marking and grading of an item, or nothing', () => {
    expect(
      handlingOf({
        handlingCode: 'H1',
        sourceReliability: 'B',
        informationAccuracy: '2',
        ...({ narrative: 'kept out' } as object),
      }),
    ).toEqual({ handlingCode: 'H1', sourceReliability: 'B', informationAccuracy: '2' });
    expect(handlingOf({})).toBe(undefined);
  });
});
