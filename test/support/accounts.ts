import { hash } from '@node-rs/argon2';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { DEMO_PASSWORD, login } from './e2e';

export interface Account {
  id: string;
  username: string;
  password: string;
  token: string;
}

let demoHash: Promise<string> | undefined;

/**
 * A fresh account of its own for a suite, so locking it, signing it out or spending its rate
 * budget never touches the demo users other suites sign in as.
 */
export async function makeAccount(
  db: DataSource,
  baseUrl: string,
  roles: string[],
  country: string,
  tag: string,
  opts: { signIn?: boolean } = {},
): Promise<Account> {
  const id = randomUUID();
  const username = `${tag}.${id.slice(0, 8)}`;
  demoHash ??= hash(DEMO_PASSWORD);
  await db.query(
    `INSERT INTO users (id, username, password_hash, roles, country) VALUES ($1,$2,$3,$4,$5)`,
    [id, username, await demoHash, roles, country],
  );
  const token = opts.signIn === false ? '' : await login(baseUrl, username);
  return { id, username, password: DEMO_PASSWORD, token };
}
