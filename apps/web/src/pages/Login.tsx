import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../auth';
import { ApiError } from '../api';

export function LoginPage() {
  const { t } = useTranslation();
  const { signIn } = useAuth();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(username.trim(), password);
    } catch (err) {
      const status = err instanceof ApiError ? err.status : 0;
      setError(
        status === 401 || status === 400
          ? t('login.failed')
          : status === 429
            ? t('login.rateLimited')
            : t('errors.network'),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="login card" aria-labelledby="login-title">
      <h1 id="login-title">{t('login.title')}</h1>
      <p>{t('login.intro')}</p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Credential
          name="username"
          label={t('login.username')}
          autoComplete="username"
          value={username}
          onChange={setUsername}
        />
        <Credential
          name="password"
          label={t('login.password')}
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={setPassword}
        />
        <div aria-live="assertive">
          {error ? (
            <p className="field-error" role="alert">
              {error}
            </p>
          ) : null}
        </div>
        <button type="submit" disabled={busy}>
          {t('login.submit')}
        </button>
      </form>
      <p className="hint">{t('login.demo')}</p>
    </section>
  );
}

/** A sign-in input: its name is also its id, the label's target. */
function Credential({
  name,
  label,
  type,
  autoComplete,
  value,
  onChange,
}: {
  name: string;
  label: string;
  type?: string;
  autoComplete: string;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <div className="field">
      <label htmlFor={name}>{label}</label>
      <input
        id={name}
        name={name}
        type={type}
        autoComplete={autoComplete}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        required
      />
    </div>
  );
}
