// `npm run bundle:workflows` (or `node dist/scripts/build-workflow-bundle.js [out-file]`): bundles
// the workflow code once, ahead of time, with the SDK's own bundler (webpack), into
// dist/workflow-bundle.js. The production worker image ships that file and sets
// WORKFLOW_BUNDLE_PATH to it, so a worker starts in about a second instead of bundling at every
// start, and every replica of one release runs byte-identical workflow code.
import { bundleWorkflowCode } from '@temporalio/worker';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { repoRoot } from './lib/tools';

/**
 * The workflow sources next to this file: dist/workflows when run from dist/ (what the worker
 * itself bundles when WORKFLOW_BUNDLE_PATH is unset), workflows/ when run from the .ts tree.
 */
export const WORKFLOWS_DIR = join(__dirname, '..', 'workflows');

export async function buildWorkflowBundle(outFile: string): Promise<{ bytes: number }> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve(WORKFLOWS_DIR),
    // Bundler chatter (webpack statistics) is not news; errors still throw.
    logger: {
      log: (level, message) => {
        if (level === 'WARN' || level === 'ERROR') console.error(`bundle: ${message}`);
      },
      trace: () => {},
      debug: () => {},
      info: () => {},
      warn: (message) => console.error(`bundle: ${message}`),
      error: (message) => console.error(`bundle: ${message}`),
    },
  });
  await mkdir(dirname(outFile), { recursive: true });
  await writeFile(outFile, code);
  return { bytes: Buffer.byteLength(code) };
}

async function main(): Promise<void> {
  const root = repoRoot(__dirname);
  const outFile = resolve(process.argv[2] ?? join(root, 'dist', 'workflow-bundle.js'));
  const started = Date.now();
  const { bytes } = await buildWorkflowBundle(outFile);
  const shown = relative(process.cwd(), outFile);
  console.log(
    `bundle: ${shown.startsWith('..') ? outFile : shown} (${(bytes / 1024).toFixed(0)} KiB) ` +
      `in ${((Date.now() - started) / 1000).toFixed(1)}s`,
  );
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(`bundle: failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
