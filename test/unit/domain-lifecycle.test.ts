import {
  REQUEST_STATUSES,
  RequestStatus,
  allowedActions,
  decide,
  decideCreate,
  evolve,
  fold,
  initialState,
  isFinalRequestStatus,
  stateAt,
  timeline,
} from '../../libs/domain/src/lifecycle-index';
import type {
  Action,
  EditCommand,
  JurisdictionStatus,
  Principal,
  RequestCommand,
  RequestEvent,
  RequestState,
  Role,
  TraceRequestContent,
} from '../../libs/domain/src/lifecycle-index';
import {
  actors,
  sampleContent,
  sampleDiffusion,
  systemActor,
} from '../../libs/domain/src/testing/fixtures';
import { isoFromMs } from '../../libs/domain/src/durations';
import { kindOf } from '../support/refusals';

const NOW = '2025-03-01T10:00:00.000Z';
const ATTESTED = { article3Neutrality: true, dataQualityChecked: true } as const;

/** A supervisor account of the drafter / of an editor: same user id, acting as supervisor. */
const drafterAsSupervisor: Principal = { ...actors.investigator, role: 'supervisor' };
const editorAsSupervisor: Principal = { ...actors.investigator2, role: 'supervisor' };

const cmd = {
  submit: { type: 'submit' },
  approve: { type: 'review', decision: 'approve', comment: 'Well founded' },
  reject: { type: 'review', decision: 'reject', comment: 'No legal basis' },
  changes: { type: 'review', decision: 'request_changes', comment: 'Add the warrant date' },
  toInterpol: { type: 'submitToInterpol', attestation: ATTESTED },
  publish: { type: 'gsDecision', decision: 'published', noticeId: 'SN-2025-000123' },
  refuse: { type: 'gsDecision', decision: 'refused', reasons: ['Article 3: political character'] },
  query: { type: 'gsDecision', decision: 'query', question: 'Which court issued the order?' },
  answer: { type: 'answerQuery', answer: 'The Johannesburg High Court.' },
  withdraw: { type: 'withdraw', reason: 'Purpose achieved' },
  close: { type: 'close', summary: 'Assets located in FR and IT; MLA requests under way.' },
  expire: { type: 'expire' },
  cancel: { type: 'cancel', reason: 'Cancelled by the GS: Article 3 concerns' },
} satisfies Record<string, RequestCommand>;

function edit(state: RequestState, content = sampleContent({ urgency: 'normal' })): EditCommand {
  return {
    type: 'edit',
    content,
    contentHash: `h${state.version + 1}`,
    expectedVersion: state.version,
  };
}

function jurisdiction(country: string, status: JurisdictionStatus): RequestCommand {
  return { type: 'jurisdictionChanged', country, status };
}

function create(content: TraceRequestContent = sampleContent(), requiredApprovals: 1 | 2 = 1) {
  const d = decideCreate(
    { id: 'tr-1', reference: 'SN-ZA-2025-0001', content, contentHash: 'h1', requiredApprovals },
    actors.investigator,
    NOW,
  );
  if (!d.ok) throw new Error(d.message);
  return initialState(d.events[0]);
}

/** Apply a command that must succeed; returns the new state (and the events via `last`). */
let last: RequestEvent[] = [];
function apply(state: RequestState, command: RequestCommand, actor: Principal): RequestState {
  const d = decide(state, command, actor, NOW);
  if (!d.ok) throw new Error(`${command.type} refused: ${d.code} ${d.message}`);
  last = d.events;
  return d.events.reduce(evolve, state);
}

/** A real path to each status, so every state under test is one the machine can reach. */
function reach(
  status: RequestStatus,
  content: TraceRequestContent = sampleContent(),
): RequestState {
  const draft = create(content);
  const inReview = () => apply(draft, cmd.submit, actors.investigator);
  const approved = () => apply(inReview(), cmd.approve, actors.supervisor);
  const submitted = () => apply(approved(), cmd.toInterpol, actors.ncb);
  const published = () => apply(submitted(), cmd.publish, systemActor);
  switch (status) {
    case 'DRAFT':
      return draft;
    case 'IN_REVIEW':
      return inReview();
    case 'CHANGES_REQUESTED':
      return apply(inReview(), cmd.changes, actors.supervisor);
    case 'REJECTED':
      return apply(inReview(), cmd.reject, actors.supervisor);
    case 'APPROVED':
      return approved();
    case 'SUBMITTED':
      return submitted();
    case 'QUERIED':
      return apply(submitted(), cmd.query, systemActor);
    case 'REFUSED':
      return apply(submitted(), cmd.refuse, systemActor);
    case 'PUBLISHED':
      return published();
    case 'COMPLETED':
      return ['FR', 'IT', 'BR'].reduce(
        (s, c) => apply(s, jurisdiction(c, 'ANSWERED'), systemActor),
        published(),
      );
    case 'CLOSED':
      return apply(reach('COMPLETED', content), cmd.close, actors.ncb);
    case 'WITHDRAWN':
      return apply(draft, cmd.withdraw, actors.investigator);
    case 'EXPIRED':
      return apply(draft, cmd.expire, systemActor);
    case 'CANCELLED':
      return apply(published(), cmd.cancel, systemActor);
  }
}

