import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify as verifySignature,
} from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson } from '../../common/src/hash';

/**
 * A signed head of the audit chain: the worker signs (seq, hash, at) of the entry it has just
 * verified with an Ed25519 key kept outside the database; anyone holding the public key can then
 * prove that the chain still contains that entry unchanged. A chain recomputed after tampering
 * gives the entry another hash, a truncated tail has no entry at `seq`: both contradict it.
 */
export interface Checkpoint {
  seq: number;
  /** The entry's hash (hex SHA-256). */
  hash: string;
  /** The entry's `at` (ISO 8601 UTC with milliseconds). */
  at: string;
  signedAt: string;
  /** First 16 hex digits of the SHA-256 of the public key (SPKI, DER). */
  keyId: string;
  /** Ed25519 signature of checkpointMessage(), base64. */
  signature: string;
}

/** Why a checkpoint does not hold: a bad signature, or a chain that contradicts it. */
export interface ContradictedCheckpoint {
  seq: number;
  signedAt: string;
  keyId: string;
  reason: string;
}

export interface CheckpointReport {
  /** Checkpoints stored. */
  total: number;
  /** Checkpoints whose signature verifies with a known public key and that the chain matches. */
  verified: number;
  /** The newest checkpoint that holds. */
  latest?: Pick<Checkpoint, 'seq' | 'hash' | 'signedAt' | 'keyId'>;
  /** The first (lowest seq) checkpoint that does not hold. */
  firstContradicted?: ContradictedCheckpoint;
}

const DOMAIN = 'silvertrace-audit-checkpoint-v1\n';

/** The bytes signed: a domain tag, then the canonical JSON of everything but the signature. */
export function checkpointMessage(c: Omit<Checkpoint, 'signature'>): Buffer {
  const { seq, hash, at, signedAt, keyId } = c;
  return Buffer.from(DOMAIN + canonicalJson({ at, hash, keyId, seq, signedAt }), 'utf8');
}

export function keyIdOf(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  const der = pub.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex').slice(0, 16);
}

export function signCheckpoint(
  privateKey: KeyObject,
  head: { seq: number; hash: string; at: string },
  signedAt: Date = new Date(),
): Checkpoint {
  const unsigned = {
    seq: head.seq,
    hash: head.hash,
    at: new Date(head.at).toISOString(),
    signedAt: signedAt.toISOString(),
    keyId: keyIdOf(privateKey),
  };
  const signature = sign(null, checkpointMessage(unsigned), privateKey).toString('base64');
  return { ...unsigned, signature };
}

/** Undefined when `c` is signed by one of `publicKeys`; else why not. */
export function signatureProblem(c: Checkpoint, publicKeys: KeyObject[]): string | undefined {
  const key = publicKeys.find((k) => keyIdOf(k) === c.keyId);
  if (!key) return `signed by an unknown key ${c.keyId} (forged, or a key not given)`;
  let good = false;
  try {
    good = verifySignature(null, checkpointMessage(c), key, Buffer.from(c.signature, 'base64'));
  } catch {
    good = false;
  }
  return good ? undefined : `its signature does not verify with key ${c.keyId} (forged)`;
}

/** An Ed25519 private key (PKCS#8 PEM) from a file; the variable is named in any error. */
export function readSigningKey(path: string, variable = 'AUDIT_SIGNING_KEY_FILE'): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(readFileSync(path));
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new Error(`${variable}: cannot read an Ed25519 private key from ${path} (${why})`, {
      cause: err,
    });
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new Error(`${variable}: ${path} holds a ${key.asymmetricKeyType} key, not Ed25519`);
  return key;
}

/**
 * Ed25519 public keys (SPKI PEM) from a file, one or several one after the other: after a key
 * rotation keep the old keys there, so the checkpoints they signed still verify.
 */
export function readPublicKeys(path: string, variable = 'AUDIT_PUBLIC_KEY_FILE'): KeyObject[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new Error(`${variable}: cannot read ${path} (${why})`, { cause: err });
  }
  return parsePublicKeys(text, `${variable}: ${path}`);
}

export function parsePublicKeys(text: string, where: string): KeyObject[] {
  const blocks = text.match(/-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/g) ?? [];
  if (blocks.length === 0) throw new Error(`${where} holds no PEM public key`);
  return blocks.map((pem) => {
    const key = createPublicKey(pem);
    if (key.asymmetricKeyType !== 'ed25519')
      throw new Error(`${where} holds a ${key.asymmetricKeyType} key, not Ed25519`);
    return key;
  });
}

