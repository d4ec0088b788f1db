import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';

const LEVELS: Record<string, LogLevel> = {
  trace: 'TRACE',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
  fatal: 'ERROR',
  silent: 'ERROR',
};

let installed = false;

/**
 * Sets the Temporal SDK's log level (worker state changes, bundler output) from LOG_LEVEL, serves
 * the SDK's own metrics (task latencies, slots, poll results, sticky cache) in Prometheus text on
 * `metricsAddress` when given, and leaves signal handling to Nest. The runtime is process-wide and
 * can be installed once, before the first worker or connection.
 */
export function installTemporalRuntime(level: string, metricsAddress?: string): void {
  if (installed) return;
  installed = true;
  try {
    Runtime.install({
      logger: new DefaultLogger(LEVELS[level] ?? 'INFO'),
      // Nest's shutdown hooks own SIGINT/SIGTERM: a second listener from the SDK would keep the
      // process alive after Nest has closed the worker and re-raised the signal.
      shutdownSignals: [],
      ...(metricsAddress
        ? { telemetryOptions: { metrics: { prometheus: { bindAddress: metricsAddress } } } }
        : {}),
    });
  } catch {
    // Already created by an earlier worker in this process: keep it.
  }
}
