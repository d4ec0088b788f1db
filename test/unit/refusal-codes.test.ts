// Refusals are structured: the domain says why with a code from a closed set (rules.ts), the
// workflow carries it as the Temporal failure's type, and the API answers by a table keyed by
// code. Every code has its answer; no answer depends on the wording of the message.
import { ApplicationFailure, WorkflowUpdateFailedError } from '@temporalio/client';
import {
  PROBLEM_TYPES,
  REFUSAL_HTTP,
  refusalProblem,
  temporalProblem,
} from '../../apps/api/src/common/temporal-errors';
import type { ProblemDetails } from '../../apps/api/src/common/problem';
import {
  REFUSAL_CODES,
  decide,
  decideCreate,
  decideJurisdiction,
  evolve,
  initialJurisdiction,
  initialState,
} from '../../libs/domain/src/lifecycle-index';
import type {
  Actor,
  Decision,
  RefusalCode,
  RequestCommand,
  RequestState,
} from '../../libs/domain/src/lifecycle-index';
import { actors, sampleContent, systemActor } from '../../libs/domain/src/testing/fixtures';

const NOW = '2026-03-01T00:00:00.000Z';

const body = (p: { getResponse(): unknown }) => p.getResponse() as ProblemDetails;

describe('every refusal code has its HTTP answer', () => {
  test('the table covers exactly the closed set of codes', () => {
    expect(Object.keys(REFUSAL_HTTP).sort()).toEqual([...REFUSAL_CODES].sort());
  });

  test.each(REFUSAL_CODES.map((c) => [c]))('%s', (code) => {
    const answer = REFUSAL_HTTP[code];
    expect([400, 403, 409]).toContain(answer.status);
    const problem = refusalProblem(code, 'refused');
    expect(problem.getStatus()).toBe(answer.status);
    expect(body(problem)).toMatchObject({ status: answer.status, code, detail: 'refused' });
  });

  test.each([
    ['forbidden_role', 403],
    ['forbidden_country', 403],
    ['system_only', 403],
    ['four_eyes', 403],
    ['not_allowed_in_state', 409],
    ['stale_version', 409],
    ['content_not_approved', 409],
    ['deadline_not_passed', 409],
    ['quota_exhausted', 409],
    ['invalid', 400],
  ] as const)('api.md: %s -> %i', (code, status) => {
    expect(REFUSAL_HTTP[code].status).toBe(status);
  });

  test('four-eyes and quota keep their problem types, by code', () => {
    expect(body(refusalProblem('four_eyes', 'x')).type).toBe(PROBLEM_TYPES.fourEyes);
    expect(body(refusalProblem('quota_exhausted', 'x')).type).toBe(PROBLEM_TYPES.quota);
    // The wording no longer decides anything: a "four-eyes ..." message under another code.
    expect(body(refusalProblem('forbidden_role', 'four-eyes rule: x')).type).not.toBe(
      PROBLEM_TYPES.fourEyes,
    );
  });

  test('the field comes from the refusal, never from parsing the message', () => {
    const named = refusalProblem('invalid', 'a declined response needs a reason', {
      field: 'narrative',
    });
    expect(body(named).errors).toEqual([
      { field: 'narrative', message: 'a declined response needs a reason' },
    ]);
    expect(body(refusalProblem('invalid', 'newDeadline must be later')).errors).toBeUndefined();
    const withRule = refusalProblem('four_eyes', 'x', { rule: 'reviewer-not-author' });
    expect(body(withRule)).toMatchObject({ code: 'four_eyes', rule: 'reviewer-not-author' });
  });

  test('codes of older workflow code keep their answers; an unknown one is a 409', () => {
    expect(refusalProblem('forbidden', 'x').getStatus()).toBe(403);
    expect(refusalProblem('conflict', 'x').getStatus()).toBe(409);
    expect(body(refusalProblem('quota', 'x')).type).toBe(PROBLEM_TYPES.quota);
    expect(refusalProblem('something_else', 'x').getStatus()).toBe(409);
  });

  test('a workflow update failure is read by type and details', () => {
    const failure = ApplicationFailure.create({
      message: 'newDeadline must be an ISO 8601 date-time',
      type: 'invalid',
      nonRetryable: true,
      details: [{ field: 'newDeadline' }],
    });
    const err = new WorkflowUpdateFailedError('update failed', failure);
    const problem = temporalProblem(err, { closed: 'closed' })!;
    expect(problem.getStatus()).toBe(400);
    expect(body(problem as never)).toMatchObject({
      code: 'invalid',
      errors: [{ field: 'newDeadline' }],
    });
  });
});

