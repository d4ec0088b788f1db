// The Temporal CLI's dev server (`temporal server start-dev`): a whole Temporal in one process.
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Connection } from '@temporalio/client';
import { isAccepting } from './ports';
import {
  captureOutput,
  ExitInfo,
  exitOf,
  Log,
  signal,
  terminate,
  spawnSupervised,
} from './processes';

export interface TemporalDevServerOptions {
  cli: string;
  port: number;
  /** Web UI port; without it the server runs headless. */
  uiPort?: number;
  /** Codec server the Web UI decodes payloads with (the API's /codec). */
  uiCodecEndpoint?: string;
  /** SQLite file that keeps workflows across restarts; without it everything is in memory. */
  dbFile?: string;
  /** Namespace to wait for (created if not "default"). */
  namespace?: string;
  /** Server output lines (warnings and errors; muted once stop() is called). */
  log?: Log;
  /** Own process group, so a terminal Ctrl-C reaches only us and we stop it in order. */
  detached?: boolean;
  startTimeoutMs?: number;
  /** Server dynamic configuration (e.g. limits for a benchmark), key to value. */
  dynamicConfig?: Record<string, string | number | boolean>;
}

export interface RunningTemporal {
  address: string;
  uiUrl?: string;
  pid: number;
  /** Settles when the server process exits, whether stopped or crashed. */
  exited: Promise<ExitInfo>;
  stop(): Promise<void>;
}

// Its startup banner (it says "localhost" and random metrics ports: our callers print the
// URLs) and a warning every in-memory start gives.
const ROUTINE_OUTPUT =
  /^Temporal (CLI|Server|Persistence|UI|Metrics)\b|Cluster Id in Cluster Metadata/;

export async function startTemporalDevServer(
  opts: TemporalDevServerOptions,
): Promise<RunningTemporal> {
  const host = '127.0.0.1';
  const address = `${host}:${opts.port}`;
  const namespace = opts.namespace ?? 'default';
  const args = ['server', 'start-dev', '--ip', host, '--port', String(opts.port)];
  args.push('--log-level', 'warn');
  if (opts.uiPort) {
    // No internet on our machines: the UI's newsfeed would only fail.
    args.push('--ui-port', String(opts.uiPort), '--ui-disable-news-fetch');
    // Payloads are encrypted: the UI shows them only through the API's codec server.
    if (opts.uiCodecEndpoint) args.push('--ui-codec-endpoint', opts.uiCodecEndpoint);
  } else {
    args.push('--headless');
  }
  if (opts.dbFile) {
    const dbFile = resolve(opts.dbFile);
    await mkdir(dirname(dbFile), { recursive: true });
    // WAL: readers do not block the writer, and synchronous=normal is still crash-safe with WAL.
    args.push('--db-filename', dbFile);
    args.push('--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal');
  }
  if (namespace !== 'default') args.push('--namespace', namespace);
  for (const [key, value] of Object.entries(opts.dynamicConfig ?? {})) {
    args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  }

  const child = spawnSupervised(opts.cli, args, 'SIGKILL', { detached: opts.detached ?? false });
  let muted = false;
  const log = opts.log ?? (() => {});
  const tail = captureOutput(child, (line) => {
    if (!muted && !ROUTINE_OUTPUT.test(line)) log(line);
  });
  const exited = exitOf(child);
  let spawnError: Error | undefined;
  child.once('error', (err) => (spawnError = err));
  // If our process ends without stop(), kill the server: SQLite in WAL mode survives that.
  const onParentExit = () => signal(child, 'SIGKILL');
  process.on('exit', onParentExit);

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      muted = true; // its shutdown chatter (pollers losing their connection) is not news
      await terminate(child, exited, [
        ['SIGTERM', 10_000],
        ['SIGKILL', 5_000],
      ]);
      process.removeListener('exit', onParentExit);
    })());

  let exitInfo: ExitInfo | undefined;
  void exited.then((e) => (exitInfo = e));
  const timeoutMs = opts.startTimeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no answer';
  while (!exitInfo && Date.now() < deadline) {
    try {
      // A cheap TCP probe first: a gRPC connect to a closed port waits out its whole timeout.
      if (!(await isAccepting(opts.port, host, 200))) throw new Error('port not open yet');
      await ready(address, namespace);
      return {
        address,
        uiUrl: opts.uiPort ? `http://${host}:${opts.uiPort}` : undefined,
        pid: child.pid ?? 0,
        exited,
        stop,
      };
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  await stop();
  const why = spawnError
    ? `could not run ${opts.cli}: ${spawnError.message}`
    : exitInfo
      ? `it exited (code ${exitInfo.code ?? exitInfo.signal})`
      : `it did not answer within ${timeoutMs / 1000}s (${lastError})`;
  const output = tail.length ? `\n--- last Temporal output ---\n${tail.join('\n')}` : '';
  throw new Error(`Temporal dev server on ${address} failed to start: ${why}${output}`);
}

/**
 * Resolves once the frontend answers gRPC and knows the namespace (right after the port
 * opens, the namespace registry may not have it yet and workers would log errors).
 */
export async function ready(address: string, namespace = 'default', timeoutMs = 1_000) {
  const connection = await Connection.connect({ address, connectTimeout: timeoutMs });
  try {
    await connection.withDeadline(Date.now() + timeoutMs, () =>
      connection.workflowService.describeNamespace({ namespace }),
    );
  } finally {
    await connection.close();
  }
}
