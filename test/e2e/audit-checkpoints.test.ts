// An audit log that cannot be rewritten (docs/auditing.md, "Audit log"): the application's database role
// may only SELECT and INSERT on audit_log and audit_checkpoints, and the worker signs the chain's
// head (Ed25519) into audit_checkpoints and into the verify workflow's history, so that as a
// superuser a chain recomputed end to end, or a removed tail, fails verify (API and CLI
// `--checkpoints`, with the public key only) naming the first checkpoint it contradicts.
// Runs in a database of its own: the tampering here is not undone.
import type { Client } from '@temporalio/client';
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import {
  assertCannotRewriteAudit,
  AUDIT_COLUMNS,
  AUDIT_LOCK_SQL,
  type AuditEntry,
  auditRewriteRights,
  type Checkpoint,
  CHECKPOINT_COLUMNS,
  checkpointFromRow,
  entryHash,
  fromRow,
  keyIdOf,
  readPublicKeys,
  signatureProblem,
  signCheckpoint,
  type VerifyResult,
} from '../../libs/audit/src';
import { dataSourceOptions, runMigrations } from '../../libs/persistence/src';
import { auditVerifyScheduleId, TEMPORAL_CLIENT } from '../../libs/temporal/src';
import type { AuditVerification } from '../../workflows/activity-types';
import { APP_ROLE } from '../../scripts/lib/postgres';
import { makeAccount, type Account } from '../support/accounts';
import { apiClient, ok } from '../support/api';
import { buildCli, cliAuth, runCli } from '../support/cli';
import { eventually, savedEnv, startSystem, type RunningSystem } from '../support/e2e';

type Row = Parameters<typeof fromRow>[0];

