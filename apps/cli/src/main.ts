#!/usr/bin/env node
// `silvertrace`: the command line for auditors and operators. It talks to the API over HTTP
// only (no database or Temporal access), so it runs anywhere the API is reachable.
// Exit codes: 0 ok, 1 a finding (non-deterministic replay, broken audit chain), 2 usage or
// connection error (bad option, unreachable API, refused credentials, unknown request).
import { Command, CommanderError, Option } from 'commander';
import { SingleBar } from 'cli-progress';
import { writeFileSync } from 'node:fs';
import { type AuditEntry, type AuditEntryView, checkLink } from '../../../libs/audit/src/chain';
import {
  type Checkpoint,
  CheckpointChecker,
  type CheckpointReport,
  keyIdOf,
  readPublicKeys,
} from '../../../libs/audit/src/checkpoints';
import type { ReplayReport } from '../../../libs/domain/src/api-types';
import { ApiClient, CliError } from './api-client';

export const EXIT = { ok: 0, finding: 1, error: 2 } as const;

type Body = Record<string, unknown>;

interface GlobalOptions {
  apiUrl: string;
  username?: string;
  password?: string;
  token?: string;
}

const ISO = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

function isoOption(name: string) {
  return (value: string): string => {
    if (!ISO.test(value) || Number.isNaN(Date.parse(value))) {
      throw new CliError(`${name} must be an ISO 8601 date or date-time with a zone`, EXIT.error);
    }
    return value;
  };
}

