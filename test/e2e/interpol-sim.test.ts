// The INTERPOL simulator over real HTTP: the sim runs in-process on a free port and delivers to a
// small node:http receiver standing in for silvertrace's inbound gateway routes.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  startSim,
  type Delivery,
  type LogEntry,
  type SimHandle,
  type SimRequest,
} from '../../apps/interpol-sim/src';
import {
  IDEMPOTENCY_HEADER,
  SIGNATURE_HEADER,
  SILVERTRACE_GATEWAY_PATHS,
  postSigned,
  signBody,
  type ForeignResponseMessage,
  type GsDecisionMessage,
  type SignatureVerification,
  verifySignature,
} from '../../libs/gateway/src';

const SECRET = 'e2e-gateway-secret';

type SimView = SimRequest & { countryBehaviours: Record<string, string> };

interface Received {
  path: string;
  idempotencyKey?: string;
  raw: string;
  body: Record<string, unknown>;
  verification: SignatureVerification;
}

type Reply = (received: Received, res: ServerResponse) => void;

/** Plays silvertrace's inbound routes: records every request and checks its signature. */
class Receiver {
  readonly received: Received[] = [];
  /** Per test overrides; the default answers 200. */
  reply: Reply | undefined;
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  decisions(reference: string): GsDecisionMessage[] {
    return this.for(
      SILVERTRACE_GATEWAY_PATHS.decisions,
      reference,
    ) as unknown as GsDecisionMessage[];
  }

  responses(reference: string, country?: string): ForeignResponseMessage[] {
    return (
      this.for(
        SILVERTRACE_GATEWAY_PATHS.responses,
        reference,
      ) as unknown as ForeignResponseMessage[]
    ).filter((r) => !country || r.country === country);
  }

  for(path: string, reference: string): Record<string, unknown>[] {
    return this.received
      .filter((r) => r.path === path && r.body.reference === reference)
      .map((r) => r.body);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const header = req.headers[SIGNATURE_HEADER];
      const key = req.headers[IDEMPOTENCY_HEADER];
      const received: Received = {
        path: req.url ?? '',
        idempotencyKey: typeof key === 'string' ? key : undefined,
        raw,
        body: JSON.parse(raw) as Record<string, unknown>,
        verification: verifySignature(typeof header === 'string' ? header : undefined, raw, SECRET),
      };
      this.received.push(received);
      if (this.reply) return this.reply(received, res);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  }
}

/** Bounded polling: conditions, never fixed sleeps. */
async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
}

