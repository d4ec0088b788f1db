// The payload codec for test clients and workers outside the Nest apps (workflow suites, direct
// Temporal clients of e2e suites): the run's master key (globalSetup) and the test PostgreSQL.
import { openCodec, type StandaloneCodec } from '../../libs/crypto/src/standalone';

let shared: Promise<StandaloneCodec> | undefined;

/** One codec per test file (jest gives each file its own modules), closed after the file. */
export function testCodec(): Promise<StandaloneCodec> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set (jest globalSetup sets it)');
  shared ??= openCodec(url);
  return shared;
}

/** The data converter every test client and worker takes. */
export async function testDataConverter() {
  return (await testCodec()).dataConverter;
}

export async function closeTestCodec(): Promise<void> {
  const codec = shared;
  shared = undefined;
  if (codec) await (await codec).close();
}
