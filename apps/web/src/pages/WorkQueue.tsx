import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { WorkSection } from '../../../../libs/domain/src/api-types';
import { api } from '../api';
import {
  Loading,
  ProblemMessage,
  StatusBadge,
  TableHead,
  useFormat,
  useLoad,
} from '../components/ui';

/** In the order a person works through them. */
const SECTIONS = [
  'drafts',
  'changesRequested',
  'queries',
  'awaitingReview',
  'readyForInterpol',
  'toClose',
  'overdueCountries',
  'awaitingAnswer',
  'retentionReviews',
];

export function WorkQueuePage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const queue = useLoad(() => api<Record<string, WorkSection>>('GET', '/work-queue'), []);

  return (
    <section aria-labelledby="queue-title">
      <h1 id="queue-title">{t('queue.title')}</h1>
      <button type="button" className="secondary" onClick={queue.reload}>
        {t('common.refresh')}
      </button>
      {queue.loading && !queue.data ? <Loading /> : null}
      <ProblemMessage error={queue.error} />
      {queue.data && Object.keys(queue.data).length === 0 ? <p>{t('queue.none')}</p> : null}
      <div className="sections">
        {SECTIONS.filter((s) => queue.data?.[s]).map((name) => {
          const section = queue.data![name];
          const track = name === 'overdueCountries' || name === 'awaitingAnswer';
          return (
            <section key={name} className="card" aria-labelledby={`q-${name}`} data-section={name}>
              <h2 id={`q-${name}`}>
                {t(`queue.${name}`)} <span className="count">({section.total})</span>
              </h2>
              {section.items.length === 0 ? (
                <p className="muted">{t('queue.empty')}</p>
              ) : (
                <table>
                  <TableHead
                    columns={[
                      t('request.reference'),
                      t('request.subject'),
                      t('request.status'),
                      ...(track ? [t('tracks.country')] : []),
                      track ? t('tracks.deadline') : t('request.updated'),
                    ]}
                  />
                  <tbody>
                    {section.items.map((item) => (
                      <tr key={`${item.id}-${item.country ?? ''}`}>
                        <td>
                          <Link to={`/requests/${item.id}`}>{item.reference}</Link>
                          {item.urgency === 'urgent' ? (
                            <span className="badge badge-urgent">{t('request.urgent')}</span>
                          ) : null}
                        </td>
                        <td>{item.subjectName}</td>
                        <td>
                          <StatusBadge status={item.status} />
                        </td>
                        {track ? (
                          <td>
                            {item.country}{' '}
                            {item.countryStatus ? (
                              <StatusBadge status={item.countryStatus} />
                            ) : null}
                          </td>
                        ) : null}
                        <td>{fmt.dateTime(track ? item.deadline : item.updatedAt)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>
          );
        })}
      </div>
    </section>
  );
}