describe('interpol-sim (simulated INTERPOL GS and foreign NCBs)', () => {
  const receiver = new Receiver();
  let sim: SimHandle;
  let seq = 0;
  const nextRef = (): string => `ZA-SIM-${Date.now().toString(36)}-${++seq}`;

  const gateway = (
    path: string,
    body: unknown,
    idempotencyKey?: string,
  ): Promise<{ status: number; body: unknown }> =>
    postSigned(`${sim.url}${path}`, body, { secret: SECRET, idempotencyKey });

  const control = async <T = Record<string, unknown>>(
    method: 'GET' | 'PUT' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${sim.url}/control${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  };

  const simView = async (reference: string): Promise<SimView> => {
    const res = await control<SimView>('GET', `/requests/${reference}`);
    expect(res.status).toBe(200);
    return res.body;
  };

  const logOf = async (reference: string): Promise<LogEntry[]> =>
    (
      await control<{ entries: LogEntry[] }>(
        'GET',
        `/log?reference=${encodeURIComponent(reference)}`,
      )
    ).body.entries;

  const submission = (reference: string, targetCountries: string[], extra: object = {}) => ({
    reference,
    requestId: `req-${reference}`,
    kind: 'notice',
    requestingCountry: 'ZA',
    targetCountries,
    contentHash: `sha256:${reference}`,
    content: {
      subject: { familyName: 'Mokoena', givenNames: 'Thabo' },
      assets: [
        {
          type: 'vessel',
          description: 'Motor yacht "Kingfisher"',
          identifiers: { imo: 'IMO 9876543' },
          suspectedCountry: 'FR',
        },
      ],
    },
    ...extra,
  });

  beforeAll(async () => {
    await receiver.start();
    sim = await startSim({
      port: 0,
      apiUrl: receiver.url,
      secret: SECRET,
      decisionDelayMs: 20,
      responseDelayMs: 20,
      memberCountries: ['FR', 'BR', 'ZA'],
      delivery: { maxAttempts: 5, baseDelayMs: 10, maxDelayMs: 50, timeoutMs: 2000 },
      logger: false,
    });
  });

  afterAll(async () => {
    await sim?.close();
    await receiver.stop();
  });

  afterEach(() => {
    receiver.reply = undefined;
  });

  it('answers health checks and listens on loopback', async () => {
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${sim.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', simulator: true });
  });

  it('refuses unsigned, wrongly signed and stale submissions with 401', async () => {
    const reference = nextRef();
    const raw = JSON.stringify(submission(reference, ['FR']));
    const post = (headers: Record<string, string>) =>
      fetch(`${sim.url}/gs/submissions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: raw,
      });

    const unsigned = await post({});
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toMatchObject({ message: 'missing signature header' });

    const wrongSecret = await post({ [SIGNATURE_HEADER]: signBody(raw, 'not-the-secret') });
    expect(wrongSecret.status).toBe(401);
    expect(await wrongSecret.json()).toMatchObject({ message: 'signature mismatch' });

    const tampered = await post({
      [SIGNATURE_HEADER]: signBody(raw.replace('"FR"', '"BR"'), SECRET),
    });
    expect(tampered.status).toBe(401);

    const stale = await post({
      [SIGNATURE_HEADER]: signBody(raw, SECRET, Math.floor(Date.now() / 1000) - 301),
    });
    expect(stale.status).toBe(401);
    expect(await stale.json()).toMatchObject({ message: 'signature timestamp too old' });

    const malformed = await post({ [SIGNATURE_HEADER]: 'v1=deadbeef' });
    expect(malformed.status).toBe(401);

    expect((await control('GET', `/requests/${reference}`)).status).toBe(404);
  });

  it('rejects a signed but invalid submission with 400 naming the field', async () => {
    const reference = nextRef();
    const bad = await gateway('/gs/submissions', {
      ...submission(reference, ['FR']),
      requestingCountry: 'south africa',
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('requestingCountry');

    const extra = await gateway('/gs/submissions', { ...submission(reference, ['FR']), rogue: 1 });
    expect(extra.status).toBe(400);
    expect(JSON.stringify(extra.body)).toContain('rogue');

    const noTargets = await gateway('/gs/submissions', submission(reference, []));
    expect(noTargets.status).toBe(400);
  });

  it('publishes a submission, then each country answers by its behaviour', async () => {
    const reference = nextRef();
    const countries = { FR: 'found', BR: 'none', DE: 'partial', ES: 'declined', IT: 'silent' };
    expect((await control('PUT', `/requests/${reference}`, { countries })).status).toBe(200);

    const accepted = await gateway(
      '/gs/submissions',
      submission(reference, Object.keys(countries)),
      `submit-${reference}`,
    );
    expect(accepted.status).toBe(202);
    expect(accepted.body).toEqual({
      submissionId: expect.stringMatching(/^GS-SUB-\d+$/),
      receivedAt: expect.any(String),
    });

    const [decision] = await waitFor('the published decision', () => {
      const d = receiver.decisions(reference);
      return d.length > 0 && d;
    });
    expect(decision).toEqual({
      reference,
      decision: 'published',
      noticeId: expect.stringMatching(/^SILVER-\d{4}-\d{5}$/),
    });

    // Partial is the longest exchange (three messages); wait for every country to finish.
    await waitFor('all countries to finish', async () => {
      const log = await logOf(reference);
      const done = log.filter((e) => e.event === 'country_done').map((e) => e.detail?.country);
      return done.length === 5 && done;
    });

    const outcomes = (cc: string) => receiver.responses(reference, cc).map((r) => r.outcome);
    expect(outcomes('FR')).toEqual(['acknowledged', 'assets_found']);
    expect(outcomes('BR')).toEqual(['acknowledged', 'no_assets']);
    expect(outcomes('DE')).toEqual(['acknowledged', 'partial', 'assets_found']);
    expect(outcomes('ES')).toEqual(['declined']);
    expect(outcomes('IT')).toEqual([]);

    // Stable, per-country external references, doubling as the Idempotency-Key.
    for (const cc of ['FR', 'BR', 'DE', 'ES']) {
      const refs = receiver.responses(reference, cc).map((r) => r.externalReference);
      expect(refs).toEqual(refs.map((_, i) => `${cc}-${reference}-${i + 1}`));
    }
    const responseRequests = receiver.received.filter(
      (r) => r.path === SILVERTRACE_GATEWAY_PATHS.responses && r.body.reference === reference,
    );
    for (const r of responseRequests) expect(r.idempotencyKey).toBe(r.body.externalReference);

    // Every message is signed with the shared secret and carries an Idempotency-Key.
    const mine = receiver.received.filter((r) => r.body.reference === reference);
    expect(mine.every((r) => r.verification.ok && r.idempotencyKey)).toBe(true);
    // The decision reached silvertrace before any country answered.
    expect(mine[0].path).toBe(SILVERTRACE_GATEWAY_PATHS.decisions);

    const [frFound] = receiver.responses(reference, 'FR').slice(1);
    expect(frFound.assets?.length).toBeGreaterThanOrEqual(1);
    expect(frFound.assets?.length).toBeLessThanOrEqual(2);
    // FR confirms the asset the requester suspected there first.
    expect(frFound.assets?.[0]).toMatchObject({
      type: 'vessel',
      identifiers: { imo: 'IMO 9876543' },
      holder: 'Thabo Mokoena',
    });
    const [dePartial, deFound] = receiver.responses(reference, 'DE').slice(1);
    expect(dePartial.assets).toHaveLength(1);
    expect(deFound.assets).toHaveLength(1);
    expect(deFound.assets?.[0]).not.toEqual(dePartial.assets?.[0]);
    for (const asset of [...(dePartial.assets ?? []), ...(deFound.assets ?? [])]) {
      expect(asset.estimatedValue).toEqual({
        amount: expect.stringMatching(/^\d+\.\d{2}$/),
        currency: 'EUR',
      });
    }
    expect(receiver.responses(reference, 'ES')[0].narrative).toMatch(/mutual legal assistance/);

    const view = await simView(reference);
    expect(view).toMatchObject({
      stage: 'published',
      kind: 'notice',
      answeringCountries: ['FR', 'BR', 'DE', 'ES', 'IT'],
      countryBehaviours: countries,
    });
    expect(view.decisions).toHaveLength(1);
    expect(view.decisions[0]).toMatchObject({ status: 'delivered', attempts: 1, lastStatus: 200 });
    expect(view.responses).toHaveLength(8);
    expect(view.responses.every((d) => d.status === 'delivered')).toBe(true);
  });

  it('answers a repeated Idempotency-Key with the first answer and records one submission', async () => {
    const reference = nextRef();
    await control('PUT', `/requests/${reference}`, { countries: { FR: 'silent' } });
    const body = submission(reference, ['FR']);
    const first = await gateway('/gs/submissions', body, `key-${reference}`);
    const second = await gateway('/gs/submissions', body, `key-${reference}`);
    expect(first.status).toBe(202);
    expect(second).toEqual(first);

    await waitFor('the decision', () => receiver.decisions(reference).length === 1);
    await waitFor('FR to finish', async () =>
      (await logOf(reference)).some((e) => e.event === 'country_done'),
    );
    const view = await simView(reference);
    expect(view.submissions).toHaveLength(1);
    expect(view.submissionAttempts).toBe(2);
    expect(view.idempotencyKeys).toEqual([
      expect.objectContaining({ path: '/gs/submissions', key: `key-${reference}`, count: 2 }),
    ]);
    expect(view.decisions).toHaveLength(1);
    expect(receiver.decisions(reference)).toHaveLength(1);

    // A different key for a reference under way is a conflict, not a second submission.
    const other = await gateway('/gs/submissions', body, `other-${reference}`);
    expect(other.status).toBe(409);
  });

  it('fails the first submissions with 503 when told to, then accepts the retry', async () => {
    const reference = nextRef();
    await control('PUT', `/requests/${reference}`, {
      failSubmissions: 2,
      gsDecision: 'hold',
    });
    const body = submission(reference, ['FR']);
    const key = `retry-${reference}`;
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await gateway('/gs/submissions', body, key)).status);
    expect(statuses).toEqual([503, 503, 202]);

    const view = await simView(reference);
    expect(view).toMatchObject({
      stage: 'held',
      submissionAttempts: 3,
      failedSubmissionAttempts: 2,
    });
    expect(view.submissions).toHaveLength(1);
    expect(view.idempotencyKeys[0]).toMatchObject({ key, count: 3 });
  });

  it('queries, then publishes once the query is answered', async () => {
    const reference = nextRef();
    await control('PUT', `/requests/${reference}`, {
      gsDecision: 'query',
      question: 'Which court issued the freezing order?',
      thenDecision: 'publish',
      countries: { FR: 'none' },
    });
    expect(
      (await gateway('/gs/submissions', submission(reference, ['FR']), `s-${reference}`)).status,
    ).toBe(202);

    const [query] = await waitFor('the query', () => {
      const d = receiver.decisions(reference);
      return d.length === 1 && d;
    });
    expect(query).toEqual({
      reference,
      decision: 'query',
      question: 'Which court issued the freezing order?',
    });
    expect(receiver.responses(reference)).toEqual([]);

    const answer = { reference, answer: 'The Johannesburg High Court, order 2025/1234.' };
    const answered = await gateway('/gs/query-answers', answer, `qa-${reference}`);
    expect(answered).toEqual({ status: 202, body: { reference, receivedAt: expect.any(String) } });

    const decisions = await waitFor('the publication', () => {
      const d = receiver.decisions(reference);
      return d.length === 2 && d;
    });
    expect(decisions[1]).toMatchObject({ decision: 'published', noticeId: expect.any(String) });
    await waitFor('FR to answer no_assets', () =>
      receiver.responses(reference, 'FR').some((r) => r.outcome === 'no_assets'),
    );
    const keys = receiver.received
      .filter(
        (r) => r.path === SILVERTRACE_GATEWAY_PATHS.decisions && r.body.reference === reference,
      )
      .map((r) => r.idempotencyKey);
    expect(keys).toEqual([`gs-decision-${reference}-1`, `gs-decision-${reference}-2`]);

    // No open query any more.
    expect((await gateway('/gs/query-answers', answer, `qa2-${reference}`)).status).toBe(409);
  });

  it('sends a diffusion straight to the countries, without a GS decision', async () => {
    const reference = nextRef();
    await control('PUT', `/requests/${reference}`, { countries: { BR: 'found' } });
    const diffusion = {
      reference,
      requestId: `req-${reference}`,
      requestingCountry: 'ZA',
      targetCountries: ['BR', 'ZA'],
      contentHash: `sha256:${reference}`,
      content: { subject: { familyName: 'Mokoena', givenNames: 'Thabo' } },
    };
    const accepted = await gateway('/ncb/diffusions', diffusion, `d-${reference}`);
    expect(accepted).toEqual({
      status: 202,
      body: { diffusionId: expect.stringMatching(/^NCB-DIF-\d+$/), receivedAt: expect.any(String) },
    });

    await waitFor('BR to report assets', () =>
      receiver.responses(reference, 'BR').some((r) => r.outcome === 'assets_found'),
    );
    expect(receiver.responses(reference, 'BR').map((r) => r.outcome)).toEqual([
      'acknowledged',
      'assets_found',
    ]);
    const found = receiver.responses(reference, 'BR')[1];
    expect(found.assets?.[0]).toMatchObject({
      holder: 'Thabo Mokoena',
      estimatedValue: { currency: 'BRL' },
    });
    expect(receiver.decisions(reference)).toEqual([]);
    // The requesting country does not answer its own diffusion.
    expect(receiver.responses(reference, 'ZA')).toEqual([]);
    expect(await simView(reference)).toMatchObject({ kind: 'diffusion', stage: 'diffused' });
  });

  it('holds for a manual decision and refuses with the given reasons', async () => {
    const reference = nextRef();
    await control('PUT', `/requests/${reference}`, { gsDecision: 'hold' });
    await gateway('/gs/submissions', submission(reference, ['FR']), `s-${reference}`);
    expect((await simView(reference)).stage).toBe('held');

    const decided = await control<Delivery<GsDecisionMessage>>(
      'POST',
      `/requests/${reference}/decide`,
      {
        decision: 'refuse',
        reasons: ['Article 3: predominantly political character.'],
      },
    );
    expect(decided.status).toBe(202);
    expect(decided.body.message).toEqual({
      reference,
      decision: 'refused',
      reasons: ['Article 3: predominantly political character.'],
    });
    await waitFor('the refusal', () => receiver.decisions(reference).length === 1);
    expect(receiver.decisions(reference)[0].decision).toBe('refused');
    expect((await simView(reference)).stage).toBe('refused');
    expect(receiver.responses(reference)).toEqual([]);

    expect(
      (await control('POST', `/requests/unknown-${reference}/decide`, { decision: 'publish' }))
        .status,
    ).toBe(404);
    expect(
      (await control('POST', `/requests/${reference}/decide`, { decision: 'maybe' })).status,
    ).toBe(400);
  });

  it('stops the countries once the request is withdrawn', async () => {
    const reference = nextRef();
    await control('PUT', `/requests/${reference}`, { countries: { FR: 'found' } });
    // Hold FR's acknowledgement at the receiver until the withdrawal is in.
    let release: (() => void) | undefined;
    receiver.reply = (received, res) => {
      if (received.body.reference === reference && received.body.outcome === 'acknowledged') {
        release = () => res.writeHead(200).end('{}');
        return;
      }
      res.writeHead(200).end('{}');
    };
    await gateway('/gs/submissions', submission(reference, ['FR']), `s-${reference}`);
    await waitFor('the acknowledgement to arrive', () => release);

    const withdrawn = await gateway('/gs/withdrawals', { reference, reason: 'Purpose achieved.' });
    expect(withdrawn.status).toBe(202);
    release?.();

    await waitFor('FR to stop', async () =>
      (await logOf(reference)).some((e) => e.event === 'country_stopped'),
    );
    expect(receiver.responses(reference, 'FR').map((r) => r.outcome)).toEqual(['acknowledged']);
    const view = await simView(reference);
    expect(view.stage).toBe('withdrawn');
    expect(view.withdrawals).toEqual([expect.objectContaining({ reason: 'Purpose achieved.' })]);

    expect(
      (await gateway('/gs/withdrawals', { reference: `nope-${reference}`, reason: 'x' })).status,
    ).toBe(404);
  });

  it('the GS suspends, lifts and cancels a published notice on command, signed', async () => {
    const reference = nextRef();
    // Not published yet: nothing to suspend.
    expect((await control('POST', `/requests/${reference}/suspension`, {})).status).toBe(404);
    await control('PUT', `/requests/${reference}`, { countries: { FR: 'silent' } });
    await gateway('/gs/submissions', submission(reference, ['FR']), `s-${reference}`);
    await waitFor('the publication', async () => (await simView(reference)).stage === 'published');

    const suspended = await control('POST', `/requests/${reference}/suspension`, {
      reason: 'Compliance review',
      duration: 'P2M',
    });
    expect(suspended.status).toBe(202);
    expect((await control('POST', `/requests/${reference}/resumption`)).status).toBe(202);
    expect(
      (await control('POST', `/requests/${reference}/cancellation`, { reason: 'Article 3' }))
        .status,
    ).toBe(202);
    const sent = (path: string) =>
      waitFor(`a message to ${path}`, () => {
        const got = receiver.received.filter(
          (r) => r.path === path && r.body.reference === reference,
        );
        return got.length > 0 ? got : undefined;
      });
    const [suspension] = await sent(SILVERTRACE_GATEWAY_PATHS.suspensions);
    expect(suspension.body).toEqual({ reference, reason: 'Compliance review', duration: 'P2M' });
    expect(suspension.verification).toMatchObject({ ok: true });
    expect(suspension.idempotencyKey).toBeDefined();
    const [resumption] = await sent(SILVERTRACE_GATEWAY_PATHS.resumptions);
    expect(resumption.body).toEqual({ reference });
    const [cancellation] = await sent(SILVERTRACE_GATEWAY_PATHS.cancellations);
    expect(cancellation.body).toEqual({ reference, reason: 'Article 3' });
    const view = await simView(reference);
    expect(view.stage).toBe('cancelled');
    expect(view.orders.map((o) => o.order)).toEqual(['suspension', 'resumption', 'cancellation']);
    // Cancelled: no further order.
    expect((await control('POST', `/requests/${reference}/suspension`, {})).status).toBe(404);
    // Unknown fields are refused like everywhere in the control API.
    const other = nextRef();
    expect((await control('POST', `/requests/${other}/cancellation`, { why: 'x' })).status).toBe(
      400,
    );
  });

  it('redelivers a refused response with the same body, key and external reference', async () => {
    const reference = nextRef();
    let refusals = 0;
    receiver.reply = (received, res) => {
      if (
        received.body.reference === reference &&
        received.path.endsWith('/responses') &&
        refusals < 2
      ) {
        refusals++;
        res.writeHead(503).end('busy');
        return;
      }
      res.writeHead(200).end('{}');
    };
    const sent = await control<Delivery<ForeignResponseMessage>>(
      'POST',
      `/requests/${reference}/countries/FR/respond`,
      {
        outcome: 'declined',
        narrative: 'Declined: dual criminality not met.',
      },
    );
    expect(sent.status).toBe(202);
    expect(sent.body.message).toEqual({
      reference,
      country: 'FR',
      outcome: 'declined',
      externalReference: `FR-${reference}-1`,
      narrative: 'Declined: dual criminality not met.',
      // Every answer carries a handling code and grading; these are the simulator's defaults.
      handlingCode: 'H0',
      sourceReliability: 'B',
      informationAccuracy: '2',
    });

    await waitFor('delivery after two 503s', async () => {
      const view = await simView(reference);
      return view.responses[0].status === 'delivered';
    });
    const copies = receiver.received.filter((r) => r.body.reference === reference);
    expect(copies).toHaveLength(3);
    expect(new Set(copies.map((c) => c.raw)).size).toBe(1);
    expect(new Set(copies.map((c) => c.idempotencyKey))).toEqual(new Set([`FR-${reference}-1`]));
    expect(copies.every((c) => c.verification.ok)).toBe(true);
    expect((await simView(reference)).responses[0]).toMatchObject({ attempts: 3, lastStatus: 200 });

    // The next message from FR gets the next external reference.
    const next = await control<Delivery<ForeignResponseMessage>>(
      'POST',
      `/requests/${reference}/countries/fr/respond`,
      {
        outcome: 'partial',
      },
    );
    expect(next.body.message).toMatchObject({
      externalReference: `FR-${reference}-2`,
      assets: [expect.objectContaining({ type: expect.any(String) })],
    });
  });

  it('puts handling codes and grading on answers, as the control API chooses them', async () => {
    const reference = nextRef();
    const configured = await control('PUT', `/requests/${reference}`, {
      countries: { FR: 'found' },
      handling: { handlingCode: 'H2', sourceReliability: 'A', informationAccuracy: '1' },
    });
    expect(configured.status).toBe(200);
    expect(configured.body).toMatchObject({
      control: {
        handling: { handlingCode: 'H2', sourceReliability: 'A', informationAccuracy: '1' },
      },
    });
    expect((await gateway('/gs/submissions', submission(reference, ['FR']))).status).toBe(202);
    const scripted = await waitFor('FR acknowledges and answers', () => {
      const answers = receiver.received.filter(
        (r) => r.body.reference === reference && r.path.endsWith('/responses'),
      );
      return answers.length === 2 ? answers : undefined;
    });
    for (const answer of scripted) {
      expect(answer.body).toMatchObject({
        handlingCode: 'H2',
        sourceReliability: 'A',
        informationAccuracy: '1',
      });
      expect(answer.body).not.toHaveProperty('handlingRestriction');
    }

    // An operator-forced answer chooses its own: H3 with its restriction, over the request's.
    const forced = await control<Delivery<ForeignResponseMessage>>(
      'POST',
      `/requests/${reference}/countries/FR/respond`,
      {
        outcome: 'no_assets',
        handlingCode: 'H3',
        handlingRestriction: 'Not for the tax authorities',
        informationAccuracy: '4',
      },
    );
    expect(forced.status).toBe(202);
    expect(forced.body.message).toMatchObject({
      handlingCode: 'H3',
      handlingRestriction: 'Not for the tax authorities',
      sourceReliability: 'A',
      informationAccuracy: '4',
    });

    // The control API refuses codes and gradings outside the vocabulary, naming the field.
    for (const [body, field] of [
      [{ handling: { handlingCode: 'H9' } }, 'handlingCode'],
      [{ handling: { sourceReliability: 'E' } }, 'sourceReliability'],
      [{ handling: { informationAccuracy: '5' } }, 'informationAccuracy'],
    ] as const) {
      const refused = await control('PUT', `/requests/${reference}`, body);
      expect(refused.status).toBe(400);
      expect(JSON.stringify(refused.body)).toContain(field);
    }
    const badForced = await control('POST', `/requests/${reference}/countries/FR/respond`, {
      outcome: 'no_assets',
      handlingCode: 'H5',
    });
    expect(badForced.status).toBe(400);
    expect(JSON.stringify(badForced.body)).toContain('handlingCode');
  });

  it('lets allMembers notices reach the simulated membership and country defaults', async () => {
    const reference = nextRef();
    await control('PUT', '/countries/de', { behaviour: 'silent' });
    await control('PUT', `/requests/${reference}`, {
      gsDecision: 'hold',
      countries: { FR: 'silent', BR: 'silent' },
    });
    const { targetCountries: _omit, ...rest } = submission(reference, []);
    await gateway('/gs/submissions', { ...rest, allMembers: true }, `s-${reference}`);
    await control('POST', `/requests/${reference}/decide`, { decision: 'publish' });
    await waitFor('countries to finish', async () => {
      const done = (await logOf(reference)).filter((e) => e.event === 'country_done');
      return done.length === 3;
    });
    const view = await simView(reference);
    expect([...view.answeringCountries].sort()).toEqual(['BR', 'DE', 'FR']);
    expect(view.countryBehaviours).toEqual({ BR: 'silent', DE: 'silent', FR: 'silent' });
  });

  it('resets to a clean slate', async () => {
    const reference = nextRef();
    await control('PUT', `/requests/${reference}`, { gsDecision: 'hold' });
    expect((await control('POST', '/reset')).status).toBe(204);
    expect((await control('GET', `/requests/${reference}`)).status).toBe(404);
    expect((await control<{ countries: object }>('GET', '/countries')).body.countries).toEqual({});
  });
});
