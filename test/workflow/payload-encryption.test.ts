// Payload encryption below the API: the codec on real workflows (time-skipping server, real
// PostgreSQL data_keys), master-key rotation (histories recorded under key 1 still replay and
// decode once key 2 wraps new data keys), a destroyed data key (typed error), and the codec's
// own guarantees (clear payloads pass through, tampering and a moved key id are refused).
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { hashOf } from '../../libs/common/src/hash';
import {
  DataKeyDestroyedError,
  DataKeyUnknownError,
  decodeJsonPayloads,
  encryptedPayloadCount,
  ENCRYPTED_ENCODING,
  KEY_ID_METADATA,
  newMasterKeyEntry,
  openCodec,
  requestKeyId,
  type StandaloneCodec,
} from '../../libs/crypto/src';
import type { TraceRequestContent } from '../../libs/domain/src/types';
import { commandUpdate } from '../../workflows/messages';
import { traceRequestWorkflow } from '../../workflows/trace-request.workflow';
import { readableText, testCodec } from '../support/codec';
import { validRequestBody } from '../support/fixtures';
import { requestInput } from '../support/journey';
import {
  realActivities,
  testActor,
  testWorker,
  timeSkippingEnv,
  workflowBundle,
} from '../support/workflow-env';
import type { RequestActivities } from '../../workflows/activity-types';

const url = () => process.env.DATABASE_URL!;
const settingsWith = (keys: string[]) => ({ keys: keys.join(','), production: false });

