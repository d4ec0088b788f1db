import { useEffect, useRef, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ApiError, apiFull, newKey } from '../api';
import { Loading, ProblemMessage, SelectField, TableHead, TextField } from '../components/ui';
import {
  ASSET_TYPES,
  IDENTIFIERS_BY_TYPE,
  IDENTITY_DOCUMENT_TYPES,
  LANGUAGES,
  LEGAL_BASIS_TYPES,
  OFFENCE_CATEGORIES,
  PURPOSES,
  contentOf,
  differences,
  emptyAsset,
  emptyForm,
  emptyIdentityDocument,
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
  const bind = { form, update, err };

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
            <Choice
              {...bind}
              path="kind"
              label={t('form.kind')}
              hint={t('form.kindHint')}
              options={['notice', 'diffusion']}
              optionLabel={(k) => t(`kind.${k}`)}
            />
            <Choice
              {...bind}
              path="urgency"
              label={t('form.urgency')}
              options={['normal', 'urgent']}
              optionLabel={(u) => t(`urgency.${u}`)}
            />
            <Choice
              {...bind}
              path="language"
              label={t('form.language')}
              options={LANGUAGES}
              optionLabel={(l) => t(`languages.${l}`)}
            />
            <Text {...bind} path="caseReference" label={t('form.caseReference')} required />
            <Text {...bind} path="requestingAgency" label={t('form.requestingAgency')} required />
          </div>
        </fieldset>

        <fieldset>
          <legend>{t('form.subject')}</legend>
          <div className="grid">
            <Text {...bind} path="subject.familyName" label={t('form.familyName')} required />
            <Text {...bind} path="subject.givenNames" label={t('form.givenNames')} required />
            <Text
              {...bind}
              path="subject.dateOfBirth"
              label={t('form.dateOfBirth')}
              type="date"
              required
            />
            <Text
              {...bind}
              path="subject.nationalities"
              label={t('form.nationalities')}
              hint={t('form.countriesHint')}
              required
            />
          </div>
          <Text
            {...bind}
            path="subject.aliases"
            label={t('form.aliases')}
            hint={t('form.onePerLine')}
            rows={2}
          />
          <Items
            bind={bind}
            name="subject.identityDocuments"
            list={(f) => f.subject.identityDocuments}
            empty={emptyIdentityDocument}
            min={0}
            described={false}
            legend={(n) => t('form.identityDocumentN', { n })}
            removeLabel={(n) => t('form.removeIdentityDocument', { n })}
            addLabel={t('form.addIdentityDocument')}
          >
            {(_, i) => (
              <>
                <Choice
                  {...bind}
                  path={`subject.identityDocuments[${i}].type`}
                  label={t('form.documentType')}
                  options={IDENTITY_DOCUMENT_TYPES}
                  optionLabel={(d) => t(`identityDocument.${d}`)}
                />
                <Text
                  {...bind}
                  path={`subject.identityDocuments[${i}].number`}
                  label={t('form.documentNumber')}
                  required
                />
                <Text
                  {...bind}
                  path={`subject.identityDocuments[${i}].issuingCountry`}
                  label={t('form.issuingCountry')}
                  hint={t('form.countryHint')}
                  required
                />
              </>
            )}
          </Items>
        </fieldset>

        <fieldset>
          <legend>{t('form.offences')}</legend>
          <Items
            bind={bind}
            name="offences"
            list={(f) => f.offences}
            empty={emptyOffence}
            legend={(n) => t('form.offenceN', { n })}
            removeLabel={(n) => t('form.removeOffence', { n })}
            addLabel={t('form.addOffence')}
            footer={
              <p className="field-error">
                {err('offences') && !form.offences.length ? err('offences') : null}
              </p>
            }
          >
            {(_, i) => (
              <>
                <Choice
                  {...bind}
                  path={`offences[${i}].category`}
                  label={t('form.category')}
                  options={OFFENCE_CATEGORIES}
                  optionLabel={(c) => t(`offence.${c}`)}
                />
                <Text
                  {...bind}
                  path={`offences[${i}].legalProvision`}
                  label={t('form.legalProvision')}
                  required
                />
                <Text {...bind} path={`offences[${i}].from`} label={t('form.from')} type="date" />
                <Text {...bind} path={`offences[${i}].to`} label={t('form.to')} type="date" />
              </>
            )}
          </Items>
        </fieldset>

        <fieldset>
          <legend>{t('form.legalBasis')}</legend>
          <div className="grid">
            <Choice
              {...bind}
              path="legalBasis.type"
              label={t('form.legalBasisType')}
              options={LEGAL_BASIS_TYPES}
              optionLabel={(l) => t(`legalBasis.${l}`)}
            />
            <Text
              {...bind}
              path="legalBasis.reference"
              label={t('form.legalBasisReference')}
              required
            />
            <Text {...bind} path="legalBasis.issuedOn" label={t('form.issuedOn')} type="date" />
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
          <Items
            bind={bind}
            name="assets"
            list={(f) => f.assets}
            empty={emptyAsset}
            legend={(n) => t('form.assetN', { n })}
            removeLabel={(n) => t('form.removeAsset', { n })}
            addLabel={t('form.addAsset')}
            itemTag="data-asset"
          >
            {(a, i) => (
              <>
                <Choice
                  {...bind}
                  path={`assets[${i}].type`}
                  label={t('form.assetType')}
                  options={ASSET_TYPES}
                  optionLabel={(x) => t(`assetType.${x}`)}
                />
                {(IDENTIFIERS_BY_TYPE[a.type] ?? ['other']).map((key) => (
                  // Not Text: that adds type="text", which these inputs never had.
                  <TextField
                    key={key}
                    path={`assets[${i}].identifiers.${key}`}
                    label={t(`identifier.${key}`)}
                    hint={t(`identifierHint.${key}`, { defaultValue: '' }) || undefined}
                    error={err(`assets[${i}].identifiers.${key}`)}
                    value={a.identifiers[key] ?? ''}
                    onChange={(v) => update((f) => (f.assets[i].identifiers[key] = v))}
                  />
                ))}
                <Text
                  {...bind}
                  path={`assets[${i}].suspectedCountry`}
                  label={t('form.suspectedCountry')}
                  hint={t('form.countryHint')}
                />
                <Text
                  {...bind}
                  path={`assets[${i}].estimatedValue.amount`}
                  label={t('form.amount')}
                  hint={t('form.amountHint')}
                />
                <Text
                  {...bind}
                  path={`assets[${i}].estimatedValue.currency`}
                  label={t('form.currency')}
                  hint={t('form.currencyHint')}
                />
              </>
            )}
          </Items>
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
              {...bind}
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
          <Text {...bind} path="factsSummary" label={t('form.factsSummary')} rows={5} required />
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

interface Binding {
  form: RequestForm;
  update: (change: (draft: RequestForm) => void) => void;
  err: (path: string) => string | undefined;
}

/** The value, change handler and API error of the form's field at an API path. */
function bound({ form, update, err }: Binding, path: string) {
  const keys = formPath(path);
  return {
    path,
    error: err(path),
    value: String(getAt(form, keys) ?? ''),
    onChange: (v: string) => update((f) => setAt(f, keys, v)),
  };
}

/**
 * A text input (a textarea given `rows`) bound to a dotted path of the form (which is also the
 * API's field name).
 */
function Text({
  type = 'text',
  ...p
}: Binding & {
  path: string;
  label: string;
  hint?: string;
  type?: string;
  rows?: number;
  required?: boolean;
}): ReactNode {
  return (
    <TextField
      {...bound(p, p.path)}
      label={p.label}
      hint={p.hint}
      type={type}
      rows={p.rows}
      required={p.required}
    />
  );
}

/** A select bound to a dotted path of the form. */
function Choice(
  p: Binding & {
    path: string;
    label: string;
    hint?: string;
    options: readonly string[];
    optionLabel: (option: string) => string;
  },
): ReactNode {
  return (
    <SelectField
      {...bound(p, p.path)}
      label={p.label}
      hint={p.hint}
      options={p.options}
      optionLabel={p.optionLabel}
    />
  );
}

/**
 * The offences, the assets or the identity documents: each item in its own fieldset, ending with
 * its description (unless `described` is false) and, while there are more than `min`, a button
 * that removes it; then a button that adds one.
 */
function Items<T>({
  bind,
  name,
  list,
  empty,
  min = 1,
  described = true,
  legend,
  removeLabel,
  addLabel,
  itemTag,
  footer,
  children,
}: {
  bind: Binding;
  name: string;
  list: (form: RequestForm) => T[];
  empty: () => T;
  /** How many items the API requires: no remove button at that count. */
  min?: number;
  described?: boolean;
  legend: (n: number) => string;
  removeLabel: (n: number) => string;
  addLabel: string;
  /** An attribute that marks each item's fieldset with its index. */
  itemTag?: `data-${string}`;
  footer?: ReactNode;
  children: (item: T, i: number) => ReactNode;
}) {
  const { t } = useTranslation();
  const { update } = bind;
  const items = list(bind.form);
  return (
    <>
      {items.map((item, i) => (
        <fieldset key={i} className="item" {...(itemTag ? { [itemTag]: i } : {})}>
          <legend>{legend(i + 1)}</legend>
          <div className="grid">{children(item, i)}</div>
          {described ? (
            <Text
              {...bind}
              path={`${name}[${i}].description`}
              label={t('form.description')}
              rows={2}
              required
            />
          ) : null}
          {items.length > min ? (
            <button
              type="button"
              className="secondary"
              onClick={() => update((f) => list(f).splice(i, 1))}
            >
              {removeLabel(i + 1)}
            </button>
          ) : null}
        </fieldset>
      ))}
      {footer}
      <button
        type="button"
        className="secondary"
        onClick={() => update((f) => list(f).push(empty()))}
      >
        {addLabel}
      </button>
    </>
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
