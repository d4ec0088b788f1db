import { Inject, Injectable } from '@nestjs/common';
import type { Payload } from '@temporalio/common';
import type { AppConfig } from '../../../../libs/config/src';
import { APP_CONFIG } from '../../../../libs/config/src/config.module';
import { keyIdOf, type EncryptionCodec } from '../../../../libs/crypto/src/codec';
import { PAYLOAD_CODEC } from '../../../../libs/crypto/src/crypto.module';
import { DataKeyUnavailableError } from '../../../../libs/crypto/src/data-keys';
import {
  payloadFromJson,
  payloadToJson,
  type PayloadJson,
} from '../../../../libs/crypto/src/payload-json';
import type { AuthUser } from '../auth/actor';
import { auditActor, AuditRecorder } from '../audit/audit-recorder.service';
import { badRequest, forbidden, ProblemException } from '../common/problem';
import { TraceRequestsService } from '../trace-requests/trace-requests.service';

/** Payloads in one call: the Web UI sends one event's payloads at a time. */
const MAX_PAYLOADS = 1000;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const REQUEST_KEY = /^request-([0-9a-f-]{36})$/;

export interface CodecBody {
  payloads: PayloadJson[];
}

/** The body as the protocol has it (`{ payloads: [{ metadata: { k: b64 }, data: b64 }] }`). */
export function parseCodecBody(body: unknown): Payload[] {
  const payloads = (body as { payloads?: unknown } | null)?.payloads;
  if (typeof body !== 'object' || body === null || !Array.isArray(payloads)) {
    throw badRequest('the body must be { "payloads": [...] }', [
      { field: 'payloads', message: 'payloads must be an array of payloads' },
    ]);
  }
  const extra = Object.keys(body).filter((k) => k !== 'payloads');
  if (extra.length > 0) {
    throw badRequest('unknown fields', [
      { field: extra[0], message: `property ${extra[0]} should not exist` },
    ]);
  }
  if (payloads.length > MAX_PAYLOADS) {
    throw badRequest('too many payloads', [
      { field: 'payloads', message: `at most ${MAX_PAYLOADS} payloads a call` },
    ]);
  }
  return payloads.map((p: unknown, i) => {
    const field = `payloads[${i}]`;
    const bad = (message: string, at = field) =>
      badRequest(`invalid ${at}`, [{ field: at, message }]);
    if (typeof p !== 'object' || p === null || Array.isArray(p)) throw bad('must be a payload');
    const { metadata, data, ...rest } = p as Record<string, unknown>;
    const unknown = Object.keys(rest)[0];
    if (unknown !== undefined)
      throw bad(`property ${unknown} should not exist`, `${field}.${unknown}`);
    if (data !== undefined && (typeof data !== 'string' || !BASE64.test(data))) {
      throw bad('data must be base64', `${field}.data`);
    }
    if (metadata !== undefined) {
      if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
        throw bad('metadata must map names to base64 values', `${field}.metadata`);
      }
      for (const [k, v] of Object.entries(metadata)) {
        if (typeof v !== 'string' || !BASE64.test(v)) {
          throw bad('must be base64', `${field}.metadata.${k}`);
        }
      }
    }
    return payloadFromJson(p as PayloadJson);
  });
}

/**
 * The codec server behind the Temporal Web UI and CLI: decodes for operators allowed to read
 * (and only payloads of requests they may see), encodes with the system key, and records every
 * use in the audit log (which requests' keys were used, never the content).
 */
@Injectable()
export class CodecService {
  constructor(
    @Inject(PAYLOAD_CODEC) private readonly codec: EncryptionCodec,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly requests: TraceRequestsService,
    private readonly audit: AuditRecorder,
  ) {}

  /** The X-Namespace header, when sent, must name the namespace this deployment serves. */
  checkNamespace(namespace: string | undefined): string {
    const ours = this.config.temporal.namespace;
    if (namespace !== undefined && namespace !== '' && namespace !== ours) {
      throw badRequest(`this codec server serves the namespace ${ours}`, [
        { field: 'X-Namespace', message: `must be ${ours}` },
      ]);
    }
    return ours;
  }

  async decode(user: AuthUser, namespace: string, body: unknown): Promise<CodecBody> {
    const payloads = parseCodecBody(body);
    const keyIds = [...new Set(payloads.map(keyIdOf).filter((k): k is string => !!k))];
    const requestIds = keyIds.flatMap((k) => REQUEST_KEY.exec(k)?.[1] ?? []);
    // Need-to-know: every request whose payloads are asked for must be visible to the caller.
    for (const id of requestIds) {
      let erased: Date | null;
      try {
        erased = (await this.requests.findVisible(user, id)).erasedAt;
      } catch {
        throw forbidden('a payload belongs to a trace request you may not read');
      }
      // Erased: refused at once, whatever key another process still holds in memory (60 s).
      if (erased) {
        throw new ProblemException(410, `payloads of key request-${id} can no longer be decoded`);
      }
    }
    let decoded: Payload[];
    try {
      decoded = await this.codec.decode(payloads);
    } catch (err) {
      if (err instanceof DataKeyUnavailableError) {
        throw new ProblemException(410, `payloads of key ${err.keyId} can no longer be decoded`);
      }
      throw badRequest('a payload cannot be decrypted', [
        { field: 'payloads', message: 'not a payload encrypted by this deployment' },
      ]);
    }
    await this.record(user, 'codec.decode', namespace, payloads.length, keyIds, requestIds);
    return { payloads: decoded.map(payloadToJson) };
  }

  async encode(user: AuthUser, namespace: string, body: unknown): Promise<CodecBody> {
    const payloads = parseCodecBody(body);
    // No workflow context in the protocol: the system key (a request's key is never handed out).
    const encoded = await this.codec.encode(payloads);
    await this.record(user, 'codec.encode', namespace, payloads.length, [], []);
    return { payloads: encoded.map(payloadToJson) };
  }

  private async record(
    user: AuthUser,
    action: 'codec.decode' | 'codec.encode',
    namespace: string,
    count: number,
    keyIds: string[],
    requestIds: string[],
  ): Promise<void> {
    await this.audit.record({
      ...auditActor(user, action),
      action,
      outcome: 'success',
      objectType: 'temporal_payloads',
      objectId: namespace,
      traceRequestId: requestIds.length === 1 ? requestIds[0] : null,
      details: {
        namespace,
        payloads: count,
        keys: keyIds,
        requests: requestIds,
        systemKey: keyIds.some((k) => !REQUEST_KEY.test(k)),
      },
    });
  }
}
