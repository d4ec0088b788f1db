// The development master key of the local stack (libs/crypto): private to its owner, in a data
// directory that the embedded PostgreSQL (another OS user) can still traverse.
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDevMasterKeyFile, parseMasterKeys } from '../../libs/crypto/src/master-keys';

describe('the development master key file', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'silvertrace-mk-'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('is 0600 in a data dir that others may traverse, and is made once', async () => {
    const file = join(root, '.data', 'master-keys');
    await Promise.all([ensureDevMasterKeyFile(file), ensureDevMasterKeyFile(file)]);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(join(root, '.data'))).mode & 0o001).toBe(0o001);
    const first = await readFile(file, 'utf8');
    expect(parseMasterKeys(first, 'file')).toHaveLength(1);
    await ensureDevMasterKeyFile(file);
    expect(await readFile(file, 'utf8')).toBe(first);
  });
});
