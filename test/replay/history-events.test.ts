// The domain events rebuilt from every committed history: every recorded change is explained by
// a recorded input decided again with the domain, and the fold ends where the workflow ended.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  jurisdictionEventsOf,
  requestEventsOf,
  startOf,
  type HistoryJson,
} from '../../apps/api/src/replay/history-events';
import { timeline } from '../../libs/domain/src/lifecycle';

const dir = path.join(__dirname, '../histories');
const load = (file: string) =>
  JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as HistoryJson;
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
const requests = files.filter((f) => startOf(load(f)).workflowType === 'traceRequestWorkflow');
const tracks = files.filter((f) => startOf(load(f)).workflowType === 'jurisdictionWorkflow');

/** The workflow's own result: its final state, in the completion event. */
function result(history: HistoryJson): { status: string } {
  const last = history.events[history.events.length - 1] as Record<string, unknown>;
  const attrs = last.workflowExecutionCompletedEventAttributes as {
    result: { payloads: { data: string }[] };
  };
  return JSON.parse(Buffer.from(attrs.result.payloads[0].data, 'base64').toString('utf8')) as {
    status: string;
  };
}

describe('domain events from recorded histories', () => {
  it('finds request and track histories', () => {
    expect(requests.length).toBeGreaterThanOrEqual(6);
    expect(tracks.length).toBeGreaterThanOrEqual(2);
  });

  it.each(requests)('%s: every change explained, fold ends in the final state', (file) => {
    const history = load(file);
    const rebuilt = requestEventsOf([history]);
    expect(rebuilt.problems).toEqual([]);
    expect(rebuilt.events[0].event.type).toBe('Created');
    expect(rebuilt.state).toEqual(result(history));
    const entries = timeline(rebuilt.events.map((r) => r.event));
    expect(entries[0]).toMatchObject({ fromStatus: null, toStatus: 'DRAFT' });
    for (let i = 1; i < entries.length; i++) {
      expect(entries[i].fromStatus).toBe(entries[i - 1].toStatus);
    }
  });

  it('happy path: the journey in order with the people who acted', () => {
    const rebuilt = requestEventsOf([load('happy-path.json')]);
    const types = rebuilt.events.map((r) => r.event.type);
    expect(types.slice(0, 4)).toEqual([
      'Created',
      'SubmittedForReview',
      'Approved',
      'SubmittedToInterpol',
    ]);
    expect(types).toContain('Published');
    expect(types).toContain('Completed');
    expect(types[types.length - 1]).toBe('Closed');
    const approved = rebuilt.events.find((r) => r.event.type === 'Approved')!;
    expect(approved.event.actor.role).toBe('supervisor');
    expect(Number(approved.eventId)).toBeGreaterThan(1);
  });

  it.each(tracks)('%s: country track events explained', (file) => {
    const history = load(file);
    const rebuilt = jurisdictionEventsOf(history);
    expect(rebuilt.problems).toEqual([]);
    expect(rebuilt.events.length).toBeGreaterThan(0);
    expect(rebuilt.state).toEqual(result(history));
    expect(rebuilt.statuses[0].from).toBe('AWAITING');
  });
});
