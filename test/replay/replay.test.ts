import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { NOTIFY_PARENT_AFTER_PROJECTION, PATCHES } from '../../workflows/patches';
import { workflowBundle } from '../support/workflow-env';
import { testDataConverter } from '../support/codec';

/**
 * Histories of complete runs, recorded from the journeys (RECORD_HISTORIES=1) and committed.
 * Replaying them against the current workflow code proves a change is safe for requests that are
 * already open: any change to the sequence of commands without patched() fails here.
 */
const dir = path.join(__dirname, '../histories');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();
/**
 * REPLAY_HISTORIES_DIR: histories of open production requests (`temporal workflow show -o json`),
 * replayed too before a worker rolls out; kept out of git (they hold personal data).
 */
const extraDir = process.env.REPLAY_HISTORIES_DIR;
const extra = extraDir
  ? readdirSync(extraDir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => path.join(extraDir, f))
  : [];

interface HistoryJson {
  events: {
    eventId: string;
    eventType: string;
    activityTaskScheduledEventAttributes?: { activityType: { name: string } };
    activityTaskCompletedEventAttributes?: { scheduledEventId: string };
    workflowExecutionStartedEventAttributes?: { workflowType: { name: string } };
    markerRecordedEventAttributes?: {
      details?: Record<string, { payloads: { data: string }[] }>;
    };
  }[];
}

/** The workflow type of a history and the patch ids its markers record. */
function describeHistory(file: string): { type: string; patches: string[] } {
  const history = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as HistoryJson;
  const type = history.events[0].workflowExecutionStartedEventAttributes!.workflowType.name;
  const patches = history.events.flatMap((e) =>
    (e.markerRecordedEventAttributes?.details?.['patch-data']?.payloads ?? []).map(
      (p) => (JSON.parse(Buffer.from(p.data, 'base64').toString('utf8')) as { id: string }).id,
    ),
  );
  return { type, patches };
}

/** Whether every signal a track sends its parent follows the completion of its last projection. */
function signalsFollowProjections(file: string): boolean {
  const history = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as HistoryJson;
  const completed = new Set<string>();
  let projection: string | undefined;
  for (const e of history.events) {
    if (e.activityTaskScheduledEventAttributes?.activityType.name === 'projectJurisdiction') {
      projection = e.eventId;
    }
    if (e.activityTaskCompletedEventAttributes) {
      completed.add(e.activityTaskCompletedEventAttributes.scheduledEventId);
    }
    if (
      e.eventType === 'EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED' &&
      projection !== undefined &&
      !completed.has(projection)
    ) {
      return false;
    }
  }
  return true;
}

describe('replay of committed histories', () => {
  it('has the histories of every journey', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'diffusion.json',
        'happy-path.json',
        'overdue.json',
        'queried.json',
        'refused.json',
        'withdrawn.json',
      ]),
    );
  });

  // Suspension and cancellation added no patch: they only add commands after messages (the
  // suspend, resume and cancel updates; the tracks' pause and resume signals) that no earlier
  // history holds, so earlier histories replay unchanged. These prove the new paths replay.
  it('has the histories of suspension, its automatic end and cancellation', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'suspended-resumed.json',
        'suspended-resumed-track-br.json',
        'suspension-expired.json',
        'cancelled.json',
      ]),
    );
    const events = (f: string) => readFileSync(path.join(dir, f), 'utf8');
    expect(events('suspended-resumed-track-br.json')).toMatch(/"signalName": *"pause"/);
    expect(events('suspended-resumed-track-br.json')).toMatch(/"signalName": *"resume"/);
  });

  // A patch is guarded only if histories from both sides of it replay: one of the workflow type
  // that records its marker, and one of the same type from before it.
  it.each(PATCHES)('covers both sides of the patch %s', (patch) => {
    const described = files.map(describeHistory);
    const withIt = described.filter((h) => h.patches.includes(patch));
    expect(withIt.length).toBeGreaterThan(0);
    const types = new Set(withIt.map((h) => h.type));
    expect(described.some((h) => types.has(h.type) && !h.patches.includes(patch))).toBe(true);
  });

  it('has tracks that tell their parent only after their projection, since the patch', () => {
    const tracks = files.filter((f) => describeHistory(f).type === 'jurisdictionWorkflow');
    const patched = tracks.filter((f) =>
      describeHistory(f).patches.includes(NOTIFY_PARENT_AFTER_PROJECTION),
    );
    expect(patched.length).toBeGreaterThan(0);
    for (const f of tracks)
      expect([f, signalsFollowProjections(f)]).toEqual([f, patched.includes(f)]);
  });

  it.each([...files.map((f) => path.join(dir, f)), ...extra])(
    '%s replays deterministically',
    async (file) => {
      const history = historyFromJSON(JSON.parse(readFileSync(file, 'utf8')));
      // With the payload codec, as the API replays: clear (pre-encryption) payloads pass through.
      const results = Worker.runReplayHistories(
        { workflowBundle: await workflowBundle(), dataConverter: await testDataConverter() },
        [{ workflowId: path.basename(file, '.json'), history }],
      );
      for await (const result of results) {
        expect(result.error).toBeUndefined();
      }
    },
  );
});
