import { useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { canMoveAsset } from '../../../../libs/domain/src/assets';
import {
  ASSET_STATUSES,
  ASSET_TYPES,
  HANDLING_CODES,
  INFORMATION_ACCURACIES,
  RESPONSE_OUTCOMES,
  SOURCE_RELIABILITIES,
  isFinalJurisdictionStatus,
} from '../../../../libs/domain/src/enums';
import type {
  AssetStatus,
  JurisdictionStatus,
  TrackAction,
} from '../../../../libs/domain/src/enums';
import type { Grading, HandlingMarking } from '../../../../libs/domain/src/handling';
import { HANDLING_CODE_WITH_RESTRICTION } from '../../../../libs/domain/src/handling';
import { ACTION_ROLES, isSentToCountries } from '../../../../libs/domain/src/rules';
import { ApiError, api, newKey } from '../api';
import { useAuth } from '../auth';
import {
  Loading,
  ProblemMessage,
  SelectField,
  StatusBadge,
  TableHead,
  TextField,
  fieldId,
  useFormat,
  useLoad,
} from '../components/ui';
import { HandlingInfo } from '../components/handling';
import { IDENTIFIERS_BY_TYPE } from './request-content';
import { Timeline } from './Timeline';

/** The suspension lengths the form offers (the domain caps one suspension at six months). */
const SUSPENSION_DURATIONS = ['P1M', 'P2M', 'P3M', 'P6M'];

interface Query {
  question: string;
  askedAt: string;
  answer?: string;
  answeredAt?: string;
}
export interface RequestView extends Record<string, unknown> {
  id: string;
  reference: string;
  status: string;
  version: number;
  kind: string;
  urgency: string;
  /** Home staff only (a foreign liaison's view leaves the national case number out). */
  caseReference?: string;
  requestingCountry: string;
  requestingAgency: string;
  subject: {
    familyName: string;
    givenNames: string;
    dateOfBirth: string;
    nationalities: string[];
    aliases?: string[];
    identityDocuments?: { type: string; number: string; issuingCountry: string }[];
  };
  offences: { category: string; description: string }[];
  purposes: string[];
  assets: { type: string; description: string; identifiers?: Record<string, string> }[];
  targetCountries?: string[];
  allMembers?: boolean;
  factsSummary: string;
  allowedActions: string[];
  jurisdictions: {
    country: string;
    status: string;
    deadline: string | null;
    allowedActions: TrackAction[];
  }[];
  interpol?: {
    noticeId?: string;
    publishedAt?: string;
    /** The exchanges with the GS: home staff only. */
    queries?: Query[];
    refusalReasons?: string[];
  };
  lastReview?: { decision: string; comment?: string; at: string };
  withdrawal?: { reason: string; at: string };
  closedSummary?: string;
  /** Home staff: the assigned investigators; supervisors and auditors: break-glass openings. */
  access?: {
    assignees: { userId: string; username: string; assignedBy: string; at: string }[];
    breakGlass?: { userId: string; username: string; reason: string; at: string }[];
  };
  /** While suspended (a foreign liaison sees when, not why). */
  suspension?: {
    since: string;
    until: string;
    reason?: string;
    orderedBy?: 'interpol_gs';
    extensions: number;
  };
  cancellation?: { reason: string; at: string };
  updatedAt: string;
}

interface ResponseView extends HandlingMarking, Grading {
  id: string;
  outcome: string;
  externalReference: string;
  narrative?: string;
  late: boolean;
  recordedBy: { username?: string; role: string };
  at: string;
}
interface Track {
  country: string;
  status: JurisdictionStatus;
  deadline: string;
  /** The request is suspended: this deadline waits and moves by the time suspended. */
  pausedSince?: string;
  extensions: { newDeadline: string; reason?: string }[];
  responses: ResponseView[];
  /** What the domain allows the caller on this track now (the API computes it). */
  allowedActions: TrackAction[];
}
interface Asset {
  id: string;
  country: string;
  type: string;
  description: string;
  identifiers: Record<string, string> | null;
  holder: string | null;
  estimatedValue: { amount: string; currency: string } | null;
  status: AssetStatus;
  version: number;
}
interface Register {
  items: Asset[];
  totals: { amount: string; currency: string }[];
}

export function RequestPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const request = useLoad(() => api<RequestView>('GET', `/trace-requests/${id}`), [id]);
  const r = request.data;
  const tracksVisible = !!r && (isSentToCountries(r.status) || r.jurisdictions.length > 0);
  const tracks = useLoad(
    () =>
      tracksVisible
        ? api<Track[]>('GET', `/trace-requests/${id}/jurisdictions`)
        : Promise.resolve([]),
    [id, tracksVisible, r?.updatedAt],
  );
  const assets = useLoad(
    () =>
      tracksVisible ? api<Register>('GET', `/trace-requests/${id}/assets`) : Promise.resolve(null),
    [id, tracksVisible, r?.updatedAt],
  );
  const refreshAll = () => {
    request.reload();
    tracks.reload();
    assets.reload();
  };

  if (request.error) {
    return (
      <>
        <ProblemMessage error={request.error} />
        <BreakGlass requestId={id} error={request.error} onDone={refreshAll} />
      </>
    );
  }
  if (!r) return <Loading />;

  return (
    <article aria-labelledby="req-title" data-status={r.status}>
      <header className="request-header">
        <h1 id="req-title">
          {t('request.title', { reference: r.reference })} <StatusBadge status={r.status} />
        </h1>
        <p className="muted">
          {t(`kind.${r.kind}`)} · {t(`urgency.${r.urgency}`)} ·{' '}
          {r.caseReference ? `${t('request.caseReference')} ${r.caseReference} · ` : null}
          {t('form.version', { version: r.version })}
        </p>
        <button type="button" className="secondary" onClick={refreshAll}>
          {t('common.refresh')}
        </button>
      </header>

      <section className="card next" aria-labelledby="next-title">
        <h2 id="next-title">{t('request.whatNext')}</h2>
        <p data-testid="next-step">{t(`next.${r.status}`)}</p>
      </section>

      {r.suspension ? <SuspensionNotice suspension={r.suspension} /> : null}

      <Actions request={r} onDone={refreshAll} />

      <div className="columns">
        <Summary r={r} />
        <Notes r={r} />
      </div>
      <CaseAccess r={r} />

      {tracksVisible ? (
        <Tracks request={r} tracks={tracks.data ?? []} error={tracks.error} onDone={refreshAll} />
      ) : null}
      {tracksVisible ? (
        <Assets register={assets.data ?? null} error={assets.error} onDone={refreshAll} />
      ) : null}

      <section className="card" aria-labelledby="timeline-title">
        <h2 id="timeline-title">{t('timeline.title')}</h2>
        <Timeline requestId={r.id} version={r.updatedAt} />
        <p>
          <Link to={`/audit/requests/${r.id}`}>{t('audit.openReplay')}</Link>
        </p>
      </section>
    </article>
  );
}