describe('payload encryption (time-skipping server, real PostgreSQL)', () => {
  let env: TestWorkflowEnvironment;
  let db: DataSource;
  let activities: RequestActivities;
  const key1 = newMasterKeyEntry(`rot-1-${randomUUID().slice(0, 8)}`);
  const key2 = newMasterKeyEntry(`rot-2-${randomUUID().slice(0, 8)}`);
  const opened: StandaloneCodec[] = [];
  const open = async (keys: string[]) => {
    const c = await openCodec(url(), settingsWith(keys));
    opened.push(c);
    return c;
  };
  const investigator = testActor('enc.investigator', 'investigator');

  beforeAll(async () => {
    env = await timeSkippingEnv();
    ({ db, activities } = await realActivities());
    await db.query(
      `INSERT INTO users (id, username, password_hash, roles, country) VALUES ($1, $2, 'x', $3, 'ZA')`,
      [investigator.userId, investigator.username, [investigator.role]],
    );
    // The system key exists under the run's master key before the rotation codecs run, so they
    // never create it under theirs (they only ever touch their own requests' keys).
    await (await testCodec()).store.encryptionKey(undefined);
  });

  afterAll(async () => {
    for (const c of opened) await c.close();
    await db?.destroy();
    await env?.teardown();
  });

  /** A request drafted then edited through a worker and client using `codec`; its history. */
  async function record(codec: StandaloneCodec, marker: string) {
    const { worker, taskQueue } = await testWorker(env, activities, codec.dataConverter);
    const client = new Client({ connection: env.connection, dataConverter: codec.dataConverter });
    const id = randomUUID();
    const content: TraceRequestContent = validRequestBody();
    content.subject.familyName = `Family${marker}`;
    content.factsSummary = `Facts ${marker}`;
    return worker.runUntil(async () => {
      const input = requestInput(id, `ZA-2026-${id.slice(0, 6)}`, content, investigator);
      const handle = await client.workflow.start(traceRequestWorkflow, {
        taskQueue,
        workflowId: `trace-request-${id}`,
        args: [input],
      });
      const edited = { ...content, factsSummary: `Edited ${marker}` };
      const state = await handle.executeUpdate(commandUpdate, {
        args: [
          {
            command: {
              type: 'edit',
              content: edited,
              contentHash: hashOf(edited),
              expectedVersion: 1,
            },
            actor: investigator,
          },
        ],
      });
      expect(state.version).toBe(2);
      const history = await handle.fetchHistory();
      return { id, history, json: JSON.parse(historyToJSON(history)) as unknown };
    });
  }

  it('records only ciphertext, keyed by the request, and rotating the master key keeps old histories readable', async () => {
    const marker1 = `M1${randomUUID().slice(0, 8)}`;
    const marker2 = `M2${randomUUID().slice(0, 8)}`;
    const before = await open([key1]);
    const old = await record(before, marker1);
    // Rotation: key 2 appended as the newest; key 1 stays to unwrap what it wrapped.
    const after = await open([key1, key2]);
    const fresh = await record(after, marker2);

    for (const [run, marker] of [
      [old, marker1],
      [fresh, marker2],
    ] as const) {
      const raw = JSON.stringify(run.json);
      expect(readableText(run.json)).not.toContain(marker);
      expect(readableText(run.json)).not.toContain('enc.investigator');
      expect(encryptedPayloadCount(run.json)).toBeGreaterThan(3);
      expect(raw).not.toContain(Buffer.from('json/plain').toString('base64'));
      expect(raw).toContain(Buffer.from(requestKeyId(run.id)).toString('base64'));
    }
    const rows = (await db.query(
      `SELECT request_id, master_key_id FROM data_keys WHERE request_id = ANY($1) ORDER BY created_at`,
      [[old.id, fresh.id]],
    )) as { request_id: string; master_key_id: string }[];
    expect(rows.map((r) => [r.request_id, r.master_key_id])).toEqual([
      [old.id, key1.split(':')[0]],
      [fresh.id, key2.split(':')[0]],
    ]);

    // After the rotation both histories decode and replay (a fresh process: nothing cached).
    const rotated = await open([key1, key2]);
    for (const [run, marker] of [
      [old, `Edited ${marker1}`],
      [fresh, `Edited ${marker2}`],
    ] as const) {
      const clear = readableText(await decodeJsonPayloads(run.json, rotated.codec));
      expect(clear).toContain(marker);
      const results = Worker.runReplayHistories(
        { workflowBundle: await workflowBundle(), dataConverter: rotated.dataConverter },
        [{ workflowId: `trace-request-${run.id}`, history: run.history }],
      );
      for await (const r of results) expect(r.error).toBeUndefined();
    }
    // Key 1 alone cannot unwrap what key 2 wrapped: the rotation did take effect.
    const onlyOld = await open([key1]);
    await expect(decodeJsonPayloads(fresh.json, onlyOld.codec)).rejects.toThrow(/rot-2-/);
  });

  it('a destroyed data key makes decoding fail with DataKeyDestroyedError, and encoding too', async () => {
    const codec = await open([key1]);
    const marker = `D${randomUUID().slice(0, 8)}`;
    const run = await record(codec, marker);
    expect(readableText(await decodeJsonPayloads(run.json, codec.codec))).toContain(marker);
    expect(await codec.store.destroyRequestKey(run.id)).toBe(true);
    expect(await codec.store.destroyRequestKey(run.id)).toBe(false);
    const [row] = (await db.query(
      `SELECT wrapped_key, destroyed_at FROM data_keys WHERE request_id = $1`,
      [run.id],
    )) as { wrapped_key: Buffer | null; destroyed_at: Date | null }[];
    expect(row.wrapped_key).toBeNull();
    expect(row.destroyed_at).toBeInstanceOf(Date);
    // Another process (nothing cached) and the destroying one both refuse.
    for (const c of [codec, await open([key1])]) {
      const err = await decodeJsonPayloads(run.json, c.codec).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DataKeyDestroyedError);
      expect(err).toMatchObject({ keyId: requestKeyId(run.id), requestId: run.id });
      await expect(
        c.codec.encode([defaultPayloadConverter.toPayload('x')], {
          type: 'workflow',
          namespace: 'default',
          workflowId: `trace-request-${run.id}`,
        }),
      ).rejects.toBeInstanceOf(DataKeyDestroyedError);
    }
  });

  it('passes clear payloads through, and refuses tampered or re-labelled ones', async () => {
    const { codec } = await testCodec();
    const clear = defaultPayloadConverter.toPayload({ name: 'clear' });
    expect(await codec.decode([clear])).toEqual([clear]);
    const a = randomUUID();
    const context = (id: string) =>
      ({
        type: 'activity',
        namespace: 'default',
        workflowId: `trace-request-${id}-fr`,
        isLocal: false,
      }) as const;
    const [sealed] = await codec.encode([clear], context(a));
    const text = (b?: Uint8Array | null) => Buffer.from(b ?? []).toString();
    expect(text(sealed.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
    // A country track's activity uses its request's key.
    expect(text(sealed.metadata?.[KEY_ID_METADATA])).toBe(requestKeyId(a));
    expect(defaultPayloadConverter.fromPayload((await codec.decode([sealed]))[0])).toEqual({
      name: 'clear',
    });
    const flipped = Buffer.from(sealed.data!);
    flipped[flipped.length - 1] ^= 1;
    await expect(codec.decode([{ ...sealed, data: flipped }])).rejects.toThrow();
    // Moved under another request's key id: authenticated, so refused.
    const b = randomUUID();
    await codec.encode([clear], context(b));
    const moved = {
      ...sealed,
      metadata: { ...sealed.metadata, [KEY_ID_METADATA]: Buffer.from(requestKeyId(b)) },
    };
    await expect(codec.decode([moved])).rejects.toThrow();
    // Without a request: the system key; an unknown key id is a typed error.
    const [system] = await codec.encode([clear]);
    expect(text(system.metadata?.[KEY_ID_METADATA])).toBe('system');
    const unknown = {
      ...sealed,
      metadata: { ...sealed.metadata, [KEY_ID_METADATA]: Buffer.from(requestKeyId(randomUUID())) },
    };
    await expect(codec.decode([unknown])).rejects.toBeInstanceOf(DataKeyUnknownError);
  });
});
