import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, apiRaw, query } from '../api';
import { SelectField, TableHead, TextField, useFormat } from '../components/ui';
import { Unavailable } from './Timeline';

interface Verify {
  ok: boolean;
  entries: number;
  firstBrokenEntry?: unknown;
}
interface Entry extends Record<string, unknown> {
  at?: string;
  actor?: string;
  action?: string;
  requestId?: string;
}
interface EntryPage {
  items: Entry[];
  nextCursor?: string | null;
}

/** Value and change handler for one key of a form held as a single state object. */
const bind = <T extends Record<string, string>>(
  state: T,
  set: (next: T) => void,
  key: keyof T,
) => ({
  value: state[key],
  onChange: (value: string) => set({ ...state, [key]: value }),
});

const iso = (local: string): string | undefined =>
  local ? new Date(local).toISOString() : undefined;

/** The auditor's desk: chain verification, the audit log with filters, and exports. */
export function AuditPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [verify, setVerify] = useState<Verify | null>(null);
  const [verifyError, setVerifyError] = useState<unknown>(null);
  const [filters, setFilters] = useState({ requestId: '', actor: '', from: '', to: '' });
  const [entries, setEntries] = useState<Entry[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [entriesError, setEntriesError] = useState<unknown>(null);
  const [exportRange, setExportRange] = useState({ from: '', to: '', format: 'csv' });
  const [exportError, setExportError] = useState<unknown>(null);
  const [exported, setExported] = useState<string | null>(null);

  /** The from/to pair both the search and the export are bounded by. */
  const timeRange = <T extends { from: string; to: string } & Record<string, string>>(
    prefix: string,
    state: T,
    set: (next: T) => void,
  ) =>
    (['from', 'to'] as const).map((k) => (
      <TextField
        key={k}
        path={`${prefix}${k}`}
        label={k === 'from' ? t('audit.from') : t('audit.to')}
        type="datetime-local"
        {...bind(state, set, k)}
      />
    ));

  async function runVerify() {
    setVerifyError(null);
    setVerify(null);
    try {
      setVerify(await api<Verify>('GET', '/audit/verify'));
    } catch (e) {
      setVerifyError(e);
    }
  }

  async function search(e: FormEvent | null, after?: string) {
    e?.preventDefault();
    setEntriesError(null);
    try {
      const page = await api<EntryPage>(
        'GET',
        `/audit/entries${query({
          requestId: filters.requestId.trim() || undefined,
          actor: filters.actor.trim() || undefined,
          from: iso(filters.from),
          to: iso(filters.to),
          cursor: after,
        })}`,
      );
      setEntries((prev) => (after ? [...(prev ?? []), ...page.items] : page.items));
      setCursor(page.nextCursor ?? null);
    } catch (err) {
      setEntriesError(err);
    }
  }

  async function download(e: FormEvent) {
    e.preventDefault();
    setExportError(null);
    setExported(null);
    try {
      // The export needs the bearer token, so it is fetched and handed over as a file.
      const res = await apiRaw(
        'GET',
        `/audit/export${query({ from: iso(exportRange.from), to: iso(exportRange.to), format: exportRange.format })}`,
        { headers: { accept: exportRange.format === 'csv' ? 'text/csv' : 'application/json' } },
      );
      const blob = await res.blob();
      const name = `silvertrace-audit-${new Date().toISOString().slice(0, 19).replace(/:/g, '')}.${exportRange.format}`;
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      a.click();
      URL.revokeObjectURL(url);
      setExported(t('audit.exported', { name, size: blob.size }));
    } catch (err) {
      setExportError(err);
    }
  }

  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">{t('audit.title')}</h1>

      <section className="card" aria-labelledby="verify-title">
        <h2 id="verify-title">{t('audit.verifyTitle')}</h2>
        <p>{t('audit.verifyHelp')}</p>
        <button type="button" onClick={() => void runVerify()}>
          {t('audit.verify')}
        </button>
        <div aria-live="polite">
          {verifyError ? <Unavailable error={verifyError} /> : null}
          {verify ? (
            <p className={verify.ok ? 'success' : 'problem'} data-testid="verify-result">
              {verify.ok
                ? t('audit.chainOk', { entries: verify.entries })
                : t('audit.chainBroken', {
                    entries: verify.entries,
                    entry: JSON.stringify(verify.firstBrokenEntry),
                  })}
            </p>
          ) : null}
        </div>
      </section>

      <section className="card" aria-labelledby="entries-title">
        <h2 id="entries-title">{t('audit.entriesTitle')}</h2>
        <form className="grid" onSubmit={(e) => void search(e)}>
          <TextField
            path="requestId"
            label={t('audit.requestId')}
            {...bind(filters, setFilters, 'requestId')}
          />
          <TextField
            path="actor"
            label={t('audit.actor')}
            {...bind(filters, setFilters, 'actor')}
          />
          {timeRange('', filters, setFilters)}
          <div className="actions">
            <button type="submit">{t('audit.search')}</button>
          </div>
        </form>
        <div aria-live="polite">
          {entriesError ? <Unavailable error={entriesError} /> : null}
          {entries ? (
            entries.length === 0 ? (
              <p>{t('audit.noEntries')}</p>
            ) : (
              <table>
                <TableHead
                  columns={[t('audit.at'), t('audit.actor'), t('audit.action'), t('audit.request')]}
                />
                <tbody>
                  {entries.map((en, i) => (
                    <tr key={i}>
                      <td>{fmt.dateTime(en.at)}</td>
                      <td>{String(en.actor ?? '—')}</td>
                      <td>{String(en.action ?? '—')}</td>
                      <td>
                        {en.requestId ? (
                          <Link to={`/audit/requests/${en.requestId}`}>{en.requestId}</Link>
                        ) : (
                          '—'
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )
          ) : null}
        </div>
        {cursor ? (
          <button type="button" className="secondary" onClick={() => void search(null, cursor)}>
            {t('list.next')}
          </button>
        ) : null}
      </section>

      <section className="card" aria-labelledby="export-title">
        <h2 id="export-title">{t('audit.exportTitle')}</h2>
        <form className="grid" onSubmit={(e) => void download(e)}>
          {timeRange('export-', exportRange, setExportRange)}
          <SelectField
            path="export-format"
            label={t('audit.format')}
            options={['csv', 'json']}
            optionLabel={(f) => f.toUpperCase()}
            {...bind(exportRange, setExportRange, 'format')}
          />
          <div className="actions">
            <button type="submit">{t('audit.download')}</button>
          </div>
        </form>
        <div aria-live="polite">
          {exportError ? <Unavailable error={exportError} /> : null}
          {exported ? <p className="success">{exported}</p> : null}
        </div>
      </section>
    </section>
  );
}