/** 'ok', or the refusal's kind as the client sees it (403 forbidden, 409 conflict, 400 invalid). */
function refusal(state: RequestState, command: RequestCommand, actor: Principal) {
  return kindOf(decide(state, command, actor, NOW));
}

describe('every status is reachable', () => {
  test.each(REQUEST_STATUSES.map((s) => [s]))('%s', (status) => {
    expect(reach(status).status).toBe(status);
  });
});

describe('human commands: every role x every status', () => {
  const NON_FINAL = REQUEST_STATUSES.filter((s) => !isFinalRequestStatus(s));
  const rules: {
    name: string;
    command: (s: RequestState) => RequestCommand;
    roles: Role[];
    from: readonly RequestStatus[];
    to: (s: RequestState) => RequestStatus;
  }[] = [
    {
      name: 'edit',
      command: (s) => edit(s),
      roles: ['investigator'],
      from: ['DRAFT', 'CHANGES_REQUESTED'],
      to: (s) => s.status,
    },
    {
      name: 'submit',
      command: () => cmd.submit,
      roles: ['investigator'],
      from: ['DRAFT', 'CHANGES_REQUESTED'],
      to: () => 'IN_REVIEW',
    },
    {
      name: 'review',
      command: () => cmd.approve,
      roles: ['supervisor'],
      from: ['IN_REVIEW'],
      to: () => 'APPROVED',
    },
    {
      name: 'submitToInterpol',
      command: () => cmd.toInterpol,
      roles: ['ncb_officer'],
      from: ['APPROVED'],
      to: () => 'SUBMITTED',
    },
    {
      name: 'answerQuery',
      command: () => cmd.answer,
      roles: ['investigator'],
      from: ['QUERIED'],
      to: () => 'SUBMITTED',
    },
    {
      name: 'withdraw',
      command: () => cmd.withdraw,
      roles: ['investigator', 'ncb_officer'],
      from: NON_FINAL,
      to: () => 'WITHDRAWN',
    },
    {
      name: 'close',
      command: () => cmd.close,
      roles: ['ncb_officer'],
      from: ['COMPLETED'],
      to: () => 'CLOSED',
    },
  ];
  const who: [string, Principal][] = [
    ['investigator', actors.investigator2],
    ['supervisor', actors.supervisor],
    ['ncb_officer', actors.ncb],
    ['foreign_liaison', actors.liaisonFr],
    ['auditor', actors.auditor],
    ['admin', actors.admin],
    ['system', systemActor],
    ['investigator of FR', actors.investigatorFr],
    ['supervisor of FR', actors.supervisorFr],
    ['ncb_officer of FR', actors.ncbFr],
  ];
  const rows = rules.flatMap((rule) =>
    REQUEST_STATUSES.flatMap((status) =>
      who.map(([label, actor]) => {
        const roleOk =
          actor.role !== 'system' && rule.roles.includes(actor.role) && actor.country === 'ZA';
        const expected = !roleOk ? 'forbidden' : rule.from.includes(status) ? 'ok' : 'conflict';
        return [rule.name, status, label, expected, rule, actor] as const;
      }),
    ),
  );

  test.each(rows)('%s in %s by %s -> %s', (_name, status, _label, expected, rule, actor) => {
    const state = reach(status);
    const d = decide(state, rule.command(state), actor, NOW);
    if (expected === 'ok') {
      expect(d).toMatchObject({ ok: true });
      const next = (d.ok ? d.events : []).reduce(evolve, state);
      expect(next.status).toBe(rule.to(state));
    } else {
      expect(kindOf(d)).toBe(expected);
    }
  });
});

