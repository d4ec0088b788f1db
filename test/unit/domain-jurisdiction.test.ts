import {
  JURISDICTION_STATUSES,
  RESPONSE_OUTCOMES,
  decideJurisdiction,
  evolveJurisdiction,
  foldJurisdiction,
  initialJurisdiction,
  isFinal,
  nextJurisdictionStatus,
} from '../../libs/domain/src/lifecycle-index';
import type {
  JurisdictionCommand,
  JurisdictionEvent,
  JurisdictionState,
  JurisdictionStatus,
  Principal,
  ResponseOutcome,
} from '../../libs/domain/src/lifecycle-index';
import { actors, systemActor } from '../../libs/domain/src/testing/fixtures';
import { kindOf } from '../support/refusals';

const DEADLINE = '2025-04-01T00:00:00.000Z';
const BEFORE = '2025-03-15T00:00:00.000Z';
const AFTER = '2025-04-02T00:00:00.000Z';

let seq = 0;
function respond(
  outcome: ResponseOutcome,
  extra: Partial<JurisdictionCommand> = {},
): JurisdictionCommand {
  seq += 1;
  const base = { type: 'respond', outcome, externalReference: `FR-NCB-${seq}` } as const;
  const withReason = outcome === 'declined' ? { narrative: 'No dual criminality' } : {};
  return { ...base, ...withReason, ...extra } as JurisdictionCommand;
}

function fresh(): JurisdictionState {
  return initialJurisdiction({ country: 'FR', requestingCountry: 'ZA', deadline: DEADLINE });
}

function inStatus(status: JurisdictionStatus): JurisdictionState {
  return { ...fresh(), status };
}

let last: JurisdictionEvent[] = [];
function apply(
  state: JurisdictionState,
  command: JurisdictionCommand,
  actor: Principal = actors.liaisonFr,
  now = BEFORE,
): JurisdictionState {
  const d = decideJurisdiction(state, command, actor, now);
  if (!d.ok) throw new Error(`${command.type} refused: ${d.code} ${d.message}`);
  last = d.events;
  return d.events.reduce(evolveJurisdiction, state);
}

function code(
  state: JurisdictionState,
  command: JurisdictionCommand,
  actor: Principal,
  now = BEFORE,
) {
  const d = decideJurisdiction(state, command, actor, now);
  return d.ok ? (d.events.length ? 'ok' : 'no-op') : kindOf(d);
}

describe('respond: status x outcome', () => {
  const expected: Record<JurisdictionStatus, Record<ResponseOutcome, JurisdictionStatus>> = {
    AWAITING: {
      acknowledged: 'ACKNOWLEDGED',
      partial: 'PARTIAL',
      assets_found: 'ANSWERED',
      no_assets: 'ANSWERED',
      declined: 'DECLINED',
    },
    ACKNOWLEDGED: {
      acknowledged: 'ACKNOWLEDGED',
      partial: 'PARTIAL',
      assets_found: 'ANSWERED',
      no_assets: 'ANSWERED',
      declined: 'DECLINED',
    },
    PARTIAL: {
      acknowledged: 'PARTIAL',
      partial: 'PARTIAL',
      assets_found: 'ANSWERED',
      no_assets: 'ANSWERED',
      declined: 'DECLINED',
    },
    // Final: supplementary answers are recorded, never reopen the country.
    ANSWERED: {
      acknowledged: 'ANSWERED',
      partial: 'ANSWERED',
      assets_found: 'ANSWERED',
      no_assets: 'ANSWERED',
      declined: 'ANSWERED',
    },
    DECLINED: {
      acknowledged: 'DECLINED',
      partial: 'DECLINED',
      assets_found: 'ANSWERED',
      no_assets: 'ANSWERED',
      declined: 'DECLINED',
    },
    // Late answers are accepted into ANSWERED / DECLINED.
    OVERDUE: {
      acknowledged: 'OVERDUE',
      partial: 'OVERDUE',
      assets_found: 'ANSWERED',
      no_assets: 'ANSWERED',
      declined: 'DECLINED',
    },
  };
  const rows = JURISDICTION_STATUSES.flatMap((s) =>
    RESPONSE_OUTCOMES.map((o) => [s, o, expected[s][o]] as const),
  );

  test.each(rows)('%s + %s -> %s', (status, outcome, to) => {
    expect(nextJurisdictionStatus(status, outcome)).toBe(to);
    const next = apply(inStatus(status), respond(outcome));
    expect(next.status).toBe(to);
    expect(next.responses).toHaveLength(1);
    expect(last[0]).toMatchObject({ type: 'ResponseRecorded', from: status, status: to });
    // Never from final back to non-final: the request's completion is never undone.
    if (isFinal(status)) expect(isFinal(to)).toBe(true);
  });

  test('the usual path: AWAITING -> ACKNOWLEDGED -> PARTIAL -> PARTIAL -> ANSWERED', () => {
    let s = fresh();
    s = apply(s, respond('acknowledged'));
    s = apply(
      s,
      respond('partial', { assets: [{ type: 'vessel', description: 'Yacht at Antibes' }] }),
    );
    s = apply(s, respond('acknowledged'));
    expect(s.status).toBe('PARTIAL');
    s = apply(
      s,
      respond('assets_found', {
        assets: [{ type: 'real_estate', description: 'Villa, Cap d’Antibes' }],
        handlingCode: 'H1',
        sourceReliability: 'B',
        informationAccuracy: '2',
      }),
    );
    expect(s.status).toBe('ANSWERED');
    expect(s.responses.map((r) => r.outcome)).toEqual([
      'acknowledged',
      'partial',
      'acknowledged',
      'assets_found',
    ]);
    expect(s.responses[3]).toMatchObject({
      handlingCode: 'H1',
      recordedBy: actors.liaisonFr,
      late: false,
      at: BEFORE,
    });
  });

  test('a late answer is flagged late', () => {
    const s = apply(inStatus('OVERDUE'), respond('no_assets'), systemActor, AFTER);
    expect(s.responses[0].late).toBe(true);
    expect(apply(fresh(), respond('no_assets'), systemActor, AFTER).responses[0].late).toBe(true);
  });
});

