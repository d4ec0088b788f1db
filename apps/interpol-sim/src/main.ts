import { ConsoleLogger } from '@nestjs/common';
import { loadSimConfig } from './config';
import { startSim } from './sim';

// Entry point of the INTERPOL simulator: it plays the General Secretariat and foreign NCBs for
// local runs and demos. It is not INTERPOL and holds everything in memory.
async function main(): Promise<void> {
  const config = loadSimConfig(process.env);
  const logger = new ConsoleLogger('InterpolSim', { json: process.env.NODE_ENV === 'production' });
  const sim = await startSim({ ...config, logger });
  logger.log(
    `INTERPOL simulator (not INTERPOL) listening on ${sim.url}; delivering to ${config.apiUrl}; control API at ${sim.url}/control`,
  );

  const stop = (signal: string): void => {
    logger.log(`${signal}: shutting down`);
    sim.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error(`shutdown failed: ${String(err)}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
