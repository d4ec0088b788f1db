import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { decodeJsonPayloads } from '../../libs/crypto/src/payload-json';
import { testCodec } from './codec';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { hashOf } from '../../libs/common/src';
import type { JurisdictionCommand, JurisdictionState } from '../../libs/domain/src/jurisdiction';
import type { RequestCommand, RequestState } from '../../libs/domain/src/lifecycle';
import type {
  Actor,
  Principal,
  SystemActor,
  TraceRequestContent,
} from '../../libs/domain/src/types';
import { jurisdictionWorkflowId, requestWorkflowId } from '../../libs/temporal/src/ids';
import { traceRequestWorkflow } from '../../workflows';
import {
  commandUpdate,
  jurisdictionStateQuery,
  jurisdictionUpdate,
  stateQuery,
  type TraceRequestWorkflowInput,
  type WorkflowSettings,
} from '../../workflows/messages';
import { validRequestBody } from './fixtures';

export const GATEWAY: SystemActor = {
  userId: 'interpol-gateway',
  username: 'interpol-gateway',
  role: 'system',
};

export const DEFAULT_SETTINGS: WorkflowSettings = {
  requiredApprovals: 1,
  quotaPerYear: 1000,
  reviewReminderAfter: 'P2D',
  reviewEscalationAfter: 'P5D',
  gsReminderAfter: 'P10D',
  countryDeadline: 'P60D',
  countryRemindersBefore: ['P14D', 'P3D'],
  validity: 'P5Y',
  monitorReportEvery: 'P30D',
  participatingCountries: ['BR', 'DE', 'FR', 'PT', 'ZA'],
  continueAsNewAfterEvents: 10000,
};

/** The people of one country's office, created as real users (the read model refers to them). */
/** The start input of a request workflow drafted by `actor`, whose country requests. */
export function requestInput(
  id: string,
  reference: string,
  content: TraceRequestContent,
  actor: Actor,
  createdAt = new Date().toISOString(),
  settings: WorkflowSettings = DEFAULT_SETTINGS,
): TraceRequestWorkflowInput {
  return {
    id,
    reference,
    requestingCountry: actor.country,
    content,
    contentHash: hashOf(content),
    actor,
    createdAt,
    settings,
  };
}

export interface Cast {
  investigator: Actor;
  investigator2: Actor;
  supervisor: Actor;
  supervisor2: Actor;
  ncb: Actor;
}

export async function createCast(db: DataSource, country = 'ZA'): Promise<Cast> {
  const make = async (role: Actor['role'], tag: string): Promise<Actor> => {
    const actor: Actor = {
      userId: randomUUID(),
      username: `${tag}.${randomUUID().slice(0, 8)}`,
      role,
      country,
    };
    await db.query(
      `INSERT INTO users (id, username, password_hash, roles, country) VALUES ($1, $2, 'x', $3, $4)`,
      [actor.userId, actor.username, [role], country],
    );
    return actor;
  };
  return {
    investigator: await make('investigator', 'inv'),
    investigator2: await make('investigator', 'inv2'),
    supervisor: await make('supervisor', 'sup'),
    supervisor2: await make('supervisor', 'sup2'),
    ncb: await make('ncb_officer', 'ncb'),
  };
}

export const liaison = (country: string): Actor => ({
  userId: randomUUID(),
  username: `liaison.${country.toLowerCase()}`,
  role: 'foreign_liaison',
  country,
});

/** Drives one request's workflow the way the API and the gateway do, with updates. */
export class Journey {
  readonly id = randomUUID();
  handle!: WorkflowHandle<typeof traceRequestWorkflow>;
  reference = '';

  constructor(
    private readonly env: TestWorkflowEnvironment,
    private readonly taskQueue: string,
    readonly cast: Cast,
  ) {}

  async start(
    content: Partial<TraceRequestContent> = {},
    settings: Partial<WorkflowSettings> = {},
  ) {
    const body = validRequestBody(content);
    this.reference = `${this.cast.investigator.country}-2026-${this.id.slice(0, 8)}`;
    const input = requestInput(
      this.id,
      this.reference,
      body,
      this.cast.investigator,
      new Date(await this.env.currentTimeMs()).toISOString(),
      { ...DEFAULT_SETTINGS, ...settings },
    );
    this.handle = await this.env.client.workflow.start(traceRequestWorkflow, {
      taskQueue: this.taskQueue,
      workflowId: requestWorkflowId(this.id),
      args: [input],
    });
    return this;
  }

  act(command: RequestCommand, actor: Principal): Promise<RequestState> {
    return this.handle.executeUpdate(commandUpdate, { args: [{ command, actor }] });
  }

  state(): Promise<RequestState> {
    return this.handle.query(stateQuery);
  }

  track(country: string) {
    return this.env.client.workflow.getHandle(jurisdictionWorkflowId(this.id, country));
  }

  trackState(country: string): Promise<JurisdictionState> {
    return this.track(country).query(jurisdictionStateQuery);
  }

  respond(
    country: string,
    command: JurisdictionCommand,
    actor: Principal = liaison(country),
  ): Promise<JurisdictionState> {
    return this.track(country).executeUpdate(jurisdictionUpdate, { args: [{ command, actor }] });
  }

  /** Draft -> review -> approved -> submitted to INTERPOL (a diffusion is dispatched at once). */
  async toSubmitted(): Promise<RequestState> {
    const { investigator, supervisor, ncb } = this.cast;
    await this.act({ type: 'submit' }, investigator);
    await this.act({ type: 'review', decision: 'approve' }, supervisor);
    return this.act(
      {
        type: 'submitToInterpol',
        attestation: { article3Neutrality: true, dataQualityChecked: true },
      },
      ncb,
    );
  }

  publish(): Promise<RequestState> {
    return this.act(
      { type: 'gsDecision', decision: 'published', noticeId: `SILVER-${this.id.slice(0, 6)}` },
      GATEWAY,
    );
  }

  /** Polls the workflow until `pred` holds on its state (bounded). */
  async until(pred: (s: RequestState) => boolean, what = 'state'): Promise<RequestState> {
    for (let i = 0; i < 200; i++) {
      const s = await this.state();
      if (pred(s)) return s;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out waiting for ${what}; status ${(await this.state()).status}`);
  }

  /** Saves the complete history under test/histories when RECORD_HISTORIES=1 (see docs/architecture.md, "Changing a workflow safely"). */
  async recordHistory(name: string, country?: string): Promise<void> {
    if (process.env.RECORD_HISTORIES !== '1') return;
    const dir = path.join(__dirname, '../histories');
    await mkdir(dir, { recursive: true });
    const history = await (country ? this.track(country) : this.handle).fetchHistory();
    // Committed histories are kept in clear (decoded with this run's throwaway key), so they
    // replay anywhere: the codec lets clear payloads through.
    const clear = await decodeJsonPayloads(
      JSON.parse(historyToJSON(history)) as unknown,
      (await testCodec()).codec,
    );
    await writeFile(path.join(dir, `${name}.json`), JSON.stringify(clear, null, 2));
  }
}

export async function notificationKinds(db: DataSource, requestId: string): Promise<string[]> {
  const rows = (await db.query(
    `SELECT kind FROM notifications WHERE request_id = $1 ORDER BY created_at, kind`,
    [requestId],
  )) as { kind: string }[];
  return rows.map((r) => r.kind);
}
