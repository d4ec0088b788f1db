// The checkpoint recipe of libs/audit (docs/auditing.md, "Signed checkpoints"), without a database: what is
// signed, and what the checker says of a chain that matches, was rewritten, lost its tail, or
// comes with a forged checkpoint. The same checks run against PostgreSQL in
// test/e2e/audit-checkpoints.test.ts.
import { generateKeyPairSync } from 'node:crypto';
import {
  type AuditEntry,
  CheckpointChecker,
  checkpointMessage,
  entryHash,
  GENESIS_HASH,
  keyIdOf,
  parsePublicKeys,
  publicKeyPem,
  signatureProblem,
  signCheckpoint,
} from '../../libs/audit/src';

function chain(n: number, actorOf = (seq: number) => `user-${seq}`): AuditEntry[] {
  const out: AuditEntry[] = [];
  for (let seq = 1; seq <= n; seq++) {
    const entry = {
      seq,
      at: new Date(Date.UTC(2026, 11, 3, 8, 0, seq)).toISOString(),
      actor: actorOf(seq),
      role: 'auditor',
      country: 'ZA',
      action: 'audit.verify',
      object_type: null,
      object_id: null,
      trace_request_id: null,
      outcome: 'success' as const,
      request_id: null,
      details: {},
      idempotency_key: null,
      prev_hash: out[seq - 2]?.hash ?? GENESIS_HASH,
    };
    out.push({ ...entry, hash: entryHash(entry) });
  }
  return out;
}

describe('audit checkpoints: Ed25519 signatures over the chain head', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const entries = chain(30);
  const at10 = signCheckpoint(privateKey, entries[9], new Date('2026-12-03T09:00:00Z'));
  const at20 = signCheckpoint(privateKey, entries[19], new Date('2026-12-03T09:10:00Z'));

  const check = (walked: AuditEntry[], checkpoints = [at10, at20], keys = [publicKey]) => {
    const checker = new CheckpointChecker(checkpoints, keys);
    for (const e of walked) checker.entry(e);
    return checker.end(walked[walked.length - 1], true);
  };

  it('signs a domain tag and the canonical JSON of seq, hash, at, signedAt and key id', () => {
    expect(checkpointMessage(at10).toString()).toBe(
      'silvertrace-audit-checkpoint-v1\n' +
        JSON.stringify({
          at: entries[9].at,
          hash: entries[9].hash,
          keyId: keyIdOf(publicKey),
          seq: 10,
          signedAt: '2026-12-03T09:00:00.000Z',
        }),
    );
    expect(keyIdOf(privateKey)).toBe(keyIdOf(publicKey));
    expect(keyIdOf(publicKey)).toMatch(/^[0-9a-f]{16}$/);
    expect(signatureProblem(at10, [publicKey])).toBeUndefined();
    // The public key travels as PEM and comes back the same.
    expect(parsePublicKeys(publicKeyPem(publicKey), 'here').map(keyIdOf)).toEqual([
      keyIdOf(publicKey),
    ]);
  });

  it('holds for the chain it signed', () => {
    expect(check(entries)).toEqual({
      total: 2,
      verified: 2,
      latest: { seq: 20, hash: entries[19].hash, signedAt: at20.signedAt, keyId: at20.keyId },
    });
  });

  it('names the first checkpoint a chain recomputed from entry 5 contradicts', () => {
    const rewritten = chain(30, (seq) => (seq === 5 ? 'mallory' : `user-${seq}`));
    expect(check(rewritten).firstContradicted).toEqual({
      seq: 10,
      signedAt: at10.signedAt,
      keyId: at10.keyId,
      reason: expect.stringMatching(
        /^entry 10 is not the one signed: .*\(the chain was rewritten\)$/,
      ),
    });
  });

  it('names the first checkpoint beyond a removed tail', () => {
    expect(check(entries.slice(0, 15)).firstContradicted).toMatchObject({
      seq: 20,
      reason:
        'the chain ends at entry 15 but this checkpoint signed entry 20: entries 16 to 20 were removed',
    });
    expect(check(entries.slice(0, 5)).firstContradicted?.seq).toBe(10);
  });

  it('reports a forged signature, an unknown key, and trusts neither', () => {
    const forged = { ...at20, hash: entries[24].hash, seq: 25, at: entries[24].at };
    expect(check(entries, [at10, forged]).firstContradicted).toMatchObject({
      seq: 25,
      reason: expect.stringMatching(/signature does not verify/),
    });
    const other = generateKeyPairSync('ed25519').privateKey;
    const stranger = signCheckpoint(other, entries[4]);
    const report = check(entries, [at10, stranger]);
    expect(report.firstContradicted).toMatchObject({
      seq: 5,
      reason: expect.stringMatching(/unknown key/),
    });
    expect(report.verified).toBe(1);
    // With the other key also given (a rotation), both hold.
    expect(check(entries, [at10, stranger], [publicKey, other]).firstContradicted).toBeUndefined();
  });
});