describe('system commands', () => {
  const humans = Object.entries(actors);

  test.each(humans)(
    'no user (%s) may send gsDecision, jurisdictionChanged or expire',
    (_n, actor) => {
      expect(refusal(reach('SUBMITTED'), cmd.publish, actor)).toBe('forbidden');
      expect(refusal(reach('PUBLISHED'), jurisdiction('FR', 'ANSWERED'), actor)).toBe('forbidden');
      expect(refusal(reach('DRAFT'), cmd.expire, actor)).toBe('forbidden');
    },
  );

  test.each(REQUEST_STATUSES.map((s) => [s, isFinalRequestStatus(s) ? 'conflict' : 'EXPIRED']))(
    'expire in %s -> %s',
    (status, expected) => {
      const state = reach(status);
      const d = decide(state, cmd.expire, systemActor, NOW);
      if (expected === 'conflict') {
        expect(d).toMatchObject({ ok: false, code: 'not_allowed_in_state' });
      } else expect(apply(state, cmd.expire, systemActor).status).toBe('EXPIRED');
    },
  );

  // [status, command, expected status | refusal code | 'no-op']
  const gsRows: [RequestStatus, RequestCommand, string][] = [
    ['SUBMITTED', cmd.publish, 'PUBLISHED'],
    ['SUBMITTED', cmd.refuse, 'REFUSED'],
    ['SUBMITTED', cmd.query, 'QUERIED'],
    ['SUBMITTED', { type: 'gsDecision', decision: 'refused' }, 'invalid'],
    ['SUBMITTED', { type: 'gsDecision', decision: 'refused', reasons: ['  '] }, 'invalid'],
    ['SUBMITTED', { type: 'gsDecision', decision: 'query' }, 'invalid'],
    ['SUBMITTED', { type: 'gsDecision', decision: 'maybe' as never }, 'invalid'],
    ['PUBLISHED', cmd.publish, 'no-op'],
    ['COMPLETED', cmd.publish, 'no-op'],
    ['REFUSED', cmd.refuse, 'no-op'],
    ['QUERIED', cmd.query, 'no-op'],
    ['QUERIED', { type: 'gsDecision', decision: 'query', question: 'Another one?' }, 'conflict'],
    ['QUERIED', cmd.publish, 'conflict'],
    ['PUBLISHED', cmd.refuse, 'conflict'],
    ['PUBLISHED', cmd.query, 'conflict'],
    ['REFUSED', cmd.publish, 'conflict'],
    ['DRAFT', cmd.publish, 'conflict'],
    ['IN_REVIEW', cmd.refuse, 'conflict'],
    ['APPROVED', cmd.publish, 'conflict'],
    ['WITHDRAWN', cmd.refuse, 'conflict'],
    ['CLOSED', cmd.publish, 'conflict'],
  ];
  test.each(gsRows)('gsDecision in %s: %j -> %s', (status, command, expected) => {
    const state = reach(status);
    const d = decide(state, command, systemActor, NOW);
    if (expected === 'no-op') expect(d).toEqual({ ok: true, events: [] });
    else if (['invalid', 'conflict', 'forbidden'].includes(expected)) {
      expect(kindOf(d)).toBe(expected);
    } else {
      expect(apply(state, command, systemActor).status).toBe(expected);
    }
  });

  test('publishing records the notice id and one AWAITING track per target country', () => {
    const s = reach('PUBLISHED');
    expect(s.interpol.noticeId).toBe('SN-2025-000123');
    expect(s.jurisdictions).toEqual({ FR: 'AWAITING', IT: 'AWAITING', BR: 'AWAITING' });
  });

  test('an allMembers notice needs the participating countries, never its own', () => {
    const content = sampleContent({ targetCountries: undefined, allMembers: true });
    const submitted = reach('SUBMITTED', content);
    expect(refusal(submitted, cmd.publish, systemActor)).toBe('invalid');
    const s = apply(
      submitted,
      { ...cmd.publish, recipients: ['ZA', 'FR', 'DE', 'FR'] },
      systemActor,
    );
    expect(Object.keys(s.jurisdictions)).toEqual(['FR', 'DE']);
  });

  test('query and answer: QUERIED -> SUBMITTED with the exchange on record', () => {
    const answered = apply(reach('QUERIED'), cmd.answer, actors.investigator2);
    expect(answered.status).toBe('SUBMITTED');
    expect(answered.interpol.queries).toEqual([
      {
        question: cmd.query.question,
        askedAt: NOW,
        answer: cmd.answer.answer,
        answeredAt: NOW,
      },
    ]);
    // A second round: the new query is pending, the old one stays answered.
    const again = apply(answered, { ...cmd.query, question: 'And the date?' }, systemActor);
    expect(again.interpol.queries.map((q) => q.answer)).toEqual([cmd.answer.answer, undefined]);
  });
});

describe('four-eyes', () => {
  test.each([
    ['the drafter', drafterAsSupervisor],
    ['an editor', editorAsSupervisor],
  ])('%s may not review (forbidden), whatever the decision', (_l, actor) => {
    const edited = apply(create(), edit(create()), actors.investigator2);
    const inReview = apply(edited, cmd.submit, actors.investigator);
    for (const c of [cmd.approve, cmd.reject, cmd.changes]) {
      expect(decide(inReview, c, actor, NOW)).toMatchObject({ ok: false, code: 'four_eyes' });
    }
    expect(decide(inReview, cmd.approve, actors.supervisor, NOW)).toMatchObject({ ok: true });
  });

  test('four-eyes is checked before status: the drafter is refused even on a DRAFT', () => {
    expect(refusal(reach('DRAFT'), cmd.approve, drafterAsSupervisor)).toBe('forbidden');
  });

  test('role is checked before four-eyes: the drafter as investigator gets the role message', () => {
    const d = decide(reach('IN_REVIEW'), cmd.approve, actors.investigator, NOW);
    expect(d).toMatchObject({
      ok: false,
      code: 'forbidden_role',
      message: expect.stringMatching(/role supervisor/),
    });
  });

  test('two approvals: level 1 keeps IN_REVIEW, the same supervisor cannot give level 2', () => {
    const inReview = apply(create(sampleContent(), 2), cmd.submit, actors.investigator);
    const once = apply(inReview, cmd.approve, actors.supervisor);
    expect(last.map((e) => e.type)).toEqual(['ApprovalRecorded']);
    expect(once.status).toBe('IN_REVIEW');
    expect(once.approvals.map((a) => a.userId)).toEqual([actors.supervisor.userId]);
    for (const c of [cmd.approve, cmd.reject, cmd.changes]) {
      expect(refusal(once, c, actors.supervisor)).toBe('forbidden');
    }
    const twice = apply(once, cmd.approve, actors.supervisor2);
    expect(last.map((e) => e.type)).toEqual(['Approved']);
    expect(twice.status).toBe('APPROVED');
    expect(twice.approvedContentHash).toBe('h1');
  });

  test('a change request resets the round: the first approver may approve the new version', () => {
    const inReview = apply(create(sampleContent(), 2), cmd.submit, actors.investigator);
    const once = apply(inReview, cmd.approve, actors.supervisor);
    const back = apply(once, cmd.changes, actors.supervisor2);
    expect(back.approvals).toEqual([]);
    const resubmitted = apply(
      apply(back, edit(back), actors.investigator),
      cmd.submit,
      actors.investigator,
    );
    expect(apply(resubmitted, cmd.approve, actors.supervisor).approvals).toHaveLength(1);
  });
});

