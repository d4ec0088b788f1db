// The auditors' replay code path (apps/api/src/replay/replayer.ts) over every committed
// history, and against a deliberately changed workflow without patched().
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  bundleFrom,
  currentWorkflowBundle,
  replayHistories,
} from '../../apps/api/src/replay/replayer';
import { startOf, type HistoryJson } from '../../apps/api/src/replay/history-events';

const dir = path.join(__dirname, '../histories');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();
const runs = files.map((file) => ({
  workflowId: path.basename(file, '.json'),
  runId: 'recorded',
  history: JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as HistoryJson,
}));

describe('audit replay of committed histories', () => {
  it('replays every committed history deterministically against the current code', async () => {
    const outcomes = await replayHistories(await currentWorkflowBundle(), runs);
    expect(outcomes).toHaveLength(files.length);
    for (const outcome of outcomes) {
      expect(outcome).toEqual({
        workflowId: outcome.workflowId,
        runId: 'recorded',
        deterministic: true,
      });
    }
    expect(outcomes.map((o) => o.workflowId).sort()).toEqual(
      files.map((f) => path.basename(f, '.json')).sort(),
    );
  });

  it('reports a changed workflow without patched() as non-deterministic, naming the divergence', async () => {
    const changed = await bundleFrom(require.resolve('./changed-workflow'));
    const outcomes = await replayHistories(changed, runs);
    for (const outcome of outcomes) {
      const type = startOf(
        runs.find((r) => r.workflowId === outcome.workflowId)!.history,
      ).workflowType;
      if (type === 'traceRequestWorkflow') {
        expect(outcome.deterministic).toBe(false);
        // The replayer names what the code did against what the history recorded.
        expect(outcome.error).toMatch(/DeterminismViolation|[Nn]ondeterminism/);
        expect(outcome.error).toMatch(/[Tt]imer|ScheduleActivity|StartTimer/);
      } else {
        // The other types (country track, audit verification) did not change: they still replay.
        expect(outcome.deterministic).toBe(true);
      }
    }
  });
});
