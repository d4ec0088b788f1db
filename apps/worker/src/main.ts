import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig } from '../../../libs/config/src';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  try {
    loadConfig(process.env, 'worker');
  } catch (err) {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(2);
  }
  const app = await NestFactory.createApplicationContext(WorkerModule);
  // SIGINT/SIGTERM run onApplicationShutdown: the Worker drains in-flight tasks, then exits.
  app.enableShutdownHooks();
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(`worker: failed to start: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