describe('versions and content hashes', () => {
  test('edit bumps the version and records the editor; a stale version is a conflict', () => {
    const draft = create();
    const v2 = apply(draft, edit(draft), actors.investigator2);
    expect(v2).toMatchObject({
      version: 2,
      contentHash: 'h2',
      editorIds: [actors.investigator2.userId],
    });
    expect(v2.content.urgency).toBe('normal');
    expect(refusal(v2, edit(draft), actors.investigator)).toBe('conflict');
    // The drafter editing is not an "editor" (already excluded from review as drafter).
    expect(apply(v2, edit(v2), actors.investigator).editorIds).toEqual([
      actors.investigator2.userId,
    ]);
  });

  test('submit and review accept an optional expectedVersion', () => {
    const v2 = apply(create(), edit(create()), actors.investigator);
    expect(refusal(v2, { type: 'submit', expectedVersion: 1 }, actors.investigator)).toBe(
      'conflict',
    );
    const inReview = apply(v2, { type: 'submit', expectedVersion: 2 }, actors.investigator);
    expect(refusal(inReview, { ...cmd.approve, expectedVersion: 1 }, actors.supervisor)).toBe(
      'conflict',
    );
  });

  test('edit without expectedVersion is invalid; a bad content is invalid', () => {
    const draft = create();
    const noVersion = {
      type: 'edit',
      content: sampleContent(),
      contentHash: 'h2',
    } as unknown as RequestCommand;
    expect(refusal(draft, noVersion, actors.investigator)).toBe('invalid');
    const diffusionToAll = sampleDiffusion({ targetCountries: undefined, allMembers: true });
    expect(refusal(draft, edit(draft, diffusionToAll), actors.investigator)).toBe('invalid');
    expect(refusal(draft, { ...edit(draft), contentHash: '' }, actors.investigator)).toBe(
      'invalid',
    );
  });

  test('the content submitted to INTERPOL must be the content approved', () => {
    const approved = reach('APPROVED');
    expect(refusal(approved, { ...cmd.toInterpol, contentHash: 'other' }, actors.ncb)).toBe(
      'conflict',
    );
    const tampered: RequestState = { ...approved, contentHash: 'h-tampered' };
    expect(refusal(tampered, cmd.toInterpol, actors.ncb)).toBe('conflict');
    const submitted = apply(approved, { ...cmd.toInterpol, contentHash: 'h1' }, actors.ncb);
    expect(submitted.submittedContentHash).toBe('h1');
  });

  test('a change request drops the approved hash', () => {
    expect(reach('CHANGES_REQUESTED').approvedContentHash).toBeUndefined();
  });
});

describe('payload refusals (invalid, only after role and status passed)', () => {
  test.each<[RequestStatus, RequestCommand, Principal]>([
    ['IN_REVIEW', { type: 'review', decision: 'reject' }, actors.supervisor],
    ['IN_REVIEW', { type: 'review', decision: 'request_changes', comment: ' ' }, actors.supervisor],
    ['IN_REVIEW', { type: 'review', decision: 'maybe' as never }, actors.supervisor],
    [
      'IN_REVIEW',
      { type: 'review', decision: 'approve', comment: 'x'.repeat(2001) },
      actors.supervisor,
    ],
    [
      'APPROVED',
      { type: 'submitToInterpol', attestation: { article3Neutrality: true } as never },
      actors.ncb,
    ],
    [
      'APPROVED',
      {
        type: 'submitToInterpol',
        attestation: { article3Neutrality: 'true', dataQualityChecked: true } as never,
      },
      actors.ncb,
    ],
    ['QUERIED', { type: 'answerQuery', answer: '' }, actors.investigator],
    ['DRAFT', { type: 'withdraw', reason: '' }, actors.investigator],
    ['COMPLETED', { type: 'close', summary: 'x'.repeat(10001) }, actors.ncb],
    ['DRAFT', { type: 'teleport' } as never, actors.investigator],
  ])('%s: %j -> invalid', (status, command, actor) => {
    expect(refusal(reach(status), command, actor)).toBe('invalid');
  });

  test('approve with a null comment is an approval without comment', () => {
    const approved = apply(
      reach('IN_REVIEW'),
      { type: 'review', decision: 'approve', comment: null as never },
      actors.supervisor,
    );
    expect(approved.lastReview).toEqual({
      decision: 'approve',
      by: actors.supervisor.userId,
      at: NOW,
    });
  });

  test('decideCreate: investigators only, and the content must route', () => {
    const input = {
      id: 'tr-2',
      reference: 'SN-ZA-2025-0002',
      content: sampleContent(),
      contentHash: 'h',
      requiredApprovals: 1 as const,
    };
    expect(decideCreate(input, actors.supervisor, NOW)).toMatchObject({
      ok: false,
      code: 'forbidden_role',
    });
    expect(decideCreate(input, systemActor, NOW)).toMatchObject({
      ok: false,
      code: 'forbidden_role',
    });
    expect(
      decideCreate(
        { ...input, content: sampleContent({ targetCountries: [] }) },
        actors.investigator,
        NOW,
      ),
    ).toMatchObject({ ok: false, code: 'invalid' });
    expect(
      decideCreate({ ...input, requiredApprovals: 3 as never }, actors.investigator, NOW),
    ).toMatchObject({ ok: false, code: 'invalid' });
    const d = decideCreate(input, actors.investigator, NOW);
    expect(d).toMatchObject({
      ok: true,
      events: [{ type: 'Created', requestingCountry: 'ZA', actor: actors.investigator }],
    });
  });
});

