// Everything the simulator sends must pass silvertrace's own gateway DTOs (libs/domain), so a demo
// never stalls on a message the API refuses. Runs every country behaviour across IBAN and
// non-IBAN countries and checks each delivered body.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSim, type SimHandle } from '../../apps/interpol-sim/src';
import { GatewayDecisionDto, GatewayResponseDto, validateBody } from '../../libs/domain/src';
import { HANDLING_CODES, SILVERTRACE_GATEWAY_PATHS, postSigned } from '../../libs/gateway/src';

const SECRET = 'contract-secret';
const BEHAVIOURS = ['found', 'none', 'partial', 'declined', 'silent'] as const;
const COUNTRIES = ['FR', 'BR', 'GB', 'NL', 'IT', 'DE', 'ES', 'CH', 'US', 'JP'];

async function waitFor(what: string, probe: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
}

describe('interpol-sim messages against the domain gateway DTOs', () => {
  const received: { path: string; body: Record<string, unknown> }[] = [];
  let receiver: Server;
  let sim: SimHandle;

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({
          path: req.url ?? '',
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
        });
        res.writeHead(200).end('{}');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    sim = await startSim({
      port: 0,
      apiUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`,
      secret: SECRET,
      decisionDelayMs: 5,
      responseDelayMs: 5,
      logger: false,
    });
  });

  afterAll(async () => {
    await sim?.close();
    receiver.closeAllConnections();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });

  it('sends decisions and responses that silvertrace accepts', async () => {
    const references: string[] = [];
    for (const behaviour of BEHAVIOURS) {
      const reference = `ZA-CONTRACT-${behaviour}-${Date.now().toString(36)}`;
      references.push(reference);
      const countries = Object.fromEntries(COUNTRIES.map((cc) => [cc, behaviour]));
      await fetch(`${sim.url}/control/requests/${reference}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ countries }),
      });
      const res = await postSigned(
        `${sim.url}/gs/submissions`,
        {
          reference,
          requestId: `req-${reference}`,
          kind: 'notice',
          requestingCountry: 'ZA',
          targetCountries: COUNTRIES,
          contentHash: 'sha256:x',
          content: { subject: { familyName: 'Mokoena', givenNames: 'Thabo' } },
        },
        { secret: SECRET, idempotencyKey: `s-${reference}` },
      );
      expect(res.status).toBe(202);
    }
    // Refusal and query decisions, and operator-forced answers of every outcome.
    const forced = `ZA-CONTRACT-forced-${Date.now().toString(36)}`;
    await fetch(`${sim.url}/control/requests/${forced}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ gsDecision: 'query' }),
    });
    await postSigned(
      `${sim.url}/gs/submissions`,
      {
        reference: forced,
        requestId: 'r',
        kind: 'notice',
        requestingCountry: 'ZA',
        allMembers: true,
        contentHash: 'h',
        content: {},
      },
      { secret: SECRET },
    );
    await waitFor('the query', () => received.some((r) => r.body.reference === forced));
    // Each forced outcome under another handling code (H3 with its restriction).
    const codes = ['H0', 'H1', 'H2', 'H3', 'H0'];
    for (const [i, outcome] of [
      'acknowledged',
      'assets_found',
      'no_assets',
      'partial',
      'declined',
    ].entries()) {
      await fetch(`${sim.url}/control/requests/${forced}/countries/US/respond`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          outcome,
          handlingCode: codes[i],
          ...(codes[i] === 'H3' ? { handlingRestriction: 'Not for the tax authorities' } : {}),
        }),
      });
    }
    await fetch(`${sim.url}/control/requests/${forced}/decide`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ decision: 'refuse' }),
    });

    // found 2, none 2, partial 3, declined 1, silent 0 messages per country; plus the forced ones.
    const expected = COUNTRIES.length * (2 + 2 + 3 + 1) + BEHAVIOURS.length + 2 + 5;
    await waitFor(`${expected} messages`, () => received.length >= expected);
    expect(received).toHaveLength(expected);

    const problems = received.flatMap(({ path, body }) => {
      const dto =
        path === SILVERTRACE_GATEWAY_PATHS.decisions ? GatewayDecisionDto : GatewayResponseDto;
      const result = validateBody(dto, body);
      return result.ok ? [] : [{ path, body, errors: result.errors }];
    });
    expect(problems).toEqual([]);
    // Every answer carries a handling code and a grading.
    const answers = received.filter((r) => r.path === SILVERTRACE_GATEWAY_PATHS.responses);
    expect(
      answers.filter(
        (r) =>
          !HANDLING_CODES.includes(r.body.handlingCode as never) ||
          r.body.sourceReliability === undefined ||
          r.body.informationAccuracy === undefined,
      ),
    ).toEqual([]);
    expect(new Set(answers.map((r) => r.body.handlingCode))).toEqual(
      new Set(['H0', 'H1', 'H2', 'H3']),
    );
    expect(new Set(received.map((r) => r.body.decision).filter(Boolean))).toEqual(
      new Set(['published', 'query', 'refused']),
    );
  });
});
