import { AUDIT_CLASSIFICATION, auditRuleOf } from '../../apps/api/src/audit/audit-classification';
import { POLICY } from '../../apps/api/src/auth/policy';
import {
  canonicalEntry,
  checkLink,
  entryHash,
  GENESIS_HASH,
  type AuditEntry,
} from '../../libs/audit/src';
import { sha256Hex } from '../../libs/common/src';
import { loadConfig } from '../../libs/config/src';

const HOW_TO_CLASSIFY =
  'add it to AUDIT_CLASSIFICATION in apps/api/src/audit/audit-classification.ts: ' +
  "'transaction' when the change's own transaction appends the entry (API service or worker " +
  "projection), 'recorded' when the AuditInterceptor should record each successful call (reads " +
  "of a case, audit reads), 'handler' when the route records itself, 'none' with the reason " +
  'otherwise (probes, lists). Refusals (401/403) are recorded whatever the mode.';

describe('audit classification: one rule per policy action', () => {
  it.each(Object.keys(POLICY))('classifies %s', (action) => {
    const rule = auditRuleOf(action);
    if (!rule)
      throw new Error(`policy action '${action}' has no audit classification: ${HOW_TO_CLASSIFY}`);
    expect(['transaction', 'recorded', 'handler', 'none']).toContain(rule.mode);
    expect(rule.why.length).toBeGreaterThan(5);
    if (rule.mode === 'transaction') expect(['api', 'worker']).toContain(rule.by);
  });

  it('classifies no action the policy does not have', () => {
    const stale = Object.keys(AUDIT_CLASSIFICATION).filter((a) => !(a in POLICY));
    expect(stale).toEqual([]);
  });

  it('records every write: no state-changing action is left unaudited', () => {
    const writes = Object.entries(AUDIT_CLASSIFICATION)
      .filter(([a]) =>
        /\.(create|edit|submit|review|interpol-submission|query-answers|withdraw|close|respond|extend|move|decision|response)$/.test(
          a,
        ),
      )
      .map(([a, r]) => [a, r.mode]);
    expect(writes.length).toBeGreaterThan(10);
    for (const [action, mode] of writes)
      expect({ action, mode }).toEqual({ action, mode: 'transaction' });
  });

  it('records every read of a request’s detail', () => {
    for (const a of [
      'trace-requests.get',
      'jurisdictions.list',
      'assets.for-request',
      'assets.get',
    ])
      expect({ a, mode: auditRuleOf(a)?.mode }).toEqual({ a, mode: 'recorded' });
  });
});

describe('the hash recipe', () => {
  const entry: Omit<AuditEntry, 'hash'> = {
    seq: 1,
    at: '2026-11-29T04:00:00.000Z',
    actor: 'auditor.za',
    role: 'auditor',
    country: 'ZA',
    action: 'audit.verify',
    object_type: null,
    object_id: null,
    trace_request_id: null,
    outcome: 'success',
    request_id: 'r-1',
    details: { z: 1, a: { y: [2, { b: 1, a: 0 }], x: null } },
    idempotency_key: null,
    prev_hash: GENESIS_HASH,
  };

  it('is SHA-256 over prev_hash then the key-sorted JSON of every column but hash', () => {
    const canonical = canonicalEntry(entry);
    expect(canonical).toBe(
      '{"action":"audit.verify","actor":"auditor.za","at":"2026-11-29T04:00:00.000Z",' +
        '"country":"ZA","details":{"a":{"x":null,"y":[2,{"a":0,"b":1}]},"z":1},' +
        '"idempotency_key":null,"object_id":null,"object_type":null,"outcome":"success",' +
        `"prev_hash":"${GENESIS_HASH}","request_id":"r-1","role":"auditor","seq":1,` +
        '"trace_request_id":null}',
    );
    expect(entryHash(entry)).toBe(sha256Hex(GENESIS_HASH + canonical));
  });

  it('names what is wrong with a link: content, prev_hash, sequence', () => {
    const first: AuditEntry = { ...entry, hash: entryHash(entry) };
    expect(checkLink(first, undefined)).toBeUndefined();
    const secondBase = { ...entry, seq: 2, prev_hash: first.hash, actor: 'x' };
    const second: AuditEntry = { ...secondBase, hash: entryHash(secondBase) };
    expect(checkLink(second, first)).toBeUndefined();
    expect(checkLink({ ...first, details: { z: 2 } }, undefined)).toMatch(/hash does not match/);
    expect(checkLink(second, { seq: 1, hash: 'f'.repeat(64) })).toMatch(/prev_hash/);
    expect(checkLink(second, undefined)).toMatch(/entry 1 is missing/);
  });
});

describe('AUDIT_VERIFY_INTERVAL', () => {
  it('defaults to 15 minutes and takes an ISO 8601 duration', () => {
    expect(loadConfig({}).audit.verifyIntervalMs).toBe(15 * 60_000);
    expect(loadConfig({ AUDIT_VERIFY_INTERVAL: 'PT1H' }).audit.verifyIntervalMs).toBe(3_600_000);
  });

  it('refuses a bad or too short interval, naming the variable', () => {
    expect(() => loadConfig({ AUDIT_VERIFY_INTERVAL: 'soon' })).toThrow(/AUDIT_VERIFY_INTERVAL/);
    expect(() => loadConfig({ AUDIT_VERIFY_INTERVAL: 'PT30S' })).toThrow(
      /AUDIT_VERIFY_INTERVAL: must be PT1M or longer/,
    );
  });
});