/** Writes to a file when asked (saying where on stderr), else to stdout. */
function emit(text: string, output: string | undefined): void {
  if (output) {
    writeFileSync(output, text.endsWith('\n') ? text : `${text}\n`);
    process.stderr.write(`written to ${output}\n`);
  } else {
    process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function printReplay(report: ReplayReport): void {
  const lines = [
    `request        ${report.requestId}`,
    `deterministic  ${report.deterministic ? 'yes' : 'NO'}`,
    ...(report.divergence ? [`divergence     ${report.divergence}`] : []),
    `final status   ${report.finalStatus}`,
    `events         ${report.events} in ${report.histories.length} histories`,
    '',
    table([
      ['EVENT', 'AT', 'ACTION', 'ACTOR', 'STATUS'],
      ...report.steps.map((s) => [s.eventId, s.at, s.action, s.actor, s.status]),
    ]),
    '',
    table([
      ['WORKFLOW', 'RUN', 'EVENTS', 'SHA-256'],
      ...report.histories.map((h) => [h.workflowId, h.runId, String(h.events), h.sha256]),
    ]),
  ];
  if (report.asOf !== undefined) {
    lines.push('', `as of ${report.asOf}: ${report.status ?? 'not yet created'}`);
    if (report.state) lines.push(JSON.stringify(report.state, null, 2));
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** Where a request stands: status, suspension, what the caller may do, its country tracks. */
function printStatus(view: Body, tracks?: Body[]): void {
  const suspension = view.suspension as
    | { since: string; until: string; reason?: string; orderedBy?: string; extensions: number }
    | undefined;
  const lines = [
    `reference   ${String(view.reference)}`,
    `status      ${String(view.status)}`,
    suspension
      ? `suspended   since ${suspension.since} until ${suspension.until}` +
        `${suspension.orderedBy ? ' (by the INTERPOL General Secretariat)' : ''}` +
        `${suspension.extensions ? `, extended ${suspension.extensions}x` : ''}` +
        `${suspension.reason ? `: ${suspension.reason}` : ''}`
      : 'suspended   no',
    `actions     ${((view.allowedActions as string[] | undefined) ?? []).join(', ') || '-'}`,
  ];
  if (tracks) {
    lines.push(
      '',
      table([
        ['COUNTRY', 'STATUS', 'DEADLINE', 'PAUSED SINCE'],
        ...tracks.map((t) => [
          String(t.country),
          String(t.status),
          String(t.deadline ?? '-'),
          String(t.pausedSince ?? '-'),
        ]),
      ]),
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** Every request the caller may see, page by page. */
async function allRequestIds(api: ApiClient): Promise<{ id: string; reference: string }[]> {
  const out: { id: string; reference: string }[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `/api/v1/trace-requests?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = await api.json<{ items: Body[]; nextCursor: string | null }>('GET', query);
    for (const item of page.items)
      out.push({ id: String(item.id), reference: String(item.reference) });
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

async function replayAll(api: ApiClient, json: boolean): Promise<number> {
  const requests = await allRequestIds(api);
  const bar = new SingleBar({
    format: 'replay [{bar}] {value}/{total} {reference}',
    stream: process.stderr,
    hideCursor: true,
    // A bar only on a terminal; piped output gets the summary alone.
    noTTYOutput: false,
  });
  if (process.stderr.isTTY) bar.start(requests.length, 0, { reference: '' });
  const rows: { reference: string; id: string; result: string; status: string; events: string }[] =
    [];
  let failures = 0;
  for (const r of requests) {
    try {
      const report = await api.json<ReplayReport>(
        'POST',
        `/api/v1/audit/trace-requests/${r.id}/replay`,
      );
      // An erased request has nothing left to replay: reported, not a failure.
      if (!report.deterministic && !report.erased) failures += 1;
      rows.push({
        reference: r.reference,
        id: r.id,
        result: report.erased
          ? 'erased'
          : report.deterministic
            ? 'deterministic'
            : `NON-DETERMINISTIC: ${report.divergence ?? ''}`,
        status: report.finalStatus,
        events: String(report.events),
      });
    } catch (err) {
      if (err instanceof CliError && err.status === undefined) throw err; // connection lost
      failures += 1;
      rows.push({
        reference: r.reference,
        id: r.id,
        result: `ERROR: ${(err as Error).message}`,
        status: '-',
        events: '-',
      });
    }
    if (process.stderr.isTTY) bar.increment(1, { reference: r.reference });
  }
  if (process.stderr.isTTY) bar.stop();
  if (json) {
    process.stdout.write(
      `${JSON.stringify({ replayed: rows.length, failures, results: rows }, null, 2)}\n`,
    );
  } else {
    process.stdout.write(
      `${table([
        ['REFERENCE', 'ID', 'STATUS', 'EVENTS', 'RESULT'],
        ...rows.map((r) => [r.reference, r.id, r.status, r.events, r.result]),
      ])}\n\n${rows.length} replayed, ${rows.length - failures} deterministic, ${failures} failed\n`,
    );
  }
  return failures > 0 ? EXIT.finding : EXIT.ok;
}

export function buildProgram(run: (code: number) => void): Command {
  const program = new Command('silvertrace')
    .description(
      'silvertrace for auditors and operators: replay, verify, export, case files; request status, suspend, resume',
    )
    .addOption(
      new Option('--api-url <url>', 'API base URL')
        .env('SILVERTRACE_API_URL')
        .default('http://127.0.0.1:3000'),
    )
    .addOption(new Option('-u, --username <name>', 'sign in as').env('SILVERTRACE_USERNAME'))
    .addOption(new Option('-p, --password <password>', 'password').env('SILVERTRACE_PASSWORD'))
    .addOption(
      new Option('--token <jwt>', 'a bearer token instead of signing in').env('SILVERTRACE_TOKEN'),
    )
    .showHelpAfterError()
    .exitOverride();

  const client = () => new ApiClient(program.opts<GlobalOptions>());

  const audit = program
    .command('audit')
    .description('auditors: replay histories, verify and export the audit log');

  audit
    .command('replay')
    .description("replay a request's recorded histories against the current workflow code")
    .argument('[id]', 'trace request id')
    .option('--all', 'replay every request you may see (progress bar, summary table)')
    .option('--as-of <time>', 'also show the state at that moment', isoOption('--as-of'))
    .option('--json', 'print the raw JSON report')
    .action(
      async (id: string | undefined, opts: { all?: boolean; asOf?: string; json?: boolean }) => {
        if (!id === !opts.all)
          throw new CliError('give a request id or --all (not both)', EXIT.error);
        const api = client();
        if (opts.all) return run(await replayAll(api, opts.json === true));
        const query = opts.asOf ? `?asOf=${encodeURIComponent(opts.asOf)}` : '';
        const report = await api.json<ReplayReport>(
          'POST',
          `/api/v1/audit/trace-requests/${id}/replay${query}`,
          {
            notFound: `trace request ${id}`,
          },
        );
        if (opts.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        else printReplay(report);
        run(report.deterministic ? EXIT.ok : EXIT.finding);
      },
    );

  audit
    .command('verify')
    .description(
      'walk the hash-chained audit log; exit 1 naming the first broken entry. With ' +
        '--checkpoints, fetch the whole log and its signed checkpoints and check them here, ' +
        'with your own copy of the public key: exit 1 naming the first contradicted checkpoint',
    )
    .option('--json', 'print the raw JSON answer')
    .option('--checkpoints', 'check the chain against its signed checkpoints, on this machine')
    .option(
      '--public-key <file>',
      "PEM public key(s) the checkpoints are signed with (a copy you trust, not the API's)",
    )
    .action(async (opts: { json?: boolean; checkpoints?: boolean; publicKey?: string }) => {
      if (opts.checkpoints) {
        if (!opts.publicKey)
          throw new CliError('--checkpoints needs --public-key <file>', EXIT.error);
        const report = await verifyWithCheckpoints(client(), opts.publicKey);
        if (opts.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        else printCheckpointReport(report);
        run(report.ok ? EXIT.ok : EXIT.finding);
        return;
      }
      if (opts.publicKey) throw new CliError('--public-key goes with --checkpoints', EXIT.error);
      const result = await client().json<{
        ok: boolean;
        entries: number;
        firstBrokenEntry?: unknown;
      }>('GET', '/api/v1/audit/verify');
      if (opts.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      else if (result.ok)
        process.stdout.write(`audit chain intact: ${result.entries} entries verified\n`);
      else {
        const broken = result.firstBrokenEntry;
        const name =
          broken && typeof broken === 'object'
            ? JSON.stringify(broken)
            : String(broken ?? 'unknown');
        process.stdout.write(
          `audit chain BROKEN after ${result.entries} entries; first broken entry: ${name}\n`,
        );
      }
      run(result.ok ? EXIT.ok : EXIT.finding);
    });

  audit
    .command('export')
    .description('export the audit log between two moments')
    .requiredOption('--from <time>', 'ISO 8601 date or date-time (inclusive)', isoOption('--from'))
    .requiredOption('--to <time>', 'ISO 8601 date or date-time', isoOption('--to'))
    .addOption(
      new Option('--format <format>', 'csv or json').choices(['csv', 'json']).default('json'),
    )
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .action(async (opts: { from: string; to: string; format: string; output?: string }) => {
      const query: URLSearchParams = new URLSearchParams({
        from: opts.from,
        to: opts.to,
        format: opts.format,
      });
      const text = await client().text('GET', `/api/v1/audit/export?${query.toString()}`);
      emit(text, opts.output);
      run(EXIT.ok);
    });

  const request = program
    .command('request')
    .description('operators: where a request stands; suspend and resume it (NCB officers)');

  request
    .command('status')
    .description('status, suspension, allowed actions and country tracks of one request')
    .argument('<id>', 'trace request id')
    .option('--json', 'the request and its tracks as JSON')
    .action(async (id: string, opts: { json?: boolean }) => {
      const api = client();
      const notFound = `trace request ${id}`;
      const view = await api.json<Body>('GET', `/api/v1/trace-requests/${id}`, { notFound });
      const tracks = await api.json<Body[]>('GET', `/api/v1/trace-requests/${id}/jurisdictions`, {
        notFound,
      });
      if (opts.json) {
        process.stdout.write(
          `${JSON.stringify({ request: view, jurisdictions: tracks }, null, 2)}\n`,
        );
      } else {
        printStatus(view, tracks);
      }
      run(EXIT.ok);
    });

  request
    .command('suspend')
    .description(
      'suspend a published request (at most 6 months), or extend its suspension once; country deadlines pause',
    )
    .argument('<id>', 'trace request id')
    .requiredOption('--reason <text>', 'why')
    .option('--until <time>', 'when it ends (ISO 8601 date-time with a zone)', isoOption('--until'))
    .option(
      '--duration <iso>',
      'how long (ISO 8601 duration, e.g. P3M); for an extension, from the current end',
    )
    .action(async (id: string, opts: { reason: string; until?: string; duration?: string }) => {
      if ((opts.until === undefined) === (opts.duration === undefined)) {
        throw new CliError('give --until or --duration (one of them)', EXIT.error);
      }
      const view = await client().json<Body>('POST', `/api/v1/trace-requests/${id}/suspension`, {
        notFound: `trace request ${id}`,
        body: {
          reason: opts.reason,
          ...(opts.until !== undefined ? { until: opts.until } : {}),
          ...(opts.duration !== undefined ? { duration: opts.duration } : {}),
        },
      });
      printStatus(view);
      run(EXIT.ok);
    });

  request
    .command('resume')
    .description(
      'lift the suspension now; country deadlines run again, moved by the time suspended',
    )
    .argument('<id>', 'trace request id')
    .action(async (id: string) => {
      const view = await client().json<Body>('POST', `/api/v1/trace-requests/${id}/resumption`, {
        notFound: `trace request ${id}`,
      });
      printStatus(view);
      run(EXIT.ok);
    });

  program
    .command('erase')
    .description(
      "erase a request's personal data (admin of its country or INTERPOL admin): its data key " +
        'is destroyed, its workflows terminated, its read models keep reference, dates, statuses',
    )
    .argument('<id>', 'trace request id')
    // The grounds are checked by the API (libs/domain/src/erasure.ts), which names a wrong one.
    .requiredOption('--ground <ground>', 'the legal ground (see the README, "Personal data")')
    .option('--reference <reference>', 'the CCF decision’s reference (ccf_decision)')
    .option('--deadline <time>', 'the CCF order’s deadline, ISO 8601 (ccf_decision)')
    .option('--close-running', 'terminate the request’s workflows if it still runs')
    .option('--json', 'print the raw JSON answer')
    .action(
      async (
        id: string,
        opts: {
          ground: string;
          reference?: string;
          deadline?: string;
          closeRunning?: boolean;
          json?: boolean;
        },
      ) => {
        const answer = await client().json<Body>(
          'POST',
          `/api/v1/admin/trace-requests/${id}/erasure`,
          {
            notFound: `trace request ${id}`,
            body: {
              ground: opts.ground,
              ...(opts.reference !== undefined ? { reference: opts.reference } : {}),
              ...(opts.deadline !== undefined ? { deadline: opts.deadline } : {}),
              ...(opts.closeRunning ? { closeRunning: true } : {}),
            },
          },
        );
        const erasure = answer.erasure as { ground: string; completedAt: string };
        process.stdout.write(
          opts.json
            ? `${JSON.stringify(answer, null, 2)}\n`
            : `${String(answer.reference)} ERASED (${erasure.ground}) at ${erasure.completedAt}\n`,
        );
        run(EXIT.ok);
      },
    );

  program
    .command('case-file')
    .description(
      'one JSON bundle: request, timeline, jurisdictions and responses, assets, audit entries, ' +
        'history hashes; H2/H3 answers are left out unless --permission records the source’s ' +
        'permission, H1 content is marked "not for use as evidence"',
    )
    .argument('<id>', 'trace request id')
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .option(
      '--permission <answerId=reference>',
      "include a withheld (H2/H3) answer: the source's permission reference (repeatable; audited)",
      collectPermission,
      [] as Permission[],
    )
    .action(async (id: string, opts: { output?: string; permission: Permission[] }) => {
      const api = client();
      const notFound = `trace request ${id}`;
      // Built by the API under the handling codes, which audits the export and its permissions.
      const { request, timeline, jurisdictions, assets, handling } = await api.json<Body>(
        'POST',
        `/api/v1/trace-requests/${id}/case-file`,
        { notFound, body: { permissions: opts.permission } },
      );
      const withheld = (handling as { withheld?: unknown[] } | undefined)?.withheld ?? [];
      if (withheld.length > 0) {
        process.stderr.write(
          `${withheld.length} answer(s) under H2/H3 left out; see handling.withheld and --permission\n`,
        );
      }
      const auditEntries = await auditEntriesOf(api, id);
      const replay = await api.json<ReplayReport>(
        'POST',
        `/api/v1/audit/trace-requests/${id}/replay`,
        {
          notFound,
          optional: [403],
        },
      );
      const bundle = {
        generatedAt: new Date().toISOString(),
        apiUrl: program.opts<GlobalOptions>().apiUrl,
        request,
        timeline,
        jurisdictions,
        assets,
        handling,
        auditEntries,
        histories: replay
          ? replay.histories.map((h) => ({
              workflowId: h.workflowId,
              runId: h.runId,
              sha256: h.sha256,
              events: h.events,
            }))
          : null,
        replay: replay
          ? {
              deterministic: replay.deterministic,
              divergence: replay.divergence,
              finalStatus: replay.finalStatus,
            }
          : null,
      };
      emit(JSON.stringify(bundle, null, 2), opts.output);
      run(EXIT.ok);
    });

  return program;
}

interface Permission {
  answerId: string;
  reference: string;
}

/** `--permission <answerId>=<reference>`, repeatable; the API checks that the answer needs one. */
function collectPermission(value: string, previous: Permission[]): Permission[] {
  const at = value.indexOf('=');
  const answerId = at > 0 ? value.slice(0, at).trim() : '';
  const reference = at > 0 ? value.slice(at + 1).trim() : '';
  if (!answerId || !reference) {
    throw new CliError('--permission must be <answerId>=<reference>', EXIT.error);
  }
  return [...previous, { answerId, reference }];
}

interface CheckpointVerification {
  ok: boolean;
  entries: number;
  head?: { seq: number; hash: string };
  firstBrokenEntry?: { seq: number; reason: string };
  /** Key ids of the public keys given (--public-key). */
  keys: string[];
  checkpoints: CheckpointReport;
}

/**
 * The auditor's own check: the whole log (export) and the checkpoints from the API, every hash
 * recomputed and every signature checked here with the key file given, so neither the API nor
 * the database has to be trusted (libs/audit: the same code the API and the worker run).
 */
async function verifyWithCheckpoints(
  api: ApiClient,
  publicKeyFile: string,
): Promise<CheckpointVerification> {
  let keys;
  try {
    keys = readPublicKeys(publicKeyFile, '--public-key');
  } catch (err) {
    throw new CliError((err as Error).message, EXIT.error);
  }
  const { items } = await api.json<{ items: Checkpoint[] }>('GET', '/api/v1/audit/checkpoints');
  const views = await api.json<AuditEntryView[]>('GET', '/api/v1/audit/export?format=json');
  const checker = new CheckpointChecker(items, keys);
  let previous: { seq: number; hash: string } | undefined;
  let broken: { seq: number; reason: string } | undefined;
  let entries = 0;
  for (const v of views) {
    const entry: AuditEntry = {
      seq: v.seq,
      at: v.at,
      actor: v.actor,
      role: v.role,
      country: v.country,
      action: v.action,
      object_type: v.objectType,
      object_id: v.objectId,
      trace_request_id: v.traceRequestId,
      outcome: v.outcome,
      request_id: v.requestId,
      details: v.details,
      idempotency_key: v.idempotencyKey,
      prev_hash: v.prevHash,
      hash: v.hash,
    };
    const reason = checkLink(entry, previous);
    if (reason) {
      broken = { seq: entry.seq, reason };
      break;
    }
    checker.entry(entry);
    previous = { seq: entry.seq, hash: entry.hash };
    entries += 1;
  }
  const checkpoints = checker.end(previous, !broken);
  const c = checkpoints.firstContradicted;
  if (!broken && c)
    broken = {
      seq: c.seq,
      reason: `contradicts the checkpoint signed at ${c.signedAt}: ${c.reason}`,
    };
  return {
    ok: !broken && !c,
    entries,
    ...(previous ? { head: previous } : {}),
    ...(broken ? { firstBrokenEntry: broken } : {}),
    keys: keys.map(keyIdOf),
    checkpoints,
  };
}

function printCheckpointReport(r: CheckpointVerification): void {
  const cp = r.checkpoints;
  const out: string[] = [];
  if (r.ok) out.push(`audit chain intact: ${r.entries} entries verified`);
  else {
    out.push(
      `audit chain BROKEN after ${r.entries} entries; first broken entry: ${JSON.stringify(r.firstBrokenEntry)}`,
    );
  }
  out.push(
    `checkpoints: ${cp.verified} of ${cp.total} verified with key ${r.keys.join(', ')}` +
      (cp.latest ? `; latest: entry ${cp.latest.seq} signed at ${cp.latest.signedAt}` : ''),
  );
  if (cp.firstContradicted) {
    const f = cp.firstContradicted;
    out.push(
      `first contradicted checkpoint: entry ${f.seq} signed at ${f.signedAt} (key ${f.keyId}): ${f.reason}`,
    );
  } else if (cp.total === 0) {
    out.push('warning: no checkpoint yet: a removed tail could not be seen');
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

/** The request's audit-log entries, every page; null (with a warning) where the API has none. */
async function auditEntriesOf(api: ApiClient, id: string): Promise<Body[] | null> {
  const items: Body[] = [];
  let cursor: string | null = null;
  do {
    const query: URLSearchParams = new URLSearchParams({
      requestId: id,
      limit: '100',
      ...(cursor ? { cursor } : {}),
    });
    const page: { items: Body[]; nextCursor: string | null } | null = await api.json<{
      items: Body[];
      nextCursor: string | null;
    }>('GET', `/api/v1/audit/entries?${query.toString()}`, { optional: [403, 404] });
    if (!page) {
      process.stderr.write('warning: the audit log is not readable here; auditEntries is null\n');
      return null;
    }
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

export async function main(argv: string[]): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram((c) => (code = c));
  try {
    await program.parseAsync(argv);
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version are not errors; anything else commander refused is usage.
      return err.exitCode === 0 ? EXIT.ok : EXIT.error;
    }
    if (err instanceof CliError) {
      process.stderr.write(`silvertrace: ${err.message}\n`);
      return err.exitCode;
    }
    process.stderr.write(`silvertrace: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.error;
  }
}

if (require.main === module) {
  void main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
