// The web application's languages are its locale files alone (apps/web/src/locales/*.json): each
// must name itself and its direction, and translate every key English has, no more, no less.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const DIR = join(__dirname, '../../apps/web/src/locales');
type Tree = { [key: string]: string | Tree };

function keys(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) =>
    typeof v === 'string' ? [`${prefix}${k}`] : keys(v, `${prefix}${k}.`),
  );
}

const valueAt = (tree: Tree, key: string): string =>
  key.split('.').reduce<Tree | string>((t, k) => (t as Tree)[k], tree) as string;

/** i18next plural forms (_one, _other...) count as one key: languages have different sets. */
const base = (key: string) => key.replace(/_(zero|one|two|few|many|other)$/, '');
const load = (file: string) => JSON.parse(readFileSync(join(DIR, file), 'utf8')) as Tree;

describe('web application locales', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));
  const english = new Set(keys(load('en.json')).map(base));

  it('has English and French at least', () => {
    expect(files).toEqual(expect.arrayContaining(['en.json', 'fr.json']));
  });

  it.each(files)('%s names its language and direction, and translates every key', (file) => {
    const tree = load(file);
    const meta = tree.meta as Tree;
    expect(typeof meta.name).toBe('string');
    expect(['ltr', 'rtl']).toContain(meta.dir);
    const own = new Set(keys(tree).map(base));
    expect([...english].filter((k) => !own.has(k))).toEqual([]);
    expect([...own].filter((k) => !english.has(k))).toEqual([]);
    expect(keys(tree).filter((k) => valueAt(tree, k).trim() === '')).toEqual([]);
  });
});
