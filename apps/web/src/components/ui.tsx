import { useCallback, useEffect, useId, useState } from 'react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api';

/** A stable DOM id for an API field path (`assets[0].identifiers.iban`). */
export const fieldId = (path: string): string => `f-${path.replace(/[^\w-]/g, '_')}`;

interface FieldProps {
  /** The API's name for the field: its errors are shown here. */
  path: string;
  label: string;
  error?: string;
  hint?: string;
  required?: boolean;
  children: (props: {
    id: string;
    'aria-invalid': boolean;
    'aria-describedby'?: string;
    required?: boolean;
  }) => ReactNode;
}

/** A label bound to its control, with the hint and the API's message for the field under it. */
export function Field({ path, label, error, hint, required, children }: FieldProps) {
  const id = fieldId(path);
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>
        {label}
        {required ? <span aria-hidden="true"> *</span> : null}
      </label>
      {children({
        id,
        'aria-invalid': !!error,
        'aria-describedby': described || undefined,
        required,
      })}
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={`${id}-error`} data-field={path}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

type FieldFrame = Omit<FieldProps, 'children'>;

/** A Field holding a text input, or a textarea when given `rows`. */
export function TextField({
  value,
  onChange,
  rows,
  type,
  step,
  ...field
}: FieldFrame & {
  value: string;
  onChange: (value: string) => void;
  rows?: number;
  type?: string;
  step?: string;
}) {
  return (
    <Field {...field}>
      {(p) =>
        rows ? (
          <textarea {...p} rows={rows} value={value} onChange={(e) => onChange(e.target.value)} />
        ) : (
          <input
            {...p}
            type={type}
            step={step}
            value={value}
            onChange={(e) => onChange(e.target.value)}
          />
        )
      }
    </Field>
  );
}

/** A Field holding a select of `options`, each shown as `optionLabel` says. */
export function SelectField({
  value,
  onChange,
  options,
  optionLabel,
  ...field
}: FieldFrame & {
  value: string;
  onChange: (value: string) => void;
  options: readonly string[];
  optionLabel: (option: string) => string;
}) {
  return (
    <Field {...field}>
      {(p) => (
        <select {...p} value={value} onChange={(e) => onChange(e.target.value)}>
          {options.map((o) => (
            <option key={o} value={o}>
              {optionLabel(o)}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** A table's column headings. */
export function TableHead({ columns }: { columns: ReactNode[] }) {
  return (
    <thead>
      <tr>
        {columns.map((c, i) => (
          <th key={i} scope="col">
            {c}
          </th>
        ))}
      </tr>
    </thead>
  );
}

/** An API refusal in words: title, detail and every field it names, announced to screen readers. */
export function ProblemMessage({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  const problem =
    error instanceof ApiError
      ? error.problem
      : { status: 0, title: error instanceof Error ? error.message : String(error) };
  const title =
    problem.status === 0
      ? t('errors.network')
      : problem.status === 403
        ? t('errors.forbidden')
        : problem.status === 404
          ? t('errors.notFound')
          : problem.status === 409
            ? t('errors.conflict')
            : t('errors.failed', { status: problem.status });
  return (
    <div className="problem" role="alert">
      <p className="problem-title">{title}</p>
      {problem.detail || problem.title ? (
        <p className="problem-detail">{problem.detail ?? problem.title}</p>
      ) : null}
      {problem.errors?.length ? (
        <ul>
          {problem.errors.map((e) => (
            <li key={`${e.field}:${e.message}`}>
              {e.field ? (
                <a href={`#${fieldId(e.field)}`}>
                  <code>{e.field}</code>
                </a>
              ) : null}{' '}
              {e.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export interface Loaded<T> {
  data?: T;
  error?: unknown;
  loading: boolean;
  reload: () => void;
}

/** Loads once per change of `deps`, and again on reload(). */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({
    loading: true,
  });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, loading: false }),
      (error: unknown) => live && setState({ error, loading: false }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { ...state, reload };
}

export function Loading() {
  const { t } = useTranslation();
  return (
    <p className="loading" role="status">
      {t('common.loading')}
    </p>
  );
}

export function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <span className={`badge badge-${status.toLowerCase()}`} data-status={status}>
      {t(`status.${status}`, { defaultValue: status })}
    </span>
  );
}

/** Dates as the reader's language writes them (times in UTC would confuse: local with zone). */
export function useFormat() {
  const { i18n } = useTranslation();
  return {
    dateTime: (iso?: string | null) =>
      iso
        ? new Intl.DateTimeFormat(i18n.language, {
            dateStyle: 'medium',
            timeStyle: 'short',
          }).format(new Date(iso))
        : '—',
    date: (iso?: string | null) =>
      iso
        ? new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium' }).format(new Date(iso))
        : '—',
    money: (amount: string | number, currency: string) => {
      try {
        return new Intl.NumberFormat(i18n.language, { style: 'currency', currency }).format(
          Number(amount),
        );
      } catch {
        return `${amount} ${currency}`;
      }
    },
    number: (n: number) => new Intl.NumberFormat(i18n.language).format(n),
  };
}

/** A disclosure that keeps its panel in the tab order only when open. */
export function Disclosure({
  label,
  children,
  open,
  onToggle,
}: {
  label: string;
  children: ReactNode;
  open: boolean;
  onToggle: (open: boolean) => void;
}) {
  const id = useId();
  return (
    <div className="disclosure">
      <button
        type="button"
        className="secondary"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => onToggle(!open)}
      >
        {label}
      </button>
      {open ? (
        <div id={id} className="disclosure-panel">
          {children}
        </div>
      ) : null}
    </div>
  );
}