describe('diffusion path', () => {
  test('submitToInterpol dispatches directly: SubmittedToInterpol + Published -> PUBLISHED', () => {
    const s = apply(reach('APPROVED', sampleDiffusion()), cmd.toInterpol, actors.ncb);
    expect(last.map((e) => e.type)).toEqual(['SubmittedToInterpol', 'Published']);
    expect(last[1]).toMatchObject({ channel: 'diffusion', countries: ['FR', 'BR'] });
    expect(s.status).toBe('PUBLISHED');
    expect(s.jurisdictions).toEqual({ FR: 'AWAITING', BR: 'AWAITING' });
  });

  test('the GS may still confirm it (no-op) or order it withdrawn -> WITHDRAWN', () => {
    const published = apply(reach('APPROVED', sampleDiffusion()), cmd.toInterpol, actors.ncb);
    expect(decide(published, cmd.publish, systemActor, NOW)).toEqual({ ok: true, events: [] });
    expect(refusal(published, cmd.query, systemActor)).toBe('conflict');
    const withdrawn = apply(published, cmd.refuse, systemActor);
    expect(withdrawn.status).toBe('WITHDRAWN');
    expect(withdrawn.withdrawal).toMatchObject({ orderedBy: 'interpol_gs', by: 'system' });
    expect(withdrawn.withdrawal?.reason).toMatch(/political character/);
    // Redelivered order: nothing more happens.
    expect(decide(withdrawn, cmd.refuse, systemActor, NOW)).toEqual({ ok: true, events: [] });
  });

  test('a diffusion whose only target is its own country cannot be dispatched', () => {
    const approved = reach('APPROVED', sampleDiffusion({ targetCountries: ['ZA'] }));
    expect(refusal(approved, cmd.toInterpol, actors.ncb)).toBe('invalid');
  });
});

describe('jurisdictions and completion', () => {
  test('Completed is emitted with the change that makes every country final', () => {
    let s = reach('PUBLISHED');
    s = apply(s, jurisdiction('FR', 'ACKNOWLEDGED'), systemActor);
    s = apply(s, jurisdiction('FR', 'ANSWERED'), systemActor);
    expect(last.map((e) => e.type)).toEqual(['JurisdictionChanged']);
    s = apply(s, jurisdiction('IT', 'OVERDUE'), systemActor);
    expect(s.status).toBe('PUBLISHED');
    s = apply(s, jurisdiction('BR', 'DECLINED'), systemActor);
    expect(last.map((e) => e.type)).toEqual(['JurisdictionChanged', 'Completed']);
    expect(s.status).toBe('COMPLETED');
    // A late answer from an OVERDUE country is recorded, completion is not repeated.
    s = apply(s, jurisdiction('IT', 'ANSWERED'), systemActor);
    expect(last.map((e) => e.type)).toEqual(['JurisdictionChanged']);
    expect(s).toMatchObject({
      status: 'COMPLETED',
      jurisdictions: { FR: 'ANSWERED', IT: 'ANSWERED', BR: 'DECLINED' },
    });
  });

  test.each<[RequestStatus, RequestCommand, string]>([
    ['PUBLISHED', jurisdiction('DE', 'ANSWERED'), 'invalid'],
    ['PUBLISHED', jurisdiction('FR', 'DONE' as never), 'invalid'],
    ['COMPLETED', jurisdiction('FR', 'PARTIAL'), 'conflict'],
    ['SUBMITTED', jurisdiction('FR', 'ANSWERED'), 'conflict'],
    ['CLOSED', jurisdiction('FR', 'ANSWERED'), 'conflict'],
  ])('in %s: %j -> %s', (status, command, code) => {
    expect(refusal(reach(status), command, systemActor)).toBe(code);
  });

  test('an unchanged status is a no-op', () => {
    expect(decide(reach('PUBLISHED'), jurisdiction('FR', 'AWAITING'), systemActor, NOW)).toEqual({
      ok: true,
      events: [],
    });
  });
});

