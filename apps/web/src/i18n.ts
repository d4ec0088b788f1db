// Languages come from the JSON files in ./locales alone: add es.json or ar.json (with its
// meta.name and meta.dir) and it appears in the switcher, right-to-left included.
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';

interface LocaleFile {
  meta: { name: string; dir: 'ltr' | 'rtl' };
  [key: string]: unknown;
}

const files = import.meta.glob<LocaleFile>('./locales/*.json', { eager: true, import: 'default' });

export const LOCALES = Object.entries(files)
  .map(([path, data]) => ({
    code: path.replace(/^.*\/(.+)\.json$/, '$1'),
    name: data.meta.name,
    dir: data.meta.dir,
  }))
  .sort((a, b) => a.code.localeCompare(b.code));

const STORAGE_KEY = 'silvertrace.lang';

function initialLanguage(): string {
  const codes = LOCALES.map((l) => l.code);
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored && codes.includes(stored)) return stored;
  const browser = navigator.languages.map((l) => l.slice(0, 2)).find((l) => codes.includes(l));
  return browser ?? 'en';
}

/** <html lang dir> follow the language, so screen readers and the layout flip with it. */
function applyDocumentLanguage(code: string): void {
  const locale = LOCALES.find((l) => l.code === code);
  document.documentElement.lang = code;
  document.documentElement.dir = locale?.dir ?? 'ltr';
}

void i18n.use(initReactI18next).init({
  resources: Object.fromEntries(
    LOCALES.map((l) => [l.code, { translation: files[`./locales/${l.code}.json`] }]),
  ),
  lng: initialLanguage(),
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
  returnNull: false,
});
applyDocumentLanguage(i18n.language);
i18n.on('languageChanged', (code) => {
  localStorage.setItem(STORAGE_KEY, code);
  applyDocumentLanguage(code);
});

export default i18n;
