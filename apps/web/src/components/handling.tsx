import { useTranslation } from 'react-i18next';
import type { Grading, HandlingMarking } from '../../../../libs/domain/src/handling';
import { isNotForEvidence, needsSourcePermission } from '../../../../libs/domain/src/handling';

/**
 * An answer's handling code (with what it means) and its 4x4 grading, as the source gave them.
 * The rules themselves (what an export leaves out or marks) are the domain's.
 */
export function HandlingInfo({ item }: { item: HandlingMarking & Grading }) {
  const { t } = useTranslation();
  const code = item.handlingCode;
  const graded = item.sourceReliability !== undefined || item.informationAccuracy !== undefined;
  const restricted = needsSourcePermission(item) || isNotForEvidence(item);
  return (
    <span className="handling" data-handling={code ?? 'none'}>
      <span className={`badge ${restricted ? 'badge-handling-restricted' : 'badge-handling'}`}>
        {code ?? '–'}
      </span>{' '}
      <span>{code ? t(`handling.codes.${code}`) : t('handling.notStated')}</span>
      {item.handlingRestriction ? (
        <span className="handling-restriction">
          {' '}
          ({t('handling.restriction')}: {item.handlingRestriction})
        </span>
      ) : null}
      {graded ? (
        <span
          className="muted"
          data-grading={`${item.sourceReliability ?? ''}${item.informationAccuracy ?? ''}`}
        >
          {' · '}
          {t('handling.graded', {
            reliability: item.sourceReliability
              ? t(`handling.reliabilities.${item.sourceReliability}`)
              : t('handling.notStated'),
            accuracy: item.informationAccuracy
              ? t(`handling.accuracies.${item.informationAccuracy}`)
              : t('handling.notStated'),
          })}
        </span>
      ) : null}
    </span>
  );
}
