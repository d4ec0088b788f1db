import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  Client,
  ServiceError,
  WorkflowUpdateFailedError,
  type WorkflowClientInterceptor,
} from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { callWorkflow, executeUpdate } from '../../apps/api/src/common/temporal-errors';
import { ProblemException } from '../../apps/api/src/common/problem';
import { traceRequestWorkflow } from '../../workflows';
import { commandUpdate, stateQuery } from '../../workflows/messages';
import { eventually } from '../support/e2e';
import { validRequestBody } from '../support/fixtures';
import { requestInput } from '../support/journey';
import { realActivities, testActor, testWorker, timeSkippingEnv } from '../support/workflow-env';
import { testDataConverter } from '../support/codec';

describe('trace request workflow (time-skipping server, real PostgreSQL)', () => {
  let env: TestWorkflowEnvironment;
  let db: DataSource;
  let worker: Worker;
  let taskQueue: string;
  let running: Promise<void>;
  const investigator = testActor('wf.investigator', 'investigator');
  const supervisor = testActor('wf.supervisor', 'supervisor');

  beforeAll(async () => {
    env = await timeSkippingEnv();
    const real = await realActivities();
    db = real.db;
    for (const a of [investigator, supervisor]) {
      await db.query(
        `INSERT INTO users (id, username, password_hash, roles, country) VALUES ($1, $2, 'x', $3, 'ZA')`,
        [a.userId, a.username, [a.role]],
      );
    }
    ({ worker, taskQueue } = await testWorker(env, real.activities));
    running = worker.run();
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await db?.destroy();
    await env?.teardown();
  });

  const start = async () => {
    const id = randomUUID();
    const content = validRequestBody();
    const input = requestInput(id, `ZA-2026-${id.slice(0, 6)}`, content, investigator);
    const handle = await env.client.workflow.start(traceRequestWorkflow, {
      taskQueue,
      workflowId: `trace-request-${id}`,
      args: [input],
    });
    return { id, handle };
  };

  it('starts as a DRAFT and projects the read model', async () => {
    const { id, handle } = await start();
    expect((await handle.query(stateQuery)).status).toBe('DRAFT');
    // The query can answer before the first projection activity has committed (it does on a
    // loaded machine): wait for the row, with a deadline.
    const rows = await eventually(
      async () => {
        const r = (await db.query(
          `SELECT status, version, state_seq FROM trace_requests WHERE id = $1`,
          [id],
        )) as unknown[];
        return r.length > 0 && r;
      },
      { what: 'the first projection' },
    );
    expect(rows).toEqual([{ status: 'DRAFT', version: 1, state_seq: 1 }]);
  });

  it('records an allowed action and projects it before answering', async () => {
    const { id, handle } = await start();
    const state = await handle.executeUpdate(commandUpdate, {
      args: [{ command: { type: 'submit' }, actor: investigator }],
    });
    expect(state.status).toBe('IN_REVIEW');
    const [row] = await db.query(`SELECT status, state_seq FROM trace_requests WHERE id = $1`, [
      id,
    ]);
    expect(row).toEqual({ status: 'IN_REVIEW', state_seq: 2 });
  });

  it('refuses an illegal action in the validator, leaving no trace in the history', async () => {
    const { handle } = await start();
    // A supervisor cannot review a request still in DRAFT.
    const err = await handle
      .executeUpdate(commandUpdate, {
        args: [{ command: { type: 'review', decision: 'approve' }, actor: supervisor }],
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((err as WorkflowUpdateFailedError).cause).toMatchObject({
      type: 'not_allowed_in_state',
    });
    const history = await handle.fetchHistory();
    const updateEvents = (history.events ?? []).filter(
      (e) => e.workflowExecutionUpdateAcceptedEventAttributes,
    );
    expect(updateEvents).toHaveLength(0);
    expect((await handle.query(stateQuery)).status).toBe('DRAFT');
  });
  describe("an update the server aborts (the API's executeUpdate)", () => {
    /** What the server answers when it drops an update, as the client SDK raises it. */
    const aborted = () =>
      new ServiceError('Workflow Update failed', {
        cause: Object.assign(new Error('10 ABORTED: update aborted'), {
          code: 10,
          details: 'update aborted',
          metadata: {},
        }),
      });
    /** A client on the same server whose calls go through `interceptor` (the fault). */
    const clientWith = async (interceptor: WorkflowClientInterceptor) =>
      new Client({
        connection: env.connection,
        interceptors: { workflow: [interceptor] },
        dataConverter: await testDataConverter(),
      });
    const send = (
      client: Client,
      id: string,
      command: { type: 'submit' } | { type: 'close'; summary: string },
    ) =>
      callWorkflow({ closed: 'the request is closed' }, () =>
        executeUpdate(
          client.connection,
          client.workflow.getHandle(`trace-request-${id}`),
          commandUpdate,
          { command, actor: investigator },
        ),
      );

    it('sends it again under the same update id, so the command is recorded once', async () => {
      const { id, handle } = await start();
      const ids: string[] = [];
      const client = await clientWith({
        async startUpdate(input, next) {
          ids.push(input.options.updateId ?? 'none');
          const out = await next(input);
          // The server took it, but its answer is lost: the retry must not submit twice.
          if (ids.length === 1) throw aborted();
          return out;
        },
      });
      const state = await send(client, id, { type: 'submit' });
      expect(state.status).toBe('IN_REVIEW');
      expect(ids).toHaveLength(2);
      expect(ids[1]).toBe(ids[0]);
      const history = await handle.fetchHistory();
      const accepted = (history.events ?? []).filter(
        (e) => e.workflowExecutionUpdateAcceptedEventAttributes,
      );
      expect(accepted).toHaveLength(1);
      const [row] = await db.query(`SELECT status, state_seq FROM trace_requests WHERE id = $1`, [
        id,
      ]);
      expect(row).toEqual({ status: 'IN_REVIEW', state_seq: 2 });
    });

    it('answers 409 "closed" when the workflow has ended under it', async () => {
      const { id, handle } = await start();
      await handle.executeUpdate(commandUpdate, {
        args: [{ command: { type: 'withdraw', reason: 'filed twice' }, actor: investigator }],
      });
      await handle.result();
      const client = await clientWith({
        startUpdate: () => Promise.reject(aborted()),
      });
      const err = await send(client, id, { type: 'close', summary: 'again' }).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ProblemException);
      expect((err as ProblemException).getStatus()).toBe(409);
      expect((err as ProblemException).getResponse()).toMatchObject({
        detail: 'the request is closed',
        type: 'urn:silvertrace:problem:workflow-closed',
      });
    });

    it('answers 503 when Temporal cannot say whether the workflow still runs', async () => {
      const { id } = await start();
      const client = await clientWith({
        startUpdate: () => Promise.reject(aborted()),
        describe: () => Promise.reject(aborted()),
      });
      const err = await send(client, id, { type: 'submit' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ProblemException);
      expect((err as ProblemException).getStatus()).toBe(503);
    });
  });
});
