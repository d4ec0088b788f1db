// The whole journey through the web application, in a real browser (Debian's chromium driven by
// playwright-core), against the real stack: API serving the app, worker, INTERPOL simulator,
// PostgreSQL and Temporal. Every role works in its own browser context, as its own person:
// the investigator drafts (an API validation error shows next to its field), meets an edit
// conflict and keeps their input, submits; a supervisor's second approval is refused on screen
// (four-eyes, two approvals required); another supervisor approves; the NCB officer submits to
// INTERPOL; the simulator publishes; Belgium's liaison records assets found, the Netherlands
// answer through the simulator; an asset is moved; the NCB closes. Screenshots of the main pages
// go to test-results/screenshots/. Countries: PL requests, BE and NL are targeted.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { startSim, type SimHandle } from '../../apps/interpol-sim/src';
import { contentOf } from '../../apps/web/src/pages/request-content';
import { loadConfig } from '../../libs/config/src';
import { dataSourceOptions } from '../../libs/persistence/src/data-source';
import { makeAccount, type Account } from '../support/accounts';
import { ensureWebBundle, launchChromium } from '../support/browser';
import { http, startSystem, type RunningSystem } from '../support/e2e';
import { simJson } from '../support/journey-http';

const HOME = 'PL';
const SHOTS = resolve(__dirname, '../../test-results/screenshots');
const ENV_KEYS = ['INTERPOL_GATEWAY_URL', 'QUOTA_PER_YEAR', 'REVIEW_APPROVALS'] as const;
const LAPTOP = { width: 1366, height: 900 };
const TABLET = { width: 820, height: 1180 };
const WAIT_MS = 60_000;