describe('allowedActions', () => {
  const table: [RequestStatus, Principal, Action[]][] = [
    ['DRAFT', actors.investigator, ['edit', 'submit', 'withdraw']],
    ['DRAFT', actors.investigator2, ['edit', 'submit', 'withdraw']],
    ['DRAFT', actors.supervisor, []],
    ['DRAFT', actors.ncb, ['withdraw']],
    ['DRAFT', actors.investigatorFr, []],
    ['IN_REVIEW', actors.investigator, ['withdraw']],
    ['IN_REVIEW', actors.supervisor, ['review']],
    ['IN_REVIEW', drafterAsSupervisor, []],
    ['IN_REVIEW', actors.supervisorFr, []],
    ['CHANGES_REQUESTED', actors.investigator, ['edit', 'submit', 'withdraw']],
    ['APPROVED', actors.ncb, ['interpol-submission', 'withdraw']],
    ['APPROVED', actors.investigator, ['withdraw']],
    ['SUBMITTED', actors.ncb, ['withdraw']],
    ['QUERIED', actors.investigator, ['query-answers', 'withdraw']],
    ['QUERIED', actors.ncb, ['withdraw']],
    ['PUBLISHED', actors.ncb, ['withdraw', 'suspend']],
    ['PUBLISHED', actors.supervisor, []],
    ['COMPLETED', actors.ncb, ['withdraw', 'close', 'suspend']],
    ['CANCELLED', actors.ncb, []],
    ['COMPLETED', actors.investigator, ['withdraw']],
    ['REJECTED', actors.investigator, []],
    ['CLOSED', actors.ncb, []],
    ['WITHDRAWN', actors.ncb, []],
    ['EXPIRED', actors.investigator, []],
  ];
  test.each(table.map(([s, a, e]) => [s, a.username + ' as ' + a.role, e, a] as const))(
    '%s for %s -> %j',
    (status, _who, expected, actor) => {
      expect(allowedActions(reach(status), actor)).toEqual(expected);
    },
  );

  test.each(REQUEST_STATUSES.map((s) => [s]))(
    'auditors, admins, liaisons and the system: none in %s',
    (status) => {
      const state = reach(status);
      for (const actor of [actors.auditor, actors.admin, actors.liaisonFr, systemActor]) {
        expect(allowedActions(state, actor)).toEqual([]);
      }
    },
  );
});

describe('evolve, fold, timeline', () => {
  function history(): RequestEvent[] {
    const events: RequestEvent[] = [];
    const step = (s: RequestState, c: RequestCommand, a: Principal, at: string) => {
      const d = decide(s, c, a, at);
      if (!d.ok) throw new Error(d.message);
      events.push(...d.events);
      return d.events.reduce(evolve, s);
    };
    const created = decideCreate(
      {
        id: 'tr-9',
        reference: 'SN-ZA-2025-0009',
        content: sampleContent(),
        contentHash: 'h1',
        requiredApprovals: 1,
      },
      actors.investigator,
      '2025-01-01T00:00:00.000Z',
    );
    if (!created.ok) throw new Error(created.message);
    events.push(...created.events);
    let s = initialState(created.events[0]);
    s = step(s, cmd.submit, actors.investigator, '2025-01-02T00:00:00.000Z');
    s = step(s, cmd.approve, actors.supervisor, '2025-01-03T00:00:00.000Z');
    s = step(s, cmd.toInterpol, actors.ncb, '2025-01-04T00:00:00.000Z');
    step(s, cmd.publish, systemActor, '2025-01-05T00:00:00.000Z');
    return events;
  }

  test('fold(history) rebuilds the live state', () => {
    const events = history();
    const s = fold(events);
    expect(s).toMatchObject({
      status: 'PUBLISHED',
      version: 1,
      createdAt: '2025-01-01T00:00:00.000Z',
      updatedAt: '2025-01-05T00:00:00.000Z',
    });
    expect(s.approvals).toEqual([
      { userId: actors.supervisor.userId, at: '2025-01-03T00:00:00.000Z' },
    ]);
  });

  test('timeline gives from/to statuses; stateAt answers as of a time', () => {
    const events = history();
    expect(timeline(events).map((t) => [t.action, t.fromStatus, t.toStatus, t.actor.role])).toEqual(
      [
        ['Created', null, 'DRAFT', 'investigator'],
        ['SubmittedForReview', 'DRAFT', 'IN_REVIEW', 'investigator'],
        ['Approved', 'IN_REVIEW', 'APPROVED', 'supervisor'],
        ['SubmittedToInterpol', 'APPROVED', 'SUBMITTED', 'ncb_officer'],
        ['Published', 'SUBMITTED', 'PUBLISHED', 'system'],
      ],
    );
    expect(stateAt(events, '2025-01-03T12:00:00.000Z')?.status).toBe('APPROVED');
    expect(stateAt(events, '2024-12-31T00:00:00.000Z')).toBeUndefined();
  });

  test('fold refuses a history without Created; evolve is total and immutable', () => {
    expect(() => fold([])).toThrow(/Created/);
    const s = reach('DRAFT');
    const frozen = JSON.stringify(s);
    const after = evolve(s, { type: 'Nonsense', at: NOW, actor: systemActor } as never);
    expect(after.status).toBe('DRAFT');
    evolve(s, { type: 'Withdrawn', at: NOW, actor: actors.investigator, reason: 'r' });
    expect(JSON.stringify(s)).toBe(frozen);
  });

  test('events carry a snapshot of the actor, nothing more', () => {
    const extra = {
      ...actors.investigator,
      roles: ['investigator', 'admin'],
      token: 'secret',
    } as Principal;
    const d = decide(reach('DRAFT'), cmd.submit, extra, NOW);
    expect(d.ok && d.events[0].actor).toEqual(actors.investigator);
  });

  test('states and events survive JSON (Temporal payloads)', () => {
    const s = reach('COMPLETED');
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });
});

