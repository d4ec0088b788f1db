// Replays recorded histories against workflow code with the SDK's replayer. The bundle is built
// once per process (bundling costs seconds), or read from a prebuilt file (see below).
import type { DataConverter } from '@temporalio/common';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode, Worker, type WorkflowBundle } from '@temporalio/worker';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { HistoryDocument } from '../../../../libs/temporal/src/histories';
import { installTemporalRuntime } from '../../../../libs/temporal/src/runtime';

/** The workflow sources, from both the .ts tree and dist/. */
const WORKFLOWS_PATH = path.join(__dirname, '../../../../workflows');

const bundles = new Map<string, Promise<WorkflowBundle>>();

/**
 * The workflow code replays are judged against, built or read once per process:
 * REPLAY_BUNDLE_PATH (e.g. the next release's bundle, to check it against recorded histories
 * before deploying it), else WORKFLOW_BUNDLE_PATH (the bundle the workers run), else the
 * workflow sources bundled here.
 */
export function currentWorkflowBundle(): Promise<WorkflowBundle> {
  const prebuilt = process.env.REPLAY_BUNDLE_PATH || process.env.WORKFLOW_BUNDLE_PATH || '';
  let bundle = bundles.get(prebuilt);
  if (!bundle) {
    bundle = (async (): Promise<WorkflowBundle> => {
      installTemporalRuntime(process.env.LOG_LEVEL ?? 'info');
      if (prebuilt) return { code: await readFile(prebuilt, 'utf8') };
      return bundleWorkflowCode({ workflowsPath: require.resolve(WORKFLOWS_PATH), logger: quiet });
    })();
    bundle.catch(() => bundles.delete(prebuilt)); // a failed build is tried again next time
    bundles.set(prebuilt, bundle);
  }
  return bundle;
}

/** Bundles other workflow code (tests, benchmarks) the same way. */
export async function bundleFrom(workflowsPath: string): Promise<WorkflowBundle> {
  return bundleWorkflowCode({ workflowsPath, logger: quiet });
}

const quiet = {
  log: () => {},
  trace: () => {},
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: (message: string) => console.error(`bundle: ${message}`),
};

export interface ReplayInput {
  workflowId: string;
  runId: string;
  history: HistoryDocument;
}

export interface ReplayOutcome {
  workflowId: string;
  runId: string;
  deterministic: boolean;
  /** The replayer's error (a DeterminismViolationError names the divergence). */
  error?: string;
}

/**
 * Replays each history; a failure of one does not stop the others. Histories with encrypted
 * payloads need the payload codec (`dataConverter`); clear ones pass through it unchanged.
 */
export async function replayHistories(
  bundle: WorkflowBundle,
  runs: readonly ReplayInput[],
  dataConverter?: DataConverter,
): Promise<ReplayOutcome[]> {
  if (runs.length === 0) return [];
  const byId = new Map(runs.map((r) => [r.workflowId + '\u0000' + r.runId, r]));
  const outcomes: ReplayOutcome[] = [];
  // The replayer keys results by workflow id: give each run a distinct one.
  const results = Worker.runReplayHistories(
    {
      workflowBundle: bundle,
      replayName: 'silvertrace-audit',
      ...(dataConverter ? { dataConverter } : {}),
    },
    runs.map((r) => ({
      workflowId: r.workflowId + '\u0000' + r.runId,
      history: historyFromJSON(r.history),
    })),
  );
  for await (const result of results) {
    const run = byId.get(result.workflowId)!;
    outcomes.push({
      workflowId: run.workflowId,
      runId: run.runId,
      deterministic: result.error === undefined,
      ...(result.error !== undefined ? { error: describe(result.error) } : {}),
    });
  }
  return outcomes;
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    const own = `${error.name}: ${error.message}`;
    return cause instanceof Error && !error.message.includes(cause.message)
      ? `${own} (${cause.name}: ${cause.message})`
      : own;
  }
  return String(error);
}