export function publicKeyPem(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return pub.export({ type: 'spki', format: 'pem' }).toString();
}

/**
 * The key pair of a laptop stack or a test run, generated once into `dir` (the private key
 * readable by its owner only). Production brings its own (docs/auditing.md, "Signed checkpoints").
 */
export function ensureCheckpointKeys(dir: string): {
  privateKeyFile: string;
  publicKeyFile: string;
} {
  const privateKeyFile = join(dir, 'audit-signing-key.pem');
  const publicKeyFile = join(dir, 'audit-public-key.pem');
  if (!existsSync(privateKeyFile)) {
    mkdirSync(dir, { recursive: true });
    const { privateKey } = generateKeyPairSync('ed25519');
    writeFileSync(privateKeyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), {
      mode: 0o600,
    });
  }
  if (!existsSync(publicKeyFile)) {
    writeFileSync(publicKeyFile, publicKeyPem(readSigningKey(privateKeyFile)));
  }
  return { privateKeyFile, publicKeyFile };
}

interface CheckpointRow {
  seq: string | number;
  hash: string;
  at: Date | string;
  signed_at: Date | string;
  key_id: string;
  signature: string;
}

export const CHECKPOINT_COLUMNS = 'seq, hash, at, signed_at, key_id, signature';

export function checkpointFromRow(r: CheckpointRow): Checkpoint {
  return {
    seq: Number(r.seq),
    hash: r.hash,
    at: new Date(r.at).toISOString(),
    signedAt: new Date(r.signed_at).toISOString(),
    keyId: r.key_id,
    signature: r.signature,
  };
}

/**
 * Checks a chain against its checkpoints while it is walked in seq order: `entry()` for every
 * entry that links correctly, `end()` with the last one. Works the same on the database walk
 * (libs/audit verify) and on an export (the CLI), so both say the same thing.
 */
export class CheckpointChecker {
  private readonly good: Checkpoint[] = [];
  private readonly problems: ContradictedCheckpoint[] = [];
  private next = 0;
  private verified = 0;
  private latest?: Checkpoint;

  constructor(
    private readonly checkpoints: Checkpoint[],
    publicKeys: KeyObject[],
  ) {
    for (const c of [...checkpoints].sort((a, b) => a.seq - b.seq)) {
      const reason = signatureProblem(c, publicKeys);
      if (reason) this.problems.push(this.contradiction(c, reason));
      else this.good.push(c);
    }
  }

  entry(e: { seq: number; hash: string; at: string }): void {
    while (this.next < this.good.length && this.good[this.next].seq <= e.seq) {
      const c = this.good[this.next++];
      if (c.seq < e.seq) continue; // only reached when the walk skipped entries (not in verify)
      if (c.hash !== e.hash || c.at !== e.at) {
        this.problems.push(
          this.contradiction(
            c,
            `entry ${e.seq} is not the one signed: its hash is ${e.hash.slice(0, 12)}..., ` +
              `the checkpoint's ${c.hash.slice(0, 12)}... (the chain was rewritten)`,
          ),
        );
      } else {
        this.verified += 1;
        this.latest = c;
      }
    }
  }

  /** After the walk: checkpoints beyond the last entry mean a removed tail. */
  end(last: { seq: number } | undefined, walkedToTheEnd: boolean): CheckpointReport {
    if (walkedToTheEnd) {
      const lastSeq = last?.seq ?? 0;
      for (const c of this.good.slice(this.next)) {
        if (c.seq > lastSeq) {
          this.problems.push(
            this.contradiction(
              c,
              `the chain ends at entry ${lastSeq} but this checkpoint signed entry ${c.seq}: ` +
                `entries ${lastSeq + 1} to ${c.seq} were removed`,
            ),
          );
        }
      }
    }
    const first = [...this.problems].sort((a, b) => a.seq - b.seq)[0];
    return {
      total: this.checkpoints.length,
      verified: this.verified,
      ...(this.latest
        ? {
            latest: {
              seq: this.latest.seq,
              hash: this.latest.hash,
              signedAt: this.latest.signedAt,
              keyId: this.latest.keyId,
            },
          }
        : {}),
      ...(first ? { firstContradicted: first } : {}),
    };
  }

  private contradiction(c: Checkpoint, reason: string): ContradictedCheckpoint {
    return { seq: c.seq, signedAt: c.signedAt, keyId: c.keyId, reason };
  }
}
