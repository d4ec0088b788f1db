// The Temporal payload codec: every payload leaves this process encrypted with the data key of
// the request it belongs to, so the Temporal server (its database, Web UI, CLI, exported
// histories) only ever holds ciphertext.
import type { Payload, PayloadCodec, SerializationContext } from '@temporalio/common';
import { open, seal } from './aead';
import { requestIdOf } from '../../temporal/src/ids';
import type { DataKeyStore } from './data-keys';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
export const CIPHER_METADATA = 'encryption-cipher';
const CIPHER = 'AES-256-GCM';

const utf8 = (s: string) => Buffer.from(s, 'utf8');
const text = (b: Uint8Array | null | undefined) =>
  b ? Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8') : undefined;

export const isEncrypted = (payload: Payload): boolean =>
  text(payload.metadata?.encoding) === ENCRYPTED_ENCODING;

/** The data key id an encrypted payload names (undefined for a clear one). */
export const keyIdOf = (payload: Payload): string | undefined =>
  isEncrypted(payload) ? text(payload.metadata?.[KEY_ID_METADATA]) : undefined;

/**
 * The whole payload (metadata and data) in one buffer, so its encoding and type hints are
 * encrypted too: `u32 n`, n times `u16 len, name, u32 len, value`, then the data.
 */
export function serializePayload(payload: Payload): Buffer {
  const parts: Buffer[] = [];
  const entries = Object.entries(payload.metadata ?? {});
  const head = Buffer.alloc(4);
  head.writeUInt32BE(entries.length);
  parts.push(head);
  for (const [name, value] of entries) {
    const n = utf8(name);
    const len = Buffer.alloc(6);
    len.writeUInt16BE(n.length, 0);
    len.writeUInt32BE(value?.byteLength ?? 0, 2);
    parts.push(len.subarray(0, 2), n, len.subarray(2), Buffer.from(value ?? new Uint8Array()));
  }
  if (payload.data) parts.push(Buffer.from(payload.data));
  return Buffer.concat(parts);
}

export function deserializePayload(buf: Buffer): Payload {
  let at = 0;
  const count = buf.readUInt32BE(at);
  at += 4;
  const metadata: Record<string, Uint8Array> = {};
  for (let i = 0; i < count; i++) {
    const nameLen = buf.readUInt16BE(at);
    const name = buf.subarray(at + 2, at + 2 + nameLen).toString('utf8');
    at += 2 + nameLen;
    const valueLen = buf.readUInt32BE(at);
    metadata[name] = new Uint8Array(buf.subarray(at + 4, at + 4 + valueLen));
    at += 4 + valueLen;
  }
  if (at > buf.length) throw new Error('truncated payload');
  return { metadata, data: new Uint8Array(buf.subarray(at)) };
}

/**
 * AES-256-GCM payload codec with envelope keys. Encoding picks the key from the serialization
 * context the SDK passes (the workflow, child, or activity's workflow id: a request's workflows
 * and their activities use that request's key; anything else the system key); decoding takes the
 * key id from the payload's metadata, so it needs no context and works on exported histories.
 * Payloads not marked encrypted pass through (histories recorded before encryption replay).
 */
export class EncryptionCodec implements PayloadCodec {
  constructor(private readonly keys: DataKeyStore) {}

  async encode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    if (payloads.length === 0) return payloads;
    const { keyId, key } = await this.keys.encryptionKey(requestIdOf(context?.workflowId));
    return payloads.map((payload) => ({
      metadata: {
        encoding: utf8(ENCRYPTED_ENCODING),
        [KEY_ID_METADATA]: utf8(keyId),
        [CIPHER_METADATA]: utf8(CIPHER),
      },
      // The key id is authenticated: a payload moved under another id does not decrypt.
      data: seal(key, serializePayload(payload), keyId),
    }));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    const out: Payload[] = [];
    for (const payload of payloads) out.push(await this.decodeOne(payload));
    return out;
  }

  /** One payload; throws DataKeyDestroyedError / DataKeyUnknownError when its key is gone. */
  async decodeOne(payload: Payload): Promise<Payload> {
    if (!isEncrypted(payload)) return payload;
    const keyId = text(payload.metadata?.[KEY_ID_METADATA]);
    if (!keyId || !payload.data) throw new Error('encrypted payload without key id or data');
    const key = await this.keys.decryptionKey(keyId);
    return deserializePayload(open(key, payload.data, keyId));
  }
}
