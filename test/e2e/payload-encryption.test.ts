// Personal data never reaches Temporal in clear: a request drafted, submitted, sent back and
// edited over HTTP leaves nothing of its subject, documents, facts or assets in its workflow's
// history, as the real Temporal CLI prints it and as the raw history JSON holds it; the codec
// server decodes it for operators allowed to read it (the real CLI through --codec-endpoint),
// refuses everyone else, answers the Temporal Web UI's CORS preflight, and audits every use.
import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { DataSource } from 'typeorm';
import { DATA_KEY_STORE } from '../../libs/crypto/src/crypto.module';
import type { DataKeyStore } from '../../libs/crypto/src/data-keys';
import { dataSourceOptions } from '../../libs/persistence/src/data-source';
import { requestWorkflowId } from '../../libs/temporal/src/ids';
import { resolveTemporalCli } from '../../scripts/lib/tools';
import { makeAccount, type Account } from '../support/accounts';
import { ok } from '../support/api';
import { readableText } from '../support/codec';
import { http, startSystem, type RunningSystem } from '../support/e2e';
import { validRequestBody } from '../support/fixtures';

const COUNTRY = 'LU';
const UI_ORIGIN = 'http://127.0.0.1:8233'; // the default CODEC_CORS_ORIGINS: the dev server's UI
const b64 = (s: string) => Buffer.from(s).toString('base64');

/** A valid IBAN (ISO 13616 mod-97 check digits) of this run's own. */
function iban(country: string, bban: string): string {
  const digits = `${bban}${country}00`.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  const mod = [...digits].reduce((r, d) => (r * 10 + Number(d)) % 97, 0);
  return `${country}${String(98 - mod).padStart(2, '0')}${bban}`;
}

interface PayloadJson {
  metadata: Record<string, string>;
  data: string;
}