describe('respond: who may', () => {
  test.each<[string, string, Principal]>([
    ['FR liaison', 'ok', actors.liaisonFr],
    ['BR liaison', 'forbidden', actors.liaisonBr],
    ['ZA NCB officer (recording it)', 'ok', actors.ncb],
    ['FR NCB officer', 'forbidden', actors.ncbFr],
    ['system (relayed by INTERPOL)', 'ok', systemActor],
    ['investigator', 'forbidden', actors.investigator],
    ['supervisor', 'forbidden', actors.supervisor],
    ['auditor', 'forbidden', actors.auditor],
    ['admin', 'forbidden', actors.admin],
  ])('%s -> %s', (_l, expected, actor) => {
    expect(code(fresh(), respond('acknowledged'), actor)).toBe(expected);
  });
});

describe('duplicates are ignored', () => {
  test('a repeated externalReference is ok with zero events, whatever it says now', () => {
    const s = apply(fresh(), {
      type: 'respond',
      outcome: 'acknowledged',
      externalReference: 'FR-1',
    });
    const again = decideJurisdiction(
      s,
      { type: 'respond', outcome: 'no_assets', externalReference: 'FR-1' },
      actors.ncb,
      BEFORE,
    );
    expect(again).toEqual({ ok: true, events: [] });
  });
});

describe('payload refusals', () => {
  test.each<[string, JurisdictionCommand]>([
    ['unknown outcome', { type: 'respond', outcome: 'maybe' as never, externalReference: 'X-1' }],
    [
      'blank externalReference',
      { type: 'respond', outcome: 'acknowledged', externalReference: ' ' },
    ],
    [
      'overlong externalReference',
      { type: 'respond', outcome: 'acknowledged', externalReference: 'x'.repeat(201) },
    ],
    ['decline without reason', { type: 'respond', outcome: 'declined', externalReference: 'X-2' }],
    [
      'assets on a no_assets answer',
      {
        type: 'respond',
        outcome: 'no_assets',
        externalReference: 'X-3',
        assets: [{ type: 'cash', description: 'c' }],
      },
    ],
    [
      'asset of unknown type',
      {
        type: 'respond',
        outcome: 'assets_found',
        externalReference: 'X-4',
        assets: [{ type: 'gold', description: 'g' } as never],
      },
    ],
    [
      'bad handling code',
      {
        type: 'respond',
        outcome: 'acknowledged',
        externalReference: 'X-5',
        handlingCode: 'H9' as never,
      },
    ],
    [
      'bad grading',
      {
        type: 'respond',
        outcome: 'acknowledged',
        externalReference: 'X-6',
        informationAccuracy: 5 as never,
      },
    ],
    ['unknown command', { type: 'shrug' } as never],
  ])('%s -> invalid', (_l, command) => {
    expect(code(fresh(), command, actors.liaisonFr)).toBe('invalid');
  });
});