/** A suspended request says so first: until when, by whom, why (to those who may know why). */
function SuspensionNotice({
  suspension: s,
}: {
  suspension: NonNullable<RequestView['suspension']>;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <section
      className="card suspension"
      aria-labelledby="suspension-title"
      role="status"
      data-testid="suspension"
    >
      <h2 id="suspension-title">{t('suspension.title')}</h2>
      <p>
        {t(s.orderedBy ? 'suspension.byGs' : 'suspension.byNcb', {
          since: fmt.dateTime(s.since),
          until: fmt.dateTime(s.until),
        })}
        {s.extensions ? ` ${t('suspension.extended')}` : ''}
      </p>
      {s.reason ? (
        <p>
          <strong>{t('suspension.reason')}</strong> {s.reason}
        </p>
      ) : null}
      <p className="muted">{t('suspension.deadlinesPaused')}</p>
    </section>
  );
}

function Summary({ r }: { r: RequestView }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <section className="card" aria-labelledby="summary-title">
      <h2 id="summary-title">{t('request.summary')}</h2>
      <dl className="facts">
        <dt>{t('request.subject')}</dt>
        <dd>
          {r.subject.familyName}, {r.subject.givenNames} ({fmt.date(r.subject.dateOfBirth)};{' '}
          {r.subject.nationalities.join(', ')})
        </dd>
        {r.subject.aliases?.length ? (
          <>
            <dt>{t('form.aliases')}</dt>
            <dd>{r.subject.aliases.join('; ')}</dd>
          </>
        ) : null}
        {r.subject.identityDocuments?.length ? (
          <>
            <dt>{t('form.identityDocuments')}</dt>
            <dd>
              <ul>
                {r.subject.identityDocuments.map((d, i) => (
                  <li key={i}>
                    {t(`identityDocument.${d.type}`)} <code>{d.number}</code> ({d.issuingCountry})
                  </li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
        <dt>{t('form.requestingAgency')}</dt>
        <dd>
          {r.requestingAgency} ({r.requestingCountry})
        </dd>
        <dt>{t('form.offences')}</dt>
        <dd>
          {r.offences.map((o) => `${t(`offence.${o.category}`)}: ${o.description}`).join('; ')}
        </dd>
        <dt>{t('form.purposes')}</dt>
        <dd>{r.purposes.map((p) => t(`purpose.${p}`)).join(', ')}</dd>
        <dt>{t('request.targets')}</dt>
        <dd>{r.allMembers ? t('request.allMembers') : (r.targetCountries ?? []).join(', ')}</dd>
        <dt>{t('form.assets')}</dt>
        <dd>
          <ul>
            {r.assets.map((a, i) => (
              <li key={i}>
                {t(`assetType.${a.type}`)}: {a.description}{' '}
                {Object.entries(a.identifiers ?? {}).map(([k, v]) => (
                  <code key={k}>
                    {t(`identifier.${k}`)} {v}{' '}
                  </code>
                ))}
              </li>
            ))}
          </ul>
        </dd>
        <dt>{t('form.factsSummary')}</dt>
        <dd>{r.factsSummary}</dd>
        {r.interpol?.noticeId ? (
          <>
            <dt>{t('request.noticeId')}</dt>
            <dd>
              {r.interpol.noticeId} ({fmt.dateTime(r.interpol.publishedAt)})
            </dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}

/**
 * The written exchanges on the request: review comments, GS questions, withdrawal and closing.
 * They are the home country's: another country's liaison is shown none, so no empty card either.
 */
function Notes({ r }: { r: RequestView }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { user } = useAuth();
  const notes: { key: string; who: string; at?: string; text: string }[] = [];
  if (r.lastReview)
    notes.push({
      key: 'review',
      who: t('notes.review', { decision: t(`decision.${r.lastReview.decision}`) }),
      at: r.lastReview.at,
      text: r.lastReview.comment || '—',
    });
  for (const [i, q] of (r.interpol?.queries ?? []).entries()) {
    notes.push({ key: `q${i}`, who: t('notes.gsQuestion'), at: q.askedAt, text: q.question });
    if (q.answer)
      notes.push({ key: `a${i}`, who: t('notes.answer'), at: q.answeredAt, text: q.answer });
  }
  for (const reason of r.interpol?.refusalReasons ?? [])
    notes.push({ key: `ref-${reason}`, who: t('notes.refusal'), text: reason });
  if (r.withdrawal)
    notes.push({
      key: 'w',
      who: t('notes.withdrawal'),
      at: r.withdrawal.at,
      text: r.withdrawal.reason,
    });
  if (r.closedSummary) notes.push({ key: 'c', who: t('notes.closing'), text: r.closedSummary });
  if (r.cancellation)
    notes.push({
      key: 'x',
      who: t('notes.cancellation'),
      at: r.cancellation.at,
      text: r.cancellation.reason,
    });
  if (notes.length === 0 && user?.country !== r.requestingCountry) return null;
  return (
    <section className="card" aria-labelledby="notes-title">
      <h2 id="notes-title">{t('notes.title')}</h2>
      {notes.length === 0 ? (
        <p className="muted">{t('notes.none')}</p>
      ) : (
        <ul className="notes">
          {notes.map((n) => (
            <li key={n.key}>
              <strong>{n.who}</strong>{' '}
              {n.at ? <span className="muted">{fmt.dateTime(n.at)}</span> : null}
              <p>{n.text}</p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/**
 * An investigator who is not on a case of its country sees it as not found: it may open it by
 * giving a reason (break-glass; audited and shown to the country's supervisors).
 */
function BreakGlass({
  requestId,
  error,
  onDone,
}: {
  requestId: string;
  error: unknown;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const { is } = useAuth();
  const [reason, setReason] = useState('');
  if (!(error instanceof ApiError) || error.status !== 404 || !is('investigator')) return null;
  return (
    <ActionForm
      title={t('access.breakGlass')}
      submitLabel={t('access.open')}
      onSubmit={() =>
        api('POST', `/trace-requests/${requestId}/break-glass`, { body: { reason: reason.trim() } })
      }
      onDone={onDone}
    >
      {(err) => (
        <>
          <p className="muted">{t('access.breakGlassHint')}</p>
          <TextField
            path="reason"
            label={t('actions.reason')}
            error={err('reason')}
            required
            value={reason}
            onChange={setReason}
          />
        </>
      )}
    </ActionForm>
  );
}

/** Who may open the case beyond the country's readers; shown only when there is something. */
function CaseAccess({ r }: { r: RequestView }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const assignees = r.access?.assignees ?? [];
  const openings = r.access?.breakGlass ?? [];
  if (assignees.length === 0 && openings.length === 0) return null;
  return (
    <section className="card" aria-labelledby="access-title">
      <h2 id="access-title">{t('access.title')}</h2>
      {assignees.length ? (
        <p>
          {t('access.assignees')}: {assignees.map((a) => a.username).join(', ')}
        </p>
      ) : null}
      {openings.length ? (
        <ul className="notes" aria-label={t('access.breakGlass')}>
          {openings.map((o, i) => (
            <li key={i}>
              <strong>{t('access.openedBy', { username: o.username })}</strong>{' '}
              <span className="muted">{fmt.dateTime(o.at)}</span>
              <p>{o.reason}</p>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

/** One action's form: posts, then reports the API's refusal (403, 409, 400) in place. */
function ActionForm({
  title,
  onSubmit,
  submitLabel,
  children,
  onDone,
}: {
  title: string;
  onSubmit: () => Promise<unknown>;
  submitLabel: string;
  children?: (err: (path: string) => string | undefined) => ReactNode;
  onDone: () => void;
}) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const err = (path: string) => (error instanceof ApiError ? error.fieldError(path) : undefined);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onSubmit();
      onDone();
    } catch (e2) {
      setError(e2);
    } finally {
      setBusy(false);
    }
  }
  return (
    <form className="action-form" onSubmit={(e) => void submit(e)} noValidate aria-label={title}>
      <h3>{title}</h3>
      {children?.(err)}
      <div aria-live="assertive">
        <ProblemMessage error={error} />
      </div>
      <button type="submit" disabled={busy}>
        {submitLabel}
      </button>
    </form>
  );
}

function Actions({ request: r, onDone }: { request: RequestView; onDone: () => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<string | null>(null);
  const [decision, setDecision] = useState('approve');
  const [comment, setComment] = useState('');
  const [article3, setArticle3] = useState(false);
  const [quality, setQuality] = useState(false);
  const [text, setText] = useState('');
  const [duration, setDuration] = useState<string>(SUSPENSION_DURATIONS[0]);
  const post = (path: string, body?: unknown, headers?: Record<string, string>) =>
    api<RequestView>('POST', `/trace-requests/${r.id}/${path}`, { body, headers });
  const done = () => {
    setOpen(null);
    setText('');
    setComment('');
    onDone();
  };
  const actions = r.allowedActions;
  const pendingQuery = r.interpol?.queries?.find((q) => !q.answer);
  /** An action whose whole input is one required text, posted as `{ [field]: text }`. */
  const textAction = (a: {
    action: string;
    title: string;
    submitLabel: string;
    field: string;
    label: string;
    before?: ReactNode;
  }) => (
    <ActionForm
      title={a.title}
      submitLabel={a.submitLabel}
      onSubmit={() => post(a.action, { [a.field]: text })}
      onDone={done}
    >
      {(err) => (
        <>
          {a.before}
          <TextField
            path={a.field}
            label={a.label}
            error={err(a.field)}
            required
            rows={3}
            value={text}
            onChange={setText}
          />
        </>
      )}
    </ActionForm>
  );

  return (
    <section className="card" aria-labelledby="actions-title">
      <h2 id="actions-title">{t('actions.title')}</h2>
      {actions.length === 0 ? <p className="muted">{t('actions.none')}</p> : null}
      <div className="actions" role="group" aria-label={t('actions.title')}>
        {actions.map((a) =>
          a === 'edit' ? (
            <Link key={a} className="button" to={`/requests/${r.id}/edit`}>
              {t('actions.edit')}
            </Link>
          ) : (
            <button
              key={a}
              type="button"
              className={open === a ? '' : 'secondary'}
              aria-expanded={open === a}
              onClick={() => setOpen(open === a ? null : a)}
              data-action={a}
            >
              {t(`actions.${a}`)}
            </button>
          ),
        )}
      </div>
      {open === 'submit' ? (
        <ActionForm
          title={t('actions.submit')}
          submitLabel={t('actions.confirmSubmit')}
          onSubmit={() => post('submit', undefined, { 'if-match': `"${r.version}"` })}
          onDone={done}
        >
          {() => <p>{t('actions.submitHelp')}</p>}
        </ActionForm>
      ) : null}
      {open === 'review' ? (
        <ActionForm
          title={t('actions.review')}
          submitLabel={t('actions.sendDecision')}
          onSubmit={() =>
            post('review', comment.trim() ? { decision, comment } : { decision }, {
              'if-match': `"${r.version}"`,
            })
          }
          onDone={done}
        >
          {(err) => (
            <>
              <fieldset>
                <legend>{t('actions.decision')}</legend>
                {['approve', 'request_changes', 'reject'].map((d) => (
                  <label key={d} className="check">
                    <input
                      type="radio"
                      name="decision"
                      value={d}
                      checked={decision === d}
                      onChange={() => setDecision(d)}
                    />
                    {t(`decision.${d}`)}
                  </label>
                ))}
              </fieldset>
              <TextField
                path="comment"
                label={t('actions.comment')}
                error={err('comment')}
                hint={t('actions.commentHint')}
                rows={3}
                value={comment}
                onChange={setComment}
              />
            </>
          )}
        </ActionForm>
      ) : null}
      {open === 'interpol-submission' ? (
        <ActionForm
          title={t('actions.interpol-submission')}
          submitLabel={t('actions.sendToInterpol')}
          onSubmit={() =>
            post('interpol-submission', {
              attestation: { article3Neutrality: article3, dataQualityChecked: quality },
            })
          }
          onDone={done}
        >
          {(err) => (
            <fieldset>
              <legend>{t('actions.attestation')}</legend>
              <AttestationCheck
                name="article3Neutrality"
                label={t('actions.article3')}
                checked={article3}
                onChange={setArticle3}
                err={err}
              />
              <AttestationCheck
                name="dataQualityChecked"
                label={t('actions.dataQuality')}
                checked={quality}
                onChange={setQuality}
                err={err}
              />
            </fieldset>
          )}
        </ActionForm>
      ) : null}
      {open === 'query-answers'
        ? textAction({
            action: 'query-answers',
            title: t('actions.query-answers'),
            submitLabel: t('actions.sendAnswer'),
            field: 'answer',
            label: t('actions.answer'),
            before: pendingQuery ? (
              <blockquote>
                <strong>{t('notes.gsQuestion')}</strong> {pendingQuery.question}
              </blockquote>
            ) : null,
          })
        : null}
      {open === 'withdraw'
        ? textAction({
            action: 'withdraw',
            title: t('actions.withdraw'),
            submitLabel: t('actions.confirmWithdraw'),
            field: 'reason',
            label: t('actions.reason'),
          })
        : null}
      {open === 'suspend' ? (
        <ActionForm
          title={t(r.suspension ? 'actions.extendSuspension' : 'actions.suspend')}
          submitLabel={t(r.suspension ? 'actions.confirmExtend' : 'actions.confirmSuspend')}
          onSubmit={() => post('suspension', { reason: text, duration })}
          onDone={done}
        >
          {(err) => (
            <>
              <TextField
                path="reason"
                label={t('actions.reason')}
                error={err('reason')}
                required
                rows={3}
                value={text}
                onChange={setText}
              />
              <SelectField
                path="duration"
                label={t('actions.duration')}
                hint={t(r.suspension ? 'actions.extendHint' : 'actions.suspendHint')}
                error={err('duration') ?? err('until')}
                required
                value={duration}
                onChange={setDuration}
                options={SUSPENSION_DURATIONS}
                optionLabel={(d) => t(`duration.${d}`)}
              />
            </>
          )}
        </ActionForm>
      ) : null}
      {open === 'resume' ? (
        <ActionForm
          title={t('actions.resume')}
          submitLabel={t('actions.confirmResume')}
          onSubmit={() => post('resumption')}
          onDone={done}
        >
          {() => <p>{t('actions.resumeHelp')}</p>}
        </ActionForm>
      ) : null}
      {open === 'close'
        ? textAction({
            action: 'close',
            title: t('actions.close'),
            submitLabel: t('actions.confirmClose'),
            field: 'summary',
            label: t('actions.summary'),
          })
        : null}
    </section>
  );
}

/** One attestation checkbox, with the API's message for it under it. */
function AttestationCheck({
  name,
  label,
  checked,
  onChange,
  err,
}: {
  name: string;
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  err: (path: string) => string | undefined;
}) {
  const path = `attestation.${name}`;
  return (
    <>
      <label className="check">
        <input
          type="checkbox"
          id={fieldId(path)}
          checked={checked}
          onChange={(e) => onChange(e.target.checked)}
        />
        {label}
      </label>
      {err(path) ? <p className="field-error">{err(path)}</p> : null}
    </>
  );
}

function Tracks({
  request: r,
  tracks,
  error,
  onDone,
}: {
  request: RequestView;
  tracks: Track[];
  error: unknown;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [open, setOpen] = useState<string | null>(null);
  const now = Date.now();
  const toggle = (key: string, label: string) => (
    <button
      type="button"
      className="secondary"
      aria-expanded={open === key}
      onClick={() => setOpen(open === key ? null : key)}
    >
      {label}
    </button>
  );
  const closeAndRefresh = () => {
    setOpen(null);
    onDone();
  };
  return (
    <section className="card" aria-labelledby="tracks-title">
      <h2 id="tracks-title">{t('tracks.title')}</h2>
      <ProblemMessage error={error} />
      <table>
        <TableHead
          columns={[
            t('tracks.country'),
            t('tracks.status'),
            t('tracks.deadline'),
            t('tracks.responses'),
            t('tracks.act'),
          ]}
        />
        <tbody>
          {tracks.map((tr) => {
            const overdue =
              tr.status === 'OVERDUE' ||
              (!isFinalJurisdictionStatus(tr.status) && Date.parse(tr.deadline) < now);
            const canRespond = tr.allowedActions.includes('respond');
            const canExtend = tr.allowedActions.includes('extend');
            return (
              <tr
                key={tr.country}
                data-country={tr.country}
                className={overdue ? 'overdue' : undefined}
              >
                <th scope="row">{tr.country}</th>
                <td>
                  <StatusBadge status={tr.status} />
                  {overdue ? (
                    <span className="badge badge-overdue-mark">{t('tracks.overdue')}</span>
                  ) : null}
                </td>
                <td>
                  {fmt.dateTime(tr.deadline)}
                  {tr.pausedSince ? (
                    <span className="badge" data-testid="paused">
                      {t('tracks.paused')}
                    </span>
                  ) : null}
                  {tr.extensions.length ? (
                    <span className="muted">
                      {' '}
                      ({t('tracks.extended', { count: tr.extensions.length })})
                    </span>
                  ) : null}
                </td>
                <td>
                  {tr.responses.length === 0 ? (
                    <span className="muted">{t('tracks.noResponse')}</span>
                  ) : (
                    <ul className="plain">
                      {tr.responses.map((resp) => (
                        <li key={resp.id}>
                          <strong>{t(`outcome.${resp.outcome}`)}</strong> {resp.externalReference}{' '}
                          <span className="muted">
                            {fmt.dateTime(resp.at)} ·{' '}
                            {resp.recordedBy.username ??
                              t(`roles.${resp.recordedBy.role}`, {
                                defaultValue: resp.recordedBy.role,
                              })}
                            {resp.late ? ` · ${t('tracks.late')}` : ''}
                          </span>
                          <br />
                          <HandlingInfo item={resp} />
                          {resp.narrative ? <p>{resp.narrative}</p> : null}
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
                <td>
                  {canRespond
                    ? toggle(`r-${tr.country}`, t('tracks.recordResponse', { country: tr.country }))
                    : null}
                  {canExtend
                    ? toggle(`e-${tr.country}`, t('tracks.extend', { country: tr.country }))
                    : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {open?.startsWith('r-') ? (
        <ResponseForm requestId={r.id} country={open.slice(2)} onDone={closeAndRefresh} />
      ) : null}
      {open?.startsWith('e-') ? (
        <ExtendForm
          requestId={r.id}
          track={tracks.find((x) => x.country === open.slice(2))!}
          onDone={closeAndRefresh}
        />
      ) : null}
    </section>
  );
}

function ResponseForm({
  requestId,
  country,
  onDone,
}: {
  requestId: string;
  country: string;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [outcome, setOutcome] = useState('assets_found');
  const [externalReference, setExternalReference] = useState('');
  const [narrative, setNarrative] = useState('');
  // '' = not stated: the API takes the fields as optional, the source may give none.
  const [handling, setHandling] = useState({
    handlingCode: '',
    handlingRestriction: '',
    sourceReliability: '',
    informationAccuracy: '',
  });
  const handlingPart = (k: keyof typeof handling) => ({
    value: handling[k],
    onChange: (v: string) => setHandling({ ...handling, [k]: v }),
  });
  const restricted = handling.handlingCode === HANDLING_CODE_WITH_RESTRICTION;
  const [asset, setAsset] = useState({
    type: 'bank_account',
    description: '',
    holder: '',
    amount: '',
    currency: '',
    identifiers: {} as Record<string, string>,
  });
  const [key] = useState(newKey);
  const assetPart = (k: 'description' | 'holder' | 'amount' | 'currency') => ({
    value: asset[k],
    onChange: (v: string) => setAsset({ ...asset, [k]: v }),
  });
  const reports = outcome === 'assets_found' || outcome === 'partial';
  const body = () => {
    const identifiers = Object.fromEntries(
      Object.entries(asset.identifiers).filter(([, v]) => v.trim()),
    );
    return JSON.parse(
      JSON.stringify({
        outcome,
        externalReference: externalReference.trim(),
        narrative: narrative.trim() || undefined,
        handlingCode: handling.handlingCode || undefined,
        handlingRestriction: restricted ? handling.handlingRestriction.trim() : undefined,
        sourceReliability: handling.sourceReliability || undefined,
        informationAccuracy: handling.informationAccuracy || undefined,
        assets:
          reports && asset.description.trim()
            ? [
                {
                  type: asset.type,
                  description: asset.description.trim(),
                  holder: asset.holder.trim() || undefined,
                  identifiers: Object.keys(identifiers).length ? identifiers : undefined,
                  estimatedValue: asset.amount.trim()
                    ? { amount: asset.amount.trim(), currency: asset.currency.trim().toUpperCase() }
                    : undefined,
                },
              ]
            : undefined,
      }),
    ) as unknown;
  };
  return (
    <ActionForm
      title={t('tracks.recordResponse', { country })}
      submitLabel={t('tracks.saveResponse')}
      onSubmit={() =>
        api('POST', `/trace-requests/${requestId}/jurisdictions/${country}/responses`, {
          body: body(),
          headers: { 'idempotency-key': key },
        })
      }
      onDone={onDone}
    >
      {(err) => (
        <div className="grid">
          <SelectField
            path="outcome"
            label={t('tracks.outcome')}
            error={err('outcome')}
            options={RESPONSE_OUTCOMES}
            optionLabel={(o) => t(`outcome.${o}`)}
            value={outcome}
            onChange={setOutcome}
          />
          <TextField
            path="externalReference"
            label={t('tracks.externalReference')}
            error={err('externalReference')}
            required
            value={externalReference}
            onChange={setExternalReference}
          />
          <TextField
            path="narrative"
            label={t('tracks.narrative')}
            error={err('narrative')}
            rows={2}
            value={narrative}
            onChange={setNarrative}
          />
          <SelectField
            path="handlingCode"
            label={t('handling.code')}
            error={err('handlingCode')}
            options={['', ...HANDLING_CODES]}
            optionLabel={(o) => (o ? t(`handling.codes.${o}`) : t('handling.notStated'))}
            {...handlingPart('handlingCode')}
          />
          {restricted ? (
            <TextField
              path="handlingRestriction"
              label={t('handling.restriction')}
              error={err('handlingRestriction')}
              required
              rows={2}
              {...handlingPart('handlingRestriction')}
            />
          ) : null}
          <SelectField
            path="sourceReliability"
            label={t('handling.reliability')}
            error={err('sourceReliability')}
            options={['', ...SOURCE_RELIABILITIES]}
            optionLabel={(o) => (o ? t(`handling.reliabilities.${o}`) : t('handling.notStated'))}
            {...handlingPart('sourceReliability')}
          />
          <SelectField
            path="informationAccuracy"
            label={t('handling.accuracy')}
            error={err('informationAccuracy')}
            options={['', ...INFORMATION_ACCURACIES]}
            optionLabel={(o) => (o ? t(`handling.accuracies.${o}`) : t('handling.notStated'))}
            {...handlingPart('informationAccuracy')}
          />
          {reports ? (
            <>
              <SelectField
                path="assets[0].type"
                label={t('form.assetType')}
                error={err('assets[0].type')}
                options={ASSET_TYPES}
                optionLabel={(x) => t(`assetType.${x}`)}
                value={asset.type}
                onChange={(type) => setAsset({ ...asset, type, identifiers: {} })}
              />
              <TextField
                path="assets[0].description"
                label={t('tracks.assetDescription')}
                error={err('assets[0].description')}
                {...assetPart('description')}
              />
              {(IDENTIFIERS_BY_TYPE[asset.type] ?? []).map((k) => (
                <TextField
                  key={k}
                  path={`assets[0].identifiers.${k}`}
                  label={t(`identifier.${k}`)}
                  error={err(`assets[0].identifiers.${k}`)}
                  value={asset.identifiers[k] ?? ''}
                  onChange={(v) =>
                    setAsset({ ...asset, identifiers: { ...asset.identifiers, [k]: v } })
                  }
                />
              ))}
              <TextField
                path="assets[0].holder"
                label={t('tracks.holder')}
                error={err('assets[0].holder')}
                {...assetPart('holder')}
              />
              <TextField
                path="assets[0].estimatedValue.amount"
                label={t('form.amount')}
                error={err('assets[0].estimatedValue.amount')}
                {...assetPart('amount')}
              />
              <TextField
                path="assets[0].estimatedValue.currency"
                label={t('form.currency')}
                error={err('assets[0].estimatedValue.currency')}
                {...assetPart('currency')}
              />
            </>
          ) : null}
        </div>
      )}
    </ActionForm>
  );
}

function ExtendForm({
  requestId,
  track,
  onDone,
}: {
  requestId: string;
  track: Track;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [date, setDate] = useState(track.deadline.slice(0, 10));
  const [reason, setReason] = useState('');
  return (
    <ActionForm
      title={t('tracks.extend', { country: track.country })}
      submitLabel={t('tracks.saveExtension')}
      onSubmit={() =>
        api('POST', `/trace-requests/${requestId}/jurisdictions/${track.country}/extension`, {
          body: {
            newDeadline: date ? new Date(`${date}T23:59:59Z`).toISOString() : '',
            reason: reason.trim() || undefined,
          },
        })
      }
      onDone={onDone}
    >
      {(err) => (
        <div className="grid">
          <TextField
            path="newDeadline"
            label={t('tracks.newDeadline')}
            error={err('newDeadline')}
            required
            type="date"
            value={date}
            onChange={setDate}
          />
          <TextField
            path="reason"
            label={t('actions.reason')}
            error={err('reason')}
            value={reason}
            onChange={setReason}
          />
        </div>
      )}
    </ActionForm>
  );
}

function Assets({
  register,
  error,
  onDone,
}: {
  register: Register | null;
  error: unknown;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { is } = useAuth();
  const [moving, setMoving] = useState<Asset | null>(null);
  return (
    <section className="card" aria-labelledby="assets-title">
      <h2 id="assets-title">{t('assets.title')}</h2>
      <ProblemMessage error={error} />
      {!register || register.items.length === 0 ? (
        <p className="muted">{t('assets.none')}</p>
      ) : (
        <>
          <table>
            <TableHead
              columns={[
                t('tracks.country'),
                t('form.assetType'),
                t('form.description'),
                t('assets.value'),
                t('assets.status'),
                t('tracks.act'),
              ]}
            />
            <tbody>
              {register.items.map((a) => (
                <tr key={a.id} data-asset-id={a.id}>
                  <td>{a.country}</td>
                  <td>{t(`assetType.${a.type}`)}</td>
                  <td>
                    {a.description}
                    {a.holder ? <span className="muted"> · {a.holder}</span> : null}
                  </td>
                  <td>
                    {a.estimatedValue
                      ? fmt.money(a.estimatedValue.amount, a.estimatedValue.currency)
                      : '—'}
                  </td>
                  <td>
                    <StatusBadge status={a.status} />
                  </td>
                  <td>
                    {is(...ACTION_ROLES['asset-move']) &&
                    ASSET_STATUSES.some((s) => canMoveAsset(a.status, s)) ? (
                      <button type="button" className="secondary" onClick={() => setMoving(a)}>
                        {t('assets.move', { description: a.description })}
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>
            {t('assets.totals')}:{' '}
            {register.totals.map((x) => fmt.money(x.amount, x.currency)).join(' · ') || '—'}
          </p>
        </>
      )}
      {moving ? (
        <MoveForm
          key={moving.id}
          asset={moving}
          onDone={() => {
            setMoving(null);
            onDone();
          }}
        />
      ) : null}
    </section>
  );
}

function MoveForm({ asset, onDone }: { asset: Asset; onDone: () => void }) {
  const { t } = useTranslation();
  const next = ASSET_STATUSES.filter((s) => canMoveAsset(asset.status, s));
  const [status, setStatus] = useState<string>(next[0] ?? '');
  const [mla, setMla] = useState('');
  const [note, setNote] = useState('');
  const [key] = useState(newKey);
  return (
    <ActionForm
      title={t('assets.moveTitle', { description: asset.description })}
      submitLabel={t('assets.saveMove')}
      onSubmit={() =>
        api('POST', `/assets/${asset.id}/status`, {
          body: { status, mlaReference: mla.trim(), note: note.trim() || undefined },
          headers: { 'idempotency-key': key, 'if-match': `"${asset.version}"` },
        })
      }
      onDone={onDone}
    >
      {(err) => (
        <div className="grid">
          <SelectField
            path="status"
            label={t('assets.newStatus')}
            error={err('status')}
            options={next}
            optionLabel={(s) => t(`status.${s}`)}
            value={status}
            onChange={setStatus}
          />
          <TextField
            path="mlaReference"
            label={t('assets.mlaReference')}
            error={err('mlaReference')}
            required
            value={mla}
            onChange={setMla}
          />
          <TextField
            path="note"
            label={t('assets.note')}
            error={err('note')}
            value={note}
            onChange={setNote}
          />
        </div>
      )}
    </ActionForm>
  );
}