describe('payload encryption and the codec server (real Temporal CLI, real HTTP)', () => {
  let sys: RunningSystem;
  let db: DataSource;
  let temporal: Client;
  let cli: string;
  let inv: Account, sup: Account, ncb: Account, auditor: Account, foreignNcb: Account;
  let id: string;
  const tag = randomUUID().slice(0, 8).toUpperCase();
  // Everything personal the request carries, each unique to this run.
  const secret = {
    familyName: `Zorvath${tag}`,
    givenNames: `Ilse${tag}`,
    alias: `Shadow${tag}`,
    document: `P${tag}77`,
    facts: `Laundered the proceeds via Quillon${tag} Holdings`,
    editedFacts: `Edited: moved funds through Vexmoor${tag} Trust`,
    iban: iban('LU', `001${String(Date.now()).slice(-6)}${tag.slice(0, 7)}`),
    wallet: `bc1q${tag.toLowerCase()}xy2kgdygjrsqtzq2n0yrf2493p83kkf`,
  };
  const all = Object.values(secret);

  const body = (facts: string) =>
    validRequestBody({
      subject: {
        familyName: secret.familyName,
        givenNames: secret.givenNames,
        dateOfBirth: '1969-07-21',
        nationalities: [COUNTRY],
        aliases: [secret.alias],
        identityDocuments: [{ type: 'passport', number: secret.document, issuingCountry: COUNTRY }],
      },
      assets: [
        {
          type: 'bank_account',
          description: 'Account held through a nominee',
          identifiers: { iban: secret.iban },
          suspectedCountry: 'FR',
        },
        {
          type: 'crypto_asset',
          description: 'Wallet',
          identifiers: { walletAddress: secret.wallet },
        },
      ],
      targetCountries: ['FR', 'BR'],
      factsSummary: facts,
    });
  const api = <T = Record<string, unknown>>(
    method: string,
    path: string,
    token: string,
    payload?: unknown,
    headers?: Record<string, string>,
  ) => http<T>(sys.baseUrl, method, `/api/v1${path}`, { token, body: payload, headers });
  const codec = <T = { payloads: PayloadJson[] }>(
    path: string,
    token: string | undefined,
    payload: unknown,
    headers: Record<string, string> = {},
  ) => http<T>(sys.baseUrl, 'POST', `/codec/${path}`, { token, body: payload, headers });
  const show = async (...args: string[]) =>
    (
      await promisify(execFile)(
        cli,
        [
          'workflow',
          'show',
          '-w',
          requestWorkflowId(id),
          '--address',
          process.env.TEMPORAL_ADDRESS!,
          ...args,
        ],
        { maxBuffer: 64 * 1024 * 1024 },
      )
    ).stdout;

  beforeAll(async () => {
    sys = await startSystem();
    db = await new DataSource(dataSourceOptions(process.env.DATABASE_URL!, 2)).initialize();
    [inv, sup, ncb, auditor, foreignNcb] = await Promise.all([
      makeAccount(db, sys.baseUrl, ['investigator'], COUNTRY, 'pe-inv'),
      makeAccount(db, sys.baseUrl, ['supervisor'], COUNTRY, 'pe-sup'),
      makeAccount(db, sys.baseUrl, ['ncb_officer'], COUNTRY, 'pe-ncb'),
      makeAccount(db, sys.baseUrl, ['auditor'], COUNTRY, 'pe-aud'),
      // An NCB officer of another country: may use the codec server, may not read this request.
      makeAccount(db, sys.baseUrl, ['ncb_officer'], 'LT', 'pe-lt'),
    ]);
    cli = await resolveTemporalCli(() => {});
    // No codec: what anyone with access to Temporal's API gets.
    temporal = new Client({
      connection: await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! }),
    });

    // Drafted, submitted, sent back for changes, edited: the content travels in the start
    // input, the edit update and every projection.
    const created = ok(await api('POST', '/trace-requests', inv.token, body(secret.facts)), 201);
    id = created.id as string;
    expect(ok(await api('POST', `/trace-requests/${id}/submit`, inv.token)).status).toBe(
      'IN_REVIEW',
    );
    const back = ok(
      await api('POST', `/trace-requests/${id}/review`, sup.token, {
        decision: 'request_changes',
        comment: 'Add the newer facts.',
      }),
    );
    expect(back.status).toBe('CHANGES_REQUESTED');
    const edited = ok(
      await api('PATCH', `/trace-requests/${id}`, inv.token, body(secret.editedFacts), {
        'If-Match': String(back.version),
      }),
    );
    expect(edited.version).toBe((back.version as number) + 1);
  });

  afterAll(async () => {
    await temporal?.connection.close();
    await db?.destroy();
    await sys?.close();
  });

  /** The request's history as Temporal stores it (proto3 JSON), no codec involved. */
  const rawHistory = async () =>
    JSON.parse(
      historyToJSON(await temporal.workflow.getHandle(requestWorkflowId(id)).fetchHistory()),
    ) as {
      events: Record<string, unknown>[];
    };

  it('`temporal workflow show` and the raw history hold none of the personal data', async () => {
    const outputs = {
      table: await show(),
      detailed: await show('--detailed'),
      json: await show('--output', 'json'),
    };
    const raw = await rawHistory();
    // The history is the one we think: the edit is in it, as an update.
    expect(outputs.table).toMatch(/WorkflowExecutionUpdateAccepted/);
    expect(raw.events.length).toBeGreaterThan(10);
    const readable = {
      ...outputs,
      jsonPayloads: readableText(JSON.parse(outputs.json)),
      raw: readableText(raw),
    };
    for (const [where, text] of Object.entries(readable)) {
      for (const s of all)
        expect(`${where}: ${text.includes(s) ? s : 'clear'}`).toBe(`${where}: clear`);
    }
    // Every payload is sealed with this request's key, none is plain JSON.
    expect(outputs.json).toContain(b64('binary/encrypted'));
    expect(outputs.json).toContain(b64(`request-${id}`));
    expect(outputs.json).not.toContain(b64('json/plain'));
  });

  it('the real CLI decodes through the codec server with an operator token, and it is audited', async () => {
    const before = await maxSeq();
    const decoded = await show(
      '--output',
      'json',
      '--codec-endpoint',
      `${sys.baseUrl}/codec`,
      '--codec-auth',
      `Bearer ${auditor.token}`,
    );
    const text = readableText(JSON.parse(decoded));
    for (const s of [secret.familyName, secret.document, secret.editedFacts, secret.iban]) {
      expect(text).toContain(s);
    }
    const entries = (await db.query(
      `SELECT actor, role, action, outcome, trace_request_id, details FROM audit_log
        WHERE seq > $1 AND action = 'codec.decode' ORDER BY seq`,
      [before],
    )) as {
      actor: string;
      role: string;
      outcome: string;
      trace_request_id: string;
      details: Record<string, unknown>;
    }[];
    expect(entries.length).toBeGreaterThan(0);
    for (const e of entries) {
      expect(e).toMatchObject({ actor: auditor.username, role: 'auditor', outcome: 'success' });
      expect(e.details).toMatchObject({ namespace: 'default', requests: [id] });
      expect(JSON.stringify(e.details)).not.toContain(secret.familyName);
    }
  });

  it('decodes only for signed-in operators allowed to read the request, and says why not', async () => {
    const raw = await rawHistory();
    const started = raw.events[0].workflowExecutionStartedEventAttributes as {
      input: { payloads: PayloadJson[] };
    };
    const sealed = { payloads: started.input.payloads };
    const before = await maxSeq();

    expect((await codec('decode', undefined, sealed)).status).toBe(401);
    expect((await codec('decode', 'not-a-token', sealed)).status).toBe(401);
    // Roles: an investigator (reads cases in the app, is no Temporal operator) is refused...
    expect((await codec('decode', inv.token, sealed)).status).toBe(403);
    // ... and so is an NCB officer who may not see this request (need-to-know).
    const foreign = await codec('decode', foreignNcb.token, sealed);
    expect(foreign.status).toBe(403);
    expect(JSON.stringify(foreign.body)).not.toContain(secret.familyName);

    for (const token of [auditor.token, ncb.token]) {
      const res = await codec('decode', token, sealed, { 'X-Namespace': 'default' });
      expect(res.status).toBe(200);
      const [p] = res.body.payloads;
      expect(p.metadata.encoding).toBe(b64('json/plain'));
      const input = JSON.parse(Buffer.from(p.data, 'base64').toString('utf8')) as {
        id: string;
        content: { subject: { familyName: string } };
      };
      expect(input.id).toBe(id);
      expect(input.content.subject.familyName).toBe(secret.familyName);
    }
    // Clear payloads pass through; a wrong namespace or a bad body is a 400 naming the field.
    const plain = { metadata: { encoding: b64('json/plain') }, data: b64('"x"') };
    expect(ok(await codec('decode', auditor.token, { payloads: [plain] })).payloads).toEqual([
      plain,
    ]);
    const wrongNs = await codec('decode', auditor.token, sealed, { 'X-Namespace': 'other' });
    expect(wrongNs.status).toBe(400);
    expect(JSON.stringify(wrongNs.body)).toContain('X-Namespace');
    const bad = await codec('decode', auditor.token, { payloads: [{ data: '%%%' }] });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('payloads[0].data');

    // Encoding (what the Web UI sends a signal with) is an operator's, not an auditor's.
    expect((await codec('encode', auditor.token, { payloads: [plain] })).status).toBe(403);
    const encoded = ok(await codec('encode', ncb.token, { payloads: [plain] }));
    expect(encoded.payloads[0].metadata.encoding).toBe(b64('binary/encrypted'));
    expect(encoded.payloads[0].metadata['encryption-key-id']).toBe(b64('system'));
    expect(ok(await codec('decode', auditor.token, encoded)).payloads).toEqual([plain]);

    const entries = (await db.query(
      `SELECT actor, action, outcome, trace_request_id FROM audit_log
        WHERE seq > $1 AND action LIKE 'codec.%' ORDER BY seq`,
      [before],
    )) as { actor: string; action: string; outcome: string; trace_request_id: string | null }[];
    const seen = entries.map((e) => `${e.actor} ${e.action} ${e.outcome}`);
    expect(seen).toEqual(
      expect.arrayContaining([
        'anonymous codec.decode refused',
        `${inv.username} codec.decode refused`,
        `${foreignNcb.username} codec.decode refused`,
        `${auditor.username} codec.decode success`,
        `${ncb.username} codec.decode success`,
        `${auditor.username} codec.encode refused`,
        `${ncb.username} codec.encode success`,
      ]),
    );
    expect(
      entries.find((e) => e.actor === auditor.username && e.outcome === 'success')
        ?.trace_request_id,
    ).toBe(id);
  });

  it('answers the Temporal Web UI’s CORS preflight for its origin only', async () => {
    const preflight = (origin: string) =>
      fetch(`${sys.baseUrl}/codec/decode`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type,x-namespace',
        },
      });
    const res = await preflight(UI_ORIGIN);
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    const allowed = (res.headers.get('access-control-allow-headers') ?? '').toLowerCase();
    for (const h of ['authorization', 'content-type', 'x-namespace']) expect(allowed).toContain(h);
    // The actual call from the UI's origin carries the header too.
    const call = await fetch(`${sys.baseUrl}/codec/decode`, {
      method: 'POST',
      headers: {
        origin: UI_ORIGIN,
        authorization: `Bearer ${auditor.token}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ payloads: [] }),
    });
    expect(call.status).toBe(200);
    expect(call.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    // Any other origin: no CORS headers, so the browser keeps the answer from it.
    const other = await preflight('http://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('once the data key is destroyed, the timeline, the replay and the codec server say it is gone', async () => {
    const sealed = {
      payloads: (
        (await rawHistory()).events[0].workflowExecutionStartedEventAttributes as {
          input: { payloads: PayloadJson[] };
        }
      ).input.payloads,
    };
    expect((await api('GET', `/trace-requests/${id}/history`, inv.token)).status).toBe(200);
    // Through the API's own store, so its cache forgets the key at once.
    expect(await sys.api.get<DataKeyStore>(DATA_KEY_STORE).destroyRequestKey(id)).toBe(true);
    expect((await api('GET', `/trace-requests/${id}/history`, inv.token)).status).toBe(410);
    expect((await api('POST', `/audit/trace-requests/${id}/replay`, auditor.token)).status).toBe(
      410,
    );
    const gone = await codec('decode', auditor.token, sealed);
    expect(gone.status).toBe(410);
    expect(JSON.stringify(gone.body)).toContain(`request-${id}`);
  });

  async function maxSeq(): Promise<number> {
    const [row] = (await db.query(`SELECT coalesce(max(seq), 0)::int AS s FROM audit_log`)) as {
      s: number;
    }[];
    return row.s;
  }
});