describe('audit checkpoints and database roles: a log the application cannot rewrite', () => {
  const env = savedEnv(['DATABASE_URL', 'AUDIT_CHECKPOINT_EVERY', 'LOG_LEVEL']);
  const name = `ckpt_${randomUUID().slice(0, 8)}`;
  let cluster: DataSource; // the owner on the shared database: creates and drops ours
  let owner: DataSource; // the owner (a superuser here) on our database
  let app: DataSource; // the application's role on our database
  let sys: RunningSystem;
  let auditor: Account;
  let dir: string;
  const publicKeyFile = () => process.env.AUDIT_PUBLIC_KEY_FILE!;
  const api = apiClient(() => sys.baseUrl);
  const verifyHttp = async () => ok(await api<VerifyResult>('GET', '/audit/verify', auditor.token));
  const cli = (...args: string[]) =>
    runCli(['audit', 'verify', '--checkpoints', '--public-key', publicKeyFile(), ...args], {
      ...cliAuth(sys.baseUrl, auditor),
    });

  const urlFor = (base: string) => {
    const url = new URL(base);
    url.pathname = `/${name}`;
    return url.toString();
  };

  const checkpoints = async (): Promise<Checkpoint[]> =>
    (
      (await owner.query(
        `SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoints ORDER BY seq, id`,
      )) as Parameters<typeof checkpointFromRow>[0][]
    ).map(checkpointFromRow);

  const head = async () =>
    Number(
      ((await owner.query(`SELECT max(seq) AS seq FROM audit_log`)) as { seq: string }[])[0].seq,
    );

  /** As a superuser may: triggers off for this session, the chain's lock held. */
  async function asSuperuser(
    fn: (q: (sql: string, p?: unknown[]) => Promise<unknown>) => Promise<void>,
  ) {
    await owner.transaction(async (tx) => {
      await tx.query(`SET LOCAL session_replication_role = replica`);
      await tx.query(`SELECT ${AUDIT_LOCK_SQL}`);
      await fn((sql, p) => tx.query(sql, p) as Promise<unknown>);
    });
  }

  /** Makes the head due (AUDIT_CHECKPOINT_EVERY=5), triggers the schedule, waits for its run. */
  async function signHead(): Promise<{ checkpoint: Checkpoint; run: AuditVerification }> {
    for (let i = 0; i < 5; i++) await verifyHttp(); // each read is recorded: 5 new entries
    const before = await head();
    const client = sys.api.get<Client>(TEMPORAL_CLIENT);
    const schedule = client.schedule.getHandle(auditVerifyScheduleId(sys.taskQueue));
    await schedule.trigger();
    const checkpoint = await eventually(
      async () => (await checkpoints()).find((c) => c.seq >= before),
      { what: `a checkpoint at entry ${before} or later`, timeoutMs: 60_000 },
    );
    // The same checkpoint is in a verify run's history (its activity's result): outside PostgreSQL.
    const run = await eventually(
      async () => {
        const info = (await schedule.describe()).info.recentActions;
        for (const action of info.slice().reverse()) {
          const { workflowId, firstExecutionRunId } = action.action.workflow;
          const result = (await client.workflow
            .getHandle(workflowId, firstExecutionRunId)
            .result()) as AuditVerification;
          if (result.checkpoint?.seq === checkpoint.seq) return result;
        }
        return undefined;
      },
      { what: 'the verify run that signed it', timeoutMs: 60_000, intervalMs: 500 },
    );
    return { checkpoint, run };
  }

  beforeAll(async () => {
    env.save();
    process.env.LOG_LEVEL = 'error';
    await buildCli();
    dir = mkdtempSync(join(tmpdir(), 'silvertrace-ckpt-'));
    cluster = await new DataSource(
      dataSourceOptions(process.env.MIGRATION_DATABASE_URL!, 1),
    ).initialize();
    await cluster.query(`CREATE DATABASE ${name}`);
    await runMigrations(
      urlFor(process.env.MIGRATION_DATABASE_URL!),
      undefined,
      undefined,
      APP_ROLE,
    );
    owner = await new DataSource(
      dataSourceOptions(urlFor(process.env.MIGRATION_DATABASE_URL!), 2),
    ).initialize();
    process.env.DATABASE_URL = urlFor(process.env.DATABASE_URL!);
    process.env.AUDIT_CHECKPOINT_EVERY = '5';
    app = await new DataSource(dataSourceOptions(process.env.DATABASE_URL, 2)).initialize();
    sys = await startSystem();
    auditor = await makeAccount(app, sys.baseUrl, ['auditor'], 'NO', 'ck-aud');
  });

  afterAll(async () => {
    await sys?.close();
    await app?.destroy();
    await owner?.destroy();
    await cluster?.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await cluster?.destroy();
    env.restore();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  describe("the application's role", () => {
    it('cannot disable the triggers, UPDATE, DELETE or TRUNCATE audit_log or its checkpoints', async () => {
      for (const table of ['audit_log', 'audit_checkpoints']) {
        await expect(app.query(`ALTER TABLE ${table} DISABLE TRIGGER ALL`)).rejects.toThrow(
          `must be owner of table ${table}`,
        );
        for (const sql of [
          `UPDATE ${table} SET seq = seq`,
          `DELETE FROM ${table}`,
          `TRUNCATE ${table}`,
        ]) {
          await expect(app.query(sql)).rejects.toThrow(`permission denied for table ${table}`);
        }
      }
      // Nor switch the triggers off for its session, as a superuser could.
      await expect(app.query(`SET session_replication_role = replica`)).rejects.toThrow(
        /permission denied/,
      );
      await expect(app.query(`DROP TABLE audit_log`)).rejects.toThrow(/must be owner/);
      // It may read and append (that is how the API and the worker write it).
      expect(await auditRewriteRights(app)).toEqual([]);
      expect(Number((await app.query(`SELECT count(*) AS n FROM audit_log`))[0].n)).toBeGreaterThan(
        0,
      );
    });

    it('is what production insists on: the owner is refused at boot', async () => {
      await expect(assertCannotRewriteAudit(owner, true, () => undefined)).rejects.toThrow(
        /refusing to start in production mode: the database role of DATABASE_URL can rewrite the audit log \(superuser\)/,
      );
      await expect(assertCannotRewriteAudit(app, true, () => undefined)).resolves.toBeUndefined();
    });
  });

  describe('signed checkpoints', () => {
    it('the worker signs the head into PostgreSQL and into the verify run, checked with the public key', async () => {
      const { checkpoint, run } = await signHead();
      const [publicKey] = readPublicKeys(publicKeyFile());
      expect(checkpoint.keyId).toBe(keyIdOf(publicKey));
      expect(signatureProblem(checkpoint, [publicKey])).toBeUndefined();
      expect(run).toMatchObject({ ok: true, checkpoint });
      const [entry] = (await app.query(`SELECT ${AUDIT_COLUMNS} FROM audit_log WHERE seq = $1`, [
        checkpoint.seq,
      ])) as Row[];
      expect(fromRow(entry).hash).toBe(checkpoint.hash);

      const verified = await verifyHttp();
      expect(verified).toMatchObject({ ok: true });
      expect(verified.checkpoints).toMatchObject({
        verified: verified.checkpoints?.total,
        latest: { seq: checkpoint.seq, hash: checkpoint.hash, keyId: checkpoint.keyId },
      });
      const res = await cli();
      expect(res.stderr).toBe('');
      expect(res.code).toBe(0);
      expect(res.stdout).toMatch(/audit chain intact: \d+ entries verified/);
      expect(res.stdout).toMatch(
        new RegExp(`checkpoints: (\\d+) of \\1 verified with key ${checkpoint.keyId}`),
      );
      // The app role may append a checkpoint row but cannot change one.
      await expect(app.query(`UPDATE audit_checkpoints SET hash = hash`)).rejects.toThrow(
        /permission denied/,
      );
    });

    it('a forged checkpoint (bad signature, or an unknown key) is reported', async () => {
      await signHead();
      await verifyHttp(); // a new head, past the one just signed (and not yet due itself)
      const top = await head();
      const [row] = (await app.query(`SELECT ${AUDIT_COLUMNS} FROM audit_log WHERE seq = $1`, [
        top,
      ])) as Row[];
      const entry = fromRow(row);
      const [publicKey] = readPublicKeys(publicKeyFile());
      // The application's role may INSERT a checkpoint: without the private key it is a forgery.
      const forged = {
        ...signCheckpoint(generateKeyPairSync('ed25519').privateKey, entry),
        keyId: keyIdOf(publicKey),
      };
      forged.signature = randomBytes(64).toString('base64');
      const insert = (c: Checkpoint) =>
        app.query(
          `INSERT INTO audit_checkpoints (${CHECKPOINT_COLUMNS}) VALUES ($1,$2,$3,$4,$5,$6)`,
          [c.seq, c.hash, c.at, c.signedAt, c.keyId, c.signature],
        );
      await insert(forged);
      const broken = await verifyHttp();
      expect(broken).toMatchObject({
        ok: false,
        checkpoints: {
          firstContradicted: {
            seq: top,
            keyId: forged.keyId,
            reason: expect.stringMatching(/signature does not verify/),
          },
        },
      });
      const res = await cli();
      expect(res.code).toBe(1);
      expect(res.stdout).toMatch(
        new RegExp(`first contradicted checkpoint: entry ${top} .*signature does not verify`),
      );
      await asSuperuser(async (q) => {
        await q(`DELETE FROM audit_checkpoints WHERE signature = $1`, [forged.signature]);
      });

      const stranger = signCheckpoint(generateKeyPairSync('ed25519').privateKey, entry);
      await insert(stranger);
      expect((await verifyHttp()).checkpoints?.firstContradicted).toMatchObject({
        seq: top,
        reason: expect.stringMatching(/unknown key/),
      });
      await asSuperuser(async (q) => {
        await q(`DELETE FROM audit_checkpoints WHERE signature = $1`, [stranger.signature]);
      });
      expect(await verifyHttp()).toMatchObject({ ok: true });
    });

    it('a removed tail is named by the first checkpoint it contradicts (API and CLI)', async () => {
      const { checkpoint } = await signHead();
      const cut = checkpoint.seq - 7; // entries cut+1 .. head removed, the newest checkpoint among them
      const first = (await checkpoints()).find((c) => c.seq > cut)!;
      await asSuperuser(async (q) => {
        await q(`DELETE FROM audit_log WHERE seq > $1`, [cut]);
      });
      const broken = await verifyHttp();
      expect(broken).toMatchObject({
        ok: false,
        entries: cut,
        firstBrokenEntry: { seq: first.seq },
        checkpoints: {
          firstContradicted: {
            seq: first.seq,
            signedAt: first.signedAt,
            reason: `the chain ends at entry ${cut} but this checkpoint signed entry ${first.seq}: entries ${cut + 1} to ${first.seq} were removed`,
          },
        },
      });
      // The CLI, with the public key only: its own sign-in and the export extend the chain
      // again, still short of the checkpoint.
      const res = await cli();
      expect(res.code).toBe(1);
      expect(res.stdout).toMatch(
        new RegExp(
          // (were removed, or rewritten if the new entries reached a checkpoint's seq)
          `first contradicted checkpoint: entry ${first.seq} signed at ${first.signedAt} .*(were removed|the chain was rewritten)`,
        ),
      );
      const json = JSON.parse((await cli('--json')).stdout) as { ok: boolean };
      expect(json).toMatchObject({
        ok: false,
        checkpoints: { firstContradicted: { seq: first.seq } },
      });
    });

    it('a chain rewritten end to end, every hash recomputed, contradicts its first checkpoint', async () => {
      const first = (await checkpoints())[0];
      // Every link holds after the rewrite: only the checkpoints can tell.
      await asSuperuser(async (q) => {
        const rows = (
          (await q(`SELECT ${AUDIT_COLUMNS} FROM audit_log ORDER BY seq`)) as Row[]
        ).map(fromRow);
        let previous: AuditEntry | undefined;
        for (const row of rows) {
          const changed = {
            ...row,
            actor: row.seq === 2 ? 'someone-else' : row.actor,
            prev_hash: previous ? previous.hash : row.prev_hash,
          };
          const rewritten: AuditEntry = { ...changed, hash: entryHash(changed) };
          await q(`UPDATE audit_log SET actor = $2, prev_hash = $3, hash = $4 WHERE seq = $1`, [
            row.seq,
            rewritten.actor,
            rewritten.prev_hash,
            rewritten.hash,
          ]);
          previous = rewritten;
        }
      });
      const broken = await verifyHttp();
      expect(broken).toMatchObject({
        ok: false,
        firstBrokenEntry: {
          seq: first.seq,
          reason: expect.stringMatching(
            /contradicts the checkpoint signed at .*the chain was rewritten/,
          ),
        },
        checkpoints: {
          firstContradicted: {
            seq: first.seq,
            signedAt: first.signedAt,
            reason: expect.stringMatching(`entry ${first.seq} is not the one signed`),
          },
        },
      });
      const res = await cli();
      expect(res.code).toBe(1);
      expect(res.stdout).toMatch(
        new RegExp(
          `first contradicted checkpoint: entry ${first.seq} signed at ${first.signedAt} .*the chain was rewritten`,
        ),
      );
      // A public key the checkpoints were not signed with proves nothing: every one is reported.
      const other = join(dir, 'other.pem');
      writeFileSync(
        other,
        generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }),
      );
      const wrongKey = await runCli(
        ['audit', 'verify', '--checkpoints', '--public-key', other],
        cliAuth(sys.baseUrl, auditor),
      );
      expect(wrongKey.code).toBe(1);
      expect(wrongKey.stdout).toMatch(/unknown key/);
      expect(readFileSync(publicKeyFile(), 'utf8')).toMatch(/BEGIN PUBLIC KEY/);
    });
  });
});
