// Handling conditions on information received from abroad (Europol SIENA): the code a source
// puts on what it sends, the 4x4 grading of the source and of the information, and the two rules
// the software enforces on them. PURE (workflow code and the web application load it).
import { HandlingCode, HANDLING_CODES } from './enums';
import type { InformationAccuracy, SourceReliability } from './enums';

/**
 * The handling conditions of one piece of received information. An answer carries one today; an
 * attachment will carry its own (same two fields), so each item is judged on its own marking.
 */
export interface HandlingMarking {
  handlingCode?: HandlingCode;
  /** The restriction in the source's words; required with H3 ("other restrictions"), only then. */
  handlingRestriction?: string;
}

/** The source's own assessment: reliability of the source and accuracy of the information. */
export interface Grading {
  sourceReliability?: SourceReliability;
  informationAccuracy?: InformationAccuracy;
}

/**
 * Codes under which the information leaves silvertrace (exports, case files, onward sharing) only
 * with the source's recorded permission: H2 (no further dissemination) and H3 (other
 * restrictions, which the software cannot read, so it treats them as strictly as H2).
 */
export const HANDLING_CODES_NEEDING_PERMISSION: readonly HandlingCode[] = Object.freeze([
  HandlingCode.H2,
  HandlingCode.H3,
]);

/** Codes whose content is marked NOT_FOR_EVIDENCE wherever it is exported (H1). */
export const HANDLING_CODES_NOT_FOR_EVIDENCE: readonly HandlingCode[] = Object.freeze([
  HandlingCode.H1,
]);

/** The code that needs its restriction stated in text. */
export const HANDLING_CODE_WITH_RESTRICTION: HandlingCode = HandlingCode.H3;

/** The mark an exported H1 item carries. */
export const NOT_FOR_EVIDENCE = 'not for use as evidence' as const;

/** Whether exporting this item needs the source's recorded permission. */
export function needsSourcePermission(marking: HandlingMarking | undefined): boolean {
  return (
    marking?.handlingCode !== undefined &&
    HANDLING_CODES_NEEDING_PERMISSION.includes(marking.handlingCode)
  );
}

/** Whether this item is marked "not for use as evidence" when exported. */
export function isNotForEvidence(marking: HandlingMarking | undefined): boolean {
  return (
    marking?.handlingCode !== undefined &&
    HANDLING_CODES_NOT_FOR_EVIDENCE.includes(marking.handlingCode)
  );
}

/**
 * What is wrong with a marking's restriction text, or undefined: H3 needs it, the other codes
 * take none (a restriction under H0 would be silently ignored). An unknown code is reported by
 * the code's own check, not here.
 */
export function handlingRestrictionProblem(marking: HandlingMarking): string | undefined {
  const code = marking.handlingCode;
  const text = marking.handlingRestriction;
  const given = typeof text === 'string' && text.trim() !== '';
  if (code === HANDLING_CODE_WITH_RESTRICTION && !given) {
    return `handlingRestriction is required with ${HANDLING_CODE_WITH_RESTRICTION}: state the restriction`;
  }
  const known = code === undefined || HANDLING_CODES.includes(code);
  if (text !== undefined && known && code !== HANDLING_CODE_WITH_RESTRICTION) {
    return `handlingRestriction belongs to an ${HANDLING_CODE_WITH_RESTRICTION} answer only`;
  }
  return undefined;
}

/** The source's permission to export one withheld item, as recorded by the person exporting. */
export interface SourcePermission {
  /** The id of the answer (jurisdiction response) the permission covers. */
  answerId: string;
  /** The source's reference for the permission (message, letter, SIENA reference). */
  reference: string;
}

/** The marking and grading of an item alone (what timelines and lists show), or undefined. */
export function handlingOf(
  item: HandlingMarking & Grading,
): (HandlingMarking & Grading) | undefined {
  const out: HandlingMarking & Grading = {};
  if (item.handlingCode !== undefined) out.handlingCode = item.handlingCode;
  if (item.handlingRestriction !== undefined) out.handlingRestriction = item.handlingRestriction;
  if (item.sourceReliability !== undefined) out.sourceReliability = item.sourceReliability;
  if (item.informationAccuracy !== undefined) out.informationAccuracy = item.informationAccuracy;
  return Object.keys(out).length > 0 ? out : undefined;
}
