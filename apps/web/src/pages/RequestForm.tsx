import { useEffect, useRef, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ApiError, apiFull, newKey } from '../api';
import { Field, Loading, ProblemMessage, TableHead } from '../components/ui';
import {
  ASSET_TYPES,
  IDENTIFIERS_BY_TYPE,
  LANGUAGES,
  LEGAL_BASIS_TYPES,
  OFFENCE_CATEGORIES,
  PURPOSES,
  contentOf,
  differences,
  emptyAsset,
  emptyForm,
  emptyOffence,
  fromContent,
  toBody,
} from './request-content';
import type { RequestForm } from './request-content';

interface View extends Record<string, unknown> {
  id: string;
  reference: string;
  status: string;
  version: number;
  allowedActions: string[];
}

/** A newer version saved by someone else while this form was open. */
interface Conflict {
  latest: View;
}

export function RequestFormPage() {
  const { t, i18n } = useTranslation();
  const { id } = useParams();
  const navigate = useNavigate();
  const [form, setForm] = useState<RequestForm>(() => emptyForm(i18n.language));
  const [loaded, setLoaded] = useState<View | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [error, setError] = useState<unknown>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [showCompare, setShowCompare] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // One key per new draft: a retried "save" never makes a second request.
  const createKey = useRef(newKey());
  const errorRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!id) return;
    if (loaded?.id === id) return;
    apiFull<View>('GET', `/trace-requests/${id}`).then(
      ({ body }) => {
        setLoaded(body);
        setForm(fromContent(contentOf(body)));
      },
      (err: unknown) => setLoadError(err),
    );
  }, [id, loaded?.id]);

  const update = (change: (draft: RequestForm) => void) =>
    setForm((f) => {
      const next = structuredClone(f);
      change(next);
      return next;
    });

  const err = (path: string): string | undefined =>
    error instanceof ApiError ? error.fieldError(path) : undefined;

  async function save(version: number | undefined, then: 'stay' | 'view') {
    setBusy(true);
    setError(null);
    setSaved(null);
    try {
      const body = toBody(form);
      const res = id
        ? await apiFull<View>('PATCH', `/trace-requests/${id}`, {
            body,
            headers: { 'if-match': `"${version}"` },
          })
        : await apiFull<View>('POST', '/trace-requests', {
            body,
            headers: { 'idempotency-key': createKey.current },
          });
      setLoaded(res.body);
      setConflict(null);
      setSaved(t('form.saved', { version: res.body.version, reference: res.body.reference }));
      if (then === 'view') void navigate(`/requests/${res.body.id}`);
      else if (!id) void navigate(`/requests/${res.body.id}/edit`, { replace: true });
    } catch (e) {
      if (e instanceof ApiError && e.status === 409 && id) {
        // Stale version? Fetch what is there now; the form keeps the user's input either way.
        try {
          const latest = (await apiFull<View>('GET', `/trace-requests/${id}`)).body;
          if (latest.version !== version) {
            setConflict({ latest });
            setShowCompare(false);
          } else setError(e);
        } catch {
          setError(e);
        }
      } else {
        setError(e);
      }
      requestAnimationFrame(() => errorRef.current?.focus());
    } finally {
      setBusy(false);
    }
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    void save(loaded?.version, 'stay');
  }

  if (id && loadError) return <ProblemMessage error={loadError} />;
  if (id && !loaded) return <Loading />;
  const editable = !loaded || loaded.allowedActions.includes('edit');

  return (
    <section aria-labelledby="form-title">
      <h1 id="form-title">
        {loaded ? t('form.editTitle', { reference: loaded.reference }) : t('form.newTitle')}
      </h1>
      {loaded ? (
        <p>
          <Link to={`/requests/${loaded.id}`}>{t('form.backToRequest')}</Link> ·{' '}
          {t('form.version', { version: loaded.version })}
        </p>
      ) : null}
      {!editable ? <p className="problem">{t('form.notEditable')}</p> : null}

      <div ref={errorRef} tabIndex={-1} aria-live="assertive" className="live-region">
        {conflict ? (
          <div className="problem conflict" role="alert" data-testid="conflict">
            <p className="problem-title">{t('form.conflictTitle')}</p>
            <p>
              {t('form.conflictBody', {
                mine: loaded?.version,
                theirs: conflict.latest.version,
                status: t(`status.${conflict.latest.status}`),
              })}
            </p>
            <div className="actions">
              <button
                type="button"
                className="secondary"
                onClick={() => setShowCompare((s) => !s)}
                aria-expanded={showCompare}
              >
                {t('form.compare')}
              </button>
              <button
                type="button"
                disabled={busy || !conflict.latest.allowedActions.includes('edit')}
                onClick={() => void save(conflict.latest.version, 'stay')}
              >
                {t('form.keepMine')}
              </button>
              <button
                type="button"
                className="secondary"
                onClick={() => {
                  setLoaded(conflict.latest);
                  setForm(fromContent(contentOf(conflict.latest)));
                  setConflict(null);
                }}
              >
                {t('form.loadTheirs')}
              </button>
            </div>
            {showCompare ? (
              <table>
                <caption>{t('form.compareCaption')}</caption>
                <TableHead columns={[t('form.field'), t('form.mine'), t('form.theirs')]} />
                <tbody>
                  {differences(toBody(form), contentOf(conflict.latest)).map((d) => (
                    <tr key={d.path}>
                      <th scope="row">
                        <code>{d.path}</code>
                      </th>
                      <td>{d.mine}</td>
                      <td>{d.theirs}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : null}
          </div>
        ) : null}
        <ProblemMessage error={error} />
        {saved ? (
          <p className="success" role="status">
            {saved}
          </p>
        ) : null}
      </div>

      <form onSubmit={submit} noValidate className="request-form">
        <fieldset>
          <legend>{t('form.general')}</legend>
          <div className="grid">
            <Field path="kind" label={t('form.kind')} error={err('kind')} hint={t('form.kindHint')}>
              {(p) => (
                <select
                  {...p}
                  value={form.kind}
                  onChange={(e) => update((f) => (f.kind = e.target.value))}
                >
                  <option value="notice">{t('kind.notice')}</option>
                  <option value="diffusion">{t('kind.diffusion')}</option>
                </select>
              )}
            </Field>
            <Field path="urgency" label={t('form.urgency')} error={err('urgency')}>
              {(p) => (
                <select
                  {...p}
                  value={form.urgency}
                  onChange={(e) => update((f) => (f.urgency = e.target.value))}
                >
                  <option value="normal">{t('urgency.normal')}</option>
                  <option value="urgent">{t('urgency.urgent')}</option>
                </select>
              )}
            </Field>
            <Field path="language" label={t('form.language')} error={err('language')}>
              {(p) => (
                <select
                  {...p}
                  value={form.language}
                  onChange={(e) => update((f) => (f.language = e.target.value))}
                >
                  {LANGUAGES.map((l) => (
                    <option key={l} value={l}>
                      {t(`languages.${l}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Text
              form={form}
              update={update}
              err={err}
              path="caseReference"
              label={t('form.caseReference')}
              required
            />
            <Text
              form={form}
              update={update}
              err={err}
              path="requestingAgency"
              label={t('form.requestingAgency')}
              required
            />
          </div>
        </fieldset>

        <fieldset>
          <legend>{t('form.subject')}</legend>
          <div className="grid">
            <Text
              form={form}
              update={update}
              err={err}
              path="subject.familyName"
              label={t('form.familyName')}
              required
            />
            <Text
              form={form}
              update={update}
              err={err}
              path="subject.givenNames"
              label={t('form.givenNames')}
              required
            />
            <Text
              form={form}
              update={update}
              err={err}
              path="subject.dateOfBirth"
              label={t('form.dateOfBirth')}
              type="date"
              required
            />
            <Text
              form={form}
              update={update}
              err={err}
              path="subject.nationalities"
              label={t('form.nationalities')}
              hint={t('form.countriesHint')}
              required
            />
          </div>
          <Field
            path="subject.aliases"
            label={t('form.aliases')}
            error={err('subject.aliases')}
            hint={t('form.onePerLine')}
          >
            {(p) => (
              <textarea
                {...p}
                rows={2}
                value={form.subject.aliases}
                onChange={(e) => update((f) => (f.subject.aliases = e.target.value))}
              />
            )}
          </Field>
        </fieldset>

        <fieldset>
          <legend>{t('form.offences')}</legend>
          {form.offences.map((o, i) => (
            <fieldset key={i} className="item">
              <legend>{t('form.offenceN', { n: i + 1 })}</legend>
              <div className="grid">
                <Field
                  path={`offences[${i}].category`}
                  label={t('form.category')}
                  error={err(`offences[${i}].category`)}
                >
                  {(p) => (
                    <select
                      {...p}
                      value={o.category}
                      onChange={(e) => update((f) => (f.offences[i].category = e.target.value))}
                    >
                      {OFFENCE_CATEGORIES.map((c) => (
                        <option key={c} value={c}>
                          {t(`offence.${c}`)}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                <Text
                  form={form}
                  update={update}
                  err={err}
                  path={`offences[${i}].legalProvision`}
                  label={t('form.legalProvision')}
                  required
                />
                <Text
                  form={form}
                  update={update}
                  err={err}
                  path={`offences[${i}].from`}
                  label={t('form.from')}
                  type="date"
                />
                <Text
                  form={form}
                  update={update}
                  err={err}
                  path={`offences[${i}].to`}
                  label={t('form.to')}
                  type="date"
                />
              </div>
              <Field
                path={`offences[${i}].description`}
                label={t('form.description')}
                error={err(`offences[${i}].description`)}
                required
              >
                {(p) => (
                  <textarea
                    {...p}
                    rows={2}
                    value={o.description}
                    onChange={(e) => update((f) => (f.offences[i].description = e.target.value))}
                  />
                )}
              </Field>
              {form.offences.length > 1 ? (
                <button
                  type="button"
                  className="secondary"
                  onClick={() => update((f) => f.offences.splice(i, 1))}
                >
                  {t('form.removeOffence', { n: i + 1 })}
                </button>
              ) : null}
            </fieldset>
          ))}
          <p className="field-error">
            {err('offences') && !form.offences.length ? err('offences') : null}
          </p>
          <button
            type="button"
            className="secondary"
            onClick={() => update((f) => f.offences.push(emptyOffence()))}
          >
            {t('form.addOffence')}
          </button>
        </fieldset>

        <fieldset>
          <legend>{t('form.legalBasis')}</legend>
          <div className="grid">
            <Field
              path="legalBasis.type"
              label={t('form.legalBasisType')}
              error={err('legalBasis.type')}
            >
              {(p) => (
                <select
                  {...p}
                  value={form.legalBasis.type}
                  onChange={(e) => update((f) => (f.legalBasis.type = e.target.value))}
                >
                  {LEGAL_BASIS_TYPES.map((l) => (
                    <option key={l} value={l}>
                      {t(`legalBasis.${l}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Text
              form={form}
              update={update}
              err={err}
              path="legalBasis.reference"
              label={t('form.legalBasisReference')}
              required
            />
            <Text
              form={form}
              update={update}
              err={err}
              path="legalBasis.issuedOn"
              label={t('form.issuedOn')}
              type="date"
            />
          </div>
        </fieldset>

        <fieldset aria-describedby={err('purposes') ? 'f-purposes-error' : undefined}>
          <legend>{t('form.purposes')}</legend>
          <div className="checks" id="f-purposes" tabIndex={-1}>
            {PURPOSES.map((p) => (
              <label key={p} className="check">
                <input
                  type="checkbox"
                  checked={form.purposes.includes(p)}
                  onChange={(e) =>
                    update((f) => {
                      f.purposes = e.target.checked
                        ? [...f.purposes, p]
                        : f.purposes.filter((x) => x !== p);
                    })
                  }
                />
                {t(`purpose.${p}`)}
              </label>
            ))}
          </div>
          {err('purposes') ? (
            <p className="field-error" id="f-purposes-error" data-field="purposes">
              {err('purposes')}
            </p>
          ) : null}
        </fieldset>

        <fieldset>
          <legend>{t('form.assets')}</legend>
          {form.assets.map((a, i) => (
            <fieldset key={i} className="item" data-asset={i}>
              <legend>{t('form.assetN', { n: i + 1 })}</legend>
              <div className="grid">
                <Field
                  path={`assets[${i}].type`}
                  label={t('form.assetType')}
                  error={err(`assets[${i}].type`)}
                >
                  {(p) => (
                    <select
                      {...p}
                      value={a.type}
                      onChange={(e) => update((f) => (f.assets[i].type = e.target.value))}
                    >
                      {ASSET_TYPES.map((x) => (
                        <option key={x} value={x}>
                          {t(`assetType.${x}`)}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                {(IDENTIFIERS_BY_TYPE[a.type] ?? ['other']).map((key) => (
                  <Field
                    key={key}
                    path={`assets[${i}].identifiers.${key}`}
                    label={t(`identifier.${key}`)}
                    hint={t(`identifierHint.${key}`, { defaultValue: '' }) || undefined}
                    error={err(`assets[${i}].identifiers.${key}`)}
                  >
                    {(p) => (
                      <input
                        {...p}
                        value={a.identifiers[key] ?? ''}
                        onChange={(e) =>
                          update((f) => (f.assets[i].identifiers[key] = e.target.value))
                        }
                      />
                    )}
                  </Field>
                ))}
                <Text
                  form={form}
                  update={update}
                  err={err}
                  path={`assets[${i}].suspectedCountry`}
                  label={t('form.suspectedCountry')}
                  hint={t('form.countryHint')}
                />
                <Text
                  form={form}
                  update={update}
                  err={err}
                  path={`assets[${i}].estimatedValue.amount`}
                  label={t('form.amount')}
                  hint={t('form.amountHint')}
                />
                <Text
                  form={form}
                  update={update}
                  err={err}
                  path={`assets[${i}].estimatedValue.currency`}
                  label={t('form.currency')}
                  hint={t('form.currencyHint')}
                />
              </div>
              <Field
                path={`assets[${i}].description`}
                label={t('form.description')}
                error={err(`assets[${i}].description`)}
                required
              >
                {(p) => (
                  <textarea
                    {...p}
                    rows={2}
                    value={a.description}
                    onChange={(e) => update((f) => (f.assets[i].description = e.target.value))}
                  />
                )}
              </Field>
              {form.assets.length > 1 ? (
                <button
                  type="button"
                  className="secondary"
                  onClick={() => update((f) => f.assets.splice(i, 1))}
                >
                  {t('form.removeAsset', { n: i + 1 })}
                </button>
              ) : null}
            </fieldset>
          ))}
          <button
            type="button"
            className="secondary"
            onClick={() => update((f) => f.assets.push(emptyAsset()))}
          >
            {t('form.addAsset')}
          </button>
        </fieldset>

        <fieldset>
          <legend>{t('form.targets')}</legend>
          {form.kind === 'notice' ? (
            <label className="check">
              <input
                type="checkbox"
                checked={form.allMembers}
                onChange={(e) => update((f) => (f.allMembers = e.target.checked))}
              />
              {t('form.allMembers')}
            </label>
          ) : null}
          {form.kind === 'diffusion' || !form.allMembers ? (
            <Text
              form={form}
              update={update}
              err={err}
              path="targetCountries"
              label={t('form.targetCountries')}
              hint={t('form.countriesHint')}
              required
            />
          ) : null}
          {err('allMembers') ? <p className="field-error">{err('allMembers')}</p> : null}
        </fieldset>

        <fieldset>
          <legend>{t('form.facts')}</legend>
          <Field
            path="factsSummary"
            label={t('form.factsSummary')}
            error={err('factsSummary')}
            required
          >
            {(p) => (
              <textarea
                {...p}
                rows={5}
                value={form.factsSummary}
                onChange={(e) => update((f) => (f.factsSummary = e.target.value))}
              />
            )}
          </Field>
        </fieldset>

        <div className="actions sticky">
          <button type="submit" disabled={busy || !editable}>
            {t('form.saveDraft')}
          </button>
          <button
            type="button"
            className="secondary"
            disabled={busy || !editable}
            onClick={() => void save(loaded?.version, 'view')}
          >
            {t('form.saveAndView')}
          </button>
        </div>
      </form>
    </section>
  );
}

/** A text input bound to a dotted path of the form (which is also the API's field name). */
function Text({
  form,
  update,
  err,
  path,
  label,
  hint,
  type = 'text',
  required,
}: {
  form: RequestForm;
  update: (change: (draft: RequestForm) => void) => void;
  err: (path: string) => string | undefined;
  path: string;
  label: string;
  hint?: string;
  type?: string;
  required?: boolean;
}): ReactNode {
  const keys = formPath(path);
  return (
    <Field path={path} label={label} hint={hint} error={err(path)} required={required}>
      {(p) => (
        <input
          {...p}
          type={type}
          value={String(getAt(form, keys) ?? '')}
          onChange={(e) => {
            const v = e.target.value;
            update((f) => setAt(f, keys, v));
          }}
        />
      )}
    </Field>
  );
}

/** API paths name the estimated value's parts; the form holds them on the asset itself. */
function formPath(path: string): (string | number)[] {
  return path
    .replace('.estimatedValue.', '.')
    .split(/[.[\]]+/)
    .filter(Boolean)
    .map((k) => (/^\d+$/.test(k) ? Number(k) : k));
}

function getAt(o: unknown, keys: (string | number)[]): unknown {
  return keys.reduce<unknown>(
    (v, k) => (v as Record<string | number, unknown> | undefined)?.[k],
    o,
  );
}

function setAt(o: unknown, keys: (string | number)[], value: unknown): void {
  const parent = getAt(o, keys.slice(0, -1)) as Record<string | number, unknown>;
  parent[keys[keys.length - 1]] = value;
}
