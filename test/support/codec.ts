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

/**
 * Everything a JSON history (or any proto3 JSON document) says, payload data base64-decoded:
 * what someone reading Temporal's storage would see. Encrypted payloads stay ciphertext.
 */
export function readableText(doc: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === 'object' && v !== null) {
      const data = (v as { data?: unknown; metadata?: unknown }).data;
      if (typeof data === 'string' && 'metadata' in v) {
        out.push(Buffer.from(data, 'base64').toString('latin1'));
      }
      Object.values(v).forEach(walk);
    } else if (typeof v === 'string') out.push(v);
  };
  walk(doc);
  return out.join('\n');
}
