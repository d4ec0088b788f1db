import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, NavLink, Route, Routes, useLocation } from 'react-router-dom';
import {
  ACTION_ROLES,
  AUDIT_ROLES,
  CASE_READ_ROLES,
  WORK_QUEUE_ROLES,
} from '../../../libs/domain/src/rules';
import { AuthProvider, useAuth } from './auth';
import { LOCALES } from './i18n';
import { AuditPage } from './pages/Audit';
import { AuditRequestPage } from './pages/AuditRequest';
import { DashboardPage } from './pages/Dashboard';
import { LoginPage } from './pages/Login';
import { RequestFormPage } from './pages/RequestForm';
import { RequestListPage } from './pages/RequestList';
import { RequestPage } from './pages/RequestPage';
import { WorkQueuePage } from './pages/WorkQueue';

export function App() {
  return (
    <AuthProvider>
      <BrowserRouter>
        <Suspense fallback={null}>
          <Shell />
        </Suspense>
      </BrowserRouter>
    </AuthProvider>
  );
}

function LanguageSwitcher() {
  const { t, i18n } = useTranslation();
  return (
    <div className="language">
      <label htmlFor="language-select">{t('nav.language')}</label>
      <select
        id="language-select"
        value={i18n.language}
        onChange={(e) => void i18n.changeLanguage(e.target.value)}
      >
        {LOCALES.map((l) => (
          <option key={l.code} value={l.code} lang={l.code}>
            {l.name}
          </option>
        ))}
      </select>
    </div>
  );
}

function Shell() {
  const { t } = useTranslation();
  const { user, signOut, is } = useAuth();
  const location = useLocation();
  return (
    <>
      <a className="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <header className="app-header">
        <div className="brand">
          <span aria-hidden="true">◆</span> SilverTrace
        </div>
        {user ? (
          <nav aria-label={t('nav.main')}>
            <ul>
              {is(...WORK_QUEUE_ROLES) ? (
                <li>
                  <NavLink to="/" end>
                    {t('nav.workQueue')}
                  </NavLink>
                </li>
              ) : null}
              {is(...CASE_READ_ROLES) ? (
                <li>
                  <NavLink to="/requests" end>
                    {t('nav.requests')}
                  </NavLink>
                </li>
              ) : null}
              {is(...ACTION_ROLES.create) ? (
                <li>
                  <NavLink to="/requests/new">{t('nav.newRequest')}</NavLink>
                </li>
              ) : null}
              {is(...CASE_READ_ROLES) ? (
                <li>
                  <NavLink to="/dashboard">{t('nav.dashboard')}</NavLink>
                </li>
              ) : null}
              {is(...AUDIT_ROLES) ? (
                <li>
                  <NavLink to="/audit">{t('nav.audit')}</NavLink>
                </li>
              ) : null}
            </ul>
          </nav>
        ) : null}
        <div className="header-tools">
          <LanguageSwitcher />
          {user ? (
            <div className="who">
              <span data-testid="signed-in-as">
                {t('nav.signedInAs', {
                  user: user.username,
                  roles: user.roles.map((r) => t(`roles.${r}`, { defaultValue: r })).join(', '),
                  country: user.country,
                })}
              </span>
              <button type="button" className="secondary" onClick={() => void signOut()}>
                {t('nav.signOut')}
              </button>
            </div>
          ) : null}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {user ? (
          <Routes>
            <Route
              path="/"
              element={
                is(...AUDIT_ROLES) && !is(...WORK_QUEUE_ROLES) ? (
                  <Navigate to="/audit" replace />
                ) : (
                  <WorkQueuePage />
                )
              }
            />
            <Route path="/requests" element={<RequestListPage />} />
            <Route path="/requests/new" element={<RequestFormPage />} />
            <Route path="/requests/:id/edit" element={<RequestFormPage />} />
            <Route path="/requests/:id" element={<RequestPage />} />
            <Route path="/dashboard" element={<DashboardPage />} />
            <Route path="/audit" element={<AuditPage />} />
            <Route path="/audit/requests/:id" element={<AuditRequestPage />} />
            <Route path="*" element={<p>{t('errors.noSuchPage')}</p>} />
          </Routes>
        ) : (
          <LoginPage key={location.pathname} />
        )}
      </main>
    </>
  );
}
