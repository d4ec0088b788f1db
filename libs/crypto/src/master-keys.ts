// Master keys: the keys that wrap (encrypt) the per-request data keys. Envelope encryption keeps
// the master key out of PostgreSQL: the database holds only wrapped data keys.
import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { KEY_BYTES, open, seal } from './aead';

/**
 * What the data-key store needs from a key-management system. The local provider below keeps the
 * master keys in memory; a KMS adapter (AWS KMS Encrypt/Decrypt, GCP KMS, Vault transit, an HSM)
 * implements the same three members, the key material never leaving the KMS:
 * - `currentKeyId`: the master key new data keys are wrapped with (the newest one);
 * - `wrap`: encrypts a 32-byte data key under the current master key, bound to `context` (the
 *   data key's id) and answers which master key did it;
 * - `unwrap`: decrypts with the master key named (any key still configured, so data keys wrapped
 *   before a rotation stay readable), failing when the context differs.
 */
export interface MasterKeyProvider {
  readonly currentKeyId: string;
  wrap(dataKey: Buffer, context: string): Promise<{ masterKeyId: string; wrapped: Buffer }>;
  unwrap(masterKeyId: string, wrapped: Buffer, context: string): Promise<Buffer>;
}

export interface MasterKey {
  id: string;
  key: Buffer;
}

export class MasterKeyError extends Error {
  override readonly name = 'MasterKeyError';
}

/** Master keys held in process memory (from the environment or a file); the last one wraps. */
export class LocalMasterKeyProvider implements MasterKeyProvider {
  private readonly keys: Map<string, Buffer>;
  readonly currentKeyId: string;

  constructor(keys: readonly MasterKey[]) {
    if (keys.length === 0) throw new MasterKeyError('no master key given');
    this.keys = new Map(keys.map((k) => [k.id, k.key]));
    if (this.keys.size !== keys.length) throw new MasterKeyError('master key ids must be unique');
    this.currentKeyId = keys[keys.length - 1].id;
  }

  wrap(dataKey: Buffer, context: string): Promise<{ masterKeyId: string; wrapped: Buffer }> {
    const key = this.keys.get(this.currentKeyId)!;
    return Promise.resolve({
      masterKeyId: this.currentKeyId,
      wrapped: seal(key, dataKey, `data-key:${context}`),
    });
  }

  unwrap(masterKeyId: string, wrapped: Buffer, context: string): Promise<Buffer> {
    const key = this.keys.get(masterKeyId);
    if (!key) {
      return Promise.reject(
        new MasterKeyError(`master key "${masterKeyId}" is not configured (rotated out?)`),
      );
    }
    return Promise.resolve(open(key, wrapped, `data-key:${context}`));
  }
}

const ENTRY = /^([A-Za-z0-9._-]{1,64}):([A-Za-z0-9+/=_-]+)$/;

/**
 * `id:base64` entries, comma- or newline-separated, oldest first (the last one wraps new data
 * keys; every one unwraps). Blank lines and `#` comments are ignored. Errors never echo a key.
 */
export function parseMasterKeys(text: string, source: string): MasterKey[] {
  const entries = text
    .split('\n')
    .filter((line) => !line.trim().startsWith('#'))
    .flatMap((line) => line.split(','))
    .map((e) => e.trim())
    .filter((e) => e !== '');
  if (entries.length === 0) throw new MasterKeyError(`${source}: no master key in it`);
  return entries.map((entry, i) => {
    const m = ENTRY.exec(entry);
    if (!m) throw new MasterKeyError(`${source}: entry ${i + 1} is not "id:base64-key"`);
    const key = Buffer.from(m[2], 'base64');
    if (key.length !== KEY_BYTES) {
      throw new MasterKeyError(
        `${source}: master key "${m[1]}" must be ${KEY_BYTES} bytes (base64), it is ${key.length}`,
      );
    }
    return { id: m[1], key };
  });
}

/** A fresh master key entry (`id:base64`), e.g. to append for a rotation. */
export function newMasterKeyEntry(id: string): string {
  return `${id}:${randomBytes(KEY_BYTES).toString('base64')}`;
}

export interface MasterKeySettings {
  /** SILVERTRACE_MASTER_KEYS: the entries themselves. */
  keys?: string;
  /** SILVERTRACE_MASTER_KEY_FILE: a file of entries (one a line). */
  file?: string;
  /** Where a development key is generated when neither is given (never in production). */
  devDir?: string;
  production: boolean;
}

/** The file a development master key is generated into (SILVERTRACE_DATA_DIR, else .data). */
export const devMasterKeyFile = (dataDir: string): string => join(resolve(dataDir), 'master-keys');

/**
 * The master keys from SILVERTRACE_MASTER_KEYS, else SILVERTRACE_MASTER_KEY_FILE, else (outside
 * production only) a development key generated once into the data directory.
 */
export async function loadMasterKeys(settings: MasterKeySettings): Promise<MasterKey[]> {
  if (settings.keys) return parseMasterKeys(settings.keys, 'SILVERTRACE_MASTER_KEYS');
  if (settings.file) return readKeyFile(settings.file, 'SILVERTRACE_MASTER_KEY_FILE');
  if (settings.production) {
    throw new MasterKeyError(
      'no master key: set SILVERTRACE_MASTER_KEYS or SILVERTRACE_MASTER_KEY_FILE',
    );
  }
  const file = devMasterKeyFile(settings.devDir ?? '.data');
  await ensureDevMasterKeyFile(file);
  return readKeyFile(file, `development master key file ${file}`);
}

/** Synchronous twin for the config check at boot (reads, never generates). */
export function readKeyFileSync(path: string): MasterKey[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new MasterKeyError(
      `SILVERTRACE_MASTER_KEY_FILE: cannot read ${path} (${(err as NodeJS.ErrnoException).code})`,
    );
  }
  return parseMasterKeys(text, 'SILVERTRACE_MASTER_KEY_FILE');
}

async function readKeyFile(path: string, source: string): Promise<MasterKey[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new MasterKeyError(
      `${source}: cannot read ${path} (${(err as NodeJS.ErrnoException).code})`,
    );
  }
  return parseMasterKeys(text, source);
}

/**
 * Creates a development master key file if there is none. Written aside and linked into place,
 * so processes starting together (api and worker) never read half a file and all get the same.
 */
export async function ensureDevMasterKeyFile(file: string): Promise<void> {
  // Not 0700: the data dir also holds the embedded PostgreSQL's cluster, which runs as the
  // `postgres` user and must traverse it. The key file itself is 0600.
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  const body =
    '# Development master key of silvertrace (generated; never use it in production).\n' +
    '# Rotation: append a new "id:base64" line; the last wraps new data keys, all unwrap.\n' +
    `${newMasterKeyEntry('dev-1')}\n`;
  await writeFile(tmp, body, { mode: 0o600, flag: 'wx' });
  try {
    await link(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}
