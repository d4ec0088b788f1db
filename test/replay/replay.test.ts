import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { workflowBundle } from '../support/workflow-env';

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

  it.each([...files.map((f) => path.join(dir, f)), ...extra])(
    '%s replays deterministically',
    async (file) => {
      const history = historyFromJSON(JSON.parse(readFileSync(file, 'utf8')));
      const results = Worker.runReplayHistories({ workflowBundle: await workflowBundle() }, [
        { workflowId: path.basename(file, '.json'), history },
      ]);
      for await (const result of results) {
        expect(result.error).toBeUndefined();
      }
    },
  );
});