describe('web application: the journey across roles in a browser', () => {
  let sys: RunningSystem;
  let sim: SimHandle;
  let db: DataSource;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const saved: Record<string, string | undefined> = {};
  const users: Record<string, Account> = {};

  beforeAll(async () => {
    // Fails (never skips) with the install command when chromium is missing.
    browser = await launchChromium();
    ensureWebBundle();
    mkdirSync(SHOTS, { recursive: true });
    for (const k of ENV_KEYS) saved[k] = process.env[k];
    process.env.QUOTA_PER_YEAR = '9';
    // Two approvals, so a supervisor's second approval meets the four-eyes rule.
    process.env.REVIEW_APPROVALS = '2';
    sys = await startSystem({ worker: false });
    sim = await startSim({
      port: 0,
      apiUrl: sys.baseUrl,
      secret: loadConfig().gateway.secret,
      decisionDelayMs: 50,
      responseDelayMs: 50,
      delivery: { baseDelayMs: 50, maxDelayMs: 500, maxAttempts: 20 },
      logger: false,
    });
    process.env.INTERPOL_GATEWAY_URL = sim.url;
    await sys.startWorker();
    db = await new DataSource(dataSourceOptions(process.env.DATABASE_URL!, 2)).initialize();
    for (const [key, roles, country] of [
      ['inv', ['investigator'], HOME],
      ['sup1', ['supervisor'], HOME],
      ['sup2', ['supervisor'], HOME],
      ['ncb', ['ncb_officer'], HOME],
      ['auditor', ['auditor'], HOME],
      ['liaisonBe', ['foreign_liaison'], 'BE'],
    ] as const) {
      users[key] = await makeAccount(
        db,
        sys.baseUrl,
        [...roles],
        country,
        `ui${key.toLowerCase()}`,
      );
    }
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await sim?.close();
    await sys?.close();
    await db?.destroy();
    for (const k of ENV_KEYS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });

  /** A new browser context (its own session) signed in through the login page. */
  async function signIn(who: string, viewport = LAPTOP): Promise<Page> {
    const context = await browser.newContext({ viewport, locale: 'en-GB' });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`${sys.baseUrl}/`);
    await page.getByLabel('Username').fill(users[who].username);
    await page.getByLabel('Password').fill(users[who].password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('signed-in-as').waitFor();
    return page;
  }

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

  /** Polls the request page (its Refresh button) until it shows `status`; bounded. */
  async function waitForStatus(page: Page, status: string): Promise<void> {
    const deadline = Date.now() + WAIT_MS;
    const selector = `article[data-status="${status}"]`;
    for (;;) {
      if (await page.locator(selector).count()) return;
      if (Date.now() > deadline) {
        const now = await page.locator('article[data-status]').getAttribute('data-status');
        await shot(page, `failed-waiting-for-${status}`);
        throw new Error(`timed out waiting for ${status} on ${page.url()} (it shows ${now})`);
      }
      await page.getByRole('button', { name: 'Refresh' }).first().click();
      await page
        .locator(selector)
        .waitFor({ timeout: 500 })
        .catch(() => undefined);
    }
  }

  const alertText = (page: Page) => page.getByRole('alert').first().innerText();

  it('drafts, reviews, publishes, answers, follows up and closes a request', async () => {
    // --- 1. The investigator drafts: the API's validation message shows next to the IBAN.
    const inv = await signIn('inv');
    await inv.getByRole('link', { name: 'New request' }).click();
    await inv.getByRole('heading', { name: 'Draft a trace request' }).waitFor();
    await inv.getByLabel('Case reference').fill('CAS-PL-UI-0001');
    await inv.getByLabel('Requesting agency').fill('Central Anti-Corruption Bureau');
    await inv.getByLabel('Family name').fill('Kowalczyk');
    await inv.getByLabel('Given names').fill('Marek Jan');
    await inv.getByLabel('Date of birth').fill('1968-05-02');
    await inv.getByLabel('Nationalities').fill('PL');
    await inv.getByRole('button', { name: 'Add an identity document' }).click();
    await inv.getByLabel('Document type').selectOption('passport');
    await inv.getByLabel('Document number').fill('ZS1234567');
    await inv.getByLabel('Issuing country').fill('POL');
    await inv.getByLabel('Category').selectOption('money_laundering');
    await inv.getByLabel('Legal provision').fill('Criminal Code art. 299');
    await inv
      .locator('#f-offences_0__description')
      .fill('Laundering of bribes through Belgian and Dutch companies');
    await inv.getByLabel(/^Reference/).fill('VII K 123/26');
    await inv.getByLabel('IBAN').fill('PL61 1090 BAD');
    await inv.locator('#f-assets_0__description').fill('Business account of a shell company');
    await inv.getByLabel('Estimated value').fill('480000.00');
    await inv.getByLabel(/^Currency/).fill('EUR');
    await inv.getByLabel(/^Target countries/).fill('BE, NL');
    await inv
      .getByLabel('Summary of the facts')
      .fill(
        'Bribes paid for public contracts were moved to companies in Belgium and the Netherlands.',
      );
    await inv.getByRole('button', { name: 'Save draft' }).click();

    const ibanError = inv.locator('#f-assets_0__identifiers_iban-error');
    await ibanError.waitFor();
    expect(await ibanError.innerText()).toMatch(/IBAN/);
    expect(await inv.getByLabel('IBAN').getAttribute('aria-invalid')).toBe('true');
    // Every bad field at once: the identity document's country is named next to it too.
    const countryError = inv.locator('#f-subject_identityDocuments_0__issuingCountry-error');
    expect(await countryError.innerText()).toMatch(/issuingCountry|country/i);
    await shot(inv, '01-draft-validation-error');

    await inv.getByLabel('IBAN').fill('PL61109010140000071219812874');
    await inv.getByLabel('Issuing country').fill('PL');
    await inv.getByRole('button', { name: 'Save draft' }).click();
    await inv.waitForURL(/\/requests\/[0-9a-f-]{36}\/edit$/);
    await inv.getByText(/version 1\./).waitFor();
    const id = /\/requests\/([0-9a-f-]{36})\/edit$/.exec(inv.url())![1];
    expect(await ibanError.count()).toBe(0);

    // --- 2. An edit conflict: the draft changes elsewhere; the form keeps the user's input.
    const token = users.inv.token;
    const current = await http(sys.baseUrl, 'GET', `/api/v1/trace-requests/${id}`, { token });
    const { reference } = current.body as { reference: string };
    const elsewhere = await http(sys.baseUrl, 'PATCH', `/api/v1/trace-requests/${id}`, {
      token,
      headers: { 'if-match': '"1"' },
      body: {
        ...contentOf(current.body as Record<string, unknown>),
        factsSummary: 'Edited in another window: the bribes were paid between 2019 and 2024.',
      },
    });
    expect(elsewhere.status).toBe(200);
    await inv.getByLabel('Case reference').fill('CAS-PL-UI-0001-B');
    await inv.getByRole('button', { name: 'Save draft' }).click();
    const conflict = inv.getByTestId('conflict');
    await conflict.waitFor();
    expect(await conflict.innerText()).toMatch(/version 1.*version 2/s);
    await inv.getByRole('button', { name: 'Compare my input with the new version' }).click();
    await conflict.getByRole('row', { name: /caseReference/ }).waitFor();
    await conflict.getByRole('row', { name: /factsSummary/ }).waitFor();
    expect(await inv.getByLabel('Case reference').inputValue()).toBe('CAS-PL-UI-0001-B');
    await shot(inv, '02-edit-conflict');
    await inv.getByRole('button', { name: 'Save my changes over the new version' }).click();
    await inv.getByText(/version 3\./).waitFor();
    expect(await conflict.count()).toBe(0);

    // The simulator's plan: the GS publishes; NL finds assets; BE's liaison answers in the app.
    await simJson(sim.url, 'PUT', `/control/requests/${reference}`, {
      gsDecision: 'publish',
      countries: { NL: 'found', BE: 'silent' },
    });

    // --- 3. Submitted for review from the request page.
    await inv.getByRole('link', { name: 'Back to the request' }).click();
    await inv.locator('article[data-status="DRAFT"]').waitFor();
    expect(await inv.locator('#summary-title').locator('..').innerText()).toMatch(
      /Identity documents\s+Passport ZS1234567 \(PL\)/,
    );
    await inv.locator('[data-action="submit"]').click();
    await inv.getByRole('button', { name: 'Submit for national review' }).click();
    await waitForStatus(inv, 'IN_REVIEW');
    await shot(inv, '03-request-in-review');

    // --- 4. Four-eyes: a supervisor's second approval (from a second window) is refused.
    const sup1a = await signIn('sup1');
    await sup1a.getByRole('heading', { name: 'Awaiting my review' }).waitFor();
    await sup1a.getByRole('link', { name: reference }).click();
    const sup1b = await signIn('sup1');
    await sup1b.goto(`${sys.baseUrl}/requests/${id}`);
    for (const page of [sup1a, sup1b]) {
      await page.locator('[data-action="review"]').click();
      await page.getByLabel('Approve').check();
    }
    await sup1a.getByRole('button', { name: 'Send the decision' }).click();
    await sup1a.locator('article[data-status="IN_REVIEW"] [data-action="review"]').waitFor({
      state: 'detached',
    });
    await sup1b.getByRole('button', { name: 'Send the decision' }).click();
    const refusal = await sup1b.getByRole('alert').first();
    await refusal.waitFor();
    expect(await alertText(sup1b)).toMatch(/Refused/);
    expect(await alertText(sup1b)).toMatch(/four-eyes/);
    await shot(sup1b, '04-four-eyes-refusal');

    // --- 5. Another supervisor approves.
    const sup2 = await signIn('sup2');
    await sup2.goto(`${sys.baseUrl}/requests/${id}`);
    await sup2.locator('[data-action="review"]').click();
    await sup2.getByLabel('Approve').check();
    await sup2.getByRole('textbox', { name: 'Comment' }).fill('Legal basis and targets checked.');
    await sup2.getByRole('button', { name: 'Send the decision' }).click();
    await waitForStatus(sup2, 'APPROVED');

    // --- 6. The NCB officer submits to INTERPOL with the attestation; the simulator publishes.
    const ncb = await signIn('ncb');
    await ncb.getByRole('heading', { name: 'Ready for INTERPOL' }).waitFor();
    await ncb.getByRole('link', { name: reference }).click();
    await ncb.locator('[data-action="interpol-submission"]').click();
    await ncb.getByLabel(/Article 3 neutrality/).check();
    await ncb.getByLabel(/quality of the data/).check();
    await ncb.getByRole('button', { name: 'Submit to INTERPOL' }).last().click();
    await waitForStatus(ncb, 'PUBLISHED');

    // --- 6b. The NCB suspends it (the countries' deadlines pause), sees why and until when, and
    // lifts the suspension: the buttons follow allowedActions.
    await ncb.locator('[data-action="suspend"]').click();
    const suspendForm = ncb.getByRole('form', { name: 'Suspend' });
    await suspendForm.getByLabel(/^Reason/).fill('Awaiting the confirmation of the warrant');
    await suspendForm.getByLabel(/^For/).selectOption('P1M');
    await ncb.getByRole('button', { name: 'Suspend the request' }).click();
    const notice = ncb.getByTestId('suspension');
    await notice.getByText(/Suspended by the NCB since .*, until /).waitFor();
    await notice.getByText('Awaiting the confirmation of the warrant').waitFor();
    await ncb.locator('[data-action="resume"]').click();
    await ncb.getByRole('button', { name: 'Resume the request' }).click();
    await notice.waitFor({ state: 'detached' });
    expect(await ncb.locator('[data-action="resume"]').count()).toBe(0);

    // --- 7. Belgium's liaison sees the request sent to BE and records assets found.
    const be = await signIn('liaisonBe', TABLET);
    await be.getByRole('heading', { name: 'Requests sent to my country' }).waitFor();
    await shot(be, '05-liaison-work-queue-tablet');
    await be.getByRole('link', { name: reference }).click();
    await be.getByRole('button', { name: 'Record a response for BE' }).click();
    await be.getByLabel('Outcome').selectOption('assets_found');
    await be.getByLabel('Their reference').fill('BE-FIU-2026-0042');
    await be.getByLabel(/^Type/).selectOption('vehicle');
    await be.getByLabel('Asset found').fill('Porsche Cayenne registered to a Brussels company');
    await be.getByLabel('VIN').fill('WP1ZZZ9YZLDA12345');
    await be.getByLabel('Holder').fill('Marek Kowalczyk');
    await be.getByLabel('Estimated value').fill('95000.00');
    await be.getByLabel('Currency').fill('EUR');
    // Handling conditions: H3 asks for its restriction; BE settles on H1, graded B2.
    await be.getByLabel('Handling code').selectOption('H3');
    await be.getByLabel('Restriction stated by the source (H3)').waitFor();
    await be.getByLabel('Handling code').selectOption('H1');
    expect(await be.getByLabel('Restriction stated by the source (H3)').count()).toBe(0);
    await be.getByLabel('Source reliability').selectOption('B');
    await be.getByLabel('Information accuracy').selectOption('2');
    await be.getByRole('button', { name: 'Record the response' }).click();
    await be.locator('tr[data-country="BE"]').getByText('BE-FIU-2026-0042').waitFor();
    await shot(be, '06-liaison-response-tablet');

    // --- 8. Every country has answered: COMPLETED; the investigator asks for a freeze.
    await waitForStatus(inv, 'COMPLETED');
    // The investigator sees BE's handling code, what it means, and its grading: on the track
    // and in the timeline.
    const beHandling = inv.locator('tr[data-country="BE"] [data-handling="H1"]');
    await beHandling.waitFor();
    expect(await beHandling.innerText()).toMatch(
      /H1: not to be used as evidence in court without the source's permission.*B: usually reliable.*2: known personally to the source/s,
    );
    await inv
      .locator('section[aria-labelledby="timeline-title"] [data-handling="H1"]')
      .first()
      .waitFor();
    const vehicle = inv.locator('tr[data-asset-id]', { hasText: 'Porsche Cayenne' });
    await vehicle.getByRole('button', { name: /^Move/ }).click();
    await inv.getByLabel('New status').selectOption('FREEZE_REQUESTED');
    await inv.getByLabel('MLA reference').fill('MLA/PL-BE/2026/17');
    await inv.getByRole('button', { name: 'Move the asset' }).click();
    await vehicle.locator('[data-status="FREEZE_REQUESTED"]').waitFor();
    expect(await inv.locator('tr[data-country="NL"] [data-status="ANSWERED"]').count()).toBe(1);
    await shot(inv, '07-request-completed-assets');

    // --- 9. The NCB closes it with a summary.
    await ncb.reload();
    await waitForStatus(ncb, 'COMPLETED');
    await ncb.locator('[data-action="close"]').click();
    await ncb.getByLabel('Summary').fill('Assets found in BE and NL; freeze requested under MLA.');
    await ncb.getByRole('button', { name: 'Close the request' }).click();
    await waitForStatus(ncb, 'CLOSED');
    await ncb
      .getByTestId('next-step')
      .getByText(/asset register/)
      .waitFor();
    await shot(ncb, '08-request-closed');

    // --- 10. The dashboard shows the figures, its charts drawn.
    await ncb.getByRole('link', { name: 'Dashboard' }).click();
    await ncb.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await ncb.locator('[data-chart="chart-status"] .recharts-bar-rectangle').first().waitFor();
    await ncb
      .locator('[data-chart="chart-asset-values"] .recharts-bar-rectangle')
      .first()
      .waitFor();
    await ncb.getByRole('row', { name: /^BE\b/ }).waitFor();
    await shot(ncb, '09-dashboard');
  });

  it('searches the list, switches to French, and serves the app on its own routes', async () => {
    const inv = await signIn('inv');
    await inv.getByRole('link', { name: 'Requests', exact: true }).click();
    await inv.getByLabel('Search').fill('Kowalczyk');
    await inv.getByRole('button', { name: 'Search', exact: true }).click();
    await inv.getByRole('link', { name: /^PL-/ }).first().waitFor();
    await shot(inv, '10-request-list');

    await inv.getByLabel('Language').selectOption('fr');
    await inv.getByRole('heading', { name: 'Demandes de dépistage' }).waitFor();
    expect(await inv.locator('html').getAttribute('lang')).toBe('fr');
    expect(await inv.locator('html').getAttribute('dir')).toBe('ltr');
    await inv.getByRole('link', { name: /^PL-/ }).first().click();
    await inv.getByRole('heading', { name: 'Prochaine étape' }).waitFor();
    await shot(inv, '11-request-page-fr');
    // A reload on an app route gets the app (not the API's 404), under the API's CSP.
    const res = await inv.reload();
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-security-policy']).toMatch(/script-src 'self'/);
    await inv.getByRole('heading', { name: 'Prochaine étape' }).waitFor();
    // API paths are never the app's.
    const unknown = await http(sys.baseUrl, 'GET', '/api/v1/no-such-route');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toMatch(/problem\+json/);
  });

  it("gives the auditor the request's timeline, replay and chain pages", async () => {
    const auditor = await signIn('auditor');
    await auditor.getByRole('heading', { name: 'Audit', exact: true }).waitFor();
    await auditor.getByRole('button', { name: 'Verify the chain' }).click();
    // The audit routes come from another part of the system: either their answer or a notice.
    await auditor
      .locator('[data-testid="verify-result"], [data-testid="unavailable"]')
      .first()
      .waitFor();
    await shot(auditor, '12-audit');
    const list = await http<{ items: { id: string }[] }>(
      sys.baseUrl,
      'GET',
      `/api/v1/trace-requests?q=Kowalczyk`,
      { token: users.auditor.token },
    );
    expect(list.body.items.length).toBeGreaterThan(0);
    await auditor.goto(`${sys.baseUrl}/audit/requests/${list.body.items[0].id}`);
    await auditor.getByRole('button', { name: 'Replay' }).click();
    await auditor
      .locator('[data-testid="replay-result"], [data-testid="unavailable"]')
      .first()
      .waitFor();
    await shot(auditor, '13-audit-request');
  });
});