describe('the domain produces every code but the quota (the workflow reserves quota slots)', () => {
  const draft = (): RequestState => {
    const d = decideCreate(
      {
        id: 'r1',
        reference: 'ZA-1',
        content: sampleContent(),
        contentHash: 'h',
        requiredApprovals: 1,
      },
      actors.investigator,
      NOW,
    );
    if (!d.ok) throw new Error(d.message);
    return initialState(d.events[0]);
  };
  const run = (
    state: RequestState,
    command: RequestCommand,
    actor: Actor = actors.investigator,
  ) => {
    const d = decide(state, command, actor, NOW);
    if (!d.ok) throw new Error(d.message);
    return d.events.reduce(evolve, state);
  };
  const inReview = () => run(draft(), { type: 'submit' });
  const approved = () =>
    run(inReview(), { type: 'review', decision: 'approve' }, actors.supervisor);
  const refusalOf = (d: Decision<unknown>) => (d.ok ? undefined : d);

  const cases: [RefusalCode, () => Decision<unknown>, string?][] = [
    ['forbidden_role', () => decide(draft(), { type: 'submit' }, actors.supervisor, NOW)],
    ['forbidden_country', () => decide(draft(), { type: 'submit' }, actors.investigatorFr, NOW)],
    ['system_only', () => decide(draft(), { type: 'expire' }, actors.investigator, NOW)],
    [
      'four_eyes',
      () =>
        decide(
          inReview(),
          { type: 'review', decision: 'approve' },
          { ...actors.supervisor, userId: actors.investigator.userId },
          NOW,
        ),
    ],
    [
      'not_allowed_in_state',
      () => decide(draft(), { type: 'close', summary: 'done' }, actors.ncb, NOW),
    ],
    [
      'stale_version',
      () => decide(draft(), { type: 'submit', expectedVersion: 7 }, actors.investigator, NOW),
      'expectedVersion',
    ],
    [
      'content_not_approved',
      () =>
        decide(
          approved(),
          {
            type: 'submitToInterpol',
            attestation: { article3Neutrality: true, dataQualityChecked: true },
            contentHash: 'another',
          },
          actors.ncb,
          NOW,
        ),
    ],
    [
      'deadline_not_passed',
      () =>
        decideJurisdiction(
          initialJurisdiction({ country: 'FR', requestingCountry: 'ZA', deadline: '2026-04-01' }),
          { type: 'deadlinePassed' },
          systemActor,
          NOW,
        ),
    ],
    [
      'invalid',
      () => decide(draft(), { type: 'withdraw', reason: ' ' }, actors.investigator, NOW),
      'reason',
    ],
  ];

  // Objects, not tuples: jest would take a third tuple parameter for its `done` callback.
  test.each(cases.map(([code, attempt, field]) => ({ code, attempt, field })))(
    '$code',
    ({ code, attempt, field }) => {
      const refusal = refusalOf(attempt());
      expect(refusal).toMatchObject({ ok: false, code });
      if (field) expect(refusal?.field).toBe(field);
    },
  );

  // The erasure's codes are the API's erasure service's (no workflow decides an erasure).
  test('together with quota_exhausted and the erasure codes they are the whole set', () => {
    const others = ['quota_exhausted', 'already_erased', 'workflow_running'];
    expect([...cases.map(([c]) => c), ...others].sort()).toEqual([...REFUSAL_CODES].sort());
  });
});