test('RequestStatus words are exactly those of api.md', () => {
  expect(REQUEST_STATUSES).toEqual([
    'DRAFT',
    'IN_REVIEW',
    'CHANGES_REQUESTED',
    'REJECTED',
    'APPROVED',
    'SUBMITTED',
    'QUERIED',
    'REFUSED',
    'PUBLISHED',
    'COMPLETED',
    'CLOSED',
    'WITHDRAWN',
    'EXPIRED',
    'CANCELLED',
  ]);
  expect(RequestStatus.PUBLISHED).toBe('PUBLISHED');
});

test('isoFromMs formats like Date#toISOString, without a Date', () => {
  for (const ms of [
    0,
    951782400000,
    1709164800123,
    4102444799999,
    Date.parse(NOW) + 180 * 86_400_000,
  ]) {
    expect(isoFromMs(ms)).toBe(new Date(ms).toISOString());
  }
});

describe('suspension and cancellation', () => {
  const DAY = 86_400_000;
  const at = (days: number) => new Date(Date.parse(NOW) + days * DAY).toISOString();
  const suspend = (extra: Partial<RequestCommand> = {}): RequestCommand =>
    ({
      type: 'suspend',
      reason: 'Data quality review',
      duration: 'P1M',
      ...extra,
    }) as RequestCommand;
  const decideAt = (s: RequestState, c: RequestCommand, a: Principal, when = NOW) =>
    decide(s, c, a, when);
  const run = (s: RequestState, c: RequestCommand, a: Principal, when = NOW) => {
    const d = decideAt(s, c, a, when);
    if (!d.ok) throw new Error(`${c.type} refused: ${d.code} ${d.message}`);
    return d.events.reduce(evolve, s);
  };

  test.each(REQUEST_STATUSES.map((s) => [s]))('who may suspend in %s', (status) => {
    const state = reach(status);
    const open = status === 'PUBLISHED' || status === 'COMPLETED';
    expect(refusal(state, suspend(), actors.ncb)).toBe(open ? 'ok' : 'conflict');
    expect(refusal(state, suspend(), systemActor)).toBe(open ? 'ok' : 'conflict');
    for (const other of [
      actors.investigator,
      actors.supervisor,
      actors.liaisonFr,
      actors.auditor,
      actors.admin,
    ]) {
      expect(refusal(state, suspend(), other)).toBe('forbidden');
    }
    expect(refusal(state, suspend(), actors.ncbFr)).toBe('forbidden');
  });

  it('records who, why and until; keeps the status; the NCB lifts its own suspension', () => {
    const s = run(reach('PUBLISHED'), suspend(), actors.ncb);
    expect(s.status).toBe('PUBLISHED');
    expect(s.suspension).toEqual({
      reason: 'Data quality review',
      since: NOW,
      until: at(30),
      by: actors.ncb.userId,
      extensions: 0,
    });
    expect(allowedActions(s, actors.ncb)).toEqual(['withdraw', 'suspend', 'resume']);
    const resumed = decideAt(s, { type: 'resume' }, actors.ncb, at(3));
    expect(resumed).toMatchObject({
      ok: true,
      events: [{ type: 'Resumed', suspendedSince: NOW, expired: false }],
    });
    const after = run(s, { type: 'resume' }, actors.ncb, at(3));
    expect(after.suspension).toBeUndefined();
    expect(refusal(after, { type: 'resume' }, actors.ncb)).toBe('conflict');
    // A new suspension after the first one ended is a new one.
    expect(refusal(after, suspend(), actors.ncb)).toBe('ok');
  });

  it('at most six months, with an end date or a duration', () => {
    const published = reach('PUBLISHED');
    const invalidField = (c: RequestCommand) => {
      const d = decide(published, c, actors.ncb, NOW);
      return d.ok ? 'ok' : `${d.code}:${d.field}`;
    };
    expect(invalidField(suspend({ duration: 'P6M' }))).toBe('ok');
    expect(invalidField(suspend({ duration: 'P6M1D' }))).toBe('invalid:duration');
    expect(invalidField(suspend({ duration: 'P7M' }))).toBe('invalid:duration');
    expect(invalidField(suspend({ duration: 'three months' }))).toBe('invalid:duration');
    expect(invalidField(suspend({ duration: undefined, until: at(180) }))).toBe('ok');
    expect(invalidField(suspend({ duration: undefined, until: at(181) }))).toBe('invalid:until');
    expect(invalidField(suspend({ duration: undefined, until: at(-1) }))).toBe('invalid:until');
    expect(invalidField(suspend({ duration: undefined, until: 'soon' }))).toBe('invalid:until');
    expect(invalidField(suspend({ duration: undefined }))).toBe('invalid:until');
    expect(invalidField(suspend({ until: at(10) }))).toBe('invalid:until');
    expect(invalidField(suspend({ reason: ' ' }))).toBe('invalid:reason');
  });

  it('one extension, the whole suspension within six months of its start', () => {
    const s = run(reach('PUBLISHED'), suspend({ duration: 'P3M' }), actors.ncb);
    // An extension adds its duration to the current end.
    const tooLong = decide(s, suspend({ duration: 'P3M1D' }), actors.ncb, at(10));
    expect(tooLong).toMatchObject({ ok: false, code: 'invalid', field: 'duration' });
    const extended = run(s, suspend({ duration: 'P2M', reason: 'More time' }), actors.ncb, at(10));
    expect(extended.suspension).toMatchObject({
      since: NOW,
      until: at(150),
      extensions: 1,
      reason: 'More time',
    });
    expect(allowedActions(extended, actors.ncb)).toEqual(['withdraw', 'resume']);
    expect(decide(extended, suspend({ duration: 'P1D' }), actors.ncb, at(20))).toMatchObject({
      ok: false,
      code: 'not_allowed_in_state',
      rule: 'one-extension',
    });
    // An earlier end is no extension.
    expect(
      decide(s, suspend({ duration: undefined, until: at(60) }), actors.ncb, at(10)),
    ).toMatchObject({ ok: false, code: 'invalid', field: 'until' });
  });

  it('a GS suspension is extended and lifted by the GS only', () => {
    const s = run(reach('PUBLISHED'), suspend(), systemActor);
    expect(s.suspension?.orderedBy).toBe('interpol_gs');
    expect(decide(s, { type: 'resume' }, actors.ncb, NOW)).toMatchObject({
      ok: false,
      code: 'not_allowed_in_state',
      rule: 'gs-suspension',
    });
    expect(allowedActions(s, actors.ncb)).toEqual(['withdraw']);
    expect(refusal(s, suspend({ duration: 'P1M' }), systemActor)).toBe('ok');
    expect(refusal(s, { type: 'resume' }, systemActor)).toBe('ok');
  });

  it('ends by itself at its end (system timer only, not before)', () => {
    const s = run(reach('PUBLISHED'), suspend(), actors.ncb);
    expect(refusal(s, { type: 'suspensionEnded' }, actors.ncb)).toBe('forbidden');
    expect(decide(s, { type: 'suspensionEnded' }, systemActor, at(29))).toMatchObject({
      ok: false,
      code: 'deadline_not_passed',
    });
    const ended = decide(s, { type: 'suspensionEnded' }, systemActor, at(30));
    expect(ended).toMatchObject({ ok: true, events: [{ type: 'Resumed', expired: true }] });
    // A stale timer after it was lifted changes nothing.
    const lifted = run(s, { type: 'resume' }, actors.ncb);
    expect(decide(lifted, { type: 'suspensionEnded' }, systemActor, at(30))).toEqual({
      ok: true,
      events: [],
    });
  });

  it('a suspended request still completes, and is withdrawn or closed without its suspension', () => {
    const s = run(reach('PUBLISHED'), suspend(), actors.ncb);
    const withdrawn = run(s, cmd.withdraw, actors.ncb);
    expect(withdrawn.status).toBe('WITHDRAWN');
    expect(withdrawn.suspension).toBeUndefined();
    const done = ['FR', 'IT', 'BR'].reduce(
      (x, c) => run(x, jurisdiction(c, 'ANSWERED'), systemActor),
      s,
    );
    expect(done.status).toBe('COMPLETED');
    expect(done.suspension).toBeDefined();
  });

  test.each(REQUEST_STATUSES.map((s) => [s]))('cancellation by the GS in %s', (status) => {
    const state = reach(status);
    const cancellable = ['SUBMITTED', 'QUERIED', 'PUBLISHED', 'COMPLETED'].includes(status);
    expect(refusal(state, cmd.cancel, systemActor)).toBe(
      cancellable || status === 'CANCELLED' ? 'ok' : 'conflict',
    );
    for (const human of [actors.ncb, actors.investigator, actors.supervisor, actors.admin]) {
      expect(refusal(state, cmd.cancel, human)).toBe('forbidden');
    }
  });

  it('cancellation is final, keeps its reason, and a redelivery changes nothing', () => {
    const suspended = run(reach('PUBLISHED'), suspend(), systemActor);
    const cancelled = run(suspended, cmd.cancel, systemActor);
    expect(cancelled.status).toBe('CANCELLED');
    expect(isFinalRequestStatus(cancelled.status)).toBe(true);
    expect(cancelled.cancellation).toEqual({ reason: cmd.cancel.reason, at: NOW });
    expect(cancelled.suspension).toBeUndefined();
    expect(decide(cancelled, cmd.cancel, systemActor, NOW)).toEqual({ ok: true, events: [] });
    expect(refusal(cancelled, cmd.withdraw, actors.ncb)).toBe('conflict');
    expect(refusal(cancelled, suspend(), actors.ncb)).toBe('conflict');
    expect(refusal(reach('PUBLISHED'), { type: 'cancel', reason: '' }, systemActor)).toBe(
      'invalid',
    );
  });
});
