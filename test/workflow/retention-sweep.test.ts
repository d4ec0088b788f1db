// The retention sweep's workflow on the time-skipping server with its real activity against the
// test PostgreSQL: a review due 40 days ago is announced to the NCB and escalated to the admins
// (grace P30D), once; a second run finds nothing new. With RECORD_HISTORIES=1 the first run's
// history is saved (in clear) under test/histories, so a change to the workflow's commands fails
// the replay.
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { RetentionActivities } from '../../apps/worker/src/activities/retention.activities';
import { loadConfig } from '../../libs/config/src';
import { decodeJsonPayloads } from '../../libs/crypto/src/payload-json';
import { dataSourceOptions } from '../../libs/persistence/src/data-source';
import { retentionSweepWorkflow } from '../../workflows/retention-sweep.workflow';
import { testCodec, testDataConverter } from '../support/codec';
import { timeSkippingEnv, workflowBundle } from '../support/workflow-env';

describe('retention sweep workflow (time-skipping server, real PostgreSQL)', () => {
  let env: TestWorkflowEnvironment;
  let db: DataSource;
  const id = randomUUID();
  const reference = `RS-${id.slice(0, 8)}`;

  beforeAll(async () => {
    env = await timeSkippingEnv();
    db = await new DataSource(dataSourceOptions(process.env.DATABASE_URL!, 2)).initialize();
    await db.query(
      `INSERT INTO users (id, username, password_hash, roles, country)
       VALUES ($1, $2, 'not-a-hash', '{investigator}', 'SE')`,
      [id, `rs.${id.slice(0, 8)}`],
    );
    await db.query(
      `INSERT INTO trace_requests (id, reference, requesting_country, kind, urgency, language,
         status, version, case_reference, subject_name, content, content_hash, drafter_id,
         workflow_id, created_at, updated_at, retention_review_on)
       VALUES ($1, $2, 'SE', 'notice', 'normal', 'en', 'CLOSED', 1, 'case', '', '{}'::jsonb,
               repeat('0', 64), $1, $3, now(), now(),
               now() - interval '40 days')`,
      [id, reference, `trace-request-${id}`],
    );
  });

  afterAll(async () => {
    await db?.destroy();
    await env?.teardown();
  });

  it('announces a due review and escalates it once', async () => {
    const activities = new RetentionActivities(db, loadConfig());
    const taskQueue = `rs-${randomUUID()}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: await workflowBundle(),
      activities: { sweepRetention: () => activities.sweepRetention() },
      dataConverter: await testDataConverter(),
    });
    await worker.runUntil(async () => {
      const first = await env.client.workflow.start(retentionSweepWorkflow, {
        taskQueue,
        workflowId: `retention-sweep-${randomUUID()}`,
      });
      const result = await first.result();
      expect(result.due).toBeGreaterThanOrEqual(1);
      expect(result.overdue).toBeGreaterThanOrEqual(1);
      const again = await env.client.workflow.execute(retentionSweepWorkflow, {
        taskQueue,
        workflowId: `retention-sweep-${randomUUID()}`,
      });
      expect(again).toEqual({ due: 0, overdue: 0, lateErasures: 0 });
      if (process.env.RECORD_HISTORIES === '1') {
        const clear = await decodeJsonPayloads(
          JSON.parse(historyToJSON(await first.fetchHistory())) as unknown,
          (await testCodec()).codec,
        );
        await writeFile(
          path.join(__dirname, '../histories/retention-sweep.json'),
          JSON.stringify(clear, null, 2),
        );
      }
    });
    const kinds = (await db.query(
      `SELECT kind, recipient_role, recipient_country FROM notifications WHERE request_id = $1
        ORDER BY kind, recipient_role`,
      [id],
    )) as { kind: string; recipient_role: string; recipient_country: string | null }[];
    expect(kinds).toEqual([
      { kind: 'retention_review_due', recipient_role: 'ncb_officer', recipient_country: 'SE' },
      { kind: 'retention_review_overdue', recipient_role: 'admin', recipient_country: 'SE' },
      {
        kind: 'retention_review_overdue',
        recipient_role: 'interpol_admin',
        recipient_country: null,
      },
    ]);
  });
});
