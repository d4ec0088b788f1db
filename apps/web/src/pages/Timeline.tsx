import { useTranslation } from 'react-i18next';
import type { HistoryEntry } from '../../../../libs/domain/src/api-types';
import { ApiError, api } from '../api';
import { HandlingInfo } from '../components/handling';
import { Loading, ProblemMessage, StatusBadge, useFormat, useLoad } from '../components/ui';

/** A route the server does not offer (yet) is said so, not shown as a failure. */
export function Unavailable({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (error instanceof ApiError && (error.status === 404 || error.status === 405))
    return (
      <p className="muted" role="status" data-testid="unavailable">
        {t('audit.unavailable')}
      </p>
    );
  return <ProblemMessage error={error} />;
}

/** GET /trace-requests/{id}/history: who did what, when, oldest first. */
export function Timeline({ requestId, version }: { requestId: string; version?: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const history = useLoad(
    () => api<HistoryEntry[]>('GET', `/trace-requests/${requestId}/history`),
    [requestId, version],
  );
  if (history.error) return <Unavailable error={history.error} />;
  if (!history.data) return <Loading />;
  if (history.data.length === 0) return <p className="muted">{t('timeline.empty')}</p>;
  return (
    <ol className="timeline">
      {history.data.map((e, i) => (
        <li key={i}>
          <time dateTime={e.at}>{fmt.dateTime(e.at)}</time>{' '}
          <strong>{t(`historyAction.${e.action}`, { defaultValue: e.action })}</strong>{' '}
          <span className="muted">
            {/* A foreign liaison's view leaves out the names of the home country's staff. */}
            {e.actor ? `${e.actor} ` : ''}({t(`roles.${e.role}`, { defaultValue: e.role })})
          </span>{' '}
          {e.fromStatus || e.toStatus ? (
            <span>
              {e.fromStatus ? <StatusBadge status={e.fromStatus} /> : null} →{' '}
              {e.toStatus ? <StatusBadge status={e.toStatus} /> : null}
            </span>
          ) : null}
          {e.handling ? (
            <>
              {' '}
              <HandlingInfo item={e.handling} />
            </>
          ) : null}
          {e.details && typeof e.details === 'object' && Object.keys(e.details).length ? (
            <details>
              <summary>{t('timeline.details')}</summary>
              <pre>{JSON.stringify(e.details, null, 2)}</pre>
            </details>
          ) : null}
        </li>
      ))}
    </ol>
  );
}
