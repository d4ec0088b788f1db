import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import type { ReplayReport } from '../../../../libs/domain/src/api-types';
import { api, query } from '../api';
import {
  ProblemMessage,
  StatusBadge,
  TableHead,
  TextField,
  useFormat,
  useLoad,
} from '../components/ui';
import type { RequestView } from './RequestPage';
import { Timeline, Unavailable } from './Timeline';

/** An auditor's view of one request: its timeline and the replay of its workflow history. */
export function AuditRequestPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { id = '' } = useParams();
  const request = useLoad(() => api<RequestView>('GET', `/trace-requests/${id}`), [id]);
  const [asOf, setAsOf] = useState('');
  const [replay, setReplay] = useState<ReplayReport | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function run(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setReplay(null);
    try {
      const at = asOf ? new Date(asOf).toISOString() : undefined;
      setReplay(
        await api<ReplayReport>('POST', `/audit/trace-requests/${id}/replay${query({ asOf: at })}`),
      );
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <article aria-labelledby="audit-req-title">
      <h1 id="audit-req-title">
        {t('audit.requestTitle', { reference: request.data?.reference ?? id })}{' '}
        {request.data ? <StatusBadge status={request.data.status} /> : null}
      </h1>
      <ProblemMessage error={request.error} />
      <p>
        <Link to={`/requests/${id}`}>{t('audit.openRequest')}</Link>
      </p>
      <section className="card" aria-labelledby="tl-title">
        <h2 id="tl-title">{t('timeline.title')}</h2>
        <Timeline requestId={id} />
      </section>
      <section className="card" aria-labelledby="replay-title">
        <h2 id="replay-title">{t('audit.replay')}</h2>
        <p>{t('audit.replayHelp')}</p>
        <form onSubmit={(e) => void run(e)} className="inline-form">
          <TextField
            path="asOf"
            label={t('audit.asOf')}
            hint={t('audit.asOfHint')}
            type="datetime-local"
            step="1"
            value={asOf}
            onChange={setAsOf}
          />
          <button type="submit" disabled={busy}>
            {t('audit.runReplay')}
          </button>
        </form>
        <div aria-live="polite">
          {error ? <Unavailable error={error} /> : null}
          {replay ? (
            <div data-testid="replay-result">
              <p className={replay.deterministic ? 'success' : 'problem'}>
                {replay.deterministic ? t('audit.deterministic') : t('audit.notDeterministic')}{' '}
                {t('audit.replaySummary', { events: replay.events })}{' '}
                <StatusBadge status={replay.finalStatus} />
              </p>
              {replay.divergence ? <pre>{JSON.stringify(replay.divergence, null, 2)}</pre> : null}
              <table>
                <caption>{t('audit.steps')}</caption>
                <TableHead
                  columns={[
                    t('audit.event'),
                    t('audit.at'),
                    t('audit.action'),
                    t('audit.actor'),
                    t('request.status'),
                  ]}
                />
                <tbody>
                  {replay.steps.map((s) => (
                    <tr key={`${s.eventId}-${s.at}`}>
                      <td>{s.eventId}</td>
                      <td>{fmt.dateTime(s.at)}</td>
                      <td>{s.action ?? '—'}</td>
                      <td>{s.actor ?? '—'}</td>
                      <td>
                        <StatusBadge status={s.status} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </div>
      </section>
    </article>
  );
}
