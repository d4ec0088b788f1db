// The whole journey through the API with the INTERPOL simulator over real HTTP, as `npm start`
// runs it: the worker submits to the simulator, which publishes and answers for FR (assets found)
// and BR (no assets) through the signed inbound gateway routes; the request completes and the
// NCB closes it. Users of a country no other suite uses (IE) keep lists and quotas apart.
import type { SimHandle } from '../../apps/interpol-sim/src';
import { apiClient, ok, type Body } from '../support/api';
import { eventually, savedEnv, type RunningSystem } from '../support/e2e';
import { validRequestBody } from '../support/fixtures';
import { startSystemWithSimulator, type Office } from '../support/journey-http';

const ENV_KEYS = ['INTERPOL_GATEWAY_URL', 'QUOTA_PER_YEAR'] as const;

describe('api: a request from draft to closed, with the INTERPOL simulator', () => {
  let sys: RunningSystem;
  let sim: SimHandle;
  const env = savedEnv(ENV_KEYS);
  let tokens: Office;
  let close: (() => Promise<void>) | undefined;

  const api = apiClient(() => sys.baseUrl);

  beforeAll(async () => {
    env.save();
    process.env.QUOTA_PER_YEAR = '1000';
    ({
      sys,
      sim,
      office: tokens,
      close,
    } = await startSystemWithSimulator('IE', {
      // Past the answer to the INTERPOL submission (asserted SUBMITTED), even on a loaded machine.
      decisionDelayMs: 500,
      responseDelayMs: 50,
      delivery: { baseDelayMs: 50, maxDelayMs: 200 },
    }));
  });

  afterAll(async () => {
    await close?.();
    env.restore();
  });

  it('publishes, collects both answers and the found assets, completes and closes', async () => {
    const created = await ok(
      await api(
        'POST',
        '/trace-requests',
        tokens.inv,
        validRequestBody({ targetCountries: ['FR', 'BR'] }),
      ),
      201,
    );
    const id = created.id as string;
    const reference = created.reference as string;
    // The simulator's control API: FR finds assets, BR finds none, both under H1 graded A2.
    const control = await fetch(`${sim.url}/control/requests/${reference}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        gsDecision: 'publish',
        countries: { FR: 'found', BR: 'none' },
        handling: { handlingCode: 'H1', sourceReliability: 'A', informationAccuracy: '2' },
      }),
    });
    expect(control.ok).toBe(true);

    await ok(await api('POST', `/trace-requests/${id}/submit`, tokens.inv));
    await ok(
      await api('POST', `/trace-requests/${id}/review`, tokens.sup, { decision: 'approve' }),
    );
    const submitted = await ok(
      await api('POST', `/trace-requests/${id}/interpol-submission`, tokens.ncb, {
        attestation: { article3Neutrality: true, dataQualityChecked: true },
      }),
    );
    expect(submitted.status).toBe('SUBMITTED');

    const completed = await eventually(
      async () => {
        const v = await ok(await api('GET', `/trace-requests/${id}`, tokens.ncb));
        return v.status === 'COMPLETED' ? v : undefined;
      },
      { what: 'the request to complete', timeoutMs: 60_000, intervalMs: 200 },
    );
    expect(completed.interpol).toMatchObject({ noticeId: expect.any(String) });
    expect(completed.jurisdictions).toEqual([
      expect.objectContaining({ country: 'BR', status: 'ANSWERED' }),
      expect.objectContaining({ country: 'FR', status: 'ANSWERED' }),
    ]);
    // A completed request may still be suspended (its late answers wait) or closed.
    expect(completed.allowedActions).toEqual(['withdraw', 'close', 'suspend']);

    const tracks = (await ok(
      await api('GET', `/trace-requests/${id}/jurisdictions`, tokens.inv),
    )) as unknown as Body[];
    for (const track of tracks) {
      const responses = track.responses as Body[];
      expect(responses.length).toBeGreaterThan(0);
      expect(responses.every((r) => (r.recordedBy as Body).username === 'interpol-gateway')).toBe(
        true,
      );
      // The simulator's handling code and grading arrived with every answer.
      for (const r of responses) {
        expect(r).toMatchObject({
          handlingCode: 'H1',
          sourceReliability: 'A',
          informationAccuracy: '2',
        });
      }
    }
    const register = await ok(await api('GET', `/trace-requests/${id}/assets`, tokens.inv));
    const items = register.items as Body[];
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((a) => a.country === 'FR' && a.status === 'IDENTIFIED')).toBe(true);
    for (const total of register.totals as { amount: string; currency: string }[]) {
      expect(total.amount).toMatch(/^\d+\.\d{2,4}$/);
      expect(total.currency).toMatch(/^[A-Z]{3}$/);
    }

    const closed = await ok(
      await api('POST', `/trace-requests/${id}/close`, tokens.ncb, {
        summary: 'Assets located in France; MLA requests follow. Nothing in Brazil.',
      }),
    );
    expect(closed).toMatchObject({ status: 'CLOSED', allowedActions: [] });
    // Every message the simulator sent was accepted (no retries left pending or failed).
    const simView = (await (await fetch(`${sim.url}/control/requests/${reference}`)).json()) as {
      decisions: { status: string }[];
      responses: { status: string }[];
    };
    expect(simView.decisions.map((d) => d.status)).toEqual(['delivered']);
    expect(simView.responses.every((r) => r.status === 'delivered')).toBe(true);
  });
});
