// Case access in the home country, over real HTTP (API, worker, Temporal, PostgreSQL): a request
// is read by its drafter, the investigators assigned to it (by the drafter or a supervisor), and
// the country's supervisors, NCB officers and auditors; another investigator of the country opens
// it only by break-glass, with a reason that is audited and shown to the country's supervisors,
// and may then read it, not act on it. Accounts of NZ, a country no other suite uses.
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { makeAccount, type Account } from '../support/accounts';
import { apiClient, fakeInterpolStack, fields, ok, type Body } from '../support/api';
import { eventually, type RunningSystem } from '../support/e2e';
import { validRequestBody } from '../support/fixtures';

describe('case access: drafter, assignees, country readers, break-glass', () => {
  let sys: RunningSystem;
  let db: DataSource;
  const stack = fakeInterpolStack();
  const api = apiClient(() => sys.baseUrl);
  const marker = `CA${randomUUID().slice(0, 8).toUpperCase()}`;

  let drafter: Account;
  let inv2: Account;
  let inv3: Account;
  let inv4: Account;
  let sup: Account;
  let ncb: Account;
  let aud: Account;
  let foreignInv: Account;
  let id: string;
  let reference: string;

  const detail = (token: string) => api('GET', `/trace-requests/${id}`, token);
  const listed = async (token: string) =>
    ((await ok(await api('GET', `/trace-requests?q=${reference}`, token))).items as Body[]).map(
      (r) => r.id,
    );
  const assign = (token: string, userId: unknown) =>
    api('POST', `/trace-requests/${id}/assignments`, token, { userId });
  const breakGlass = (token: string, body: unknown) =>
    api('POST', `/trace-requests/${id}/break-glass`, token, body);
  const auditActions = async () =>
    (
      (await ok(await api('GET', `/audit/entries?requestId=${id}&limit=200`, aud.token)))
        .items as Body[]
    ).map((e) => ({ action: e.action, actor: e.actor, details: e.details }));

  beforeAll(async () => {
    ({ sys, db } = await stack.start());
    [drafter, inv2, inv3, inv4, sup, ncb, aud, foreignInv] = await Promise.all([
      makeAccount(db, sys.baseUrl, ['investigator'], 'NZ', 'cainv'),
      makeAccount(db, sys.baseUrl, ['investigator'], 'NZ', 'cainv2'),
      makeAccount(db, sys.baseUrl, ['investigator'], 'NZ', 'cainv3'),
      makeAccount(db, sys.baseUrl, ['investigator'], 'NZ', 'cainv4'),
      makeAccount(db, sys.baseUrl, ['supervisor'], 'NZ', 'casup'),
      makeAccount(db, sys.baseUrl, ['ncb_officer'], 'NZ', 'cancb'),
      makeAccount(db, sys.baseUrl, ['auditor'], 'NZ', 'caaud'),
      makeAccount(db, sys.baseUrl, ['investigator'], 'AU', 'cafor'),
    ]);
    const created = await ok(
      await api(
        'POST',
        '/trace-requests',
        drafter.token,
        validRequestBody({ caseReference: `CAS-${marker}` }),
      ),
      201,
    );
    id = created.id as string;
    reference = created.reference as string;
  });

  afterAll(async () => {
    await stack.stop();
  });

  it("the drafter and the country's supervisors, NCB officers and auditors read it; other investigators do not", async () => {
    for (const a of [drafter, sup, ncb, aud]) {
      expect((await detail(a.token)).status).toBe(200);
      expect(await listed(a.token)).toEqual([id]);
    }
    for (const a of [inv2, foreignInv]) {
      expect((await detail(a.token)).status).toBe(404);
      expect(await listed(a.token)).toEqual([]);
      for (const path of ['jurisdictions', 'assets', 'history']) {
        expect({
          path,
          status: (await api('GET', `/trace-requests/${id}/${path}`, a.token)).status,
        }).toEqual({ path, status: 404 });
      }
      expect((await api('POST', `/trace-requests/${id}/submit`, a.token)).status).toBe(404);
    }
  });

  it('the drafter assigns an investigator of the country, who then reads and acts on it', async () => {
    for (const [what, userId] of [
      ['a supervisor', sup.id],
      ['an investigator of another country', foreignInv.id],
      ['an unknown user', randomUUID()],
      ['not an id', 'inv2'],
    ] as const) {
      const res = await assign(drafter.token, userId);
      expect({ what, status: res.status, fields: fields(res) }).toEqual({
        what,
        status: 400,
        fields: ['userId'],
      });
    }
    expect((await assign(inv2.token, inv2.id)).status).toBe(404);
    const res = await assign(drafter.token, inv2.id);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id,
      access: {
        assignees: [{ userId: inv2.id, username: inv2.username, assignedBy: drafter.username }],
      },
    });
    // Again: nothing changes, nothing more is audited.
    expect(
      ((await ok(await assign(drafter.token, inv2.id))).access as Body).assignees,
    ).toHaveLength(1);
    expect((await detail(inv2.token)).status).toBe(200);
    expect(await listed(inv2.token)).toEqual([id]);
    expect((await ok(await api('POST', `/trace-requests/${id}/submit`, inv2.token))).status).toBe(
      'IN_REVIEW',
    );
    // An assignee is not the drafter: it assigns nobody. A supervisor does.
    expect((await assign(inv2.token, inv3.id)).status).toBe(403);
    expect((await assign(sup.token, inv3.id)).status).toBe(200);
    expect((await detail(inv3.token)).status).toBe(200);
    const assigned = (await auditActions()).filter((e) => e.action === 'trace-requests.assign');
    expect(assigned).toEqual([
      {
        action: 'trace-requests.assign',
        actor: drafter.username,
        details: expect.objectContaining({ assignee: inv2.username }),
      },
      {
        action: 'trace-requests.assign',
        actor: sup.username,
        details: expect.objectContaining({ assignee: inv3.username }),
      },
    ]);
  });

  it('another investigator opens it by break-glass: audited, shown to the supervisors, read only', async () => {
    for (const body of [{}, { reason: '   ' }, { reason: 42 }]) {
      const res = await breakGlass(inv4.token, body);
      expect(res.status).toBe(400);
      expect(fields(res)).toEqual(['reason']);
    }
    expect((await detail(inv4.token)).status).toBe(404);
    const reason = `Suspect named in my case ${marker}`;
    const opened = await breakGlass(inv4.token, { reason });
    expect(opened.status).toBe(200);
    expect(opened.body).toMatchObject({ id, reference });
    // An investigator's view of the case leaves the break-glass openings out.
    expect(opened.body.access).toEqual({ assignees: expect.any(Array) });
    expect((await detail(inv4.token)).status).toBe(200);
    expect(await listed(inv4.token)).toEqual([id]);
    // Reading, not acting.
    const withdraw = await api('POST', `/trace-requests/${id}/withdraw`, inv4.token, {
      reason: 'no',
    });
    expect(withdraw.status).toBe(403);
    expect(((await ok(await detail(drafter.token))) as Body).status).toBe('IN_REVIEW');

    expect((await auditActions()).filter((e) => e.action === 'trace-requests.break-glass')).toEqual(
      [
        {
          action: 'trace-requests.break-glass',
          actor: inv4.username,
          details: expect.objectContaining({ reason }),
        },
      ],
    );
    const supView = (await ok(await detail(sup.token))).access as Body;
    expect(supView.breakGlass).toEqual([
      { userId: inv4.id, username: inv4.username, reason, at: expect.any(String) },
    ]);
    for (const a of [drafter, ncb]) {
      expect(((await ok(await detail(a.token))).access as Body).breakGlass).toBeUndefined();
    }
    const told = await eventually(
      async () => {
        const items = (await ok(await api('GET', '/notifications?limit=100', sup.token)))
          .items as Body[];
        return items.find((n) => n.kind === 'break_glass' && n.reference === reference);
      },
      { what: "the supervisors' notification" },
    );
    expect(told.message).toContain(inv4.username);
    expect(told.message).not.toContain(reason);
  });

  it('break-glass is for investigators without access to a case of their own country', async () => {
    expect((await breakGlass(drafter.token, { reason: 'mine' })).status).toBe(409);
    expect((await breakGlass(inv2.token, { reason: 'assigned' })).status).toBe(409);
    expect((await breakGlass(sup.token, { reason: 'why' })).status).toBe(403);
    expect((await breakGlass(foreignInv.token, { reason: 'why' })).status).toBe(404);
    expect(
      (
        await api('POST', `/trace-requests/${randomUUID()}/break-glass`, inv4.token, {
          reason: 'x',
        })
      ).status,
    ).toBe(404);
  });
});
