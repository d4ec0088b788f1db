// Data keys: one AES-256 key per trace request (and one for what belongs to no request), stored
// in PostgreSQL (data_keys) only wrapped by a master key. Destroying a request's key deletes the
// wrapped key: whatever was encrypted with it, anywhere, can no longer be read (crypto-shredding).
import { randomBytes } from 'node:crypto';
import { KEY_BYTES } from './aead';
import type { MasterKeyProvider } from './master-keys';

/** Minimal query surface: a TypeORM DataSource or EntityManager, or a pg pool adapter. */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/** The key of payloads that belong to no request (audit verification, schedules). */
export const SYSTEM_KEY_ID = 'system';

/** A request's data key id; deterministic, so any process finds it from the request id. */
export const requestKeyId = (requestId: string): string => `request-${requestId}`;

/** Why a data key cannot be used. */
export class DataKeyUnavailableError extends Error {
  constructor(
    message: string,
    readonly keyId: string,
    readonly requestId?: string,
  ) {
    super(message);
  }
}

/** The key was destroyed (the request's data erased): what it encrypted is gone for good. */
export class DataKeyDestroyedError extends DataKeyUnavailableError {
  override readonly name = 'DataKeyDestroyedError';
  constructor(
    keyId: string,
    requestId: string | undefined,
    readonly destroyedAt: Date,
  ) {
    super(`data key ${keyId} was destroyed at ${destroyedAt.toISOString()}`, keyId, requestId);
  }
}

/** No such key in this deployment's data_keys (e.g. a history from elsewhere). */
export class DataKeyUnknownError extends DataKeyUnavailableError {
  override readonly name = 'DataKeyUnknownError';
  constructor(keyId: string) {
    super(`data key ${keyId} is unknown`, keyId);
  }
}

interface KeyRow {
  key_id: string;
  request_id: string | null;
  wrapped_key: Buffer | null;
  master_key_id: string;
  destroyed_at: Date | null;
}

/**
 * How long an unwrapped key stays in a process's memory. A key destroyed by another process is
 * refused here at the latest this long after (the destroying process forgets it at once).
 */
export const DATA_KEY_CACHE_MS = 60_000;

/** Data keys: created, unwrapped (cached), destroyed. Safe for many processes at once. */
export class DataKeyStore {
  private readonly cache = new Map<string, { key: Buffer; until: number }>();
  private readonly loading = new Map<string, Promise<Buffer>>();

  constructor(
    private readonly db: Queryable,
    private readonly masters: MasterKeyProvider,
    private readonly cacheMs = DATA_KEY_CACHE_MS,
  ) {}

  /**
   * Creates the request's key (committed on its own, before the request's workflow starts, so
   * every worker finds it); a second call changes nothing. Returns the key id.
   */
  async createRequestKey(requestId: string): Promise<string> {
    const keyId = requestKeyId(requestId);
    await this.key(keyId, requestId);
    return keyId;
  }

  /** The key that encrypts a request's payloads (created if missing), or the system key. */
  async encryptionKey(requestId: string | undefined): Promise<{ keyId: string; key: Buffer }> {
    const keyId = requestId ? requestKeyId(requestId) : SYSTEM_KEY_ID;
    return { keyId, key: await this.key(keyId, requestId ?? null) };
  }

  /** The key a payload names, for decryption: never created here. */
  decryptionKey(keyId: string): Promise<Buffer> {
    return this.key(keyId, undefined);
  }

  /**
   * Destroys a request's key: the wrapped key is deleted, the row kept (who, when) so the key is
   * never silently re-created. Answers whether it was live before.
   */
  async destroyRequestKey(requestId: string): Promise<boolean> {
    const keyId = requestKeyId(requestId);
    this.cache.delete(keyId);
    const rows = (await this.db.query(
      `WITH d AS (
         UPDATE data_keys SET wrapped_key = NULL, destroyed_at = now()
          WHERE key_id = $1 AND destroyed_at IS NULL RETURNING key_id)
       SELECT key_id FROM d`,
      [keyId],
    )) as unknown[];
    this.cache.delete(keyId);
    return rows.length > 0;
  }

  /** Forgets the unwrapped keys held in memory (tests, and after a destroy elsewhere). */
  forget(): void {
    this.cache.clear();
  }

  /**
   * The unwrapped key: from memory, else from PostgreSQL, else (when `create` names the owner:
   * a request id, or null for the system key) created. Concurrent callers share one lookup.
   */
  private key(keyId: string, create: string | null | undefined): Promise<Buffer> {
    const hit = this.cache.get(keyId);
    if (hit && hit.until > Date.now()) return Promise.resolve(hit.key);
    let pending = this.loading.get(keyId);
    if (!pending) {
      pending = this.load(keyId, create).finally(() => this.loading.delete(keyId));
      this.loading.set(keyId, pending);
    }
    return pending;
  }

  private async load(keyId: string, create: string | null | undefined): Promise<Buffer> {
    let row = await this.row(keyId);
    if (!row && create !== undefined) {
      const key = randomBytes(KEY_BYTES);
      const { masterKeyId, wrapped } = await this.masters.wrap(key, keyId);
      // Two processes may race: the first insert wins and both use the stored key.
      await this.db.query(
        `INSERT INTO data_keys (key_id, request_id, wrapped_key, master_key_id)
         VALUES ($1, $2, $3, $4) ON CONFLICT (key_id) DO NOTHING`,
        [keyId, create, wrapped, masterKeyId],
      );
      row = await this.row(keyId);
    }
    if (!row) throw new DataKeyUnknownError(keyId);
    if (row.destroyed_at || !row.wrapped_key) {
      throw new DataKeyDestroyedError(
        keyId,
        row.request_id ?? undefined,
        row.destroyed_at ?? new Date(0),
      );
    }
    const key = await this.masters.unwrap(row.master_key_id, row.wrapped_key, keyId);
    this.cache.set(keyId, { key, until: Date.now() + this.cacheMs });
    return key;
  }

  private async row(keyId: string): Promise<KeyRow | undefined> {
    const rows = (await this.db.query(
      `SELECT key_id, request_id, wrapped_key, master_key_id, destroyed_at
         FROM data_keys WHERE key_id = $1`,
      [keyId],
    )) as KeyRow[];
    return rows[0];
  }
}
