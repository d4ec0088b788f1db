import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import type { Page, TraceRequestSummary } from '../../../../libs/domain/src/api-types';
import { REQUEST_STATUSES } from '../../../../libs/domain/src/enums';
import { api, query } from '../api';
import {
  Loading,
  ProblemMessage,
  StatusBadge,
  TableHead,
  useFormat,
  useLoad,
} from '../components/ui';

export function RequestListPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [params, setParams] = useSearchParams();
  const [q, setQ] = useState(params.get('q') ?? '');
  const [status, setStatus] = useState(params.get('status') ?? '');
  const cursor = params.get('cursor') ?? undefined;
  const page = useLoad(
    () =>
      api<Page<TraceRequestSummary>>(
        'GET',
        `/trace-requests${query({
          q: params.get('q') ?? undefined,
          status: params.get('status') ?? undefined,
          cursor,
          limit: '20',
        })}`,
      ),
    [params.toString()],
  );
  // A foreign liaison's rows carry no national case number: no column for it then.
  const withCaseReference = page.data?.items.some((r) => r.caseReference !== undefined) ?? false;

  function search(e: FormEvent) {
    e.preventDefault();
    const next: Record<string, string> = {};
    if (q.trim()) next.q = q.trim();
    if (status) next.status = status;
    setParams(next);
  }

  return (
    <section aria-labelledby="list-title">
      <h1 id="list-title">{t('list.title')}</h1>
      <form className="search" role="search" onSubmit={search}>
        <div className="field">
          <label htmlFor="list-q">{t('list.search')}</label>
          <input
            id="list-q"
            type="search"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            aria-describedby="list-q-hint"
          />
          <p className="hint" id="list-q-hint">
            {t('list.searchHint')}
          </p>
        </div>
        <div className="field">
          <label htmlFor="list-status">{t('request.status')}</label>
          <select id="list-status" value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">{t('list.anyStatus')}</option>
            {REQUEST_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">{t('list.searchButton')}</button>
      </form>
      {page.loading ? <Loading /> : null}
      <ProblemMessage error={page.error} />
      {page.data ? (
        page.data.items.length === 0 ? (
          <p role="status">{t('list.none')}</p>
        ) : (
          <table className="card">
            <caption className="visually-hidden">{t('list.title')}</caption>
            <TableHead
              columns={[
                t('request.reference'),
                t('request.subject'),
                ...(withCaseReference ? [t('request.caseReference')] : []),
                t('request.status'),
                t('request.targets'),
                t('request.updated'),
              ]}
            />
            <tbody>
              {page.data.items.map((r) => (
                <tr key={r.id}>
                  <td>
                    <Link to={`/requests/${r.id}`}>{r.reference}</Link>
                  </td>
                  <td>
                    {r.subject?.familyName}, {r.subject?.givenNames}
                  </td>
                  {withCaseReference ? <td>{r.caseReference ?? '—'}</td> : null}
                  <td>
                    <StatusBadge status={r.status} />
                  </td>
                  <td>{(r.targetCountries ?? []).join(', ') || t('request.allMembers')}</td>
                  <td>{fmt.dateTime(r.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      ) : null}
      {page.data?.nextCursor ? (
        <button
          type="button"
          className="secondary"
          onClick={() => {
            const next = new URLSearchParams(params);
            next.set('cursor', page.data!.nextCursor!);
            setParams(next);
          }}
        >
          {t('list.next')}
        </button>
      ) : null}
    </section>
  );
}
