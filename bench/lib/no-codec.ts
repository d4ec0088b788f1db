// The benchmark's comparison stack ONLY: the API or the worker with the payload codec replaced by
// a pass-through, to measure what encryption costs (`npm run bench`, phase "codec"). The apps
// themselves have no way to turn data protection off; this file is never part of a deployment.
//   node dist/bench/lib/no-codec.js api|worker
import 'reflect-metadata';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import type { Payload } from '@temporalio/common';
import { AppModule } from '../../apps/api/src/app.module';
import { API_APP_OPTIONS, createApiApp } from '../../apps/api/src/main';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { loadConfig } from '../../libs/config/src';
import { DATA_KEY_STORE, PAYLOAD_CODEC } from '../../libs/crypto/src/crypto.module';

const passThrough = {
  encode: (payloads: Payload[]) => Promise.resolve(payloads),
  decode: (payloads: Payload[]) => Promise.resolve(payloads),
  decodeOne: (payload: Payload) => Promise.resolve(payload),
};
const noKeys = { createRequestKey: (id: string) => Promise.resolve(`request-${id}`) };

async function main(which: string): Promise<void> {
  const module = (root: unknown) =>
    Test.createTestingModule({ imports: [root as typeof AppModule] })
      .overrideProvider(PAYLOAD_CODEC)
      .useValue(passThrough)
      .overrideProvider(DATA_KEY_STORE)
      .useValue(noKeys)
      .compile();
  if (which === 'api') {
    const config = loadConfig();
    const app = await createApiApp(async () =>
      (await module(AppModule)).createNestApplication<NestExpressApplication>(API_APP_OPTIONS),
    );
    await app.listen(config.port, '127.0.0.1');
  } else if (which === 'worker') {
    loadConfig(process.env, 'worker');
    const ctx = await module(WorkerModule);
    ctx.enableShutdownHooks();
    await ctx.init();
  } else {
    throw new Error('usage: no-codec.js api|worker');
  }
}

main(process.argv[2] ?? '').catch((err: unknown) => {
  console.error(`no-codec ${process.argv[2]}: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
