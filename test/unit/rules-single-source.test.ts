// Rules are declared once, in libs/domain (rules.ts, enums.ts): a status set or a role list written
// anywhere else is a copy that will drift (as the web app's Extend button once did for OVERDUE
// tracks). This test reads every TypeScript source of apps/, workflows/ and libs/ (libs/domain
// excepted) and fails on a list of two or more status or role names: an array literal, the
// arguments of one call (`is('investigator', 'supervisor')`), a chain of conditions
// (`s === 'PUBLISHED' || s === 'COMPLETED'`), or an SQL `IN ('A', 'B')` list.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import * as ts from 'typescript';
import {
  ACTION_ROLES,
  ASSET_STATUSES,
  AUDIT_ROLES,
  CASE_READ_ROLES,
  JURISDICTION_STATUSES,
  REQUEST_STATUSES,
  ROLES,
  Role,
} from '../../libs/domain/src/lifecycle-index';
import { POLICY } from '../../apps/api/src/auth/policy';

const ROOT = resolve(__dirname, '../..');
const NAMES = new Set<string>([
  ...REQUEST_STATUSES,
  ...JURISDICTION_STATUSES,
  ...ASSET_STATUSES,
  ...ROLES,
]);
/** Enum members written as RequestStatus.PUBLISHED, Role.AUDITOR... count as their names. */
const MEMBER_NAMES = new Set<string>([
  ...REQUEST_STATUSES,
  ...JURISDICTION_STATUSES,
  ...ASSET_STATUSES,
  ...Object.keys(Role),
]);
const SQL_LIST = /'([A-Za-z_]+)'\s*,\s*'([A-Za-z_]+)'/;

function sources(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) sources(path, out);
    else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

const isName = (node: ts.Node): boolean =>
  ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) &&
    NAMES.has(node.text)) ||
  (ts.isPropertyAccessExpression(node) && MEMBER_NAMES.has(node.name.text));

/** `x === 'NAME'`, `'NAME' === x` or `x.includes('NAME')`: one test against a known name. */
function testsName(node: ts.Node): boolean {
  if (ts.isParenthesizedExpression(node)) return testsName(node.expression);
  if (
    ts.isBinaryExpression(node) &&
    (node.operatorToken.kind === ts.SyntaxKind.EqualsEqualsEqualsToken ||
      node.operatorToken.kind === ts.SyntaxKind.ExclamationEqualsEqualsToken)
  ) {
    return isName(node.left) || isName(node.right);
  }
  return (
    ts.isCallExpression(node) &&
    ts.isPropertyAccessExpression(node.expression) &&
    node.expression.name.text === 'includes' &&
    node.arguments.length === 1 &&
    isName(node.arguments[0])
  );
}

/** The operands of a chain of one logical operator: a || b || c -> [a, b, c]. */
function chain(node: ts.Expression, op: ts.SyntaxKind): ts.Expression[] {
  const inner = ts.isParenthesizedExpression(node) ? node.expression : node;
  return ts.isBinaryExpression(inner) && inner.operatorToken.kind === op
    ? [...chain(inner.left, op), ...chain(inner.right, op)]
    : [node];
}

const LOGICAL = [ts.SyntaxKind.BarBarToken, ts.SyntaxKind.AmpersandAmpersandToken];

/** "file:line: text" for every list of two or more status or role names in this source. */
export function copiedLists(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const report = (node: ts.Node) => {
    const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
    found.push(`${file}:${line}: ${node.getText().replace(/\s+/g, ' ').slice(0, 100)}`);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isArrayLiteralExpression(node) && node.elements.filter(isName).length >= 2) {
      report(node);
    } else if (
      ts.isBinaryExpression(node) &&
      LOGICAL.includes(node.operatorToken.kind) &&
      !(
        ts.isBinaryExpression(node.parent) &&
        node.parent.operatorToken.kind === node.operatorToken.kind
      ) &&
      chain(node, node.operatorToken.kind).filter(testsName).length >= 2
    ) {
      // A list written as a condition: s === 'PUBLISHED' || s === 'COMPLETED'.
      report(node);
    } else if (ts.isCallExpression(node) && node.arguments.filter(isName).length >= 2) {
      report(node);
    } else if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node)
    ) {
      const m = SQL_LIST.exec(node.text);
      if (m && NAMES.has(m[1]) && NAMES.has(m[2])) report(node);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('rules are declared once, in libs/domain', () => {
  const files = [
    ...sources(join(ROOT, 'apps')),
    ...sources(join(ROOT, 'workflows')),
    ...sources(join(ROOT, 'libs')).filter((f) => !f.startsWith(join(ROOT, 'libs/domain/'))),
  ];

  test('the scan covers the API, the worker, the web app and the workflows', () => {
    for (const f of [
      'apps/api/src/auth/policy.ts',
      'apps/web/src/pages/RequestPage.tsx',
      'apps/worker/src/main.ts',
      'workflows/trace-request.workflow.ts',
    ]) {
      expect(files).toContain(join(ROOT, f));
    }
  });

  test('no status set or role list is written outside libs/domain', () => {
    const copies = files.flatMap((f) => copiedLists(relative(ROOT, f), readFileSync(f, 'utf8')));
    expect(copies).toEqual([]);
  });

  test.each([
    ["const OPEN = ['AWAITING', 'ACKNOWLEDGED', 'PARTIAL'];"],
    ["const home = ['investigator', 'supervisor'].includes(role);"],
    ['const S = [RequestStatus.PUBLISHED, RequestStatus.COMPLETED];'],
    ["if (is('investigator', 'ncb_officer')) go();"],
    ["db.query(`SELECT 1 WHERE status IN ('ANSWERED', 'DECLINED')`);"],
    ["const running = r.status === 'PUBLISHED' || r.status === 'COMPLETED';"],
    ["if (ok && (roles.includes('investigator') || roles.includes('ncb_officer'))) go();"],
  ])('the scan finds a copied list: %s', (text) => {
    expect(copiedLists('sample.ts', text)).toHaveLength(1);
  });

  test.each([
    ["const one = ['investigator'];"],
    ["if (is('auditor')) go();"],
    ["const words = ['draft', 'notice'];"],
    ["const late = s === 'OVERDUE' || Date.parse(d) < now;"],
  ])('and leaves single names and other words alone: %s', (text) => {
    expect(copiedLists('sample.ts', text)).toEqual([]);
  });
});

describe('the API policy reads the domain declarations', () => {
  // The same arrays, not equal copies: a change in rules.ts changes the route and decide at once.
  test.each([
    ['trace-requests.create', ACTION_ROLES.create],
    ['trace-requests.edit', ACTION_ROLES.edit],
    ['trace-requests.submit', ACTION_ROLES.submit],
    ['trace-requests.review', ACTION_ROLES.review],
    ['trace-requests.interpol-submission', ACTION_ROLES['interpol-submission']],
    ['trace-requests.query-answers', ACTION_ROLES['query-answers']],
    ['trace-requests.withdraw', ACTION_ROLES.withdraw],
    ['trace-requests.close', ACTION_ROLES.close],
    ['jurisdictions.respond', ACTION_ROLES.respond],
    ['jurisdictions.extend', ACTION_ROLES.extend],
    ['assets.move', ACTION_ROLES['asset-move']],
    ['trace-requests.get', CASE_READ_ROLES],
    ['jurisdictions.list', CASE_READ_ROLES],
    ['audit.replay', AUDIT_ROLES],
  ] as const)('%s', (action, roles) => {
    expect(POLICY[action]).toBe(roles);
  });
});
