// Payloads in proto3 JSON (metadata values and data in base64): the form of exported histories
// (historyToJSON) and of the codec server protocol.
import type { Payload, PayloadCodec } from '@temporalio/common';
import { ENCRYPTED_ENCODING } from './codec';

export interface PayloadJson {
  metadata?: Record<string, string>;
  data?: string;
}

const ENCRYPTED_B64 = Buffer.from(ENCRYPTED_ENCODING, 'utf8').toString('base64');

export function payloadFromJson(json: PayloadJson): Payload {
  const metadata: Record<string, Uint8Array> = {};
  for (const [k, v] of Object.entries(json.metadata ?? {})) metadata[k] = Buffer.from(v, 'base64');
  return { metadata, data: Buffer.from(json.data ?? '', 'base64') };
}

export function payloadToJson(payload: Payload): PayloadJson {
  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries(payload.metadata ?? {})) {
    metadata[k] = Buffer.from(v ?? new Uint8Array()).toString('base64');
  }
  return { metadata, data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64') };
}

const isEncryptedJson = (v: unknown): v is PayloadJson =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as PayloadJson).metadata?.encoding === 'string' &&
  (v as PayloadJson).metadata!.encoding === ENCRYPTED_B64;

/**
 * A copy of a JSON document (a history, an event) with every encrypted payload in it decoded,
 * wherever it sits (inputs, results, failures, headers, memos, update arguments). Clear payloads
 * and everything else are kept as they are.
 */
export async function decodeJsonPayloads<T>(doc: T, codec: PayloadCodec): Promise<T> {
  const walk = async (v: unknown): Promise<unknown> => {
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      for (const item of v) out.push(await walk(item));
      return out;
    }
    if (typeof v !== 'object' || v === null) return v;
    if (isEncryptedJson(v)) {
      const [decoded] = await codec.decode([payloadFromJson(v)]);
      return payloadToJson(decoded);
    }
    const out: Record<string, unknown> = {};
    for (const [k, value] of Object.entries(v)) out[k] = await walk(value);
    return out;
  };
  return (await walk(doc)) as T;
}

/** How many encrypted payloads a JSON document holds. */
export function encryptedPayloadCount(doc: unknown): number {
  if (Array.isArray(doc)) return doc.reduce((n: number, v) => n + encryptedPayloadCount(v), 0);
  if (typeof doc !== 'object' || doc === null) return 0;
  if (isEncryptedJson(doc)) return 1;
  return Object.values(doc).reduce((n: number, v) => n + encryptedPayloadCount(v), 0);
}