describe('extend', () => {
  const later = {
    type: 'extend',
    newDeadline: '2025-05-01T00:00:00.000Z',
    reason: 'Bank records requested',
  } as const;

  test('a ZA supervisor moves the deadline later, on record', () => {
    const s = apply(fresh(), later, actors.supervisor);
    expect(s.deadline).toBe(later.newDeadline);
    expect(s.extensions).toEqual([
      {
        previousDeadline: DEADLINE,
        newDeadline: later.newDeadline,
        at: BEFORE,
        by: actors.supervisor.userId,
        reason: later.reason,
      },
    ]);
  });

  test.each<[string, string, JurisdictionState, JurisdictionCommand, Principal]>([
    ['NCB officer', 'forbidden', fresh(), later, actors.ncb],
    ['foreign supervisor', 'forbidden', fresh(), later, actors.supervisorFr],
    ['liaison', 'forbidden', fresh(), later, actors.liaisonFr],
    ['system', 'forbidden', fresh(), later, systemActor],
    ['final country (ANSWERED)', 'conflict', inStatus('ANSWERED'), later, actors.supervisor],
    ['final country (OVERDUE)', 'conflict', inStatus('OVERDUE'), later, actors.supervisor],
    [
      'earlier deadline',
      'invalid',
      fresh(),
      { type: 'extend', newDeadline: '2025-03-20T00:00:00.000Z' },
      actors.supervisor,
    ],
    [
      'same deadline',
      'invalid',
      fresh(),
      { type: 'extend', newDeadline: DEADLINE },
      actors.supervisor,
    ],
    [
      'not a date-time',
      'invalid',
      fresh(),
      { type: 'extend', newDeadline: 'next month' },
      actors.supervisor,
    ],
    ['PARTIAL may still get time', 'ok', inStatus('PARTIAL'), later, actors.supervisor],
  ])('%s -> %s', (_l, expected, state, command, actor) => {
    expect(code(state, command, actor)).toBe(expected);
  });
});

describe('deadlinePassed', () => {
  const passed = { type: 'deadlinePassed' } as const;

  test.each<[JurisdictionStatus, string, string]>([
    ['AWAITING', AFTER, 'OVERDUE'],
    ['ACKNOWLEDGED', AFTER, 'OVERDUE'],
    ['PARTIAL', AFTER, 'OVERDUE'],
    ['AWAITING', BEFORE, 'conflict'],
    ['ANSWERED', AFTER, 'no-op'],
    ['DECLINED', AFTER, 'no-op'],
    ['OVERDUE', AFTER, 'no-op'],
  ])('%s at %s -> %s', (status, now, expected) => {
    const state = inStatus(status);
    if (expected === 'OVERDUE') {
      const s = apply(state, passed, systemActor, now);
      expect(s).toMatchObject({ status: 'OVERDUE', overdueAt: now });
    } else {
      expect(code(state, passed, systemActor, now)).toBe(expected);
    }
  });

  test('at the deadline exactly it has passed; a user cannot send it', () => {
    expect(code(fresh(), passed, systemActor, DEADLINE)).toBe('ok');
    expect(code(fresh(), passed, actors.supervisor, AFTER)).toBe('forbidden');
  });

  test('after an extension the old timer is refused', () => {
    const extended = apply(
      fresh(),
      { type: 'extend', newDeadline: '2025-05-01T00:00:00.000Z' },
      actors.supervisor,
    );
    expect(code(extended, passed, systemActor, AFTER)).toBe('conflict');
  });
});

test('foldJurisdiction replays the events; evolve ignores unknown events', () => {
  const events: JurisdictionEvent[] = [];
  let s = fresh();
  for (const c of [respond('acknowledged'), respond('partial')]) {
    const d = decideJurisdiction(s, c, actors.liaisonFr, BEFORE);
    if (!d.ok) throw new Error(d.message);
    events.push(...d.events);
    s = d.events.reduce(evolveJurisdiction, s);
  }
  expect(foldJurisdiction(fresh(), events)).toEqual(s);
  expect(evolveJurisdiction(s, { type: 'Nope' } as never)).toBe(s);
});

test('isFinal: ANSWERED, DECLINED, OVERDUE', () => {
  expect(JURISDICTION_STATUSES.filter(isFinal)).toEqual(['ANSWERED', 'DECLINED', 'OVERDUE']);
});
